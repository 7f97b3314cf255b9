import { optIntParam } from '../../config/context';
import { shortInterfaceName } from '../../config/interface-names';
import type { Router } from '../../device/router';
import { formatIpv4 } from '../../net/ipv4-address';
import { formatPrefix } from '../../net/prefix';
import type { DebugOption, ExecCommand } from '../../cli/exec-types';
import { iosDuration } from '../../cli/ios-time';
import { type RouteSourceShows, showIpRoute } from '../../cli/show/show-ip-route';
import { EIGRP_ROUTE_SOURCES } from './route-show';
import { feasiblePaths, sortPaths } from './dual';
import { DEBUG_EIGRP_PACKETS, DEFAULT_HELLO, DEFAULT_HOLD, type EigrpProcess } from './eigrp-process';
import { eigrpOf } from './eigrp-service';
import { INFINITE_DISTANCE } from './metric';
import type { TopologyEntry, TopologyPath } from './topology';

/**
 * `show ip eigrp …` and `show ip route eigrp` in IOS 15 layout (published IOS 15 output: Cisco pyATS
 * genieparser golden outputs).
 */

/** `show ip route eigrp` prints only EIGRP's routes, so EIGRP's own route sources are all it needs. */
const EIGRP_SHOWS: RouteSourceShows = new Map(EIGRP_ROUTE_SOURCES.map((r) => [r.source, r]));

/** A router without `router eigrp` runs no EIGRP service: no processes, so the shows print nothing. */
function processes(router: Router, as?: number): EigrpProcess[] {
  const all = [...(eigrpOf(router)?.processes.values() ?? [])].sort((a, b) => a.asNumber - b.asNumber);
  return as === undefined ? all : all.filter((p) => p.asNumber === as);
}

export function showIpEigrpNeighbors(router: Router, as?: number): string {
  const lines: string[] = [];
  for (const p of processes(router, as)) {
    lines.push(`EIGRP-IPv4 Neighbors for AS(${p.asNumber})`);
    const nbrs = [...p.neighbors.values()].sort((a, b) => a.handle - b.handle);
    if (nbrs.length === 0) continue;
    lines.push('H   Address                 Interface              Hold Uptime   SRTT   RTO  Q  Seq');
    lines.push('                                                   (sec)         (ms)       Cnt Num');
    for (const n of nbrs) {
      lines.push(
        String(n.handle).padEnd(4) +
          formatIpv4(n.address).padEnd(24) +
          shortInterfaceName(n.interface).padEnd(23) +
          String(n.holdRemaining()).padStart(4) +
          ' ' +
          iosDuration(router.kernel.now - n.since).padEnd(8) +
          String(n.srtt).padStart(5) +
          String(n.rto).padStart(6) +
          String(n.queueCount).padStart(3) +
          '  ' +
          String(n.lastSequence),
      );
    }
  }
  return lines.join('\n');
}

function pathLine(p: TopologyPath): string {
  if (p.origin === 'connected') return `        via Connected, ${p.interface}`;
  const rd = p.reportedDistance >= INFINITE_DISTANCE ? 'Inaccessible' : String(p.reportedDistance);
  return `        via ${formatIpv4(p.neighbor ?? 0)} (${p.distance}/${rd}), ${p.interface}`;
}

function entryLines(router: Router, e: TopologyEntry, allLinks: boolean): string[] {
  const fd = e.fd >= INFINITE_DISTANCE ? 'Inaccessible' : String(e.fd);
  const code = e.state === 'active' ? 'A' : 'P';
  const lines = [`${code} ${formatPrefix(e.prefix)}, ${e.successors.length} successors, FD is ${fd}`];
  if (e.state === 'active') {
    const age = iosDuration(router.kernel.now - (e.activeSince ?? router.kernel.now));
    lines[0] += ', Q';
    lines.push(
      `    ${e.pendingReplies?.size ?? 0} replies, active ${age}, query-origin: ${(e.replyTo?.size ?? 0) > 0 ? 'Successor Origin' : 'Local origin'}`,
    );
  }
  // Successors first, then feasible successors; `all-links` adds the paths that fail the feasibility condition.
  const successors = e.successors
    .map((k) => e.paths.get(k))
    .filter((p): p is TopologyPath => p !== undefined);
  const rest = allLinks ? sortPaths([...e.paths.values()]) : feasiblePaths(e);
  for (const p of [...successors, ...rest.filter((p) => !successors.includes(p))]) lines.push(pathLine(p));
  return lines;
}

export function showIpEigrpTopology(router: Router, allLinks = false, as?: number): string {
  const lines: string[] = [];
  for (const p of processes(router, as)) {
    lines.push(`EIGRP-IPv4 Topology Table for AS(${p.asNumber})/ID(${formatIpv4(p.routerId)})`);
    lines.push('Codes: P - Passive, A - Active, U - Update, Q - Query, R - Reply,');
    lines.push('       r - reply Status, s - sia Status');
    lines.push('');
    for (const e of p.topology.all()) lines.push(...entryLines(router, e, allLinks));
  }
  return lines.join('\n');
}

export function showIpEigrpInterfaces(router: Router, detail = false, iface?: string, as?: number): string {
  const lines: string[] = [];
  for (const p of processes(router, as)) {
    lines.push(`EIGRP-IPv4 Interfaces for AS(${p.asNumber})`);
    lines.push(
      '                              Xmit Queue   PeerQ        Mean   Pacing Time   Multicast    Pending',
    );
    lines.push(
      'Interface              Peers  Un/Reliable  Un/Reliable  SRTT   Un/Reliable   Flow Timer   Routes',
    );
    // IOS lists passive interfaces only in `show ip eigrp interfaces detail`'s summary: they run no hellos.
    const names = [...p.interfaces.values()].filter(
      (i) => !i.passive && (iface === undefined || i.name === iface),
    );
    for (const i of names) {
      const nbrs = p.neighborsOn(i.name);
      const srtt = nbrs.length === 0 ? 0 : Math.round(nbrs.reduce((s, n) => s + n.srtt, 0) / nbrs.length);
      const queued = nbrs.reduce((s, n) => s + n.queueCount, 0);
      const flowTimer = nbrs.length === 0 ? 0 : Math.max(50, 4 * srtt);
      lines.push(
        shortInterfaceName(i.name).padEnd(23) +
          String(nbrs.length).padStart(3) +
          `0/${queued}`.padStart(11) +
          '0/0'.padStart(10) +
          String(srtt).padStart(12) +
          '0/0'.padStart(11) +
          String(flowTimer).padStart(12) +
          '0'.padStart(12),
      );
      if (detail) {
        const cfg = router.interfaceConfig(i.name);
        const hold = cfg?.eigrp.holdTime[p.asNumber] ?? DEFAULT_HOLD;
        lines.push(
          `  Hello-interval is ${cfg?.eigrp.helloInterval[p.asNumber] ?? DEFAULT_HELLO}, Hold-time is ${hold}`,
        );
        lines.push(`  Split-horizon is ${p.policyOf(i.name).splitHorizon ? 'enabled' : 'disabled'}`);
      }
    }
  }
  return lines.join('\n');
}

const SHOW_HELP = {
  show: 'Show running system information',
  ip: 'IP information',
  eigrp: 'IP-EIGRP show commands',
};

/** EIGRP exec commands, added to EXEC_COMMANDS. */
export const EIGRP_COMMANDS: ExecCommand[] = [
  {
    modes: ['user', 'privileged'],
    syntax: 'show ip eigrp [<as:int:1-65535>] neighbors',
    help: { ...SHOW_HELP, neighbors: 'IP-EIGRP neighbors', as: 'AS Number' },
    run: (c, m) => c.out.push(showIpEigrpNeighbors(c.router, optIntParam(m, 'as'))),
  },
  {
    modes: ['user', 'privileged'],
    syntax: 'show ip eigrp [<as:int:1-65535>] topology [all-links]',
    help: {
      ...SHOW_HELP,
      topology: 'IP-EIGRP Topology Table',
      'all-links': 'Show all links in topology table',
      as: 'AS Number',
    },
    run: (c, m) => c.out.push(showIpEigrpTopology(c.router, m.has('all-links'), optIntParam(m, 'as'))),
  },
  {
    modes: ['user', 'privileged'],
    syntax: 'show ip eigrp [<as:int:1-65535>] interfaces [<iface:interface>] [detail]',
    help: {
      ...SHOW_HELP,
      interfaces: 'IP-EIGRP interfaces',
      detail: 'Show detailed peer information',
      as: 'AS Number',
    },
    run: (c, m) => {
      const iface = m.params.iface;
      c.out.push(
        showIpEigrpInterfaces(
          c.router,
          m.has('detail'),
          typeof iface === 'string' ? iface : undefined,
          optIntParam(m, 'as'),
        ),
      );
    },
  },
  {
    modes: ['user', 'privileged'],
    syntax: 'show ip route eigrp [<as:int:1-65535>]',
    help: {
      ...SHOW_HELP,
      route: 'IP routing table',
      eigrp: 'Enhanced Interior Gateway Routing Protocol (EIGRP)',
    },
    run: (c) =>
      c.out.push(showIpRoute(c.router, EIGRP_SHOWS, undefined, undefined, ['eigrp', 'eigrp-external'])),
  },
];

/** `debug eigrp packets`, added to DEBUG_OPTIONS. */
export const EIGRP_DEBUG_OPTIONS: DebugOption[] = [
  {
    words: 'eigrp packets',
    flag: DEBUG_EIGRP_PACKETS,
    title: 'EIGRP Packets',
    help: { eigrp: 'EIGRP Protocol information', packets: 'EIGRP packets' },
  },
];
