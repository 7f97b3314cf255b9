import type { Ipv4 } from '../net/ipv4-address';
import { makePrefix, type Prefix, prefixContains } from '../net/prefix';
import type { SimTime } from '../kernel/time';

/** Where a route came from; `code` is the IOS letter shown by `show ip route`. */
export type RouteSource = 'connected' | 'local' | 'static' | 'eigrp' | 'eigrp-external' | 'nhrp';

export const ROUTE_CODE: Record<RouteSource, string> = {
  connected: 'C',
  local: 'L',
  static: 'S',
  eigrp: 'D',
  'eigrp-external': 'D EX',
  nhrp: 'H',
};

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

/**
 * The unicast RIB. Each source offers candidate routes; the best by administrative distance per prefix is
 * installed. Lookup is longest-prefix match over one map per prefix length.
 */
export class Rib {
  private readonly candidates = new Map<RouteSource, Route[]>();
  private byLength: Map<number, Route>[] = [];
  private version = 0;

  /** Called after a source's routes change (the router re-checks static next hops). */
  onChange: ((source: RouteSource) => void) | undefined;

  /** Replaces every candidate route of `source`. */
  setRoutes(source: RouteSource, routes: readonly Route[]): void {
    this.candidates.set(source, [...routes]);
    this.rebuild();
    this.onChange?.(source);
  }

  routesOf(source: RouteSource): readonly Route[] {
    return this.candidates.get(source) ?? [];
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
    for (let len = 32; len >= 0; len--) {
      const m = this.byLength[len];
      if (!m) continue;
      const r = m.get(makePrefix(destination, len).network);
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

  private rebuild(): void {
    const best = new Map<string, Route>();
    for (const routes of this.candidates.values()) {
      for (const r of routes) {
        const key = `${r.prefix.network}/${r.prefix.length}`;
        const cur = best.get(key);
        if (!cur || r.distance < cur.distance || (r.distance === cur.distance && r.metric < cur.metric)) {
          best.set(key, r);
        }
      }
    }
    this.byLength = [];
    for (const r of best.values()) {
      const m = (this.byLength[r.prefix.length] ??= new Map());
      m.set(r.prefix.network, r);
    }
    this.version++;
  }
}

export function routeCovers(route: Route, a: Ipv4): boolean {
  return prefixContains(route.prefix, a);
}
