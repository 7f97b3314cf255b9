import { INFINITE_DISTANCE } from './metric';
import type { TopologyEntry, TopologyPath } from './topology';

/**
 * DUAL, the diffusing update algorithm (RFC 7868 §5.2, §5.3), as pure decisions on one topology entry. The
 * process feeds it input events (a neighbour's report changed, a neighbour went away, a Reply arrived) and
 * does the sending. Simplification: one diffusing computation at a time per destination (the RFC's four
 * active states collapse to one: an input event while active only updates the table), and no SIA.
 */

/** IOS `maximum-paths` default for EIGRP. */
export const MAX_PATHS = 4;

/** Lowest distance over every path (Dmin), INFINITE_DISTANCE when none is reachable. */
export function minDistance(entry: TopologyEntry): number {
  let best = INFINITE_DISTANCE;
  for (const p of entry.paths.values()) if (p.distance < best) best = p.distance;
  return best;
}

/** The feasibility condition (RFC 7868 §5.2.3): the neighbour's reported distance is below the feasible distance. */
export function isFeasible(path: TopologyPath, fd: number): boolean {
  return path.distance < INFINITE_DISTANCE && path.reportedDistance < fd;
}

/** Paths that meet the feasibility condition, best first (successors and feasible successors). */
export function feasiblePaths(entry: TopologyEntry): TopologyPath[] {
  return sortPaths([...entry.paths.values()].filter((p) => isFeasible(p, entry.fd)));
}

/** Paths best first; ties by interface then neighbour, so the choice is deterministic. */
export function sortPaths(paths: TopologyPath[]): TopologyPath[] {
  return paths.sort(
    (a, b) =>
      a.distance - b.distance ||
      (a.origin === b.origin ? 0 : a.origin === 'connected' ? -1 : 1) ||
      a.interface.localeCompare(b.interface) ||
      (a.neighbor ?? 0) - (b.neighbor ?? 0),
  );
}

function keysAt(entry: TopologyEntry, distance: number): string[] {
  const keyOf = new Map<TopologyPath, string>();
  for (const [k, p] of entry.paths) if (p.distance === distance) keyOf.set(p, k);
  return sortPaths([...keyOf.keys()])
    .slice(0, MAX_PATHS)
    .map((p) => keyOf.get(p)!);
}

export type PassiveOutcome =
  /** Stays passive: successors (maybe new) chosen locally; `changed` when the route or FD moved. */
  | { readonly kind: 'passive'; readonly changed: boolean }
  /** No feasible successor: the entry must go active and query. */
  | { readonly kind: 'active' }
  /** Nothing reaches the destination and it had no route: drop the entry. */
  | { readonly kind: 'gone' };

/**
 * Local computation on a passive entry after an input event (RFC 7868 §5.2.4). When a path with the minimum
 * distance meets the feasibility condition against the current FD, the router switches to it without telling
 * anyone but its own neighbours (an Update). FD then becomes the new distance, as IOS shows it.
 */
export function localComputation(entry: TopologyEntry): PassiveOutcome {
  const dmin = minDistance(entry);
  if (dmin >= INFINITE_DISTANCE) {
    if (entry.fd >= INFINITE_DISTANCE || entry.successors.length === 0) return { kind: 'gone' };
    return { kind: 'active' };
  }
  const candidates = keysAt(entry, dmin);
  const feasible = candidates.some((k) => isFeasible(entry.paths.get(k)!, entry.fd));
  if (!feasible) return { kind: 'active' };
  const changed = dmin !== entry.fd || candidates.join(',') !== entry.successors.join(',');
  entry.fd = dmin;
  entry.successors = candidates;
  return { kind: 'passive', changed };
}

/** Starts a diffusing computation: the neighbours in `queried` owe a Reply. */
export function goActive(entry: TopologyEntry, queried: readonly string[], now = 0): void {
  entry.state = 'active';
  entry.activeSince = now;
  entry.pendingReplies = queried.length > 0 ? new Set(queried) : undefined;
}

/** True when every Reply has arrived (or its neighbour is gone), so the computation can end. */
export function repliesComplete(entry: TopologyEntry): boolean {
  return (entry.pendingReplies?.size ?? 0) === 0;
}

/**
 * Ends a diffusing computation (RFC 7868 §5.2.5): with every Reply in, the best path becomes the successor
 * with no feasibility check and FD is reset to its distance. Returns false when nothing reaches the destination.
 */
export function finishActive(entry: TopologyEntry): boolean {
  entry.state = 'passive';
  entry.pendingReplies = undefined;
  const dmin = minDistance(entry);
  if (dmin >= INFINITE_DISTANCE) {
    entry.fd = INFINITE_DISTANCE;
    entry.successors = [];
    return false;
  }
  entry.fd = dmin;
  entry.successors = keysAt(entry, dmin);
  return true;
}

/** The paths in use. */
export function successorPaths(entry: TopologyEntry): TopologyPath[] {
  return entry.successors.map((k) => entry.paths.get(k)).filter((p): p is TopologyPath => p !== undefined);
}

/** The distance this router reports for the entry: its current best (passive) or via what it still has (active). */
export function reportedDistanceOf(entry: TopologyEntry): number {
  if (entry.state === 'passive') return entry.successors.length > 0 ? entry.fd : INFINITE_DISTANCE;
  return minDistance(entry);
}
