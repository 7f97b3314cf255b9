import type { Ipv4 } from '../../net/ipv4-address';

/** One router on a link as DR election sees it: its address and its hello's DR Priority, if it sent one. */
export interface DrCandidate {
  readonly address: Ipv4;
  readonly priority?: number;
}

/**
 * RFC 7761 §4.3.2: when every router advertised a DR Priority, the highest priority wins and ties go to the
 * highest address; when any router omitted it, the highest address wins.
 */
export function electDr(candidates: readonly DrCandidate[]): Ipv4 | undefined {
  if (candidates.length === 0) return undefined;
  const allHavePriority = candidates.every((c) => c.priority !== undefined);
  let best = candidates[0]!;
  for (const c of candidates.slice(1)) {
    if (allHavePriority && c.priority !== best.priority) {
      if ((c.priority ?? 0) > (best.priority ?? 0)) best = c;
    } else if (c.address > best.address) best = c;
  }
  return best.address;
}
