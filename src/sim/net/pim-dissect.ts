/** PIMv2 dissector (IP protocol 103). Field names follow Wireshark's pim.*. */
import { toHex } from './bytes';
import { dataLayer, field, type Field, type Layer, registerIpProtocolDissector } from './dissect';
import { checksumText, hex, prefixText } from './dissect-helpers';
import { decodeIpv4Header, IP_PROTO } from './ipv4';
import { formatIpv4 } from './ipv4-address';
import {
  type DecodedPim,
  decodePim,
  type PimEncodedGroup,
  type PimEncodedSource,
  type PimHelloOption,
  type PimJoinPruneGroup,
  pimTitle,
} from './pim';

/** Fields and summary for a PIM type this file keeps raw, registered by the protocol that owns it (BSR: 4, 8). */
export interface PimBodyDissector {
  /** `at`: where the body starts in the frame (after the 4-byte PIM header). */
  fields(body: Uint8Array, at: number): Field[];
  detail(body: Uint8Array): string;
}

const bodyDissectors = new Map<number, PimBodyDissector>();

export function registerPimBodyDissector(type: number, d: PimBodyDissector): void {
  bodyDissectors.set(type, d);
}

const OPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'Hold Time',
  2: 'LAN Prune Delay',
  19: 'DR Priority',
  20: 'Generation ID',
  21: 'State-Refresh',
  22: 'Bidir Capable',
  24: 'Address List',
  65004: 'Cisco RPF Vector',
};

function groupFields(g: PimEncodedGroup, at: number): Field[] {
  const flags = [g.bidirectional ? 'B' : '', g.adminScope ? 'Z' : ''].filter(Boolean).join(' ');
  return [
    field('pim.group_addr.flags', 'Group Flags', flags || 'none', at + 2, at + 3),
    field('pim.group', 'Group', prefixText(g.address, g.maskLength), at + 3, at + 8),
  ];
}

function sourceFlags(s: PimEncodedSource): string {
  return [s.sparse ? 'S' : '', s.wildcard ? 'W' : '', s.rpt ? 'R' : ''].join('') || 'none';
}

function optionValueFields(o: PimHelloOption, at: number, end: number): Field[] {
  switch (o.kind) {
    case 'holdtime':
      return [field('pim.holdtime', 'Holdtime', o.holdtime, at, end)];
    case 'lan-prune-delay':
      return [
        field('pim.t', 'T', o.tBit ? 1 : 0, at, at + 1),
        field('pim.propagation_delay', 'Propagation Delay (ms)', o.propagationDelay, at, at + 2),
        field('pim.override_interval', 'Override Interval (ms)', o.overrideInterval, at + 2, at + 4),
      ];
    case 'dr-priority':
      return [field('pim.dr_priority', 'DR Priority', o.priority, at, end)];
    case 'generation-id':
      return [field('pim.generation_id', 'Generation ID', hex(o.generationId, 8), at, end)];
    case 'address-list':
      return o.addresses.map((a, i) =>
        field('pim.address_list', 'Address', formatIpv4(a), at + 6 * i, at + 6 * i + 6),
      );
    case 'other':
      return end > at ? [field('pim.optionvalue', 'Value', toHex(o.value, ' '), at, end)] : [];
  }
}

function helloFields(frame: Uint8Array, options: readonly PimHelloOption[], start: number): Field[] {
  let at = start;
  return options.flatMap((o) => {
    const type = ((frame[at] ?? 0) << 8) | (frame[at + 1] ?? 0);
    const length = ((frame[at + 2] ?? 0) << 8) | (frame[at + 3] ?? 0);
    const fields = [
      field('pim.optiontype', 'Type', `${OPTION_NAMES[type] ?? 'Unknown'} (${type})`, at, at + 2),
      field('pim.optionlength', 'Length', length, at + 2, at + 4),
      ...optionValueFields(o, at + 4, at + 4 + length),
    ];
    at += 4 + length;
    return fields;
  });
}

function joinPruneGroupFields(groups: readonly PimJoinPruneGroup[], start: number): Field[] {
  let at = start;
  return groups.flatMap((g) => {
    const fields = [
      ...groupFields(g.group, at),
      field('pim.numjoins', 'Num Joins', g.joins.length, at + 8, at + 10),
      field('pim.numprunes', 'Num Prunes', g.prunes.length, at + 10, at + 12),
    ];
    at += 12;
    for (const [name, label, list] of [
      ['pim.join_ip', 'Join', g.joins],
      ['pim.prune_ip', 'Prune', g.prunes],
    ] as const) {
      for (const s of list) {
        fields.push(
          field(name, label, `${prefixText(s.address, s.maskLength)} (${sourceFlags(s)})`, at, at + 8),
        );
        at += 8;
      }
    }
    return fields;
  });
}

/** IOS debug style: (*, G), (S, G) or (S, G, rpt). */
function entryText(s: PimEncodedSource, group: number): string {
  if (s.wildcard) return `(*,${formatIpv4(group)})`;
  return `(${formatIpv4(s.address)},${formatIpv4(group)}${s.rpt ? ',rpt' : ''})`;
}

function joinPruneDetail(m: Extract<DecodedPim, { kind: 'join-prune' }>): string {
  const joins = m.groups.flatMap((g) => g.joins.map((s) => entryText(s, g.group.address)));
  const prunes = m.groups.flatMap((g) => g.prunes.map((s) => entryText(s, g.group.address)));
  const parts = [`to ${formatIpv4(m.upstreamNeighbor)}`];
  if (joins.length) parts.push(`join ${joins.join(' ')}`);
  if (prunes.length) parts.push(`prune ${prunes.join(' ')}`);
  return parts.join(' ');
}

function helloDetail(options: readonly PimHelloOption[]): string {
  return options
    .map((o) => {
      if (o.kind === 'holdtime') return `holdtime=${o.holdtime}`;
      if (o.kind === 'dr-priority') return `dr-priority=${o.priority}`;
      return '';
    })
    .filter(Boolean)
    .join(' ');
}

function registeredDetail(packet: Uint8Array): string {
  try {
    const h = decodeIpv4Header(packet).header;
    return `for ${formatIpv4(h.source)} > ${formatIpv4(h.destination)}`;
  } catch {
    return '';
  }
}

function bodyFields(ctx: { frame: Uint8Array }, m: DecodedPim, s: number, end: number): Field[] {
  switch (m.kind) {
    case 'hello':
      return helloFields(ctx.frame, m.options, s + 4);
    case 'register':
      return [
        field('pim.register_flag.border', 'Border', m.border ? 1 : 0, s + 4, s + 5),
        field('pim.register_flag.null_register', 'Null-Register', m.nullRegister ? 1 : 0, s + 4, s + 5),
      ];
    case 'register-stop':
      return [
        ...groupFields(m.group, s + 4),
        field('pim.source', 'Source', formatIpv4(m.source), s + 12, s + 18),
      ];
    case 'join-prune':
      return [
        field('pim.upstream_neighbor', 'Upstream-neighbor', formatIpv4(m.upstreamNeighbor), s + 4, s + 10),
        field('pim.numgroups', 'Num Groups', m.groups.length, s + 11, s + 12),
        field('pim.holdtime', 'Holdtime', m.holdtime, s + 12, s + 14),
        ...joinPruneGroupFields(m.groups, s + 14),
      ];
    case 'assert':
      return [
        ...groupFields(m.group, s + 4),
        field('pim.source', 'Source', formatIpv4(m.source), s + 12, s + 18),
        field('pim.rpt', 'RP Tree', m.rpt ? 1 : 0, s + 18, s + 19),
        field('pim.metric_pref', 'Metric Preference', m.metricPreference, s + 18, s + 22),
        field('pim.metric', 'Metric', m.metric, s + 22, s + 26),
      ];
    case 'other': {
      const owner = bodyDissectors.get(m.type);
      if (owner) return owner.fields(m.body, s + 4);
      return end > s + 4 ? [field('pim.data', 'Data', toHex(m.body, ' '), s + 4, end)] : [];
    }
  }
}

function infoDetail(m: DecodedPim): string {
  switch (m.kind) {
    case 'hello':
      return helloDetail(m.options);
    case 'register':
      return registeredDetail(m.packet);
    case 'register-stop':
      return `for ${formatIpv4(m.source)} > ${formatIpv4(m.group.address)}`;
    case 'join-prune':
      return joinPruneDetail(m);
    case 'assert':
      return `(${formatIpv4(m.source)},${formatIpv4(m.group.address)})${m.rpt ? ' rpt' : ''} [${m.metricPreference}/${m.metric}]`;
    case 'other':
      return bodyDissectors.get(m.type)?.detail(m.body) ?? '';
  }
}

registerIpProtocolDissector(IP_PROTO.PIM, (ctx) => {
  const m = decodePim(ctx.bytes);
  const s = ctx.start;
  const title = pimTitle(m);
  const isRegister = m.kind === 'register';
  const detail = infoDetail(m);
  const layer: Layer = {
    protocol: 'pim',
    title: `Protocol Independent Multicast (${title})`,
    start: s,
    end: isRegister ? s + 8 : ctx.end,
    fields: [
      field('pim.version', 'Version', m.version, s, s + 1),
      field('pim.type', 'Type', `${title} (${(ctx.bytes[0] ?? 0) & 0x0f})`, s, s + 1),
      field('pim.cksum', 'Checksum', checksumText(m.checksum, m.checksumValid), s + 2, s + 4),
      ...bodyFields(ctx, m, s, ctx.end),
    ],
    info: { name: `PIM ${title}`, ...(detail ? { detail } : {}) },
    ...(m.checksumValid ? {} : { warnings: ['bad PIM checksum'] }),
  };
  if (!isRegister || ctx.end <= s + 8) return [layer];
  // A Null-Register carries only a dummy header: shown raw so the summary stays 'PIM Null-Register ...'.
  if (m.nullRegister) return [layer, dataLayer(ctx.frame, s + 8, ctx.end, 'Null-Register dummy IP header')];
  return [layer, ...ctx.dissectIp(s + 8, ctx.end)];
});
