/**
 * A BSR RP-set: group-range-to-C-RP entries, each with its own holdtime timer (RFC 5059 §3.3, §3.5). The elected
 * BSR keeps one built from Candidate-RP-Advertisements (info source: the C-RP); every other router keeps the one
 * the last accepted Bootstrap carried (info source: the BSR). An entry whose holdtime runs out is removed.
 */
import { bound } from '../../../kernel/bound';
import type { Kernel } from '../../../kernel/kernel';
import { seconds, type SimTime } from '../../../kernel/time';
import { Timer } from '../../../kernel/timer';
import type { Ipv4 } from '../../../net/ipv4-address';
import { formatPrefix, type Prefix } from '../../../net/prefix';
import type { RpMapping } from '../rp';
import type { BsrGroupRange } from './bsr-codec';
import { chooseBsrRp } from './rp-hash';

interface CachedRp {
  mapping: RpMapping;
  readonly timer: Timer;
}

/** The PIM version IOS prints for a BSR-learned RP (`RP 1.1.1.1 (?), v2`). */
const PIM_V2 = 2;

export class RpSet {
  private readonly kernel: Kernel;
  private readonly entries = new Map<string, CachedRp>();
  private readonly onExpire: (m: RpMapping) => void;

  constructor(kernel: Kernel, onExpire: (m: RpMapping) => void) {
    this.kernel = kernel;
    this.onExpire = onExpire;
  }

  get size(): number {
    return this.entries.size;
  }

  mappings(): RpMapping[] {
    return [...this.entries.values()].map((c) => c.mapping);
  }

  /**
   * Adds or refreshes `rp` for `prefix`; a holdtime of 0 withdraws it (RFC 5059 §3.3). Returns whether the set
   * changed (a new entry, a withdrawal, or a new priority).
   */
  put(prefix: Prefix, rp: Ipv4, priority: number, holdtime: number, infoSource: Ipv4): boolean {
    const key = `${rp} ${formatPrefix(prefix)}`;
    const existing = this.entries.get(key);
    if (holdtime === 0) return this.remove(key);
    const now = this.kernel.now;
    const mapping: RpMapping = {
      prefix,
      negative: false,
      rp,
      origin: 'bsr',
      infoSource,
      pimVersion: PIM_V2,
      priority,
      holdtime,
      since: existing?.mapping.since ?? now,
      expires: now + seconds(holdtime),
    };
    // A bound method (kernel/bound.ts), not a closure, so a checkpoint copies the timer.
    const cached = existing ?? { mapping, timer: new Timer(this.kernel, bound(this, this.expire, key)) };
    cached.mapping = mapping;
    this.entries.set(key, cached);
    cached.timer.start(seconds(holdtime));
    return !existing || existing.mapping.priority !== priority;
  }

  /** Keeps only the entries `keep` names (`rp prefix` keys from `keyOf`), for a Bootstrap replacing the set. */
  retainOnly(keep: ReadonlySet<string>): boolean {
    let changed = false;
    for (const key of [...this.entries.keys()]) if (!keep.has(key)) changed = this.remove(key) || changed;
    return changed;
  }

  clear(): void {
    for (const c of this.entries.values()) c.timer.stop();
    this.entries.clear();
  }

  /** The RP this set gives `group` (RFC 7761 §4.7.1 with the BSR's hash mask length). */
  choose(group: Ipv4, hashMaskLength: number): RpMapping | undefined {
    const set = this.mappings().map((m) => ({ prefix: m.prefix, rp: m.rp, priority: m.priority ?? 0, m }));
    return chooseBsrRp(set, group, hashMaskLength)?.m;
  }

  /** The set as a Bootstrap's group ranges (RFC 5059 §4.1): ranges in address order, RPs by address. */
  bootstrapRanges(): BsrGroupRange[] {
    const byRange = new Map<string, { prefix: Prefix; rps: RpMapping[] }>();
    for (const m of this.mappings()) {
      const k = formatPrefix(m.prefix);
      const entry = byRange.get(k) ?? { prefix: m.prefix, rps: [] };
      entry.rps.push(m);
      byRange.set(k, entry);
    }
    return [...byRange.values()]
      .sort((a, b) => a.prefix.network - b.prefix.network || a.prefix.length - b.prefix.length)
      .map((r) => ({
        group: { address: r.prefix.network, maskLength: r.prefix.length },
        rpCount: r.rps.length,
        rps: r.rps
          .sort((a, b) => a.rp - b.rp)
          .map((m) => ({ rp: m.rp, holdtime: m.holdtime ?? 0, priority: m.priority ?? 0 })),
      }));
  }

  private remove(key: string): boolean {
    const c = this.entries.get(key);
    if (!c) return false;
    c.timer.stop();
    this.entries.delete(key);
    return true;
  }

  private expire(key: string): void {
    const c = this.entries.get(key);
    if (!c) return;
    this.entries.delete(key);
    this.onExpire(c.mapping);
  }
}

export function rpSetKey(rp: Ipv4, prefix: Prefix): string {
  return `${rp} ${formatPrefix(prefix)}`;
}

/** Microseconds left on an absolute expiry, never negative. */
export function remaining(now: SimTime, at: SimTime | undefined): SimTime {
  return at === undefined ? 0 : Math.max(0, at - now);
}
