/** Small formatting helpers shared by the protocol dissectors (the *-dissect.ts modules). */
import { DecodeError } from './decode-error';
import type { DissectContext, Dissector, Layer } from './dissect-types';
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
 * Runs a payload dissector (what IP or UDP carries, NHRP in GRE ...) so that anything it throws becomes an error
 * layer after the outer layers instead of discarding them: dissection never throws.
 */
export function nestedLayers(protocol: string, fn: Dissector, ctx: DissectContext): Layer[] {
  try {
    return fn(ctx);
  } catch (e) {
    return [errorLayer(protocol, e, ctx.start, ctx.end)];
  }
}

/** The layer shown in place of bytes a decoder threw on: it spans them and carries the error. */
export function errorLayer(protocol: string, e: unknown, start: number, end: number): Layer {
  const error = e instanceof DecodeError ? e.message : `${protocol}: ${String(e)}`;
  return {
    protocol,
    title: `${protocol.toUpperCase()} (malformed: ${error})`,
    start,
    end,
    fields: [],
    error,
  };
}
