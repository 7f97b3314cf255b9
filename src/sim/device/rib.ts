import { type Ipv4, maskFromLength } from '../net/ipv4-address';
import { type Prefix, prefixContains } from '../net/prefix';
import type { SimTime } from '../kernel/time';

/**
 * Where a route came from. The core's sources are here; a routing protocol adds its own from its folder by
 * module augmentation (`declare module '../../device/rib' { interface RouteSources { eigrp: true } }`) and
 * says how `show ip route` prints them in its descriptor's `routeSources`.
 */
export interface RouteSources {
  connected: true;
  local: true;
  static: true;
}

export type RouteSource = keyof RouteSources;

export interface NextHop {
  /** Next-hop address; absent for directly connected and interface-only routes. */
  readonly address?: Ipv4;
  /** Outgoing interface once resolved. */
  readonly interface?: string;
}

export interface Route {
  readonly prefix: Prefix;
  readonly source: RouteSource;
  /** Administrative distance (IOS defaults: connected 0, static 1, EIGRP 90, EIGRP external 170). */
  readonly distance: number;
  readonly metric: number;
  readonly nextHops: readonly NextHop[];
  /** When the route was installed, for the age column. */
  readonly since: SimTime;
}

/** A route after recursive next-hop resolution: what forwarding actually uses. */
export interface ResolvedRoute {
  readonly route: Route;
  readonly interface: string;
  /** The address to send to on `interface` (the destination itself when directly connected). */
  readonly gateway: Ipv4;
}

/** A number naming a prefix (network and length), for maps that are read per packet or per route. */
export function prefixNumber(p: Prefix): number {
  return p.network * 64 + p.length;
}

function sameNextHops(a: readonly NextHop[], b: readonly NextHop[]): boolean {
  return (
    a.length === b.length && a.every((h, i) => h.address === b[i]!.address && h.interface === b[i]!.interface)
  );
}

function sameRoute(a: Route, b: Route): boolean {
  return (
    a.source === b.source &&
    a.distance === b.distance &&
    a.metric === b.metric &&
    a.since === b.since &&
    sameNextHops(a.nextHops, b.nextHops)
  );
}

function sameRoutes(a: readonly Route[] | undefined, b: readonly Route[] | undefined): boolean {
  if (!a || !b) return a === b;
  return a.length === b.length && a.every((r, i) => sameRoute(r, b[i]!));
}

/**
 * Freezes a route offered to the RIB, with its prefix and next hops: a route is never changed once offered (a
 * change offers a new one), so a checkpoint shares it instead of copying it (issue 18: a 1000-spoke lab's RIBs
 * hold ~100,000 route objects).
 */
function freezeRoute(r: Route): void {
  if (Object.isFrozen(r)) return;
  Object.freeze(r.prefix);
  for (const h of r.nextHops) Object.freeze(h);
  Object.freeze(r.nextHops);
  Object.freeze(r);
}

/** Routes grouped by prefix, in their given order. */
function byPrefix(routes: readonly Route[]): Map<number, Route[]> {
  const out = new Map<number, Route[]>();
  for (const r of routes) {
    freezeRoute(r);
    const k = prefixNumber(r.prefix);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

/**
 * The unicast RIB. Each source offers candidate routes; the best by administrative distance per prefix is
 * installed. Lookup is longest-prefix match over one map per prefix length. A change re-selects only the
 * prefixes it touched: a 1000-spoke hub's EIGRP changes a route or two at a time among a thousand.
 */
export class Rib {
  /** Per source, its candidates by prefix; sources keep the order they were first offered in (ties). */
  private readonly candidates = new Map<RouteSource, Map<number, Route[]>>();
  private readonly byLength: Map<number, Route>[] = [];
  private version = 0;

  /** Called after a source's routes change (the router re-checks static next hops). */
  onChange: ((source: RouteSource) => void) | undefined;

  /** Replaces every candidate route of `source`. */
  setRoutes(source: RouteSource, routes: readonly Route[]): void {
    const fresh = byPrefix(routes);
    const old = this.candidates.get(source);
    this.candidates.set(source, fresh);
    const touched: number[] = [];
    for (const [k, list] of fresh) if (!sameRoutes(old?.get(k), list)) touched.push(k);
    if (old) for (const k of old.keys()) if (!fresh.has(k)) touched.push(k);
    this.reselect(source, touched);
  }

  /**
   * Replaces the candidates of `source` for `prefixes` only, with those of `routes` (every route must be for
   * one of `prefixes`); other prefixes keep theirs.
   */
  updateRoutes(source: RouteSource, prefixes: readonly Prefix[], routes: readonly Route[]): void {
    let map = this.candidates.get(source);
    if (!map) this.candidates.set(source, (map = new Map()));
    const fresh = byPrefix(routes);
    const touched: number[] = [];
    for (const p of prefixes) {
      const k = prefixNumber(p);
      const now = fresh.get(k);
      if (sameRoutes(map.get(k), now)) continue;
      touched.push(k);
      if (now) map.set(k, now);
      else map.delete(k);
    }
    this.reselect(source, touched);
  }

  routesOf(source: RouteSource): readonly Route[] {
    return [...(this.candidates.get(source)?.values() ?? [])].flat();
  }

  /** The first candidate of `source` for `prefix`. */
  candidate(source: RouteSource, prefix: Prefix): Route | undefined {
    return this.candidates.get(source)?.get(prefixNumber(prefix))?.[0];
  }

  /** Bumped on every change, so dependants (RPF, protocols) can tell when to recompute. */
  get revision(): number {
    return this.version;
  }

  /** Installed routes, sorted by prefix. */
  installed(): Route[] {
    const all: Route[] = [];
    for (const m of this.byLength) if (m) all.push(...m.values());
    return all.sort((a, b) => a.prefix.network - b.prefix.network || a.prefix.length - b.prefix.length);
  }

  exact(prefix: Prefix): Route | undefined {
    return this.byLength[prefix.length]?.get(prefix.network);
  }

  /** Longest-prefix match. */
  lookup(destination: Ipv4): Route | undefined {
    // Asked for every packet routed: the network is masked in place, no prefix object per length (issue 18).
    for (let len = 32; len >= 0; len--) {
      const m = this.byLength[len];
      if (!m) continue;
      const r = m.get((destination & maskFromLength(len)) >>> 0);
      if (r) return r;
    }
    return undefined;
  }

  /**
   * Resolves a destination to an interface and gateway, following recursive next hops (a static route to a
   * next-hop address is resolved through the route to that address, as IOS does), up to a small depth.
   */
  resolve(destination: Ipv4, depth = 0): ResolvedRoute | undefined {
    const route = this.lookup(destination);
    if (!route || depth > 8) return undefined;
    const hop = route.nextHops[0];
    if (!hop) return undefined;
    if (hop.interface && hop.address === undefined) {
      return { route, interface: hop.interface, gateway: destination };
    }
    if (hop.interface && hop.address !== undefined) {
      return { route, interface: hop.interface, gateway: hop.address };
    }
    if (hop.address === undefined) return undefined;
    const via = this.resolve(hop.address, depth + 1);
    return (
      via && {
        route,
        interface: via.interface,
        gateway: via.route.source === 'connected' ? hop.address : via.gateway,
      }
    );
  }

  /** Installs the best candidate of each touched prefix: lowest distance, then metric, first offered. */
  private reselect(source: RouteSource, touched: readonly number[]): void {
    if (touched.length === 0) return;
    for (const k of touched) {
      let best: Route | undefined;
      for (const map of this.candidates.values()) {
        for (const r of map.get(k) ?? []) {
          if (
            !best ||
            r.distance < best.distance ||
            (r.distance === best.distance && r.metric < best.metric)
          ) {
            best = r;
          }
        }
      }
      const length = k % 64;
      const network = (k - length) / 64;
      const m = (this.byLength[length] ??= new Map());
      if (best) m.set(network, best);
      else m.delete(network);
    }
    this.version++;
    this.onChange?.(source);
  }
}

export function routeCovers(route: Route, a: Ipv4): boolean {
  return prefixContains(route.prefix, a);
}
