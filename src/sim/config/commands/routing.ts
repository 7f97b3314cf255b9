/** Static unicast routes (`ip route`) and static multicast RPF routes (`ip mroute`). */
import type { ConfigCommand, ConfigContext } from '../context';
import { insertSorted, ipParam, optIntParam, optIpParam, optStrParam, removeWhere } from '../context';
import type { CommandMatch } from '../grammar';
import type { StaticMroute, StaticRoute } from '../model';

const IP_HELP = { ip: 'Global IP configuration subcommands' };

interface RouteKey {
  prefix: number;
  mask: number;
  hop?: number;
  iface?: string;
}

function routeKey(ctx: ConfigContext, m: CommandMatch, hopName: string): RouteKey {
  const key: RouteKey = { prefix: ipParam(m, 'prefix'), mask: ipParam(m, 'mask') };
  const hop = optIpParam(m, hopName);
  const iface = optStrParam(m, 'iface');
  if (hop !== undefined) key.hop = hop;
  if (iface !== undefined) {
    key.iface = iface;
    ctx.referenceInterface(iface, m.columns.iface ?? 0);
  }
  return key;
}

/** IOS lists static routes sorted by prefix, then mask. */
function byPrefix(a: { prefix?: number; source?: number; mask: number }, b: typeof a): number {
  return (a.prefix ?? a.source ?? 0) - (b.prefix ?? b.source ?? 0) || a.mask - b.mask;
}

/** A `no` line without next hop removes every route for the prefix (as IOS does). */
function sameTarget(k: RouteKey, hop: number | undefined, iface: string | undefined): boolean {
  if (k.hop === undefined && k.iface === undefined) return true;
  return hop === k.hop && iface === k.iface;
}

export const routingCommands: readonly ConfigCommand[] = [
  {
    syntax:
      'ip route <prefix:ipv4> <mask:mask> (<nexthop:ipv4> | <iface:interface> [<nexthop:ipv4>]) [<distance:int:1-255>]',
    noSyntax:
      'ip route <prefix:ipv4> <mask:mask> [(<nexthop:ipv4> | <iface:interface> [<nexthop:ipv4>])] [<distance:int:1-255>]',
    help: {
      ...IP_HELP,
      route: 'Establish static routes',
      prefix: 'Destination prefix',
      mask: 'Destination prefix mask',
      nexthop: "Forwarding router's address",
      distance: 'Distance metric for this route',
    },
    run: (ctx, m) => {
      const k = routeKey(ctx, m, 'nexthop');
      const routes = ctx.model.staticRoutes;
      removeWhere(
        routes,
        (r) => r.prefix === k.prefix && r.mask === k.mask && sameTarget(k, r.nextHop, r.interface),
      );
      if (!m.negated) {
        const route: { -readonly [K in keyof StaticRoute]: StaticRoute[K] } = {
          prefix: k.prefix,
          mask: k.mask,
        };
        if (k.iface !== undefined) route.interface = k.iface;
        if (k.hop !== undefined) route.nextHop = k.hop;
        const distance = optIntParam(m, 'distance');
        if (distance !== undefined && distance !== 1) route.distance = distance;
        insertSorted<StaticRoute>(routes, route, byPrefix);
      }
      ctx.changed('routing');
    },
  },
  {
    syntax: 'ip mroute <prefix:ipv4> <mask:mask> (<rpf:ipv4> | <iface:interface>) [<distance:int:0-255>]',
    noSyntax: 'ip mroute <prefix:ipv4> <mask:mask> [(<rpf:ipv4> | <iface:interface>)] [<distance:int:0-255>]',
    help: {
      ...IP_HELP,
      mroute: 'Configure static multicast routes',
      prefix: 'Source address',
      mask: 'Source mask',
      rpf: 'RPF neighbor address or route',
      distance: 'Administrative distance for mroute',
    },
    run: (ctx, m) => {
      const k = routeKey(ctx, m, 'rpf');
      const mroutes = ctx.model.mroutes;
      removeWhere(
        mroutes,
        (r) => r.source === k.prefix && r.mask === k.mask && sameTarget(k, r.rpfNeighbor, r.interface),
      );
      if (!m.negated) {
        const route: { -readonly [K in keyof StaticMroute]: StaticMroute[K] } = {
          source: k.prefix,
          mask: k.mask,
        };
        if (k.hop !== undefined) route.rpfNeighbor = k.hop;
        if (k.iface !== undefined) route.interface = k.iface;
        const distance = optIntParam(m, 'distance');
        if (distance !== undefined && distance !== 0) route.distance = distance;
        insertSorted<StaticMroute>(mroutes, route, byPrefix);
      }
      ctx.changed('multicast');
    },
  },
];
