import type { EigrpMetric } from '../../net/eigrp';
import type { Ipv4 } from '../../net/ipv4-address';
import { successorPaths } from './dual';
import { sameMetric } from './metric';
import type { TopologyEntry } from './topology';

/** How routes go out one interface: its split-horizon and next-hop-self settings for the AS. */
export interface OutboundPolicy {
  readonly interface: string;
  /** On by default; `no ip split-horizon eigrp N` turns it off. */
  readonly splitHorizon: boolean;
  /** On by default; `no ip next-hop-self eigrp N` turns it off. */
  readonly nextHopSelf: boolean;
}

/** What one neighbour is told about one destination. */
export interface Advertisement {
  readonly nextHop: Ipv4;
  readonly metric: EigrpMetric;
}

/**
 * The advertisement of a passive entry out one interface, or undefined when it is not advertised there.
 *
 * Split horizon (IOS default, also on tunnels): a route whose successor is reached through the interface is
 * not advertised back out of it; on a DMVPN hub's Tunnel10 this keeps one spoke's prefixes from the others.
 * Next hop: 0 (meaning "me", RFC 7868 §6.9.1) unless `no ip next-hop-self` is set and the route was learned on
 * this same interface, in which case the original next hop (the other spoke) is passed on (DMVPN phase 2).
 */
export function advertisementFor(entry: TopologyEntry, policy: OutboundPolicy): Advertisement | undefined {
  const successors = successorPaths(entry);
  const best = successors[0];
  if (!best || entry.state !== 'passive') return undefined;
  const learnedHere = successors.some((p) => p.interface === policy.interface);
  if (policy.splitHorizon && learnedHere) return undefined;
  const thirdParty = !policy.nextHopSelf && best.origin === 'neighbor' && best.interface === policy.interface;
  return { nextHop: thirdParty ? (best.nextHop ?? 0) : 0, metric: best.metric };
}

export function sameAdvertisement(a: Advertisement | undefined, b: Advertisement | undefined): boolean {
  if (!a || !b) return a === b;
  return a.nextHop === b.nextHop && sameMetric(a.metric, b.metric);
}
