/**
 * GRE dissector (IP protocol 47). Like Wireshark's "gre.proto" table, payload dissectors register by GRE
 * Protocol Type: IPv4 (0x0800) recurses into the IPv4 dissector, NHRP (0x2001) is registered by nhrp-dissect.ts.
 */
import { checksumText, hex, nestedLayers } from './dissect-helpers';
import {
  dataLayer,
  type DissectContext,
  type Dissector,
  field,
  type Field,
  type Layer,
  registerIpProtocolDissector,
} from './dissect';
import { decodeGre, GRE_PROTOCOL } from './gre';
import { IP_PROTO } from './ipv4';

const greDissectors = new Map<number, Dissector>();

/** Registers the dissector for a GRE Protocol Type; it gets a context spanning the GRE payload. */
export function registerGreProtocolDissector(protocolType: number, fn: Dissector): void {
  greDissectors.set(protocolType, fn);
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = { 0x0800: 'IPv4', 0x2001: 'NHRP', 0x86dd: 'IPv6' };

function greFields(ctx: DissectContext, g: ReturnType<typeof decodeGre>): Field[] {
  const s = ctx.start;
  const flagsWord = ((ctx.bytes[0] ?? 0) << 8) | (ctx.bytes[1] ?? 0);
  const flagNames = [
    g.withChecksum ? 'C' : '',
    g.key !== undefined ? 'K' : '',
    g.sequence !== undefined ? 'S' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const name = PROTOCOL_NAMES[g.protocolType] ?? 'unknown';
  const fields = [
    field(
      'gre.flags_and_version',
      'Flags and Version',
      `${hex(flagsWord)} (${flagNames || 'none'})`,
      s,
      s + 2,
    ),
    field('gre.proto', 'Protocol Type', `${name} (${hex(g.protocolType)})`, s + 2, s + 4),
  ];
  let at = s + 4;
  if (g.withChecksum && g.checksum !== undefined) {
    fields.push(field('gre.checksum', 'Checksum', checksumText(g.checksum, g.checksumValid), at, at + 2));
    at += 4;
  }
  if (g.key !== undefined) {
    fields.push(field('gre.key', 'Key', `${hex(g.key, 8)} (${g.key})`, at, at + 4));
    at += 4;
  }
  if (g.sequence !== undefined)
    fields.push(field('gre.sequence_number', 'Sequence Number', g.sequence, at, at + 4));
  return fields;
}

const dissectGre: Dissector = (ctx) => {
  const g = decodeGre(ctx.bytes);
  const payloadStart = ctx.start + g.headerLength;
  const keyText = g.key !== undefined ? `key=${g.key} ` : '';
  const layer: Layer = {
    protocol: 'gre',
    title: `Generic Routing Encapsulation (${PROTOCOL_NAMES[g.protocolType] ?? hex(g.protocolType)})`,
    start: ctx.start,
    end: payloadStart,
    fields: greFields(ctx, g),
    info: { name: 'GRE', detail: `${keyText}proto=${hex(g.protocolType)} len=${g.payload.length}` },
    ...(g.checksumValid ? {} : { warnings: ['bad GRE checksum'] }),
  };
  if (payloadStart >= ctx.end) return [layer];
  if (g.protocolType === GRE_PROTOCOL.IPV4) return [layer, ...ctx.dissectIp(payloadStart, ctx.end)];
  const next = greDissectors.get(g.protocolType);
  if (!next) return [layer, dataLayer(ctx.frame, payloadStart, ctx.end)];
  const inner: DissectContext = {
    ...ctx,
    start: payloadStart,
    bytes: ctx.frame.subarray(payloadStart, ctx.end),
  };
  return [
    layer,
    ...nestedLayers(PROTOCOL_NAMES[g.protocolType]?.toLowerCase() ?? 'gre-payload', next, inner),
  ];
};

registerIpProtocolDissector(IP_PROTO.GRE, dissectGre);
