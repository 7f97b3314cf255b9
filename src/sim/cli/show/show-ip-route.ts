import type { Router } from '../../device/router';
import type { Route, RouteSource } from '../../device/rib';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { classfulPrefix, formatPrefix, prefixContains } from '../../net/prefix';
import type { RouteSourceShow } from '../../protocols/descriptor';
import { iosDuration } from '../ios-time';

/**
 * How each protocol's routes print (their descriptors' `routeSources`), by RIB source. Passed in rather than
 * read from the registry so that a protocol's own `show ip route <protocol>` can call this without a cycle.
 */
export type RouteSourceShows = ReadonlyMap<RouteSource, RouteSourceShow>;

/** The core's route codes (the IOS legend: L - local, C - connected, S - static). */
const CORE_CODES: ReadonlyMap<RouteSource, string> = new Map<RouteSource, string>([
  ['connected', 'C'],
  ['local', 'L'],
  ['static', 'S'],
]);

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
  shows: RouteSourceShows,
  address?: Ipv4,
  mask?: Ipv4,
  sources?: readonly RouteSource[],
): string {
  if (address !== undefined) return showRouteDetail(router, shows, address, mask);
  const routes = router.rib.installed();
  const lines = [LEGEND, gatewayOfLastResort(routes), ''];
  // `show ip route eigrp` and the like: only that protocol's routes below the legend.
  const shown = sources ? routes.filter((r) => sources.includes(r.source)) : routes;
  for (const group of groupByMajorNet(shown)) lines.push(...formatGroup(router, shows, group));
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

function formatGroup(router: Router, shows: RouteSourceShows, g: MajorGroup): string[] {
  const only = g.routes[0]!;
  if (g.routes.length === 1 && only.prefix.length === g.major.length) {
    return formatRoute(router, codeOf(shows, only), only, 6, true);
  }
  const masks = new Set(g.routes.map((r) => r.prefix.length));
  const n = g.routes.length;
  const header =
    masks.size === 1
      ? `      ${formatIpv4(g.major.network)}/${[...masks][0]} is subnetted, ${n} subnets`
      : `      ${formatIpv4(g.major.network)}/${g.major.length} is variably subnetted, ${n} subnets, ${masks.size} masks`;
  const lines = [header];
  for (const r of g.routes) lines.push(...formatRoute(router, codeOf(shows, r), r, 9, masks.size > 1));
  return lines;
}

function codeOf(shows: RouteSourceShows, r: Route): string {
  const code = CORE_CODES.get(r.source) ?? shows.get(r.source)?.code ?? '?';
  return code + (r.prefix.length === 0 ? '*' : '');
}

/** One route's lines: `C        11.11.11.11 is directly connected, Loopback0` or `S*    0.0.0.0/0 [1/0] via …`. */
function formatRoute(
  router: Router,
  routeCode: string,
  r: Route,
  codeWidth: number,
  withMask: boolean,
): string[] {
  const code = routeCode.padEnd(codeWidth);
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
function showRouteDetail(router: Router, shows: RouteSourceShows, address: Ipv4, mask?: Ipv4): string {
  const route = router.rib.lookup(address);
  if (!route || (mask !== undefined && route.prefix.network !== (address & mask) >>> 0)) {
    return '% Network not in table';
  }
  if (!prefixContains(route.prefix, address)) return '% Network not in table';
  const supernet = route.prefix.length < classfulPrefix(route.prefix.network).length ? ', supernet' : '';
  const lines = [`Routing entry for ${formatPrefix(route.prefix)}${supernet}`];
  const header = shows.get(route.source)?.header;
  if (route.source === 'connected' || route.source === 'local') {
    lines.push(
      `  Known via "connected", distance ${route.distance}, metric ${route.metric} (connected, via interface)`,
      ...redistributing(router, shows, route.nextHops[0]?.interface),
    );
  } else if (header) {
    lines.push(...header(router, route));
  } else {
    const candidate = route.prefix.length === 0 ? ', candidate default path' : '';
    // A static route to an interface is directly connected: IOS adds "(connected)".
    const connected = route.nextHops.every((h) => h.address === undefined) ? ' (connected)' : '';
    lines.push(
      `  Known via "${route.source}", distance ${route.distance}, metric ${route.metric}${connected}${candidate}`,
    );
  }
  lines.push('  Routing Descriptor Blocks:');
  route.nextHops.forEach((h, i) => lines.push(...descriptorBlock(router, shows, route, h, i === 0)));
  return lines.join('\n');
}

/** What routing protocols say of a connected network they cover (`Redistributing via eigrp 10`). */
function redistributing(router: Router, shows: RouteSourceShows, ifName: string | undefined): string[] {
  if (ifName === undefined) return [];
  return [...shows.values()].flatMap((s) => s.redistributing?.(router, ifName) ?? []);
}

/** A next hop's descriptor block: the core prints connected and static next hops, a protocol its own. */
function descriptorBlock(
  router: Router,
  shows: RouteSourceShows,
  route: Route,
  h: Route['nextHops'][number],
  first: boolean,
): string[] {
  const star = first ? '*' : ' ';
  const share = `      Route metric is ${route.metric}, traffic share count is 1`;
  if (h.address === undefined) return [`  ${star} directly connected, via ${h.interface ?? ''}`, share];
  const own = shows.get(route.source)?.nextHop;
  if (own) return own(router, route, { ...h, address: h.address }, star);
  const via = h.interface ? `, via ${h.interface}` : '';
  return [`  ${star} ${formatIpv4(h.address)}${via}`, share];
}
