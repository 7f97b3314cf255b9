import type { EigrpExternalData, EigrpMetric } from '../../net/eigrp';
import { type Ipv4, parseIpv4 } from '../../net/ipv4-address';
import { formatPrefix, makePrefix, type Prefix } from '../../net/prefix';
import { compositeMetric } from './metric';

/**
 * One way to reach a destination: a connected interface, or what a neighbour reported (its vector, and the
 * vector once our interface is added). RFC 7868 §5.2: the topology table keeps every neighbour's report,
 * not only the best one, so a feasible successor is ready when the successor fails.
 */
export interface TopologyPath {
  /** `Connected` or the neighbour that reported it. */
  readonly origin: 'connected' | 'neighbor';
  readonly interface: string;
  /** The reporting neighbour (absent for connected paths). */
  readonly neighbor?: Ipv4;
  /** Where traffic goes: the TLV's next hop when it names a third party (`no ip next-hop-self`), else the neighbour. */
  readonly nextHop?: Ipv4;
  /** The vector as the neighbour reported it; its composite is the reported distance (RD). */
  readonly reported: EigrpMetric;
  /** The vector through us: reported + our interface. Its composite is this path's distance. */
  readonly metric: EigrpMetric;
  readonly distance: number;
  readonly reportedDistance: number;
  /** External routes (TLV 0x0103): learned only; this model redistributes nothing. */
  readonly external?: EigrpExternalData;
}

export type EntryState = 'passive' | 'active';

/** A destination in the topology table and its DUAL state. */
export interface TopologyEntry {
  readonly prefix: Prefix;
  readonly paths: Map<string, TopologyPath>;
  /** Feasible distance; INFINITE_DISTANCE when the destination has no route. */
  fd: number;
  /** Keys of the paths in use (equal cost, at most MAX_PATHS). */
  successors: string[];
  state: EntryState;
  // The two sets below are undefined while empty (most entries, most of the time): a checkpoint copies every
  // object, and a 1000-spoke lab held ~8,000 of them empty (issue 18).
  /** Active: neighbours (keys) whose Reply is awaited; undefined when none. */
  pendingReplies?: Set<string>;
  /** Active: neighbours (keys) whose Query must be answered once the entry goes passive; undefined when none. */
  replyTo?: Set<string>;
  /** When the current diffusing computation started (the `active` age in the topology table). */
  activeSince?: number;
}

export function pathKey(iface: string, neighbor?: Ipv4): string {
  return neighbor === undefined ? `connected ${iface}` : `${iface} ${neighbor}`;
}

export function makePath(p: Omit<TopologyPath, 'distance' | 'reportedDistance'>): TopologyPath {
  const reportedDistance = p.origin === 'connected' ? 0 : compositeMetric(p.reported);
  return { ...p, distance: compositeMetric(p.metric), reportedDistance };
}

/** How the table, its touched sets and a process's maps name a destination ("10.1.0.0/16"). */
export function prefixKey(p: Prefix): string {
  return formatPrefix(p);
}

/** The prefix a `prefixKey` names (for destinations no longer in the table). */
export function prefixOfKey(key: string): Prefix {
  const [address = '', length = '32'] = key.split('/');
  return makePrefix(parseIpv4(address) ?? 0, Number(length));
}

/** `all()` in IOS order (address, then length) with each entry's prefix key. */
export interface SortedTopology {
  readonly entries: readonly TopologyEntry[];
  readonly keys: readonly string[];
}

export function comparePrefixes(a: Prefix, b: Prefix): number {
  return a.network - b.network || a.length - b.length;
}

/**
 * The topology table of one EIGRP process, keyed by prefix. It also notes which destinations were touched
 * (learned, recomputed, added or removed) for each subscriber, so a flush or a RIB sync reads only those.
 */
export class TopologyTable {
  private readonly entries = new Map<string, TopologyEntry>();
  /**
   * `all()`'s sorted list, kept in order as entries come and go: a converging hub's flushes read it about once
   * per spoke, and a spoke's LAN comes with most of them.
   */
  private sorted: SortedTopology | undefined;
  /**
   * Entries added since `sorted` was built, merged in at the next read: a batch of k additions (a router
   * booting with thousands of connected subnets) then costs one O(n + k log k) merge, not k copies of the
   * whole list (O(n·k), issue 13 item 8). Deletions only mark the list `stale`; the merge drops dead entries.
   */
  private added: TopologyEntry[] = [];
  private stale = false;
  private readonly touchedSets = new Set<Set<string>>();

  /** A set that collects the key of every destination touched from now on (the subscriber empties it). */
  trackTouched(): Set<string> {
    const set = new Set<string>();
    this.touchedSets.add(set);
    return set;
  }

  untrackTouched(set: Set<string>): void {
    this.touchedSets.delete(set);
  }

  /** Something about this destination may have changed (paths, successors, state, presence). */
  touch(prefix: Prefix): void {
    if (this.touchedSets.size === 0) return;
    const key = prefixKey(prefix);
    for (const set of this.touchedSets) set.add(key);
  }

  get(prefix: Prefix): TopologyEntry | undefined {
    return this.entries.get(prefixKey(prefix));
  }

  getOrCreate(prefix: Prefix, infinite: number): TopologyEntry {
    const key = prefixKey(prefix);
    let e = this.entries.get(key);
    if (!e) {
      e = {
        prefix,
        paths: new Map(),
        fd: infinite,
        successors: [],
        state: 'passive',
        pendingReplies: undefined,
        replyTo: undefined,
      };
      this.entries.set(key, e);
      if (this.sorted) {
        this.added.push(e);
        this.stale = true;
      }
      this.touch(prefix);
    }
    return e;
  }

  getByKey(key: string): TopologyEntry | undefined {
    return this.entries.get(key);
  }

  delete(prefix: Prefix): void {
    if (this.entries.delete(prefixKey(prefix))) {
      if (this.sorted) this.stale = true;
      this.touch(prefix);
    }
  }

  /**
   * The sorted list with pending additions merged in and deleted entries dropped. New arrays, never edited in
   * place: a caller may be iterating the old list (a neighbour going down).
   */
  private merge(old: SortedTopology): SortedTopology {
    const live = (e: TopologyEntry, key: string): boolean => this.entries.get(key) === e;
    const added = this.added
      .map((e) => ({ e, key: prefixKey(e.prefix) }))
      .filter(({ e, key }) => live(e, key))
      .sort((a, b) => comparePrefixes(a.e.prefix, b.e.prefix));
    this.added = [];
    const entries: TopologyEntry[] = [];
    const keys: string[] = [];
    let j = 0;
    for (let i = 0; i < old.entries.length; i++) {
      const e = old.entries[i]!;
      const key = old.keys[i]!;
      if (!live(e, key)) continue;
      while (j < added.length && comparePrefixes(added[j]!.e.prefix, e.prefix) < 0) {
        entries.push(added[j]!.e);
        keys.push(added[j]!.key);
        j++;
      }
      entries.push(e);
      keys.push(key);
    }
    for (; j < added.length; j++) {
      entries.push(added[j]!.e);
      keys.push(added[j]!.key);
    }
    return { entries, keys };
  }

  /** Entries sorted by address then length, the order IOS prints them in. */
  all(): readonly TopologyEntry[] {
    return this.sortedView().entries;
  }

  sortedView(): SortedTopology {
    if (!this.sorted) {
      const entries = [...this.entries.values()].sort((a, b) => comparePrefixes(a.prefix, b.prefix));
      this.sorted = { entries, keys: entries.map((e) => prefixKey(e.prefix)) };
      this.added = [];
      this.stale = false;
    } else if (this.stale) {
      this.sorted = this.merge(this.sorted);
      this.stale = false;
    }
    return this.sorted;
  }

  get size(): number {
    return this.entries.size;
  }
}
