/** NHRP dissector, reached through GRE Protocol Type 0x2001 (Cisco DMVPN). Field names follow Wireshark's nhrp.*. */
import { toHex } from './bytes';
import { field, type Field, type Layer } from './dissect';
import { checksumText, hex } from './dissect-helpers';
import { registerGreProtocolDissector } from './gre-dissect';
import { GRE_PROTOCOL } from './gre';
import { formatIpv4 } from './ipv4-address';
import { type DecodedNhrp, decodeNhrp, type NhrpCie, type NhrpExtension, nhrpTitle } from './nhrp';

const EXTENSION_NAMES: Readonly<Record<number, string>> = {
  0: 'End of Extension',
  3: 'Responder Address',
  4: 'Forward Transit NHS Record',
  5: 'Reverse Transit NHS Record',
  7: 'Authentication',
  8: 'Vendor Private',
};

function cieLength(c: NhrpCie): number {
  return 12 + (c.clientNbma !== undefined ? 4 : 0) + (c.clientProtocol !== undefined ? 4 : 0);
}

function cieFields(c: NhrpCie, start: number): Field[] {
  const fields = [
    field('nhrp.code', 'CIE Code', c.code === 0 ? 'Success (0)' : c.code, start, start + 1),
    field('nhrp.prefix', 'Prefix Length', c.prefixLength, start + 1, start + 2),
    field('nhrp.mtu', 'Max Transmission Unit', c.mtu, start + 4, start + 6),
    field('nhrp.htime', 'Holding Time (s)', c.holdingTime, start + 6, start + 8),
    field('nhrp.pref', 'CIE Preference Value', c.preference, start + 11, start + 12),
  ];
  let at = start + 12;
  if (c.clientNbma !== undefined) {
    fields.push(field('nhrp.client.nbma.addr', 'Client NBMA Address', formatIpv4(c.clientNbma), at, at + 4));
    at += 4;
  }
  if (c.clientProtocol !== undefined)
    fields.push(
      field('nhrp.client.prot.addr', 'Client Protocol Address', formatIpv4(c.clientProtocol), at, at + 4),
    );
  return fields;
}

function cieListFields(cies: readonly NhrpCie[], start: number): Field[] {
  let at = start;
  return cies.flatMap((c) => {
    const fields = cieFields(c, at);
    at += cieLength(c);
    return fields;
  });
}

function extensionValueFields(e: NhrpExtension, start: number, end: number): Field[] {
  switch (e.kind) {
    case 'authentication': {
      const spi = e.spi === 1 ? '1 (Cisco cleartext)' : String(e.spi);
      const text = String.fromCharCode(...e.data);
      return [
        field('nhrp.auth_ext.spi', 'SPI', spi, start, start + 4),
        field(
          'nhrp.auth_ext.data',
          'Authentication Data',
          `${toHex(e.data, ' ')} ("${text}")`,
          start + 4,
          end,
        ),
      ];
    }
    case 'vendor-private':
      return [
        field('nhrp.vendor_ext.id', 'Vendor ID', hex(e.vendorId, 6), start, start + 3),
        field('nhrp.vendor_ext.data', 'Data', toHex(e.data, ' ') || '(none)', start + 3, end),
      ];
    case 'other':
      return [field('nhrp.unknown_ext.value', 'Value', toHex(e.value, ' ') || '(empty)', start, end)];
    default:
      return cieListFields(e.cies, start);
  }
}

/** Walks the raw extension headers alongside the decoded list (which stops before End). */
function extensionFields(frame: Uint8Array, m: DecodedNhrp, s: number): Field[] {
  if (m.kind === 'error-indication' || m.extensionOffset === 0) return [];
  const fields: Field[] = [];
  let at = s + m.extensionOffset;
  for (let i = 0; i <= m.extensions.length && at + 4 <= s + m.packetSize; i++) {
    const typeWord = ((frame[at] ?? 0) << 8) | (frame[at + 1] ?? 0);
    const length = ((frame[at + 2] ?? 0) << 8) | (frame[at + 3] ?? 0);
    const type = typeWord & 0x3fff;
    const name = EXTENSION_NAMES[type] ?? 'Unknown';
    const compulsory = typeWord & 0x8000 ? ', compulsory' : '';
    fields.push(field('nhrp.ext.type', 'Extension Type', `${name} (${type}${compulsory})`, at, at + 2));
    fields.push(field('nhrp.ext.len', 'Extension length', length, at + 2, at + 4));
    const e = m.extensions[i];
    if (e) fields.push(...extensionValueFields(e, at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}

function mandatoryFields(m: DecodedNhrp, s: number, sstl: number): Field[] {
  const fields: Field[] = [];
  if (m.kind === 'error-indication') {
    fields.push(field('nhrp.err.code', 'Error Code', m.errorCode, s + 24, s + 26));
    fields.push(field('nhrp.err.offset', 'Error Offset', m.errorOffset, s + 26, s + 28));
  } else {
    fields.push(field('nhrp.flags', 'Flags', hex(m.flags), s + 22, s + 24));
    fields.push(field('nhrp.reqid', 'Request ID', m.requestId, s + 24, s + 28));
  }
  const protoAt = s + 32 + sstl;
  fields.push(
    field('nhrp.src.nbma.addr', 'Source NBMA Address', formatIpv4(m.sourceNbma), s + 28, s + 32),
    field(
      'nhrp.src.prot.addr',
      'Source Protocol Address',
      formatIpv4(m.sourceProtocol),
      protoAt,
      protoAt + 4,
    ),
    field(
      'nhrp.dst.prot.addr',
      'Destination Protocol Address',
      formatIpv4(m.destinationProtocol),
      protoAt + 4,
      protoAt + 8,
    ),
  );
  if (m.kind === 'error-indication') {
    const end = s + (m.extensionOffset || m.packetSize);
    fields.push(
      field('nhrp.err.pkt', 'Packet Causing Indication', `${m.packet.length} bytes`, protoAt + 8, end),
    );
  } else fields.push(...cieListFields(m.cies, protoAt + 8));
  return fields;
}

function infoDetail(m: DecodedNhrp): string {
  const addresses = `src=${formatIpv4(m.sourceProtocol)} dst=${formatIpv4(m.destinationProtocol)}`;
  if (m.kind === 'error-indication') return `${addresses} error=${m.errorCode} offset=${m.errorOffset}`;
  const code = m.kind.endsWith('reply') && m.cies[0] ? ` code=${m.cies[0].code}` : '';
  return `${addresses} id=${m.requestId}${code}`;
}

registerGreProtocolDissector(GRE_PROTOCOL.NHRP, (ctx) => {
  const m = decodeNhrp(ctx.bytes);
  const s = ctx.start;
  const at = (a: number, b: number): [number, number] => [s + a, s + b];
  const title = nhrpTitle(m.kind);
  const layer: Layer = {
    protocol: 'nhrp',
    title: `Next Hop Resolution Protocol (NHRP ${title})`,
    start: s,
    end: s + m.packetSize,
    fields: [
      field('nhrp.hdr.afn', 'Address Family Number', 'IPv4 (1)', ...at(0, 2)),
      field('nhrp.hdr.pro.type', 'Protocol Type', 'IPv4 (0x0800)', ...at(2, 4)),
      field('nhrp.hdr.hopcnt', 'Hop Count', ctx.bytes[9] ?? 0, ...at(9, 10)),
      field('nhrp.hdr.pktsz', 'Packet Length', m.packetSize, ...at(10, 12)),
      field(
        'nhrp.hdr.chksum',
        'NHRP Packet Checksum',
        checksumText(m.checksum, m.checksumValid),
        ...at(12, 14),
      ),
      field('nhrp.hdr.extoff', 'Extension Offset', m.extensionOffset, ...at(14, 16)),
      field('nhrp.hdr.version', 'Version', '1 (NHRP - rfc2332)', ...at(16, 17)),
      field('nhrp.hdr.op.type', 'NHRP Packet Type', `NHRP ${title} (${ctx.bytes[17] ?? 0})`, ...at(17, 18)),
      field('nhrp.hdr.shtl', 'Source Address Type/Len', 'NSAP/4', ...at(18, 19)),
      field(
        'nhrp.hdr.sstl',
        'Source SubAddress Type/Len',
        `NSAP/${(ctx.bytes[19] ?? 0) & 0x3f}`,
        ...at(19, 20),
      ),
      ...mandatoryFields(m, s, (ctx.bytes[19] ?? 0) & 0x3f),
      ...extensionFields(ctx.frame, m, s),
    ],
    info: { name: `NHRP ${title}`, detail: infoDetail(m) },
    ...(m.checksumValid ? {} : { warnings: ['bad NHRP checksum'] }),
  };
  return [layer];
});
