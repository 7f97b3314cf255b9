import type { Router } from '../../device/router';
import { interfaceKind } from '../../device/interface-state';
import { iosDuration } from '../../cli/ios-time';
import { formatIpv4, type Ipv4, lengthFromMask } from '../../net/ipv4-address';
import { formatPrefix, makePrefix } from '../../net/prefix';
import { igmpOf } from '../igmp/igmp-service';
import { HELLO_PERIOD } from './hello';
import { JP_PERIOD } from './join-prune';
import { forwardingOifs, type MrouteEntry, oifKey } from './mroute-table';
import { pimOf as pim, type PimService } from './pim-service';

/**
 * The PIM/IGMP show commands beyond the article's: `show ip pim rp`, `show ip pim interface detail`,
 * `show ip mroute static`, `show ip igmp groups … detail`, `show ip mfib`. Each is computed from protocol
 * state, in the layout of the published IOS output cited beside it.
 */

/** `stopped` when no timer runs, else the time left. */
export function expiresText(router: Router, at: number | undefined): string {
  return at === undefined ? 'stopped' : iosDuration(at - router.kernel.now);
}

/** The mode word of `show ip mroute`'s interface state: `Forward/Sparse`. */
export function modeName(router: Router, ifName: string): string {
  const m = router.interfaceConfig(ifName)?.pim.mode;
  return m === 'dense' ? 'Dense' : m === 'sparse-dense' ? 'Sparse-Dense' : 'Sparse';
}

// ---- show ip pim rp ---------------------------------------------------------------------------------------

/**
 * `show ip pim rp`: the RP of every group with state here. The Cisco IP Multicast Command Reference ("show ip
 * pim rp") prints `Group: 227.7.7.7, RP: 10.10.0.2, v2, v1, next RP-reachable in 00:00:48` on the RP (the
 * PIMv1 RP-Reachable it sends). Elsewhere a static RP prints `Group: 224.0.1.40, RP: 60.1.1.1, uptime
 * 00:00:29, expires never` (genieparser's golden output, CiscoTestAutomation/genieparser, src/genie/libs/
 * parser/iosxe/tests/ShowIpPimRp/cli/equal/golden_output1_output.txt: no version field); an Auto-RP mapping
 * keeps its version before the uptime [INF: from the RP's form and `show ip pim rp mapping`; no published
 * non-RP Auto-RP line found]. `v2, v1` is the Auto-RP version v2v1.
 */
export function showIpPimRp(router: Router, only?: Ipv4): string {
  const p = pim(router);
  const lines: string[] = [];
  const groups = p.mroutes
    .all()
    .filter((e) => e.source === undefined && !e.dense && e.rp !== undefined)
    .filter((e) => only === undefined || e.rp === only)
    .sort((a, b) => a.group - b.group);
  for (const e of groups) {
    const m = p.rpMappingFor(e.group);
    const version = m?.pimVersion === 3 ? 'v2, v1' : m?.pimVersion === 1 ? 'v1' : 'v2';
    const head = `Group: ${formatIpv4(e.group)}, RP: ${formatIpv4(e.rp ?? 0)}, ${version}`;
    if (p.isRp(e.group)) {
      lines.push(`${head}, next RP-reachable in ${iosDuration(p.rpReachable.nextIn() ?? 0)}`);
      continue;
    }
    const up = iosDuration(router.kernel.now - (m?.since ?? e.since));
    const group =
      m?.origin === 'autorp' || m?.origin === 'bsr'
        ? head
        : `Group: ${formatIpv4(e.group)}, RP: ${formatIpv4(e.rp ?? 0)}`;
    lines.push(
      `${group}, uptime ${up}, expires ${m?.expires === undefined ? 'never' : expiresText(router, m.expires)}`,
    );
  }
  return lines.join('\n');
}

// ---- show ip pim interface detail -------------------------------------------------------------------------

/**
 * `show ip pim interface [IF] detail` in the layout of genieparser's IOS golden output (ShowIpPimInterfaceDetail):
 * the interface and address lines, multicast switching and counters, then the PIM block indented four spaces
 * (`PIM DR: 10.1.2.2`, `PIM Hello/Query interval: 30 seconds`, `PIM NBMA mode: disabled`, `PIM Non-DR-Join:
 * FALSE`), with `(this system)` after our own address as `show ip igmp interface` prints the DR.
 */
export function showIpPimInterfaceDetail(router: Router, only?: string): string {
  const p = pim(router);
  const out: string[] = [];
  for (const ifName of p.pimInterfaces()) {
    if (only !== undefined && ifName !== only) continue;
    const cfg = router.interfaceConfig(ifName);
    const st = router.interfaceState(ifName);
    const own = cfg?.address?.address ?? 0;
    const dr = p.neighbors.dr(ifName) ?? own;
    const c = p.countersOf(ifName);
    const helloOut = p.helloSender(ifName)?.sent ?? 0;
    const prefix = lengthFromMask(cfg?.address?.mask ?? 0xffffffff) ?? 32;
    out.push(
      `${ifName} is ${st.status}, line protocol is ${st.protocol}`,
      `  Internet address is ${formatIpv4(own)}/${prefix}`,
      '  Multicast switching: fast',
      `  Multicast packets in/out: ${c.multicastIn}/${c.multicastOut}`,
      '  Multicast TTL threshold: 0',
      '  PIM: enabled',
      `    PIM version: 2, mode: ${modeName(router, ifName).toLowerCase()}`,
      `    PIM DR: ${formatIpv4(dr)}${dr === own ? ' (this system)' : ''}`,
      `    PIM neighbor count: ${p.neighbors.countOn(ifName)}`,
      `    PIM Hello/Query interval: ${cfg?.pim.queryInterval ?? HELLO_PERIOD} seconds`,
      `    PIM Hello packets in/out: ${c.helloIn}/${helloOut}`,
      `    PIM J/P interval: ${JP_PERIOD} seconds`,
      '    PIM State-Refresh processing: enabled',
      '    PIM State-Refresh origination: disabled',
      `    PIM NBMA mode: ${p.nbmaMode(ifName) ? 'enabled' : 'disabled'}`,
      '    PIM ATM multipoint signalling: disabled',
      '    PIM domain border: disabled',
      '    PIM neighbors rpf proxy capable: TRUE',
      '    PIM BFD: disabled',
      '    PIM Non-DR-Join: FALSE',
      '  Multicast Tagswitching: disabled',
    );
  }
  if (only !== undefined && out.length === 0) return '';
  return out.join('\n');
}

// ---- show ip mroute static --------------------------------------------------------------------------------

/**
 * `show ip mroute static`, one line per `ip mroute`, in configuration order: genieparser's IOS golden output
 * (ShowIpMrouteStatic) `Mroute: 172.16.0.0/16, RPF neighbor: 172.30.10.13, distance: 1`. An `ip mroute` to an
 * interface prints `interface: <name>` in the neighbour's place [INF: no published output found].
 */
export function showIpMrouteStatic(router: Router): string {
  return router.config.mroutes
    .map((m) => {
      const prefix = formatPrefix(makePrefix(m.source, lengthFromMask(m.mask) ?? 32));
      const via =
        m.rpfNeighbor !== undefined
          ? `RPF neighbor: ${formatIpv4(m.rpfNeighbor)}`
          : `interface: ${m.interface ?? 'Null0'}`;
      return `Mroute: ${prefix}, ${via}, distance: ${m.distance ?? 0}`;
    })
    .join('\n');
}

// ---- show ip igmp groups … detail -------------------------------------------------------------------------

const IGMP_DETAIL_LEGEND = [
  'Flags: L - Local, U - User, SG - Static Group, VG - Virtual Group,',
  '       SS - Static Source, VS - Virtual Source,',
  '       Ac - Group accounted towards access control limit',
];

/** A label and its value aligned on the 16th column, as IOS's tab-separated detail lines show on a terminal. */
function tabbed(label: string, value: string): string {
  return `${label.padEnd(16)}${value}`;
}

/**
 * `show ip igmp groups [GROUP] detail`: the legend, then per membership the block of the published IOS output
 * (published IOS 15 output, Cisco pyATS genieparser golden outputs: `Interface:`, `Group:`, `Flags: L U` for
 * `ip igmp join-group`, `SG` for a static group,
 * `Uptime:`, `Group mode: EXCLUDE (Expires: …)`, `Last reporter:`, `Source list is empty`). A member heard
 * from another router has no flag.
 */
export function showIpIgmpGroupsDetail(router: Router, group?: Ipv4): string {
  const igmp = igmpOf(router);
  const out = [...IGMP_DETAIL_LEGEND];
  const ms = igmp
    .routerMemberships()
    .filter((m) => group === undefined || m.group === group)
    .sort((a, b) => b.group - a.group || a.interface.localeCompare(b.interface));
  for (const m of ms) {
    const joined = router.interfaceConfig(m.interface)?.igmp.joinGroups.includes(m.group) === true;
    // U (User) is a configured join-group; the automatic Auto-RP join is Local only [INF: by the legend].
    const local = igmp.hostJoined(m.group, m.interface);
    const flags = m.static ? 'SG' : joined ? 'L U' : local ? 'L' : '';
    out.push(
      '',
      tabbed('Interface:', m.interface),
      tabbed('Group:', formatIpv4(m.group)),
      tabbed('Flags:', flags),
      tabbed('Uptime:', iosDuration(router.kernel.now - m.since)),
      tabbed(
        'Group mode:',
        `EXCLUDE (Expires: ${m.expires === undefined ? 'never' : expiresText(router, m.expires)})`,
      ),
      tabbed('Last reporter:', formatIpv4(m.lastReporter)),
      'Source list is empty',
    );
  }
  return out.join('\n');
}

// ---- show ip mfib -----------------------------------------------------------------------------------------

const MFIB_LEGEND = [
  'Entry Flags:    C - Directly Connected, S - Signal, IA - Inherit A flag,',
  '                ET - Data Rate Exceeds Threshold, K - Keepalive',
  '                DDE - Data Driven Event, HW - Hardware Installed',
  '                ME - MoFRR ECMP entry, MNE - MoFRR Non-ECMP entry, MP - MFIB ',
  '                MoFRR Primary, RP - MRIB MoFRR Primary, P - MoFRR Primary',
  '                MS  - MoFRR  Entry in Sync, MC - MoFRR entry in MoFRR Client,',
  '                e   - Encap helper tunnel flag.',
  'I/O Item Flags: IC - Internal Copy, NP - Not platform switched,',
  '                NS - Negate Signalling, SP - Signal Present,',
  '                A - Accept, F - Forward, RA - MRIB Accept, RF - MRIB Forward,',
  '                MA - MFIB Accept, A2 - Accept backup,',
  '                RA2 - MRIB Accept backup, MA2 - MFIB Accept backup',
  '',
  'Forwarding Counts: Pkt Count/Pkts per second/Avg Pkt Size/Kbits per second',
  'Other counts:      Total/RPF failed/Other drops',
  'I/O Item Counts:   HW Pkt Count/FS Pkt Count/PS Pkt Count   Egress Rate in pps',
];

function swForwarding(e: MrouteEntry): string {
  const size = e.packetsForwarded > 0 ? Math.round(e.bytesForwarded / e.packetsForwarded) : 0;
  const total = e.packetsReceived + e.rpfFailures;
  const other = Math.max(0, e.packetsReceived - e.packetsForwarded);
  return `   SW Forwarding: ${e.packetsForwarded}/0/${size}/0, Other: ${total}/${e.rpfFailures}/${other}`;
}

/** One MFIB entry: its flags, counters, the accepting interface (A) and the forwarding ones (F, IC, NS). */
function mfibEntry(p: PimService, e: MrouteEntry): string[] {
  const name = `(${e.source === undefined ? '*' : formatIpv4(e.source)},${formatIpv4(e.group)})`;
  // C marks the (*,G) of a connected member; the published (S,G) entries show no entry flag.
  const lines = [` ${name} Flags:${e.source === undefined && e.connected ? ' C' : ''}`, swForwarding(e)];
  const iif = p.shownIncoming(e);
  if (iif) lines.push(`   ${iif.interface} Flags: A`);
  for (const o of forwardingOifs(e).sort((a, b) => a.interface.localeCompare(b.interface))) {
    if (o.interface === iif?.interface && o.nextHop === undefined) continue;
    const ic = o.reason === 'local' || (e.local && p.igmp.hostJoined(e.group, o.interface)) ? ' IC' : '';
    const hop = o.nextHop !== undefined ? `, ${formatIpv4(o.nextHop)}` : '';
    const pkts = e.oifPackets?.get(oifKey(o.interface, o.nextHop)) ?? 0;
    lines.push(`   ${o.interface}${hop} Flags: F${ic} NS`, `     Pkts: 0/${pkts}/0    Rate: 0 pps`);
  }
  return lines;
}

/**
 * `show ip mfib [GROUP [SOURCE]]`. The legend (Entry Flags, I/O Item Flags, the three count lines) and the
 * `Default` table line are genieparser's golden output line for line (CiscoTestAutomation/genieparser,
 * src/genie/libs/parser/iosxe/tests/ShowIpMfib/cli/equal/golden_6_output.txt, `show ip mfib 239.0.0.7
 * 7.255.0.4`; golden_2_output.txt has ` (*,224.0.1.40) Flags: C`, `   SW Forwarding: 0/0/0/0, Other: 0/0/0`,
 * `   Vlan100 Flags: F IC NS`, `     Pkts: 0/0/0    Rate: 0 pps`). Those captures are IOS-XE; no classic IOS 15
 * capture was found, and GETLab prints the same layout [INF], without the HW Forwarding line of hardware
 * platforms. The rest follows published IOS output (a PIM lab's `R1# show ip mfib`: the
 * Entry/I/O flag legend, `Default`, ` (*,224.0.0.0/4) Flags:` with every PIM interface `NS`, then per entry
 * ` (*,224.0.1.40) Flags: C` / `   SW Forwarding: 0/0/0/0, Other: 0/0/0` / `   Ethernet0/0 Flags: F IC NS` /
 * `     Pkts: 0/0/0    Rate: 0 pps`, and an (S,G) with its accepting interface `Flags: A`). Entries go in
 * group order, each (*,G) before its sources; IC marks a copy for this router itself (its own join).
 */
export function showIpMfib(router: Router, group?: Ipv4, source?: Ipv4): string {
  const p = pim(router);
  if (!p.enabled) return '';
  const out = [...MFIB_LEGEND, 'Default'];
  if (group === undefined) {
    out.push(' (*,224.0.0.0/4) Flags:', '   SW Forwarding: 0/0/0/0, Other: 0/0/0');
    const ifs = p.pimInterfaces().filter((i) => interfaceKind(i) !== 'loopback');
    for (const ifName of ifs.sort((a, b) => a.localeCompare(b))) out.push(`   ${ifName} Flags: NS`);
  }
  const entries = p.mroutes
    .all()
    .filter((e) => group === undefined || e.group === group)
    .filter((e) => source === undefined || e.source === source)
    .sort((a, b) => a.group - b.group || (a.source ?? -1) - (b.source ?? -1));
  for (const e of entries) out.push(...mfibEntry(p, e));
  return out.join('\n');
}
