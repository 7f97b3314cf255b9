import type { Router } from '../../device/router';
import { ROUTE_CODE, type Route, type RouteSource } from '../../device/rib';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { classfulPrefix, formatPrefix, prefixContains } from '../../net/prefix';
import type { EigrpMetric } from '../../net/eigrp';
import { eigrpOf } from '../../protocols/eigrp/eigrp-service';
import { eigrpInterfaceNames } from '../../protocols/eigrp/eigrp-process';
import { pathKey, type TopologyEntry } from '../../protocols/eigrp/topology';
import { iosDuration } from '../ios-time';

const LEGEND = `Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area 
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       + - replicated route, % - next hop override
`;

/** `show ip route` (IOS 15 layout): legend, gateway of last resort, routes grouped by classful network. */
export function showIpRoute(
  router: Router,
  address?: Ipv4,
  mask?: Ipv4,
  sources?: readonly RouteSource[],
): string {
  if (address !== undefined) return showRouteDetail(router, address, mask);
  const routes = router.rib.installed();
  const lines = [LEGEND, gatewayOfLastResort(routes), ''];
  // `show ip route eigrp` and the like: only that protocol's routes below the legend.
  const shown = sources ? routes.filter((r) => sources.includes(r.source)) : routes;
  for (const group of groupByMajorNet(shown)) lines.push(...formatGroup(router, group));
  return lines.join('\n');
}

function gatewayOfLastResort(routes: Route[]): string {
  const def = routes.find((r) => r.prefix.length === 0);
  if (!def) return 'Gateway of last resort is not set';
  const hop = def.nextHops[0];
  const via = hop?.address !== undefined ? formatIpv4(hop.address) : '0.0.0.0';
  return `Gateway of last resort is ${via} to network 0.0.0.0`;
}

interface MajorGroup {
  readonly major: { network: Ipv4; length: number };
  readonly routes: Route[];
}

function groupByMajorNet(routes: Route[]): MajorGroup[] {
  const groups = new Map<string, MajorGroup>();
  for (const r of routes) {
    // The default route and supernets stand alone, as IOS prints them.
    const major = r.prefix.length === 0 ? r.prefix : classfulPrefix(r.prefix.network);
    const key = r.prefix.length < major.length ? `super ${formatPrefix(r.prefix)}` : formatPrefix(major);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { major, routes: [] }));
    g.routes.push(r);
  }
  return [...groups.values()].sort((a, b) => a.major.network - b.major.network);
}

function formatGroup(router: Router, g: MajorGroup): string[] {
  const only = g.routes[0]!;
  if (g.routes.length === 1 && only.prefix.length === g.major.length) {
    return formatRoute(router, only, 6, true);
  }
  const masks = new Set(g.routes.map((r) => r.prefix.length));
  const n = g.routes.length;
  const header =
    masks.size === 1
      ? `      ${formatIpv4(g.major.network)}/${[...masks][0]} is subnetted, ${n} subnets`
      : `      ${formatIpv4(g.major.network)}/${g.major.length} is variably subnetted, ${n} subnets, ${masks.size} masks`;
  const lines = [header];
  for (const r of g.routes) lines.push(...formatRoute(router, r, 9, masks.size > 1));
  return lines;
}

function codeOf(r: Route): string {
  return ROUTE_CODE[r.source] + (r.prefix.length === 0 ? '*' : '');
}

/** One route's lines: `C        11.11.11.11 is directly connected, Loopback0` or `S*    0.0.0.0/0 [1/0] via …`. */
function formatRoute(router: Router, r: Route, codeWidth: number, withMask: boolean): string[] {
  const code = codeOf(r).padEnd(codeWidth);
  const dest = withMask ? formatPrefix(r.prefix) : formatIpv4(r.prefix.network);
  if (r.source === 'connected' || r.source === 'local') {
    return [`${code}${dest} is directly connected, ${r.nextHops[0]?.interface ?? ''}`];
  }
  const pad = ' '.repeat(codeWidth + dest.length);
  return r.nextHops.map((h, i) => {
    const lead = i === 0 ? `${code}${dest}` : pad;
    const metric = `[${r.distance}/${r.metric}]`;
    if (h.address === undefined) return `${lead} is directly connected, ${h.interface ?? ''}`;
    const age = r.source === 'static' ? '' : `, ${iosDuration(router.kernel.now - r.since)}`;
    const iface = h.interface !== undefined ? `, ${h.interface}` : '';
    return `${lead} ${metric} via ${formatIpv4(h.address)}${age}${iface}`;
  });
}

/**
 * `show ip route <address>`: the routing entry that covers the address, in IOS 15's layout (Cisco IOS IP
 * Routing: Protocol-Independent Command Reference, "show ip route", sample output for an EIGRP route):
 *   Routing entry for 10.0.0.0/8
 *     Known via "eigrp 100", distance 90, metric 409600, type internal
 *     Redistributing via eigrp 100
 *     Last update from 10.1.1.2 on Ethernet0/0, 00:00:05 ago
 *     Routing Descriptor Blocks:
 *     * 10.1.1.2, from 10.1.1.2, 00:00:05 ago, via Ethernet0/0
 *         Route metric is 409600, traffic share count is 1
 *         Total delay is 6000 microseconds, minimum bandwidth is 10000 Kbit
 *         Reliability 255/255, minimum MTU 1500 bytes
 *         Loading 1/255, Hops 1
 * `Known via` names the process, "eigrp <AS>" (issue 13 item 11: it printed the metric there).
 */
function showRouteDetail(router: Router, address: Ipv4, mask?: Ipv4): string {
  const route = router.rib.lookup(address);
  if (!route || (mask !== undefined && route.prefix.network !== (address & mask) >>> 0)) {
    return '% Network not in table';
  }
  if (!prefixContains(route.prefix, address)) return '% Network not in table';
  const supernet = route.prefix.length < classfulPrefix(route.prefix.network).length ? ', supernet' : '';
  const lines = [`Routing entry for ${formatPrefix(route.prefix)}${supernet}`];
  if (route.source === 'connected' || route.source === 'local') {
    lines.push(
      `  Known via "connected", distance ${route.distance}, metric ${route.metric} (connected, via interface)`,
      ...redistributedBy(router, route.nextHops[0]?.interface),
    );
  } else if (route.source === 'eigrp' || route.source === 'eigrp-external') {
    lines.push(...eigrpHeader(router, route));
  } else {
    const candidate = route.prefix.length === 0 ? ', candidate default path' : '';
    // A static route to an interface is directly connected: IOS adds "(connected)".
    const connected = route.nextHops.every((h) => h.address === undefined) ? ' (connected)' : '';
    lines.push(
      `  Known via "${route.source}", distance ${route.distance}, metric ${route.metric}${connected}${candidate}`,
    );
  }
  lines.push('  Routing Descriptor Blocks:');
  route.nextHops.forEach((h, i) => lines.push(...descriptorBlock(router, route, h, i === 0)));
  return lines.join('\n');
}

/** A connected network an EIGRP `network` statement covers is "Redistributing via eigrp <AS>". */
function redistributedBy(router: Router, ifName: string | undefined): string[] {
  const cfg = ifName !== undefined ? router.interfaceConfig(ifName) : undefined;
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

function descriptorBlock(
  router: Router,
  route: Route,
  h: Route['nextHops'][number],
  first: boolean,
): string[] {
  const star = first ? '*' : ' ';
  const share = `      Route metric is ${route.metric}, traffic share count is 1`;
  if (h.address === undefined) return [`  ${star} directly connected, via ${h.interface ?? ''}`, share];
  const via = h.interface ? `, via ${h.interface}` : '';
  if (route.source !== 'eigrp' && route.source !== 'eigrp-external') {
    return [`  ${star} ${formatIpv4(h.address)}${via}`, share];
  }
  const age = iosDuration(router.kernel.now - route.since);
  const lines = [
    `  ${star} ${formatIpv4(h.address)}, from ${formatIpv4(h.address)}, ${age} ago${via}`,
    share,
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
