import type { EigrpExternalData, EigrpMetric } from '../../net/eigrp';
import type { Ipv4 } from '../../net/ipv4-address';
import { formatPrefix, type Prefix } from '../../net/prefix';
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
  /** Active: neighbours (keys) whose Reply is awaited. */
  readonly pendingReplies: Set<string>;
  /** Active: neighbours (keys) whose Query must be answered once the entry goes passive. */
  readonly replyTo: Set<string>;
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

function prefixKey(p: Prefix): string {
  return formatPrefix(p);
}

/** The topology table of one EIGRP process, keyed by prefix. */
export class TopologyTable {
  private readonly entries = new Map<string, TopologyEntry>();
  /** `all()`'s sorted list, kept until an entry comes or goes: a hub's flush reads it once per neighbour. */
  private sorted: readonly TopologyEntry[] | undefined;

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
        pendingReplies: new Set(),
        replyTo: new Set(),
      };
      this.entries.set(key, e);
      this.sorted = undefined;
    }
    return e;
  }

  delete(prefix: Prefix): void {
    if (this.entries.delete(prefixKey(prefix))) this.sorted = undefined;
  }

  /** Entries sorted by address then length, the order IOS prints them in. */
  all(): readonly TopologyEntry[] {
    this.sorted ??= [...this.entries.values()].sort(
      (a, b) => a.prefix.network - b.prefix.network || a.prefix.length - b.prefix.length,
    );
    return this.sorted;
  }

  get size(): number {
    return this.entries.size;
  }
}
