/** Small formatting helpers shared by the protocol dissectors (the *-dissect.ts modules). */
import { DecodeError } from './decode-error';
import type { DissectContext, Dissector, Layer } from './dissect';
import { formatIpv4, type Ipv4 } from './ipv4-address';

/** '0x1234 [correct]' / '0x1234 [incorrect]', as dissect.ts shows IP/UDP/ICMP checksums. */
export function checksumText(value: number, valid: boolean): string {
  return `0x${value.toString(16).padStart(4, '0')} [${valid ? 'correct' : 'incorrect'}]`;
}

/** '0x0800', zero-padded to `digits` hex digits. */
export function hex(value: number, digits = 4): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** '239.0.0.0/8' from an address and a mask length (host bits shown as sent). */
export function prefixText(address: Ipv4, maskLength: number): string {
  return `${formatIpv4(address)}/${maskLength}`;
}

/**
 * Runs a nested dissector (NHRP in GRE, the IP packet in a PIM Register ...) so that its DecodeError becomes an
 * error layer after the outer layers, instead of discarding them (dissect.ts guards only the outermost call).
 */
export function nestedLayers(protocol: string, fn: Dissector, ctx: DissectContext): Layer[] {
  try {
    return fn(ctx);
  } catch (e) {
    const error = e instanceof DecodeError ? e.message : `${protocol}: ${String(e)}`;
    const title = `${protocol.toUpperCase()} (malformed: ${error})`;
    return [{ protocol, title, start: ctx.start, end: ctx.end, fields: [], error }];
  }
}
