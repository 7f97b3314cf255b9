/**
 * Access-list match counters, per router and per ACE: what `show ip access-lists` prints as "(N matches)".
 * An ACE counts a match each time a packet that a feature evaluates against the list stops at it (first match
 * wins), so counters count real packets, never configuration. `clear ip access-list counters` zeroes them.
 * Keyed by the ACE objects of the running-config: an edited entry is a new object and starts from zero. Kept on
 * the router (`router.aclMatches`), not in a module-level WeakMap, so a checkpoint's copy of the router has them.
 */
import type { AccessList, ExtendedAce, StandardAce } from '../../config/model';
import type { Router } from '../../device/router';

type Ace = StandardAce | ExtendedAce;

export function countAclMatch(router: Router, ace: Ace): void {
  const c = router.aclMatches;
  c.set(ace, (c.get(ace) ?? 0) + 1);
}

export function aclMatches(router: Router, ace: Ace): number {
  return router.aclMatches.get(ace) ?? 0;
}

/** Zeroes the counters of one list, or of every list when `list` is undefined. */
export function clearAclCounters(router: Router, lists: Iterable<AccessList>): void {
  const c = router.aclMatches;
  for (const acl of lists) for (const e of acl.entries) if (e.kind !== 'remark') c.delete(e);
}
