import type { Route } from '../../device/rib';
import type { SimTime } from '../../kernel/time';
import type { Prefix } from '../../net/prefix';
import { successorPaths } from './dual';
import { INFINITE_DISTANCE } from './metric';
import type { TopologyEntry } from './topology';

/** The route a source offered the RIB before for a prefix (its age is kept when the route is unchanged). */
export type PreviousRoute = (source: Route['source'], p: Prefix) => Route | undefined;

/** IOS administrative distances: internal EIGRP 90, external 170 (Cisco, "What Is Administrative Distance?"). */
const INTERNAL_DISTANCE = 90;
const EXTERNAL_DISTANCE = 170;

/**
 * The route one topology entry offers the RIB: its successors, none when the destination is connected or
 * unreachable. An unchanged route keeps the age it had (`since`), as `show ip route` shows it.
 */
export function eigrpRoute(entry: TopologyEntry, previous: PreviousRoute, now: SimTime): Route | undefined {
  const paths = successorPaths(entry);
  if (paths.length === 0 || paths.some((p) => p.origin === 'connected')) return undefined;
  if (entry.fd >= INFINITE_DISTANCE && entry.state === 'passive') return undefined;
  const external = paths[0]!.external !== undefined;
  const source = external ? 'eigrp-external' : 'eigrp';
  const metric = entry.state === 'passive' ? entry.fd : paths[0]!.distance;
  const nextHops = paths.map((p) => ({ address: p.nextHop, interface: p.interface }));
  const old = previous(source, entry.prefix);
  const same =
    old !== undefined &&
    old.metric === metric &&
    old.nextHops.length === nextHops.length &&
    old.nextHops.every(
      (h, i) => h.address === nextHops[i]!.address && h.interface === nextHops[i]!.interface,
    );
  return {
    prefix: entry.prefix,
    source,
    distance: external ? EXTERNAL_DISTANCE : INTERNAL_DISTANCE,
    metric,
    nextHops,
    since: same ? old.since : now,
  };
}
