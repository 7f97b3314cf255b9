/**
 * Layer-by-layer dissection for the inspector (byte ranges into the frame) and one-line trace summaries.
 * Protocols plug in through two registries, in the spirit of Wireshark's "ip.proto" and "udp.port" tables:
 * a codec module calls registerIpProtocolDissector(IP_PROTO.GRE, ...) or registerUdpPortDissector(848, ...)
 * when it is imported. Field names follow Wireshark's display-filter names where one exists.
 */
import { toHex } from './bytes';
import { checksumText, errorLayer, hex, nestedLayers } from './dissect-helpers';
import { decodeIcmp, icmpTitle } from './icmp';
import { decodeIpv4, decodeIpv4Header, IP_PROTO, ipProtocolName, type Ipv4Option } from './ipv4';
import { formatIpv4 } from './ipv4-address';
import { decodeUdp, UDP_HEADER_LENGTH } from './udp';
import type { DissectContext, Dissector, Field, Layer } from './dissect-types';

// The layer types live in a leaf module so the dissector helpers can use them without importing this file back.
export type { DissectContext, Dissector, Field, Layer } from './dissect-types';

const ipDissectors = new Map<number, Dissector>();
const udpDissectors = new Map<number, Dissector>();
/** Guards against a packet nesting IP in IP without end (GRE in GRE ...). */
const MAX_DEPTH = 8;

export function registerIpProtocolDissector(protocol: number, fn: Dissector): void {
  ipDissectors.set(protocol, fn);
}

export function registerUdpPortDissector(port: number, fn: Dissector): void {
  udpDissectors.set(port, fn);
}

export function field(
  name: string,
  label: string,
  value: string | number,
  start: number,
  end: number,
): Field {
  return { name, label, value: String(value), start, end };
}

/** Undissected bytes, shown as hex (the inspector's hex pane shows them all). */
export function dataLayer(frame: Uint8Array, start: number, end: number, title = 'Data'): Layer {
  const shown = frame.subarray(start, Math.min(end, start + 32));
  const value = toHex(shown, ' ') + (end - start > shown.length ? ' …' : '');
  return {
    protocol: 'data',
    title: `${title} (${end - start} bytes)`,
    start,
    end,
    fields: [field('data.data', 'Data', value, start, end)],
  };
}

function optionFields(options: readonly Ipv4Option[], start: number): Field[] {
  let at = start + 20;
  return options.map((o) => {
    const s = at;
    if (o.kind === 'router-alert') {
      at += 4;
      const meaning = o.value === 0 ? 'router shall examine packet' : 'reserved';
      return field('ip.opt.ra', 'Router Alert (RFC 2113)', `${meaning} (${o.value})`, s, at);
    }
    if (o.kind === 'nop') return field('ip.opt.type', 'No-Operation', 'NOP', s, ++at);
    at += 2 + o.data.length;
    return field('ip.opt.type', `Option 0x${o.type.toString(16)}`, toHex(o.data, ' ') || '(empty)', s, at);
  });
}

function ipv4Layer(start: number, d: ReturnType<typeof decodeIpv4>): Layer {
  const h = d.header;
  const flags = [h.dontFragment ? 'DF' : '', h.moreFragments ? 'MF' : ''].filter(Boolean).join(' ') || 'none';
  const src = formatIpv4(h.source);
  const dst = formatIpv4(h.destination);
  const at = (a: number, b: number): [number, number] => [start + a, start + b];
  return {
    protocol: 'ipv4',
    title: `Internet Protocol Version 4, Src: ${src}, Dst: ${dst}`,
    start,
    end: start + d.ihl * 4,
    fields: [
      field('ip.version', 'Version', 4, ...at(0, 1)),
      field('ip.hdr_len', 'Header Length', `${d.ihl * 4} bytes (${d.ihl})`, ...at(0, 1)),
      field('ip.dsfield', 'Type of Service', hex(h.tos, 2), ...at(1, 2)),
      field('ip.len', 'Total Length', d.totalLength, ...at(2, 4)),
      field('ip.id', 'Identification', hex(h.identification), ...at(4, 6)),
      field('ip.flags', 'Flags', flags, ...at(6, 8)),
      field('ip.frag_offset', 'Fragment Offset', h.fragmentOffset * 8, ...at(6, 8)),
      field('ip.ttl', 'Time to Live', h.ttl, ...at(8, 9)),
      field(
        'ip.proto',
        'Protocol',
        `${ipProtocolName(h.protocol).toUpperCase()} (${h.protocol})`,
        ...at(9, 10),
      ),
      field('ip.checksum', 'Header Checksum', checksumText(d.checksum, d.headerChecksumValid), ...at(10, 12)),
      field('ip.src', 'Source Address', src, ...at(12, 16)),
      field('ip.dst', 'Destination Address', dst, ...at(16, 20)),
      ...optionFields(h.options, start),
    ],
    info: { name: 'IPv4', detail: `proto=${ipProtocolName(h.protocol)} len=${d.payload.length}` },
    ...(d.headerChecksumValid ? {} : { warnings: ['bad IPv4 header checksum'] }),
  };
}

function dissectIpAt(frame: Uint8Array, start: number, end: number, depth: number): Layer[] {
  let d: ReturnType<typeof decodeIpv4>;
  try {
    d = decodeIpv4(frame.subarray(start, end));
  } catch (e) {
    return [errorLayer('ipv4', e, start, end)];
  }
  const layers = [ipv4Layer(start, d)];
  const payloadStart = start + d.ihl * 4;
  const payloadEnd = start + d.totalLength;
  const h = d.header;
  const dissector = ipDissectors.get(h.protocol);
  if (h.moreFragments || h.fragmentOffset > 0) {
    // No reassembly: a fragment's payload is shown raw, as Wireshark does with reassembly off.
    layers.push(dataLayer(frame, payloadStart, payloadEnd, `Fragment at offset ${h.fragmentOffset * 8}`));
  } else if (depth >= MAX_DEPTH) {
    layers.push(dataLayer(frame, payloadStart, payloadEnd, 'Nested too deep'));
  } else if (dissector) {
    const ctx: DissectContext = {
      frame,
      start: payloadStart,
      end: payloadEnd,
      bytes: frame.subarray(payloadStart, payloadEnd),
      source: h.source,
      destination: h.destination,
      ipProtocol: h.protocol,
      dissectIp: (s, e) => dissectIpAt(frame, s, e, depth + 1),
    };
    layers.push(...nestedLayers(ipProtocolName(h.protocol), dissector, ctx));
  } else if (payloadEnd > payloadStart) {
    layers.push(dataLayer(frame, payloadStart, payloadEnd));
  }
  return layers;
}

/** RFC 768. Hands the payload to the dissector of the destination port, else of the source port. */
const dissectUdp: Dissector = (ctx) => {
  const u = decodeUdp(ctx.bytes, ctx.source, ctx.destination);
  const s = ctx.start;
  const layer: Layer = {
    protocol: 'udp',
    title: `User Datagram Protocol, Src Port: ${u.sourcePort}, Dst Port: ${u.destinationPort}`,
    start: s,
    end: s + UDP_HEADER_LENGTH,
    fields: [
      field('udp.srcport', 'Source Port', u.sourcePort, s, s + 2),
      field('udp.dstport', 'Destination Port', u.destinationPort, s + 2, s + 4),
      field('udp.length', 'Length', u.length, s + 4, s + 6),
      field(
        'udp.checksum',
        'Checksum',
        u.checksum === 0 ? '0x0000 [none]' : checksumText(u.checksum, u.checksumValid),
        s + 6,
        s + 8,
      ),
    ],
    info: { name: 'UDP', detail: `sport=${u.sourcePort} dport=${u.destinationPort} len=${u.payload.length}` },
    ...(u.checksumValid ? {} : { warnings: ['bad UDP checksum'] }),
  };
  const start = s + UDP_HEADER_LENGTH;
  const end = s + u.length;
  const port = udpDissectors.has(u.destinationPort) ? u.destinationPort : u.sourcePort;
  const next = udpDissectors.get(port);
  if (!next) return end > start ? [layer, dataLayer(ctx.frame, start, end)] : [layer];
  const inner: DissectContext = {
    ...ctx,
    start,
    end,
    bytes: ctx.frame.subarray(start, end),
    sourcePort: u.sourcePort,
    destinationPort: u.destinationPort,
  };
  return [layer, ...nestedLayers(`udp/${port}`, next, inner)];
};

/** The quoted header of an ICMP error (RFC 792): shown as an IPv4 layer without summary info. */
function quotedLayers(frame: Uint8Array, start: number, end: number): { layers: Layer[]; detail: string } {
  try {
    const q = decodeIpv4Header(frame.subarray(start, end));
    const layer = ipv4Layer(start, { ...q, payload: new Uint8Array(0) });
    const { info: _info, warnings: _warnings, ...bare } = layer;
    const headerEnd = start + q.ihl * 4;
    const quoted: Layer = { ...bare, title: `Original datagram: ${layer.title}` };
    const rest = headerEnd < end ? [dataLayer(frame, headerEnd, end, 'Original payload, first bytes')] : [];
    const detail = `original ${formatIpv4(q.header.source)} > ${formatIpv4(q.header.destination)} ${ipProtocolName(q.header.protocol)}`;
    return { layers: [quoted, ...rest], detail };
  } catch {
    return {
      layers: end > start ? [dataLayer(frame, start, end, 'Original datagram (undecodable)')] : [],
      detail: '',
    };
  }
}

const dissectIcmp: Dissector = (ctx) => {
  const m = decodeIcmp(ctx.bytes);
  const s = ctx.start;
  const title = icmpTitle(m);
  const fields = [
    field('icmp.type', 'Type', ctx.bytes[0] ?? 0, s, s + 1),
    field('icmp.code', 'Code', ctx.bytes[1] ?? 0, s + 1, s + 2),
    field('icmp.checksum', 'Checksum', checksumText(m.checksum, m.checksumValid), s + 2, s + 4),
  ];
  let detail = '';
  let tail: Layer[] = [];
  if (m.kind === 'echo-request' || m.kind === 'echo-reply') {
    fields.push(field('icmp.ident', 'Identifier', m.identifier, s + 4, s + 6));
    fields.push(field('icmp.seq', 'Sequence Number', m.sequence, s + 6, s + 8));
    fields.push(field('icmp.data', 'Data', `${m.data.length} bytes`, s + 8, ctx.end));
    detail = `id=${m.identifier} seq=${m.sequence}`;
  } else if (m.kind === 'destination-unreachable' || m.kind === 'time-exceeded') {
    if (m.kind === 'destination-unreachable' && m.nextHopMtu !== undefined) {
      fields.push(field('icmp.mtu', 'MTU of next hop', m.nextHopMtu, s + 6, s + 8));
    }
    const quoted = quotedLayers(ctx.frame, s + 8, ctx.end);
    tail = quoted.layers;
    detail = quoted.detail;
  }
  const layer: Layer = {
    protocol: 'icmp',
    title: `Internet Control Message Protocol (${title})`,
    start: s,
    end: tail.length > 0 ? s + 8 : ctx.end,
    fields,
    info: { name: `ICMP ${title}`, ...(detail ? { detail } : {}) },
    ...(m.checksumValid ? {} : { warnings: ['bad ICMP checksum'] }),
  };
  return [layer, ...tail];
};

registerIpProtocolDissector(IP_PROTO.UDP, dissectUdp);
registerIpProtocolDissector(IP_PROTO.ICMP, dissectIcmp);

/** Dissects a raw IPv4 frame (LINKTYPE_RAW). Never throws: undecodable parts become layers with `error`. */
export function dissect(bytes: Uint8Array): Layer[] {
  return dissectIpAt(bytes, 0, bytes.length, 0);
}

function fieldValue(layer: Layer | undefined, name: string): string {
  return layer?.fields.find((f) => f.name === name)?.value ?? '?';
}

/**
 * One line for a trace record, e.g. 'ICMP echo request 11.11.11.11 > 1.1.1.1 id=1 seq=0'. The innermost layer
 * with info names the packet; addresses come from the innermost IPv4 header before it; a tunnel adds
 * ' via gre 172.17.1.1 > 172.17.2.2'. Never throws; an undecodable packet reads 'malformed: <reason>'.
 */
export function summarize(bytes: Uint8Array): { protocols: string[]; summary: string } {
  try {
    const layers = dissect(bytes);
    const protocols = layers.map((l) => l.protocol).filter((p) => p !== 'data');
    const broken = layers.find((l) => l.error !== undefined);
    if (broken)
      return {
        protocols: protocols.length > 0 ? protocols : ['ipv4'],
        summary: `malformed: ${broken.error}`,
      };
    const top = layers.findLastIndex((l) => l.info !== undefined);
    const ipAt = layers.findLastIndex((l, i) => i <= top && l.protocol === 'ipv4' && l.info !== undefined);
    const outerAt = layers.findLastIndex((l, i) => i < ipAt && l.protocol === 'ipv4' && l.info !== undefined);
    const info = layers[top]?.info;
    const ip = layers[ipAt];
    let summary = `${info?.name ?? 'IPv4'} ${fieldValue(ip, 'ip.src')} > ${fieldValue(ip, 'ip.dst')}`;
    if (info?.detail) summary += ` ${info.detail}`;
    if (outerAt >= 0) {
      const outer = layers[outerAt];
      const via = layers[outerAt + 1]?.protocol ?? 'ipv4';
      summary += ` via ${via} ${fieldValue(outer, 'ip.src')} > ${fieldValue(outer, 'ip.dst')}`;
    }
    const warnings = layers.flatMap((l) => l.warnings ?? []);
    if (warnings.length > 0) summary += ` [${warnings.join(', ')}]`;
    return { protocols, summary };
  } catch (e) {
    return { protocols: ['ipv4'], summary: `malformed: ${String(e)}` };
  }
}
