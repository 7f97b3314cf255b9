/**
 * The group-to-RP choice among a BSR's RP-set (RFC 7761 §4.7.1 and the hash function of §4.7.2): longest group
 * range first, then the best (numerically lowest) priority, then the highest hash value, then the highest RP
 * address. IOS prints the same values (`show ip pim rp-hash`, NetworkLessons "Multicast PIM Bootstrap (BSR)":
 * group 239.1.1.1, mask 0.0.0.0: RP 4.4.4.4 hash value 1642267698, RP 1.1.1.1 hash value 332477713).
 */
import { type Ipv4, maskFromLength } from '../../../net/ipv4-address';
import { type Prefix, prefixContains } from '../../../net/prefix';

/** One C-RP for one group range, as a BSR distributes it. */
export interface RpSetEntry {
  readonly prefix: Prefix;
  readonly rp: Ipv4;
  readonly priority: number;
}

const HASH_A = 1103515245;
const HASH_C = 12345;

/** Value(G,M,C) = (1103515245 × ((1103515245 × (G&M) + 12345) XOR C) + 12345) mod 2^31 (RFC 7761 §4.7.2). */
export function rpHashValue(group: Ipv4, hashMaskLength: number, rp: Ipv4): number {
  const masked = (group & maskFromLength(hashMaskLength)) >>> 0;
  const inner = (Math.imul(HASH_A, masked) + HASH_C) >>> 0;
  return (Math.imul(HASH_A, (inner ^ rp) >>> 0) + HASH_C) & 0x7fffffff;
}

/** RFC 7761 §4.7.1: the RP of `group` among `set`, or undefined when no range covers it. */
export function chooseBsrRp<T extends RpSetEntry>(
  set: readonly T[],
  group: Ipv4,
  hashMaskLength: number,
): T | undefined {
  let best: T | undefined;
  let bestHash = -1;
  for (const e of set) {
    if (!prefixContains(e.prefix, group)) continue;
    const hash = rpHashValue(group, hashMaskLength, e.rp);
    if (!best || better(e, hash, best, bestHash)) {
      best = e;
      bestHash = hash;
    }
  }
  return best;
}

function better(a: RpSetEntry, aHash: number, b: RpSetEntry, bHash: number): boolean {
  if (a.prefix.length !== b.prefix.length) return a.prefix.length > b.prefix.length;
  if (a.priority !== b.priority) return a.priority < b.priority;
  if (aHash !== bHash) return aHash > bHash;
  return a.rp > b.rp;
}
