// What `show ip route` prints that only EIGRP knows (issue 16: the core's `show ip route` names no protocol):
// the route codes D and D EX, the `Known via "eigrp <AS>"` header of `show ip route <address>`, the composite
// metric's vector under each next hop, and `Redistributing via eigrp <AS>` on connected networks it covers.
// Layout: Cisco IOS IP Routing: Protocol-Independent Command Reference, "show ip route", sample output for an
// EIGRP route (quoted in `cli/show/show-ip-route.ts`).
import type { Route } from '../../device/rib';
import type { Router } from '../../device/router';
import { iosDuration } from '../../cli/ios-time';
import type { EigrpMetric } from '../../net/eigrp';
import { formatIpv4 } from '../../net/ipv4-address';
import type { GatewayHop, RouteSourceShow } from '../descriptor';
import { eigrpInterfaceNames } from './eigrp-process';
import { eigrpOf } from './eigrp-service';
import { pathKey, type TopologyEntry } from './topology';

declare module '../../device/rib' {
  interface RouteSources {
    /** EIGRP internal routes (code D, distance 90). */
    eigrp: true;
    /** EIGRP external routes (code D EX, distance 170). */
    'eigrp-external': true;
  }
}

/** A connected network an EIGRP `network` statement covers is "Redistributing via eigrp <AS>". */
function redistributedBy(router: Router, ifName: string): string[] {
  const cfg = router.interfaceConfig(ifName);
  if (!cfg) return [];
  return router.config.eigrp
    .filter((p) => eigrpInterfaceNames(p, [cfg]).length > 0)
    .map((p) => `  Redistributing via eigrp ${p.asNumber}`);
}

/** The EIGRP process (and its topology entry) that installed `route`: the AS number IOS names it by. */
function eigrpOrigin(router: Router, route: Route): { as: number; entry?: TopologyEntry } | undefined {
  for (const [as, p] of eigrpOf(router)?.processes ?? []) {
    const entry = p.topology.get(route.prefix);
    if (entry && entry.successors.length > 0) return { as, entry };
  }
  const only = router.config.eigrp[0];
  return only ? { as: only.asNumber } : undefined;
}

function eigrpHeader(router: Router, route: Route): string[] {
  const origin = eigrpOrigin(router, route);
  const name = origin ? `eigrp ${origin.as}` : 'eigrp';
  const type = route.source === 'eigrp' ? 'internal' : 'external';
  const first = route.nextHops[0];
  const age = iosDuration(router.kernel.now - route.since);
  const from = first?.address !== undefined ? formatIpv4(first.address) : '0.0.0.0';
  return [
    `  Known via "${name}", distance ${route.distance}, metric ${route.metric}, type ${type}`,
    `  Redistributing via ${name}`,
    `  Last update from ${from}${first?.interface ? ` on ${first.interface}` : ''}, ${age} ago`,
  ];
}

/** One next hop of an EIGRP route: where it was learned from, its age, and the metric's vector. */
function eigrpNextHop(router: Router, route: Route, h: GatewayHop, star: string): string[] {
  const via = h.interface ? `, via ${h.interface}` : '';
  const age = iosDuration(router.kernel.now - route.since);
  const lines = [
    `  ${star} ${formatIpv4(h.address)}, from ${formatIpv4(h.address)}, ${age} ago${via}`,
    `      Route metric is ${route.metric}, traffic share count is 1`,
  ];
  const path = eigrpOrigin(router, route)?.entry?.paths.get(pathKey(h.interface ?? '', h.address));
  if (path) lines.push(...eigrpVector(path.metric));
  return lines;
}

/** The vector lines: the wire's scaled units back to microseconds and kbit/s (RFC 7868 §5.6.1). */
function eigrpVector(m: EigrpMetric): string[] {
  const delayUsec = Math.floor(m.delay / 256) * 10;
  const bandwidth = Math.floor((256 * 10_000_000) / Math.max(1, m.bandwidth));
  return [
    `      Total delay is ${delayUsec} microseconds, minimum bandwidth is ${bandwidth} Kbit`,
    `      Reliability ${m.reliability}/255, minimum MTU ${m.mtu} bytes`,
    `      Loading ${m.load}/255, Hops ${m.hopCount}`,
  ];
}

/**
 * EIGRP's route sources as `show ip route` prints them (codes from the IOS legend: D - EIGRP, EX - EIGRP
 * external). `Redistributing via` is said once per connected route, so only the internal source says it.
 */
export const EIGRP_ROUTE_SOURCES: readonly RouteSourceShow[] = [
  { source: 'eigrp', code: 'D', header: eigrpHeader, nextHop: eigrpNextHop, redistributing: redistributedBy },
  { source: 'eigrp-external', code: 'D EX', header: eigrpHeader, nextHop: eigrpNextHop },
];
