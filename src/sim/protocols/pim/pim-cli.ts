import { optIntParam, optStrParam } from '../../config/context';
import type { Router } from '../../device/router';
import { interfaceKind } from '../../device/interface-state';
import type { DebugOption, ExecCommand } from '../../cli/exec-types';
import { iosDuration } from '../../cli/ios-time';
import { formatIpv4, type Ipv4, lengthFromMask } from '../../net/ipv4-address';
import { formatPrefix } from '../../net/prefix';
import { AUTORP_DISCOVERY_GROUP } from '../../net/autorp';
import { igmpOf } from '../igmp/igmp-service';
import {
  DEBUG_IGMP,
  IGMP_MAX_RESPONSE,
  IGMP_QUERIER_TIMEOUT,
  IGMP_QUERY_INTERVAL,
  LAST_MEMBER_INTERVAL_MS,
  LAST_MEMBER_QUERIES,
} from '../igmp/igmp-service';
import { HELLO_PERIOD } from './hello';
import { entryFlags, entryName, type MrouteEntry, type OutgoingInterface } from './mroute-table';
import { DEBUG_AUTORP, DEBUG_PIM } from './pim-core';
import { pimOf as pim, type PimService } from './pim-service';
import type { RpMapping } from './rp';
import { showIpRpf } from './rpf';
import {
  expiresText,
  modeName,
  showIpIgmpGroupsDetail,
  showIpMfib,
  showIpMrouteStatic,
  showIpPimInterfaceDetail,
  showIpPimRp,
} from './multicast-show';

// ---- show ip pim rp mapping -------------------------------------------------------------------------------

/** `via Auto-RP`, or for BSR `via bootstrap, priority 0, holdtime 150` (NetworkLessons, "Multicast PIM Bootstrap (BSR)"). */
function viaText(m: RpMapping, elected: boolean): string {
  if (m.origin === 'bsr') return `via bootstrap, priority ${m.priority ?? 0}, holdtime ${m.holdtime ?? 0}`;
  return `${elected ? 'elected ' : ''}via Auto-RP`;
}

function mappingLines(router: Router, m: RpMapping, elected: boolean): string[] {
  const version = m.pimVersion === 3 ? 'v2v1' : m.pimVersion === 1 ? 'v1' : 'v2';
  return [
    `  RP ${formatIpv4(m.rp)} (?), ${version}`,
    `    Info source: ${formatIpv4(m.infoSource ?? m.rp)} (?), ${viaText(m, elected)}`,
    `         Uptime: ${iosDuration(router.kernel.now - m.since)}, expires: ${expiresText(router, m.expires)}`,
  ];
}

/** `show ip pim rp mapping` in the article's layout (and published IOS output). */
export function showIpPimRpMapping(router: Router): string {
  const p = pim(router);
  const lines = ['PIM Group-to-RP Mappings'];
  const cfg = router.config.pim;
  if (p.autorp.isCandidateRp) lines.push('This system is an RP (Auto-RP)');
  if (p.autorp.isMappingAgent && cfg.sendRpDiscovery)
    lines.push(`This system is an RP-mapping agent (${cfg.sendRpDiscovery.interface})`);
  const rows: { mapping: RpMapping; elected: boolean }[] = p.autorp.isMappingAgent
    ? p.autorp.candidateMappings()
    : p.autorp.activeMappings().map((m) => ({ mapping: m, elected: true }));
  let blankLine = false;
  for (const source of p.rpMappingSources()) {
    const shown = source.rpMappingShow();
    lines.push(...shown.headers);
    rows.push(...shown.mappings.map((m) => ({ mapping: m, elected: true })));
    blankLine ||= shown.headers.length + shown.mappings.length > 0;
  }
  // With BSR, IOS leaves a blank line before the first range (NetworkLessons, "Multicast PIM Bootstrap (BSR)").
  if (blankLine) lines.push('');
  const byRange = new Map<string, { mapping: RpMapping; elected: boolean }[]>();
  for (const r of rows.sort(
    (a, b) => a.mapping.prefix.network - b.mapping.prefix.network || b.mapping.rp - a.mapping.rp,
  )) {
    const k = `${r.mapping.negative ? '(-)' : ''}${formatPrefix(r.mapping.prefix)}`;
    byRange.set(k, [...(byRange.get(k) ?? []), r]);
  }
  for (const [range, list] of byRange) {
    lines.push(`Group(s) ${range}`);
    for (const r of list) lines.push(...mappingLines(router, r.mapping, r.elected));
  }
  for (const s of p.staticRps()) {
    const m = s.mapping;
    const kind = m.override ? 'Static-Override' : 'Static';
    lines.push(
      m.acl !== undefined ? `Acl: ${m.acl}, ${kind}` : `Group(s): ${formatPrefix(m.prefix)}, ${kind}`,
    );
    lines.push(`    RP: ${formatIpv4(m.rp)} (?)`);
  }
  return lines.join('\n');
}

// ---- neighbours and interfaces ----------------------------------------------------------------------------

export function showIpPimNeighbor(router: Router): string {
  const p = pim(router);
  const lines = [
    'PIM Neighbor Table',
    'Mode: B - Bidir Capable, DR - Designated Router, N - Default DR Priority,',
    '      P - Proxy Capable, S - State Refresh Capable, G - GenID Capable,',
    '      L - DR Load-balancing Capable',
    'Neighbor          Interface                Uptime/Expires    Ver   DR',
    'Address                                                            Prio/Mode',
  ];
  const nbrs = p.neighbors
    .all()
    .sort((a, b) => a.interface.localeCompare(b.interface) || a.address - b.address);
  for (const n of nbrs) {
    const letters = [
      p.neighbors.dr(n.interface) === n.address ? 'DR' : '',
      n.drPriority === undefined ? 'N' : '',
      n.optionTypes.has(22) ? 'B' : '',
      n.optionTypes.has(21) ? 'S' : '',
      n.optionTypes.has(65004) ? 'P' : '',
      n.optionTypes.has(20) ? 'G' : '',
    ].filter((x) => x !== '');
    const times = `${iosDuration(router.kernel.now - n.since)}/${iosDuration(n.timer.remaining ?? 0)}`;
    lines.push(
      formatIpv4(n.address).padEnd(18) +
        n.interface.padEnd(25) +
        times.padEnd(18) +
        'v2'.padEnd(6) +
        `${String(n.drPriority ?? 1).padEnd(2)}/ ${letters.join(' ')}`,
    );
  }
  return lines.join('\n');
}

function modeLetter(router: Router, ifName: string): string {
  const m = router.interfaceConfig(ifName)?.pim.mode;
  return m === 'dense' ? 'D' : m === 'sparse-dense' ? 'SD' : 'S';
}

export function showIpPimInterface(router: Router, only?: string): string {
  const p = pim(router);
  const lines = [
    'Address          Interface                Ver/   Nbr    Query  DR         DR',
    '                                          Mode   Count  Intvl  Prior',
  ];
  for (const ifName of p.pimInterfaces()) {
    if (only !== undefined && ifName !== only) continue;
    const cfg = router.interfaceConfig(ifName);
    lines.push(
      formatIpv4(cfg?.address?.address ?? 0).padEnd(17) +
        ifName.padEnd(25) +
        `v2/${modeLetter(router, ifName)}`.padEnd(7) +
        String(p.neighbors.countOn(ifName)).padEnd(7) +
        String(cfg?.pim.queryInterval ?? HELLO_PERIOD).padEnd(7) +
        String(cfg?.pim.drPriority ?? 1).padEnd(11) +
        formatIpv4(p.neighbors.dr(ifName) ?? 0),
    );
  }
  return lines.join('\n');
}

export function showIpPimAutorp(router: Router): string {
  const p = pim(router);
  const s = p.autorp.stats;
  const joined = p.autoJoins().find((j) => j.group === AUTORP_DISCOVERY_GROUP);
  const lines = [
    'AutoRP Information:',
    `  AutoRP is ${p.enabled ? 'enabled' : 'disabled'}.`,
    '  RP Discovery packet MTU is 1500.',
  ];
  if (joined) lines.push(`  224.0.1.40 is joined on ${joined.interface}.`);
  if (router.config.pim.autorpListener) lines.push('  AutoRP groups over sparse mode interface is enabled');
  lines.push(
    '',
    'PIM AutoRP Statistics: Sent/Received',
    `  RP Announce: ${s.announceSent}/${s.announceReceived}, RP Discovery: ${s.discoverySent}/${s.discoveryReceived}`,
  );
  return lines.join('\n');
}

// ---- show ip mroute ---------------------------------------------------------------------------------------

const MROUTE_LEGEND = [
  'IP Multicast Routing Table',
  'Flags: D - Dense, S - Sparse, B - Bidir Group, s - SSM Group, C - Connected,',
  '       L - Local, P - Pruned, R - RP-bit set, F - Register flag,',
  '       T - SPT-bit set, J - Join SPT, M - MSDP created entry, E - Extranet,',
  '       X - Proxy Join Timer Running, A - Candidate for MSDP Advertisement,',
  '       U - URD, I - Received Source Specific Host Report,',
  '       Z - Multicast Tunnel, z - MDT-data group sender,',
  '       Y - Joined MDT-data group, y - Sending to MDT-data group',
  'Outgoing interface flags: H - Hardware switched, A - Assert winner',
  ' Timers: Uptime/Expires',
  ' Interface state: Interface, Next-Hop or VCD, State/Mode',
];

function oifLine(router: Router, o: OutgoingInterface): string {
  const hop = o.nextHop !== undefined ? `${formatIpv4(o.nextHop)}, ` : '';
  const times = `${iosDuration(router.kernel.now - o.since)}/${expiresText(router, o.expires)}`;
  const flags = o.assertWinner === true ? ', A' : '';
  return `    ${o.interface}, ${hop}Forward/${modeName(router, o.interface)}, ${times}${flags}`;
}

function entryExpires(e: MrouteEntry): number | undefined {
  if (e.source !== undefined) return e.keepaliveUntil;
  const timers = [...e.oil.values()].map((o) => o.expires).filter((t): t is number => t !== undefined);
  return timers.length > 0 ? Math.max(...timers) : undefined;
}

function entryLines(router: Router, p: PimService, e: MrouteEntry): string[] {
  const times = `${iosDuration(router.kernel.now - e.since)}/${expiresText(router, entryExpires(e))}`;
  const rp = e.source === undefined ? `, RP ${formatIpv4(e.rp ?? 0)}` : '';
  const iif = p.shownIncoming(e);
  const mroute = iif?.kind === 'static-mroute' ? ', Mroute' : '';
  const registering = e.registering ? ', Registering' : '';
  const lines = [
    `${entryName(e)}, ${times}${rp}, flags: ${entryFlags(e)}`,
    `  Incoming interface: ${iif?.interface ?? 'Null'}, RPF nbr ${formatIpv4(iif?.neighbor ?? 0)}${mroute}${registering}`,
  ];
  if (e.oil.size === 0) lines.push('  Outgoing interface list: Null');
  else {
    lines.push('  Outgoing interface list:');
    for (const o of [...e.oil.values()].sort((a, b) => a.interface.localeCompare(b.interface)))
      lines.push(oifLine(router, o));
  }
  return lines;
}

/**
 * `show ip mroute [GROUP [SOURCE]]`: the legend, then the entries; with a source only that (S,G) (Cisco IP
 * Multicast Command Reference, "show ip mroute": `show ip mroute [group-address] [source-address]`).
 */
export function showIpMroute(router: Router, group?: Ipv4, source?: Ipv4): string {
  const p = pim(router);
  if (!p.enabled) return '';
  const entries = p.mroutes
    .all()
    .filter((e) => group === undefined || e.group === group)
    .filter((e) => source === undefined || e.source === source);
  const out = [...MROUTE_LEGEND, ''];
  for (const e of entries) out.push(...entryLines(router, p, e), '');
  return out.join('\n').replace(/\n+$/, '');
}

/** `Forwarding: pkts/pps/avg size/kbps, Other: total/RPF failed/other drops` for one entry. */
function countFields(e: MrouteEntry): string {
  const size = e.packetsForwarded > 0 ? Math.round(e.bytesForwarded / e.packetsForwarded) : 0;
  const total = e.packetsReceived + e.rpfFailures;
  // Accepted packets sent out no interface are counted as "other drops" (OIF-null).
  const other = Math.max(0, e.packetsReceived - e.packetsForwarded);
  return `Forwarding: ${e.packetsForwarded}/0/${size}/0, Other: ${total}/${e.rpfFailures}/${other}`;
}

export function showIpMrouteCount(router: Router, group?: Ipv4): string {
  const p = pim(router);
  const entries = p.mroutes.all().filter((e) => group === undefined || e.group === group);
  const groups = [...new Set(entries.map((e) => e.group))];
  const sources = entries.filter((e) => e.source !== undefined).length;
  const avg = groups.length === 0 ? 0 : sources / groups.length;
  const lines = [
    'IP Multicast Statistics',
    `${entries.length} routes using ${entries.length * 608} bytes of memory`,
    `${groups.length} groups, ${avg.toFixed(2)} average sources per group`,
    'Forwarding Counts: Pkt Count/Pkts per second/Avg Pkt Size/Kilobits per second',
    'Other counts: Total/RPF failed/Other drops(OIF-null, rate-limit etc)',
  ];
  for (const g of groups) {
    const star = p.mroutes.get(undefined, g);
    const srcs = p.mroutes.sources(g);
    const all = star ? [star, ...srcs] : srcs;
    const fwd = all.reduce((a, e) => a + e.packetsForwarded, 0);
    const rcv = all.reduce((a, e) => a + e.packetsReceived + e.rpfFailures, 0);
    lines.push(
      '',
      `Group: ${formatIpv4(g)}, Source count: ${srcs.length}, Packets forwarded: ${fwd}, Packets received: ${rcv}`,
    );
    // IOS counts packets switched down the shared tree on the RP-tree line, and RPF failures where no (S,G)
    // exists yet against it; each source has its own line (Total/RPF failed/Other drops).
    if (star) lines.push(`  RP-tree: ${countFields(star)}`);
    for (const e of srcs) lines.push(`  Source: ${formatIpv4(e.source ?? 0)}/32, ${countFields(e)}`);
  }
  return lines.join('\n');
}

// ---- IGMP -------------------------------------------------------------------------------------------------

export function showIpIgmpGroups(router: Router, group?: Ipv4): string {
  const igmp = igmpOf(router);
  const lines = [
    'IGMP Connected Group Membership',
    'Group Address    Interface                Uptime    Expires   Last Reporter   Group Accounted',
  ];
  const ms = igmp
    .routerMemberships()
    .filter((m) => group === undefined || m.group === group)
    .sort((a, b) => b.group - a.group || a.interface.localeCompare(b.interface));
  for (const m of ms) {
    lines.push(
      formatIpv4(m.group).padEnd(17) +
        m.interface.padEnd(25) +
        iosDuration(router.kernel.now - m.since).padEnd(10) +
        expiresText(router, m.expires).padEnd(10) +
        formatIpv4(m.lastReporter),
    );
  }
  return lines.join('\n');
}

export function showIpIgmpInterface(router: Router, only?: string): string {
  const igmp = igmpOf(router);
  const p = pim(router);
  const out: string[] = [];
  for (const cfg of router.config.interfaces) {
    if (only !== undefined && cfg.name !== only) continue;
    if (!cfg.address) continue;
    const st = router.interfaceState(cfg.name);
    out.push(`${cfg.name} is ${st.status}, line protocol is ${st.protocol}`);
    out.push(
      `  Internet address is ${formatIpv4(cfg.address.address)}/${lengthFromMask(cfg.address.mask) ?? 32}`,
    );
    if (!igmp.enabledOn(cfg.name)) {
      out.push('  IGMP is disabled on interface', '  Multicast routing is disabled on interface');
      continue;
    }
    const v = igmp.version(cfg.name);
    const q = igmp.querierOf(cfg.name);
    const act = igmp.activity(cfg.name);
    const own = cfg.address.address;
    const dr = p.neighbors.dr(cfg.name) ?? own;
    const joined = igmp
      .hostMemberships()
      .filter((h) => h.interface === cfg.name)
      .map((h) => `${formatIpv4(h.group)}(1)`);
    out.push(
      '  IGMP is enabled on interface',
      `  Current IGMP host version is ${v}`,
      `  Current IGMP router version is ${v}`,
      `  IGMP query interval is ${IGMP_QUERY_INTERVAL} seconds`,
      `  IGMP configured query interval is ${IGMP_QUERY_INTERVAL} seconds`,
      `  IGMP querier timeout is ${IGMP_QUERIER_TIMEOUT} seconds`,
      `  IGMP configured querier timeout is ${IGMP_QUERIER_TIMEOUT} seconds`,
      `  IGMP max query response time is ${IGMP_MAX_RESPONSE} seconds`,
      `  Last member query count is ${LAST_MEMBER_QUERIES}`,
      `  Last member query response interval is ${LAST_MEMBER_INTERVAL_MS} ms`,
      '  Inbound IGMP access group is not set',
      `  IGMP activity: ${act.joins} joins, ${act.leaves} leaves`,
      '  Multicast routing is enabled on interface',
      '  Multicast TTL threshold is 0',
      `  Multicast designated router (DR) is ${formatIpv4(dr)}${dr === own ? ' (this system)' : ''}`,
    );
    if (interfaceKind(cfg.name) !== 'loopback' || q) {
      const qa = q?.address ?? own;
      out.push(`  IGMP querying router is ${formatIpv4(qa)}${qa === own ? ' (this system)' : ''}`);
    }
    if (joined.length > 0)
      out.push('  Multicast groups joined by this system (number of users):', `      ${joined.join('  ')}`);
    else out.push('  No multicast groups joined by this system');
  }
  return out.join('\n');
}

// ---- commands ---------------------------------------------------------------------------------------------

const SHOW = { show: 'Show running system information', ip: 'IP information' };
const PIM_HELP = { ...SHOW, pim: 'PIM information' };
const BOTH = ['user', 'privileged'] as const;

/** `show ip pim …`, `show ip mroute …`, `show ip rpf`, `show ip igmp …` (appended to EXEC_COMMANDS). */
export const MULTICAST_COMMANDS: ExecCommand[] = [
  {
    modes: BOTH,
    syntax: 'show ip pim rp mapping',
    help: { ...PIM_HELP, rp: 'PIM Rendezvous Point (RP) information', mapping: 'Show group-to-RP mappings' },
    run: (c) => c.out.push(showIpPimRpMapping(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show ip pim rp [<address:ipv4>]',
    help: {
      ...PIM_HELP,
      rp: 'PIM Rendezvous Point (RP) information',
      address: 'IP name or address of Rendezvous Point',
    },
    run: (c, m) => c.out.push(showIpPimRp(c.router, optIntParam(m, 'address'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip pim neighbor',
    help: { ...PIM_HELP, neighbor: 'PIM neighbor information' },
    run: (c) => c.out.push(showIpPimNeighbor(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show ip pim interface [<iface:interface>]',
    help: { ...PIM_HELP, interface: 'PIM interface information' },
    run: (c, m) => c.out.push(showIpPimInterface(c.router, optStrParam(m, 'iface'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip pim interface [<iface:interface>] detail',
    help: { ...PIM_HELP, interface: 'PIM interface information', detail: 'PIM interface detail information' },
    run: (c, m) => c.out.push(showIpPimInterfaceDetail(c.router, optStrParam(m, 'iface'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip pim autorp',
    help: { ...PIM_HELP, autorp: 'Global AutoRP information' },
    run: (c) => c.out.push(showIpPimAutorp(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show ip mroute [<group:ipv4> [<source:ipv4>]]',
    help: {
      ...SHOW,
      mroute: 'IP multicast routing table',
      group: 'Source or group IP address',
      source: 'Source IP address',
    },
    run: (c, m) => c.out.push(showIpMroute(c.router, optIntParam(m, 'group'), optIntParam(m, 'source'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip mroute static',
    help: { ...SHOW, mroute: 'IP multicast routing table', static: 'Static multicast routes' },
    run: (c) => c.out.push(showIpMrouteStatic(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show ip mfib [<group:ipv4> [<source:ipv4>]]',
    help: {
      ...SHOW,
      mfib: 'Show multicast forwarding information base',
      group: 'Group address',
      source: 'Source address',
    },
    run: (c, m) => c.out.push(showIpMfib(c.router, optIntParam(m, 'group'), optIntParam(m, 'source'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip mroute [<group:ipv4>] count',
    help: { ...SHOW, mroute: 'IP multicast routing table', count: 'Route and packet count data' },
    run: (c, m) => c.out.push(showIpMrouteCount(c.router, optIntParam(m, 'group'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip rpf <address:ipv4>',
    help: {
      ...SHOW,
      rpf: 'Display RPF information for multicast source',
      address: 'IP name or address of multicast source',
    },
    run: (c, m) => c.out.push(showIpRpf(c.router, optIntParam(m, 'address') ?? 0)),
  },
  {
    modes: BOTH,
    syntax: 'show ip igmp groups [<group:ipv4>]',
    help: {
      ...SHOW,
      igmp: 'IGMP information',
      groups: 'IGMP group membership information',
      group: 'IP name or group address',
    },
    run: (c, m) => c.out.push(showIpIgmpGroups(c.router, optIntParam(m, 'group'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip igmp groups [<group:ipv4>] detail',
    help: {
      ...SHOW,
      igmp: 'IGMP information',
      groups: 'IGMP group membership information',
      group: 'IP name or group address',
      detail: 'Detailed Information',
    },
    run: (c, m) => c.out.push(showIpIgmpGroupsDetail(c.router, optIntParam(m, 'group'))),
  },
  {
    modes: BOTH,
    syntax: 'show ip igmp interface [<iface:interface>]',
    help: { ...SHOW, igmp: 'IGMP information', interface: 'IGMP interface information' },
    run: (c, m) => c.out.push(showIpIgmpInterface(c.router, optStrParam(m, 'iface'))),
  },
];

/** `debug ip pim`, `debug ip pim auto-rp`, `debug ip igmp`, `debug ip mpacket` (appended to DEBUG_OPTIONS). */
export const MULTICAST_DEBUG_OPTIONS: DebugOption[] = [
  {
    words: 'ip pim',
    flag: DEBUG_PIM,
    title: 'PIM',
    help: { ip: 'IP information', pim: 'PIM protocol activity' },
  },
  {
    words: 'ip pim auto-rp',
    flag: DEBUG_AUTORP,
    title: 'PIM Auto-RP',
    help: { ip: 'IP information', pim: 'PIM protocol activity', 'auto-rp': 'Auto-RP' },
  },
  {
    words: 'ip igmp',
    flag: DEBUG_IGMP,
    title: 'IGMP',
    help: { ip: 'IP information', igmp: 'IGMP protocol activity' },
  },
  {
    words: 'ip mpacket',
    flag: 'ip mpacket',
    title: 'IP multicast packets',
    help: { ip: 'IP information', mpacket: 'IP multicast packet debugging' },
  },
];
