import type { SimTime } from '../../kernel/time';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import type { RpfInfo } from './rpf';

/** One outgoing interface of an entry; on an nbma-mode interface, PIM joins are kept per neighbour. */
export interface OutgoingInterface {
  readonly interface: string;
  /** The downstream neighbour on an `ip pim nbma-mode` interface (IOS shows it as the Next-Hop). */
  readonly nextHop?: Ipv4;
  /** Why it is in the list: a PIM join, an IGMP member, our own membership, or the dense flood. */
  readonly reason: 'pim' | 'igmp' | 'local' | 'dense';
  /**
   * Listed but not forwarded to: our own `ip igmp join-group` on an interface where we are not the DR. IOS
   * lists it (the router is a receiver there: "MRT Add/Update Tunnel10 for (*,G)"), but only the DR forwards
   * onto the link and joins upstream for it (RFC 7761 §4.1.6 pim_include; Cisco technote 119383).
   */
  readonly passive?: boolean;
  /** Assert winner on this interface (the `A` OIF flag, RFC 7761 §4.6). */
  readonly assertWinner?: boolean;
  readonly since: SimTime;
  /** Absolute expiry time, or undefined for "stopped". */
  readonly expires?: SimTime;
}

export function oifKey(ifName: string, nextHop: Ipv4 | undefined): string {
  return nextHop === undefined ? ifName : `${ifName} ${nextHop}`;
}

/** A (*,G) or (S,G) entry of the multicast routing table. */
export interface MrouteEntry {
  /** Undefined for (*,G). */
  readonly source?: Ipv4;
  readonly group: Ipv4;
  readonly since: SimTime;
  /** Dense (the Auto-RP groups with dense-mode fallback, or a group without an RP). */
  dense: boolean;
  /** The RP of a sparse (*,G) entry. */
  rp?: Ipv4;
  /** Undefined = Null (we are the RP, or no route back). */
  rpf?: RpfInfo;
  oil: Map<string, OutgoingInterface>;
  /** Flags other than those derived from state: T (SPT bit), J (joined the SPT), `, Registering`. */
  spt: boolean;
  joinSpt: boolean;
  registering: boolean;
  /**
   * F: we are the DR of a directly connected source (RFC 7761 §4.4.1 CouldRegister). IOS keeps it after the
   * Register-Stop (`FT` on a source-side DR: published IOS-XE 17.15 lab output); `, Registering` is the Join
   * state only.
   */
  firstHop?: boolean;
  /**
   * L: this router itself joined the group. C: a member (our own join-group included) on an interface where we
   * are the DR, i.e. one IGMP puts in the outgoing list. Published IOS output: the Auto-RP lesson's non-DR R1
   * and R3 show `(*, 224.0.1.40) … flags: DPL` with `Outgoing interface list: Null`, the DR R4 `DCL`
   * (NetworkLessons, "Multicast PIM Auto-RP").
   */
  local: boolean;
  connected: boolean;
  /** J on a sparse (*,G): a last hop (C or L) with the default SPT threshold 0 (`SJCL`, `SJPCL`, `SJPL`). */
  lastHop?: boolean;
  /** (S,G) keepalive: absolute expiry after the last data packet (IOS shows about 3:00). */
  keepaliveUntil?: SimTime;
  /** (S,G): the shared-tree upstream (`interface neighbour`) we prune S off with (S,G,rpt), if any. */
  rptPrunedTo?: string;
  /** Upstream state: the neighbour we last sent a join to, if joined. */
  joinedTo?: { interface: string; neighbor: Ipv4 };
  /** `show ip mroute count`. */
  packetsForwarded: number;
  packetsReceived: number;
  rpfFailures: number;
  bytesForwarded: number;
  /**
   * Packets forwarded per outgoing interface (`oifKey`), for `show ip mfib`; undefined until the first one (most
   * entries never forward: a checkpoint of a 1000-spoke lab copied ~7,000 of these empty, issue 18).
   */
  oifPackets: Map<string, number> | undefined;
}

/** The outgoing interfaces traffic is actually sent to or joined for (passive listings left out). */
export function forwardingOifs(e: MrouteEntry | undefined): OutgoingInterface[] {
  return e ? [...e.oil.values()].filter((o) => o.passive !== true) : [];
}

/**
 * Map key of an entry (and the first part of per-entry state keys elsewhere). Built per data packet and per
 * outgoing interface in a recompute, so it uses the raw numbers rather than the dotted form.
 */
export function entryKey(source: Ipv4 | undefined, group: Ipv4): string {
  return `${source ?? '*'},${group}`;
}

/** `(*, 239.10.10.1)` or `(1.1.1.1, 239.10.10.1)` as `show ip mroute` prints it. */
export function entryName(e: Pick<MrouteEntry, 'source' | 'group'>): string {
  return `(${e.source === undefined ? '*' : formatIpv4(e.source)}, ${formatIpv4(e.group)})`;
}

/** `(*, 239.10.10.1)` or `(1.1.1.1/32, 224.0.1.40)` as `debug ip pim` prints it. */
export function entryDebugName(e: Pick<MrouteEntry, 'source' | 'group'>): string {
  return `(${e.source === undefined ? '*' : `${formatIpv4(e.source)}/32`}, ${formatIpv4(e.group)})`;
}

/**
 * The IOS flag letters of an entry, in the order IOS prints them. Published IOS output: (*,G) `SJPCL` (a
 * join-group on the RPF interface, NetworkLessons "Multicast PIM RP RPF failure"), `SJCL`, `DCL`, `DPL`,
 * `DP`; (S,G) `PLT`, `PLTX`, `LT`, `PT` (NetworkLessons "Multicast PIM Auto-RP"), `LJT`, `PJT`, `PFT`, `FT`
 * (the `show ip mroute` flag legend; published IOS output; Cisco, "Enabling PIM NBMA Mode").
 */
export function entryFlags(e: MrouteEntry): string {
  const on = (cond: boolean | undefined, letter: string): string => (cond === true ? letter : '');
  const pruned = on(e.oil.size === 0, 'P');
  if (e.source === undefined) {
    const j = on(e.joinSpt || (!e.dense && e.lastHop), 'J');
    return (e.dense ? 'D' : 'S') + j + pruned + on(e.connected, 'C') + on(e.local, 'L');
  }
  const f = on(e.registering || e.firstHop, 'F');
  return pruned + on(e.local, 'L') + f + on(e.joinSpt, 'J') + on(e.spt, 'T');
}

export function newEntry(source: Ipv4 | undefined, group: Ipv4, now: SimTime): MrouteEntry {
  return {
    source,
    group,
    since: now,
    dense: false,
    oil: new Map(),
    spt: false,
    joinSpt: false,
    registering: false,
    local: false,
    connected: false,
    packetsForwarded: 0,
    packetsReceived: 0,
    rpfFailures: 0,
    bytesForwarded: 0,
    oifPackets: undefined,
  };
}

/** The table: entries by key, (*,G) before (S,G), groups in address order (the `show ip mroute` order). */
export class MrouteTable {
  private readonly entries = new Map<string, MrouteEntry>();
  /** `all()`'s result until the next add or delete. */
  private sorted: readonly MrouteEntry[] | undefined;

  get(source: Ipv4 | undefined, group: Ipv4): MrouteEntry | undefined {
    return this.entries.get(entryKey(source, group));
  }

  add(e: MrouteEntry): MrouteEntry {
    this.entries.set(entryKey(e.source, e.group), e);
    this.sorted = undefined;
    return e;
  }

  delete(e: MrouteEntry): void {
    this.entries.delete(entryKey(e.source, e.group));
    this.sorted = undefined;
  }

  /**
   * Every entry in table order. The sorted list is kept until an entry is added or deleted: a hub's recompute
   * walks the table several times per spoke Join (issue 18, 10,000 spokes). A change makes a NEW list, so a
   * caller that deletes while it walks keeps walking the list it was given; the sort keys (group, source) never
   * change on an entry.
   */
  all(): readonly MrouteEntry[] {
    this.sorted ??= [...this.entries.values()].sort(
      (a, b) =>
        b.group - a.group || (a.source === undefined ? -1 : b.source === undefined ? 1 : a.source - b.source),
    );
    return this.sorted;
  }

  sources(group: Ipv4): MrouteEntry[] {
    return this.all().filter((e) => e.group === group && e.source !== undefined);
  }
}
