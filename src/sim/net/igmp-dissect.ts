/**
 * IGMP dissector (IP protocol 2), including PIMv1 messages riding in IGMP type 0x14. Field names follow
 * Wireshark's igmp.* and, for PIMv1, pim.*.
 */
import { toHex } from './bytes';
import { field, type Field, type Layer, registerIpProtocolDissector } from './dissect';
import { checksumText, hex } from './dissect-helpers';
import { type DecodedIgmp, decodeIgmp, type IgmpGroupRecord, igmpTitle } from './igmp';
import { IP_PROTO } from './ipv4';
import { formatIpv4, lengthFromMask } from './ipv4-address';

function sourceFields(sources: readonly number[], at: number): Field[] {
  return sources.map((a, i) =>
    field('igmp.saddr', 'Source Address', formatIpv4(a), at + 4 * i, at + 4 * i + 4),
  );
}

function recordFields(records: readonly IgmpGroupRecord[], start: number): Field[] {
  let at = start;
  return records.flatMap((g) => {
    const fields = [
      field('igmp.record_type', 'Record Type', g.type, at, at + 1),
      field('igmp.aux_data_len', 'Aux Data Len', g.auxData.length / 4, at + 1, at + 2),
      field('igmp.num_src', 'Num Src', g.sources.length, at + 2, at + 4),
      field('igmp.maddr', 'Multicast Address', formatIpv4(g.group), at + 4, at + 8),
      ...sourceFields(g.sources, at + 8),
    ];
    at += 8 + 4 * g.sources.length + g.auxData.length;
    return fields;
  });
}

function bodyFields(m: DecodedIgmp, s: number, end: number): Field[] {
  switch (m.kind) {
    case 'query':
      return [
        field(
          'igmp.max_resp',
          'Max Resp Time',
          `${m.maxResponseTime / 10} sec (${hex(m.maxResponseTime, 2)})`,
          s + 1,
          s + 2,
        ),
        field('igmp.maddr', 'Multicast Address', formatIpv4(m.group), s + 4, s + 8),
      ];
    case 'v3-query':
      return [
        field('igmp.max_resp', 'Max Resp Code', m.maxResponseCode, s + 1, s + 2),
        field('igmp.maddr', 'Multicast Address', formatIpv4(m.group), s + 4, s + 8),
        field('igmp.s', 'S', m.suppressRouterSide ? 1 : 0, s + 8, s + 9),
        field('igmp.qrv', 'QRV', m.robustness, s + 8, s + 9),
        field('igmp.qqic', 'QQIC', m.queryIntervalCode, s + 9, s + 10),
        field('igmp.num_src', 'Num Src', m.sources.length, s + 10, s + 12),
        ...sourceFields(m.sources, s + 12),
      ];
    case 'v1-report':
    case 'v2-report':
    case 'leave':
      return [field('igmp.maddr', 'Multicast Address', formatIpv4(m.group), s + 4, s + 8)];
    case 'v3-report':
      return [
        field('igmp.num_grp_recs', 'Num Group Records', m.records.length, s + 6, s + 8),
        ...recordFields(m.records, s + 8),
      ];
    case 'pimv1-rp-reachable':
      return [field('pim.code', 'PIMv1 Code', 'RP-Reachable (4)', s + 1, s + 2)];
    case 'pimv1':
      return [field('pim.code', 'PIMv1 Code', m.code, s + 1, s + 2)];
    case 'other':
      return [field('igmp.data', 'Data', toHex(m.body, ' ') || '(empty)', s + 4, end)];
  }
}

function pimV1Layer(m: DecodedIgmp, s: number, end: number): Layer[] {
  if (m.kind === 'pimv1')
    return [
      {
        protocol: 'pim',
        title: `Protocol Independent Multicast v1 (code ${m.code})`,
        start: s + 4,
        end,
        fields: [field('pim.data', 'Data', toHex(m.body, ' ') || '(empty)', s + 4, end)],
      },
    ];
  if (m.kind !== 'pimv1-rp-reachable') return [];
  const maskLength = lengthFromMask(m.groupMask);
  const group = `${formatIpv4(m.group)}${maskLength !== undefined ? `/${maskLength}` : ` mask ${formatIpv4(m.groupMask)}`}`;
  return [
    {
      protocol: 'pim',
      title: 'Protocol Independent Multicast v1 (RP-Reachable)',
      start: s + 4,
      end,
      fields: [
        field('pim.version', 'Version', 1, s + 4, s + 5),
        field('pim.group_address', 'Group Address', formatIpv4(m.group), s + 8, s + 12),
        field('pim.group_mask', 'Group Address Mask', formatIpv4(m.groupMask), s + 12, s + 16),
        field('pim.rp', 'RP Address', formatIpv4(m.rp), s + 16, s + 20),
        field('pim.holdtime', 'Holdtime', m.holdtime, s + 22, s + 24),
      ],
      info: {
        name: 'PIMv1 RP-Reachable',
        detail: `group ${group} RP ${formatIpv4(m.rp)} holdtime ${m.holdtime}`,
      },
    },
  ];
}

function infoDetail(m: DecodedIgmp): string {
  switch (m.kind) {
    case 'query':
    case 'v3-query':
      return m.group === 0 ? 'general' : `group ${formatIpv4(m.group)}`;
    case 'v1-report':
    case 'v2-report':
    case 'leave':
      return `group ${formatIpv4(m.group)}`;
    case 'v3-report':
      return m.records.map((g) => `${formatIpv4(g.group)}(${g.type})`).join(' ');
    default:
      return '';
  }
}

registerIpProtocolDissector(IP_PROTO.IGMP, (ctx) => {
  const m = decodeIgmp(ctx.bytes);
  const s = ctx.start;
  const title = igmpTitle(m);
  const inner = pimV1Layer(m, s, ctx.end);
  const detail = infoDetail(m);
  const layer: Layer = {
    protocol: 'igmp',
    title: `Internet Group Management Protocol (${title})`,
    start: s,
    end: inner.length > 0 ? s + 4 : ctx.end,
    fields: [
      field('igmp.type', 'Type', `${title} (${hex(ctx.bytes[0] ?? 0, 2)})`, s, s + 1),
      field('igmp.checksum', 'Checksum', checksumText(m.checksum, m.checksumValid), s + 2, s + 4),
      ...bodyFields(m, s, ctx.end),
    ],
    info: { name: `IGMP ${title}`, ...(detail ? { detail } : {}) },
    ...(m.checksumValid ? {} : { warnings: ['bad IGMP checksum'] }),
  };
  return [layer, ...inner];
});
