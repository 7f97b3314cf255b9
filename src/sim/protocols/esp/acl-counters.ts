/**
 * Access-list match counters, per router and per ACE: what `show ip access-lists` prints as "(N matches)".
 * An ACE counts a match each time a packet that a feature evaluates against the list stops at it (first match
 * wins), so counters count real packets, never configuration. `clear ip access-list counters` zeroes them.
 * Keyed by the ACE objects of the running-config: an edited entry is a new object and starts from zero.
 */
import type { AccessList, ExtendedAce, StandardAce } from '../../config/model';
import type { Router } from '../../device/router';

type Ace = StandardAce | ExtendedAce;

const byRouter = new WeakMap<Router, WeakMap<Ace, number>>();

function countersOf(router: Router): WeakMap<Ace, number> {
  let c = byRouter.get(router);
  if (!c) {
    c = new WeakMap();
    byRouter.set(router, c);
  }
  return c;
}

export function countAclMatch(router: Router, ace: Ace): void {
  const c = countersOf(router);
  c.set(ace, (c.get(ace) ?? 0) + 1);
}

export function aclMatches(router: Router, ace: Ace): number {
  return byRouter.get(router)?.get(ace) ?? 0;
}

/** Zeroes the counters of one list, or of every list when `list` is undefined. */
export function clearAclCounters(router: Router, lists: Iterable<AccessList>): void {
  const c = countersOf(router);
  for (const acl of lists) for (const e of acl.entries) if (e.kind !== 'remark') c.delete(e);
}
