/** EIGRP dissector (IP protocol 88). Field names follow Wireshark's eigrp.*. */
import { toHex } from './bytes';
import { field, type Field, type Layer, registerIpProtocolDissector } from './dissect';
import { checksumText, hex, prefixText } from './dissect-helpers';
import { decodeEigrp, EIGRP_FLAG, type EigrpMetric, type EigrpTlv, eigrpTitle } from './eigrp';
import { IP_PROTO } from './ipv4';
import { formatIpv4 } from './ipv4-address';

const TLV_NAMES: Readonly<Record<number, string>> = {
  0x0001: 'Parameters',
  0x0002: 'Authentication',
  0x0003: 'Sequence',
  0x0004: 'Software Version',
  0x0005: 'Next Multicast Sequence',
  0x0102: 'Internal Route (IPv4)',
  0x0103: 'External Route (IPv4)',
};

export function eigrpFlagsText(flags: number): string {
  const names = Object.entries(EIGRP_FLAG)
    .filter(([, bit]) => flags & bit)
    .map(([name]) => name);
  return names.join(' ');
}

function metricFields(m: EigrpMetric, at: number): Field[] {
  return [
    field(
      'eigrp.old_metric.delay',
      'Scaled Delay',
      m.delay === 0xffffffff ? 'Infinity (unreachable)' : m.delay,
      at,
      at + 4,
    ),
    field('eigrp.old_metric.bw', 'Scaled BW', m.bandwidth, at + 4, at + 8),
    field('eigrp.old_metric.mtu', 'MTU', m.mtu, at + 8, at + 11),
    field('eigrp.old_metric.hopcount', 'Hop Count', m.hopCount, at + 11, at + 12),
    field('eigrp.old_metric.rel', 'Reliability', m.reliability, at + 12, at + 13),
    field('eigrp.old_metric.load', 'Load', m.load, at + 13, at + 14),
    field('eigrp.old_metric.intag', 'Internal Tag', m.tag, at + 14, at + 15),
    field('eigrp.metric.flags', 'Flags', hex(m.flags, 2), at + 15, at + 16),
  ];
}

function destinationFields(destination: number, prefixLength: number, at: number, end: number): Field[] {
  return [
    field('eigrp.ipv4.prefixlen', 'Prefix Length', prefixLength, at, at + 1),
    field('eigrp.ipv4.destination', 'Destination', prefixText(destination, prefixLength), at + 1, end),
  ];
}

/** Fields of one TLV's value, which spans [at, end). */
function tlvValueFields(t: EigrpTlv, at: number, end: number): Field[] {
  switch (t.kind) {
    case 'parameters':
      return [
        ...(['k1', 'k2', 'k3', 'k4', 'k5', 'k6'] as const).map((k, i) =>
          field(`eigrp.par.${k}`, k.toUpperCase(), t[k], at + i, at + i + 1),
        ),
        field('eigrp.par.holdtime', 'Hold Time', t.holdTime, at + 6, at + 8),
      ];
    case 'software-version':
      return [
        field('eigrp.release_version', 'EIGRP Release', t.release.join('.'), at, at + 2),
        field('eigrp.tlv_version', 'EIGRP TLV version', t.tlvVersion.join('.'), at + 2, at + 4),
      ];
    case 'sequence':
      return t.addresses.map((a, i) =>
        field('eigrp.seq.ipv4addr', 'IP Address', formatIpv4(a), at + 5 * i + 1, at + 5 * i + 5),
      );
    case 'next-multicast-sequence':
      return [field('eigrp.next_mcast_seq', 'Multicast Sequence', t.sequence, at, at + 4)];
    case 'authentication':
      return [field('eigrp.auth', 'Authentication data', toHex(t.value, ' '), at, end)];
    case 'other':
      return [field('eigrp.tlv.value', 'Value', toHex(t.value, ' ') || '(empty)', at, end)];
    case 'ipv4-internal':
      return [
        field('eigrp.ipv4.nexthop', 'NextHop', formatIpv4(t.nextHop), at, at + 4),
        ...metricFields(t.metric, at + 4),
        ...destinationFields(t.destination, t.prefixLength, at + 20, end),
      ];
    case 'ipv4-external': {
      const e = t.external;
      return [
        field('eigrp.ipv4.nexthop', 'NextHop', formatIpv4(t.nextHop), at, at + 4),
        field('eigrp.extdata.origrid', 'Originating Router', formatIpv4(e.originatingRouter), at + 4, at + 8),
        field('eigrp.extdata.as', 'Originating A.S.', e.originatingAs, at + 8, at + 12),
        field('eigrp.extdata.tag', 'Arbitrary Tag', e.tag, at + 12, at + 16),
        field('eigrp.extdata.metric', 'External Protocol Metric', e.externalMetric, at + 16, at + 20),
        field('eigrp.extdata.proto', 'External Protocol ID', e.protocol, at + 22, at + 23),
        ...metricFields(t.metric, at + 24),
        ...destinationFields(t.destination, t.prefixLength, at + 40, end),
      ];
    }
  }
}

function routeCount(tlvs: readonly EigrpTlv[]): number {
  return tlvs.filter((t) => t.kind === 'ipv4-internal' || t.kind === 'ipv4-external').length;
}

registerIpProtocolDissector(IP_PROTO.EIGRP, (ctx) => {
  const p = decodeEigrp(ctx.bytes);
  const s = ctx.start;
  const title = eigrpTitle(p);
  const flags = eigrpFlagsText(p.flags);
  const fields = [
    field('eigrp.version', 'Version', p.version, s, s + 1),
    field('eigrp.opcode', 'Opcode', `${title} (${p.opcode})`, s + 1, s + 2),
    field('eigrp.checksum', 'Checksum', checksumText(p.checksum, p.checksumValid), s + 2, s + 4),
    field('eigrp.flags', 'Flags', `${hex(p.flags, 8)}${flags ? ` (${flags})` : ''}`, s + 4, s + 8),
    field('eigrp.seq', 'Sequence', p.sequence, s + 8, s + 12),
    field('eigrp.ack', 'Acknowledge', p.ack, s + 12, s + 16),
    field('eigrp.vrid', 'Virtual Router ID', p.vrid, s + 16, s + 18),
    field('eigrp.as', 'Autonomous System', p.as, s + 18, s + 20),
  ];
  let at = s + 20;
  for (const t of p.tlvs) {
    const type = ((ctx.frame[at] ?? 0) << 8) | (ctx.frame[at + 1] ?? 0);
    const length = ((ctx.frame[at + 2] ?? 0) << 8) | (ctx.frame[at + 3] ?? 0);
    fields.push(
      field('eigrp.tlv_type', 'Type', `${TLV_NAMES[type] ?? 'Unknown'} (${hex(type)})`, at, at + 2),
    );
    fields.push(field('eigrp.tlv.len', 'Length', length, at + 2, at + 4));
    fields.push(...tlvValueFields(t, at + 4, at + length));
    at += length;
  }
  const routes = routeCount(p.tlvs);
  const detail = [
    `AS ${p.as}`,
    p.sequence ? `seq=${p.sequence}` : '',
    p.ack ? `ack=${p.ack}` : '',
    flags,
    routes ? `routes=${routes}` : '',
  ];
  const layer: Layer = {
    protocol: 'eigrp',
    title: `Cisco EIGRP (${title})`,
    start: s,
    end: ctx.end,
    fields,
    info: { name: `EIGRP ${title}`, detail: detail.filter(Boolean).join(' ') },
    ...(p.checksumValid ? {} : { warnings: ['bad EIGRP checksum'] }),
  };
  return [layer];
});
