import type { Router } from '../../device/router';
import { ROUTE_CODE, type Route, type RouteSource } from '../../device/rib';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { classfulPrefix, formatPrefix, prefixContains } from '../../net/prefix';
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

/** `show ip route <address>`: the routing entry that covers the address. */
function showRouteDetail(router: Router, address: Ipv4, mask?: Ipv4): string {
  const route = router.rib.lookup(address);
  if (!route || (mask !== undefined && route.prefix.network !== (address & mask) >>> 0)) {
    return '% Network not in table';
  }
  const known: Record<Route['source'], string> = {
    connected: 'connected',
    local: 'connected',
    static: 'static',
    eigrp: `eigrp ${route.metric}`,
    'eigrp-external': `eigrp ${route.metric}`,
    nhrp: 'nhrp',
  };
  const lines = [
    `Routing entry for ${formatPrefix(route.prefix)}`,
    `  Known via "${known[route.source]}", distance ${route.distance}, metric ${route.metric}${route.prefix.length === 0 ? ', candidate default path' : ''}`,
  ];
  if (route.source !== 'connected' && route.source !== 'local') {
    lines.push(
      `  Last update from ${route.nextHops[0]?.address !== undefined ? formatIpv4(route.nextHops[0].address) : 'directly connected'}, ${iosDuration(router.kernel.now - route.since)} ago`,
    );
  }
  lines.push('  Routing Descriptor Blocks:');
  route.nextHops.forEach((h, i) => {
    const star = i === 0 ? '*' : ' ';
    if (h.address === undefined) lines.push(`  ${star} directly connected, via ${h.interface ?? ''}`);
    else lines.push(`  ${star} ${formatIpv4(h.address)}${h.interface ? `, via ${h.interface}` : ''}`);
    lines.push(`      Route metric is ${route.metric}, traffic share count is 1`);
  });
  if (!prefixContains(route.prefix, address)) return '% Network not in table';
  return lines.join('\n');
}
