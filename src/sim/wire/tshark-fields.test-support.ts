/**
 * GETLab's own decode of a captured frame, printed the way `tshark -T fields -E occurrence=a -E aggregator=';'`
 * prints the same fields (Wireshark 4.0 names and value formats), so the wire-truth suite can compare the two
 * decoders frame by frame. Only our codecs are used here: if a codec and Wireshark disagree on a byte, a row
 * differs. `protocols` mirrors tshark's `frame.protocols`, including its quirks (IGMP shows as `igmp:igmp`, a
 * PIMv1 message inside IGMP as `igmp:pim`, LINKTYPE_RAW as `raw`).
 */
import { AUTORP_PORT, decodeAutoRp } from '../net/autorp';
import { hex } from '../net/dissect-helpers';
import { decodeEigrp, EIGRP_TLV, type EigrpTlv } from '../net/eigrp';
import { type EspSaKeys, openEsp, peekEsp } from '../net/esp';
import { decodeGre, GRE_PROTOCOL } from '../net/gre';
import { decodeIgmp, type IgmpMessage, IGMP_TYPE } from '../net/igmp';
import { decodeIpv4, IP_PROTO } from '../net/ipv4';
import { formatIpv4 } from '../net/ipv4-address';
import { decodeIsakmp, GDOI_PORT, ISAKMP_PORT } from '../net/isakmp';
import { decodeNhrp, NHRP_EXT, type NhrpExtension, nhrpOpType } from '../net/nhrp';
import { decodePim, PIM_HELLO_OPTION, type PimHelloOption, pimType } from '../net/pim';
import { decodeUdp } from '../net/udp';

/** The fields compared with tshark, in `-e` order. */
export const COMPARED_FIELDS = [
  'frame.protocols',
  'ip.proto',
  'ip.src',
  'ip.dst',
  'ip.len',
  'ip.ttl',
  'ip.checksum.status',
  'ip.id',
  'ip.dsfield',
  'ip.flags.df',
  'ip.frag_offset',
  'udp.srcport',
  'udp.dstport',
  'udp.length',
  'udp.checksum.status',
  'esp.spi',
  'esp.sequence',
  'esp.icv_good',
  'esp.pad_len',
  'esp.protocol',
  'gre.proto',
  'gre.key',
  'nhrp.hdr.op.type',
  'nhrp.src.nbma.addr',
  'nhrp.src.prot.addr',
  'nhrp.dst.prot.addr',
  'nhrp.hdr.chksum.status',
  'nhrp.hdr.hopcnt',
  'nhrp.hdr.pktsz',
  'nhrp.hdr.extoff',
  'nhrp.flags',
  'nhrp.reqid',
  'nhrp.prefix',
  'nhrp.mtu',
  'nhrp.htime',
  'nhrp.client.nbma.addr',
  'nhrp.client.prot.addr',
  'nhrp.ext.type',
  'eigrp.opcode',
  'eigrp.seq',
  'eigrp.ack',
  'eigrp.as',
  'eigrp.checksum.status',
  'eigrp.flags',
  'eigrp.tlv_type',
  'eigrp.par.k1',
  'eigrp.par.k3',
  'eigrp.par.holdtime',
  'eigrp.release_version',
  'eigrp.tlv_version',
  'eigrp.ipv4.nexthop',
  'eigrp.ipv4.prefixlen',
  'eigrp.ipv4.destination',
  'eigrp.old_metric.delay',
  'eigrp.old_metric.bw',
  'eigrp.old_metric.mtu',
  'eigrp.old_metric.hopcount',
  'pim.version',
  'pim.type',
  'pim.cksum.status',
  'pim.optiontype',
  'pim.holdtime',
  'pim.dr_priority',
  'pim.generation_id',
  'pim.upstream_neighbor',
  'pim.numgroups',
  'pim.numjoins',
  'pim.numprunes',
  'pim.join_ip',
  'pim.prune_ip',
  'pim.igmp_type',
  'pim.code',
  'pim.rp',
  'auto_rp.type',
  'auto_rp.holdtime',
  'auto_rp.rp_count',
  'auto_rp.rp_addr',
  'auto_rp.pim_ver',
  'auto_rp.group_num',
  'auto_rp.prefix_sign',
  'auto_rp.mask_len',
  'auto_rp.group_prefix',
  'igmp.type',
  'igmp.maddr',
  'igmp.max_resp',
  'igmp.checksum.status',
  'isakmp.exchangetype',
  'isakmp.flags',
  'isakmp.messageid',
  'isakmp.length',
] as const;

export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** Wireshark's checksum status values: 0 Bad, 1 Good, 2 Unverified (or absent, e.g. a UDP checksum of 0). */
const status = (valid: boolean): string => (valid ? '1' : '0');

/** Fields collected while walking one frame; values of a repeated field keep their order (outer first). */
class Row {
  readonly protocols: string[] = ['raw'];
  private readonly values = new Map<ComparedField, string[]>();

  add(name: ComparedField, value: string | number): void {
    const list = this.values.get(name) ?? [];
    list.push(String(value));
    this.values.set(name, list);
  }

  finish(): Record<ComparedField, string> {
    const out = {} as Record<ComparedField, string>;
    for (const name of COMPARED_FIELDS) out[name] = (this.values.get(name) ?? []).join(';');
    out['frame.protocols'] = this.protocols.join(':');
    return out;
  }
}

/**
 * Decodes one frame (an IPv4 packet, as LINKTYPE_RAW) with GETLab's codecs. ESP is opened with `sas` (by SPI)
 * when its SA is there, as tshark does with its esp_sa table; without it only the SPI and sequence show.
 * A DecodeError propagates: every frame the lab sends must decode.
 */
export async function ownFields(
  frame: Uint8Array,
  sas: ReadonlyMap<number, EspSaKeys>,
): Promise<Record<ComparedField, string>> {
  const row = new Row();
  await ip(row, frame, sas);
  return row.finish();
}

async function ip(row: Row, bytes: Uint8Array, sas: ReadonlyMap<number, EspSaKeys>): Promise<void> {
  const d = decodeIpv4(bytes);
  const { source, destination, protocol, ttl } = d.header;
  row.protocols.push('ip');
  row.add('ip.proto', protocol);
  row.add('ip.src', formatIpv4(source));
  row.add('ip.dst', formatIpv4(destination));
  row.add('ip.len', d.totalLength);
  row.add('ip.ttl', ttl);
  row.add('ip.checksum.status', status(d.headerChecksumValid));
  row.add('ip.id', hex(d.header.identification, 4));
  row.add('ip.dsfield', hex(d.header.tos, 2));
  row.add('ip.flags.df', d.header.dontFragment ? 1 : 0);
  row.add('ip.frag_offset', d.header.fragmentOffset * 8);
  switch (protocol) {
    case IP_PROTO.UDP:
      return udp(row, d.payload, source, destination);
    case IP_PROTO.IGMP:
      return igmp(row, d.payload);
    case IP_PROTO.PIM:
      return pim(row, d.payload);
    case IP_PROTO.GRE:
      return gre(row, d.payload, sas);
    case IP_PROTO.EIGRP:
      return eigrp(row, d.payload);
    case IP_PROTO.ESP:
      return esp(row, d.payload, sas);
    default:
      row.protocols.push(protocol === IP_PROTO.ICMP ? 'icmp' : 'data');
  }
}

function udp(row: Row, bytes: Uint8Array, source: number, destination: number): void {
  const u = decodeUdp(bytes, source, destination);
  row.protocols.push('udp');
  row.add('udp.srcport', u.sourcePort);
  row.add('udp.dstport', u.destinationPort);
  row.add('udp.length', u.length);
  row.add('udp.checksum.status', u.checksum === 0 ? '2' : status(u.checksumValid));
  const ports = [u.sourcePort, u.destinationPort];
  if (ports.includes(AUTORP_PORT)) autoRp(row, u.payload);
  else if (ports.includes(GDOI_PORT) || ports.includes(ISAKMP_PORT)) isakmp(row, u.payload);
  else row.protocols.push('data');
}

function autoRp(row: Row, bytes: Uint8Array): void {
  const m = decodeAutoRp(bytes);
  row.protocols.push('auto_rp');
  row.add('auto_rp.type', m.kind === 'announce' ? 1 : 2);
  row.add('auto_rp.holdtime', m.holdtime);
  row.add('auto_rp.rp_count', m.rps.length);
  for (const rp of m.rps) {
    row.add('auto_rp.rp_addr', formatIpv4(rp.rp));
    row.add('auto_rp.pim_ver', rp.pimVersion);
    row.add('auto_rp.group_num', rp.groups.length);
    for (const g of rp.groups) {
      row.add('auto_rp.prefix_sign', g.negative ? 1 : 0);
      row.add('auto_rp.mask_len', g.maskLength);
      row.add('auto_rp.group_prefix', formatIpv4(g.prefix));
    }
  }
}

function isakmp(row: Row, bytes: Uint8Array): void {
  const { header } = decodeIsakmp(bytes);
  row.protocols.push('isakmp');
  row.add('isakmp.exchangetype', header.exchangeType);
  row.add('isakmp.flags', hex(header.flags, 2));
  row.add('isakmp.messageid', hex(header.messageId, 8));
  row.add('isakmp.length', header.length);
}

/** The IGMP Type octet of a decoded message (our decoder keeps the meaning, Wireshark prints the number). */
function igmpType(m: IgmpMessage): number {
  switch (m.kind) {
    case 'query':
    case 'v3-query':
      return IGMP_TYPE.QUERY;
    case 'v1-report':
      return IGMP_TYPE.V1_REPORT;
    case 'v2-report':
      return IGMP_TYPE.V2_REPORT;
    case 'leave':
      return IGMP_TYPE.LEAVE;
    case 'v3-report':
      return IGMP_TYPE.V3_REPORT;
    case 'pimv1-rp-reachable':
    case 'pimv1':
      return IGMP_TYPE.PIM_V1;
    case 'other':
      return m.type;
  }
}

function igmp(row: Row, bytes: Uint8Array): void {
  const m = decodeIgmp(bytes);
  row.protocols.push('igmp');
  if (m.kind === 'pimv1-rp-reachable' || m.kind === 'pimv1') {
    // Wireshark hands IGMP type 0x14 to its PIM dissector (packet-pim.c, dissect_pimv1).
    row.protocols.push('pim');
    row.add('pim.igmp_type', 'PIM (0x14)');
    row.add('pim.cksum.status', status(m.checksumValid));
    if (m.kind === 'pimv1') {
      row.add('pim.code', m.code);
      return;
    }
    row.add('pim.code', 4);
    row.add('pim.version', 1);
    row.add('pim.rp', formatIpv4(m.rp));
    row.add('pim.holdtime', m.holdtime);
    return;
  }
  row.protocols.push('igmp');
  row.add('igmp.type', hex(igmpType(m), 2));
  row.add('igmp.checksum.status', status(m.checksumValid));
  if (m.kind === 'v3-report') for (const r of m.records) row.add('igmp.maddr', formatIpv4(r.group));
  else if ('group' in m) row.add('igmp.maddr', formatIpv4(m.group));
  // Max Resp Time as on the wire, in tenths of a second (Wireshark prints the raw octet).
  if (m.kind === 'query') row.add('igmp.max_resp', m.maxResponseTime);
  else if (m.kind === 'v1-report' || m.kind === 'v2-report' || m.kind === 'leave')
    row.add('igmp.max_resp', 0);
}

function pim(row: Row, bytes: Uint8Array): void {
  const m = decodePim(bytes);
  row.protocols.push('pim');
  row.add('pim.version', m.version);
  row.add('pim.type', pimType(m));
  row.add('pim.cksum.status', status(m.checksumValid));
  if (m.kind === 'hello') pimHello(row, m.options);
  if (m.kind === 'join-prune') {
    row.add('pim.upstream_neighbor', formatIpv4(m.upstreamNeighbor));
    row.add('pim.numgroups', m.groups.length);
    row.add('pim.holdtime', m.holdtime);
    for (const g of m.groups) {
      row.add('pim.numjoins', g.joins.length);
      row.add('pim.numprunes', g.prunes.length);
      for (const j of g.joins) row.add('pim.join_ip', formatIpv4(j.address));
      for (const p of g.prunes) row.add('pim.prune_ip', formatIpv4(p.address));
    }
  }
}

function pimHello(row: Row, options: readonly PimHelloOption[]): void {
  for (const o of options) {
    row.add('pim.optiontype', o.kind === 'other' ? o.type : PIM_HELLO_OPTION_TYPE[o.kind]);
    if (o.kind === 'holdtime') row.add('pim.holdtime', o.holdtime);
    else if (o.kind === 'dr-priority') row.add('pim.dr_priority', o.priority);
    else if (o.kind === 'generation-id') row.add('pim.generation_id', o.generationId);
  }
}

const PIM_HELLO_OPTION_TYPE: Readonly<Record<Exclude<PimHelloOption['kind'], 'other'>, number>> = {
  holdtime: PIM_HELLO_OPTION.HOLDTIME,
  'lan-prune-delay': PIM_HELLO_OPTION.LAN_PRUNE_DELAY,
  'dr-priority': PIM_HELLO_OPTION.DR_PRIORITY,
  'generation-id': PIM_HELLO_OPTION.GENERATION_ID,
  'address-list': PIM_HELLO_OPTION.ADDRESS_LIST,
};

async function gre(row: Row, bytes: Uint8Array, sas: ReadonlyMap<number, EspSaKeys>): Promise<void> {
  const g = decodeGre(bytes);
  row.protocols.push('gre');
  row.add('gre.proto', hex(g.protocolType, 4));
  if (g.key !== undefined) row.add('gre.key', hex(g.key, 8));
  if (g.protocolType === GRE_PROTOCOL.IPV4) return ip(row, g.payload, sas);
  if (g.protocolType === GRE_PROTOCOL.NHRP) return nhrp(row, g.payload);
  row.protocols.push('data');
}

function nhrp(row: Row, bytes: Uint8Array): void {
  const m = decodeNhrp(bytes);
  row.protocols.push('nhrp');
  row.add('nhrp.hdr.op.type', nhrpOpType(m.kind));
  row.add('nhrp.hdr.chksum.status', status(m.checksumValid));
  row.add('nhrp.src.nbma.addr', formatIpv4(m.sourceNbma));
  row.add('nhrp.src.prot.addr', formatIpv4(m.sourceProtocol));
  row.add('nhrp.dst.prot.addr', formatIpv4(m.destinationProtocol));
  row.add('nhrp.hdr.hopcnt', m.hopCount);
  row.add('nhrp.hdr.pktsz', m.packetSize);
  row.add('nhrp.hdr.extoff', m.extensionOffset);
  if (m.kind === 'error-indication') return;
  row.add('nhrp.flags', hex(m.flags, 4));
  row.add('nhrp.reqid', hex(m.requestId, 8));
  const cies = [...m.cies];
  for (const e of m.extensions) if ('cies' in e) cies.push(...e.cies);
  for (const c of cies) {
    row.add('nhrp.prefix', c.prefixLength);
    row.add('nhrp.mtu', c.mtu);
    row.add('nhrp.htime', c.holdingTime);
    if (c.clientNbma !== undefined) row.add('nhrp.client.nbma.addr', formatIpv4(c.clientNbma));
    if (c.clientProtocol !== undefined) row.add('nhrp.client.prot.addr', formatIpv4(c.clientProtocol));
  }
  if (m.extensions.length > 0) {
    for (const e of m.extensions) row.add('nhrp.ext.type', hex(NHRP_EXTENSION_TYPE[e.kind] ?? 0, 4));
    row.add('nhrp.ext.type', hex(NHRP_EXT.END, 4));
  }
}

const NHRP_EXTENSION_TYPE: Readonly<Partial<Record<NhrpExtension['kind'], number>>> = {
  'responder-address': NHRP_EXT.RESPONDER_ADDRESS,
  'forward-transit-nhs': NHRP_EXT.FORWARD_TRANSIT_NHS,
  'reverse-transit-nhs': NHRP_EXT.REVERSE_TRANSIT_NHS,
  authentication: NHRP_EXT.AUTHENTICATION,
  'vendor-private': NHRP_EXT.VENDOR_PRIVATE,
};

function eigrp(row: Row, bytes: Uint8Array): void {
  const p = decodeEigrp(bytes);
  row.protocols.push('eigrp');
  row.add('eigrp.opcode', p.opcode);
  row.add('eigrp.checksum.status', status(p.checksumValid));
  row.add('eigrp.seq', p.sequence);
  row.add('eigrp.ack', p.ack);
  row.add('eigrp.as', p.as);
  row.add('eigrp.flags', hex(p.flags, 8));
  for (const t of p.tlvs) eigrpTlv(row, t);
}

function eigrpTlv(row: Row, t: EigrpTlv): void {
  row.add('eigrp.tlv_type', hex(t.kind === 'other' ? t.type : EIGRP_TLV_TYPE[t.kind], 4));
  if (t.kind === 'parameters') {
    row.add('eigrp.par.k1', t.k1);
    row.add('eigrp.par.k3', t.k3);
    row.add('eigrp.par.holdtime', t.holdTime);
  } else if (t.kind === 'software-version') {
    row.add('eigrp.release_version', t.release[0] * 256 + t.release[1]);
    row.add('eigrp.tlv_version', t.tlvVersion[0] * 256 + t.tlvVersion[1]);
  } else if (t.kind === 'ipv4-internal' || t.kind === 'ipv4-external') {
    row.add('eigrp.ipv4.nexthop', formatIpv4(t.nextHop));
    row.add('eigrp.old_metric.delay', t.metric.delay);
    row.add('eigrp.old_metric.bw', t.metric.bandwidth);
    row.add('eigrp.old_metric.mtu', t.metric.mtu);
    row.add('eigrp.old_metric.hopcount', t.metric.hopCount);
    row.add('eigrp.ipv4.prefixlen', t.prefixLength);
    row.add('eigrp.ipv4.destination', formatIpv4(t.destination));
  }
}

const EIGRP_TLV_TYPE: Readonly<Record<Exclude<EigrpTlv['kind'], 'other'>, number>> = {
  parameters: EIGRP_TLV.PARAMETERS,
  'software-version': EIGRP_TLV.SOFTWARE_VERSION,
  sequence: EIGRP_TLV.SEQUENCE,
  'next-multicast-sequence': EIGRP_TLV.NEXT_MULTICAST_SEQUENCE,
  authentication: EIGRP_TLV.AUTHENTICATION,
  'ipv4-internal': EIGRP_TLV.IPV4_INTERNAL,
  'ipv4-external': EIGRP_TLV.IPV4_EXTERNAL,
};

async function esp(row: Row, bytes: Uint8Array, sas: ReadonlyMap<number, EspSaKeys>): Promise<void> {
  const { spi, sequence } = peekEsp(bytes);
  row.protocols.push('esp');
  row.add('esp.spi', hex(spi, 8));
  row.add('esp.sequence', sequence);
  const sa = sas.get(spi);
  if (!sa) return;
  const opened = await openEsp(sa, bytes);
  if (!opened.ok) {
    row.add('esp.icv_good', opened.reason === 'icv' ? 0 : 1);
    return;
  }
  row.add('esp.icv_good', 1);
  row.add('esp.pad_len', opened.packet.ciphertext.length - opened.payload.length - 2);
  row.add('esp.protocol', hex(opened.nextHeader, 2));
  await ip(row, opened.payload, sas);
}
