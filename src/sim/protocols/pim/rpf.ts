import type { StaticMroute } from '../../config/model';
import type { Router } from '../../device/router';
import type { RouteSource } from '../../device/rib';
import { formatIpv4, type Ipv4, lengthFromMask } from '../../net/ipv4-address';
import { formatPrefix, makePrefix, type Prefix, prefixContains } from '../../net/prefix';

/**
 * RPF information for one address: what IOS prints with `show ip rpf` and what every (*,G)/(S,G) entry and
 * every arriving multicast packet is checked against (Cisco multicast troubleshooting guide: RPF sources,
 * lowest distance first).
 */
export interface RpfInfo {
  readonly address: Ipv4;
  /** The interface packets from `address` must arrive on. */
  readonly interface: string;
  /** The upstream PIM neighbour; 0 when the address is directly connected or our own. */
  readonly neighbor: Ipv4;
  readonly prefix: Prefix;
  readonly kind: 'local' | 'static-mroute' | 'unicast';
  readonly distance: number;
  /** For unicast RPF: the RIB source (`static`, `eigrp`, `connected` …). */
  readonly routeSource?: RouteSource;
  readonly mroute?: StaticMroute;
}

/**
 * The static-mroute table lookup: longest match (Cisco IOS-XE IP Multicast Configuration Guide: longest
 * match, not configuration order), skipping unresolvable lines.
 */
function staticMrouteRpf(router: Router, address: Ipv4): RpfInfo | undefined {
  let best: RpfInfo | undefined;
  for (const m of router.config.mroutes) {
    const prefix = makePrefix(m.source, lengthFromMask(m.mask) ?? 32);
    if (!prefixContains(prefix, address)) continue;
    if (best && best.prefix.length >= prefix.length) continue;
    const resolved = resolveMroute(router, m);
    if (!resolved) continue;
    best = {
      address,
      interface: resolved.interface,
      neighbor: resolved.neighbor,
      prefix,
      kind: 'static-mroute',
      distance: m.distance ?? 0,
      mroute: m,
    };
  }
  return best;
}

/** `ip mroute … <rpf-address>` resolves recursively through the unicast RIB to an interface. */
function resolveMroute(router: Router, m: StaticMroute): { interface: string; neighbor: Ipv4 } | undefined {
  if (m.interface !== undefined) {
    return router.isUp(m.interface) ? { interface: m.interface, neighbor: m.rpfNeighbor ?? 0 } : undefined;
  }
  if (m.rpfNeighbor === undefined) return undefined;
  const via = router.rib.resolve(m.rpfNeighbor);
  if (!via) return undefined;
  // A directly connected RPF neighbour is the neighbour itself; a remote one is reached through the gateway.
  const neighbor = via.route.source === 'connected' ? m.rpfNeighbor : via.gateway;
  return { interface: via.interface, neighbor };
}

function unicastRpf(router: Router, address: Ipv4): RpfInfo | undefined {
  const resolved = router.rib.resolve(address);
  if (!resolved) return undefined;
  const r = resolved.route;
  const connected = r.source === 'connected' || r.source === 'local';
  return {
    address,
    interface: resolved.interface,
    neighbor: connected ? 0 : resolved.gateway,
    prefix: r.prefix,
    kind: 'unicast',
    distance: r.distance,
    routeSource: r.source,
  };
}

/**
 * The MRIB lookup in IOS order: our own address first, then the static mroute table and the unicast RIB,
 * weighed by administrative distance (static mroutes default to 0 and win ties: "Doing distance-preferred
 * lookups across tables").
 */
export function lookupRpf(router: Router, address: Ipv4): RpfInfo | undefined {
  const own = router.config.interfaces.find((i) => i.address?.address === address);
  if (own && router.isUp(own.name)) {
    return {
      address,
      interface: own.name,
      neighbor: 0,
      prefix: makePrefix(address, 32),
      kind: 'local',
      distance: 0,
    };
  }
  const mroute = staticMrouteRpf(router, address);
  const unicast = unicastRpf(router, address);
  if (mroute && (!unicast || mroute.distance <= unicast.distance)) return mroute;
  return unicast;
}

/** How an RPF decision is described in a drop reason or a panel: "static mroute 1.1.1.1/32". */
export function describeRpf(rpf: RpfInfo): string {
  switch (rpf.kind) {
    case 'local':
      return 'our own address';
    case 'static-mroute':
      return `static mroute ${formatPrefix(rpf.prefix)}`;
    case 'unicast': {
      const via = rpf.neighbor !== 0 ? ` via ${formatIpv4(rpf.neighbor)}` : '';
      return `unicast ${rpf.routeSource ?? ''} route ${formatPrefix(rpf.prefix)}${via}`.replace('  ', ' ');
    }
  }
}

/** The reason traced when a packet fails the RPF check. */
export function rpfFailureReason(source: Ipv4, inInterface: string, rpf: RpfInfo | undefined): string {
  const s = formatIpv4(source);
  if (!rpf) return `RPF check failed: no route back to ${s} (it arrived on ${inInterface})`;
  return `RPF check failed: ${s} arrived on ${inInterface} but the RPF interface is ${rpf.interface} (${describeRpf(rpf)})`;
}

/** `show ip rpf <address>` in IOS 15 layout. */
export function showIpRpf(router: Router, address: Ipv4): string {
  const a = formatIpv4(address);
  const rpf = lookupRpf(router, address);
  if (!rpf) return `RPF information for ? (${a}) failed, no route exists`;
  const nbr = rpf.neighbor === 0 ? `? (${a}) - directly connected` : `? (${formatIpv4(rpf.neighbor)})`;
  const type =
    rpf.kind === 'static-mroute'
      ? 'multicast (static)'
      : rpf.kind === 'local'
        ? 'unicast (connected)'
        : `unicast (${unicastTypeName(router, rpf.routeSource)})`;
  return [
    `RPF information for ? (${a})`,
    `  RPF interface: ${rpf.interface}`,
    `  RPF neighbor: ${nbr}`,
    `  RPF route/mask: ${formatPrefix(rpf.prefix)}`,
    `  RPF type: ${type}`,
    '  RPF recursion count: 0',
    '  Doing distance-preferred lookups across tables',
  ].join('\n');
}

function unicastTypeName(router: Router, source: RouteSource | undefined): string {
  switch (source) {
    case 'eigrp':
    case 'eigrp-external':
      return `eigrp ${router.config.eigrp[0]?.asNumber ?? ''}`.trim();
    case 'local':
      return 'connected';
    case undefined:
      return '';
    default:
      return source;
  }
}
