import { type LazyText, textOf } from '../../device/router';
import { bound } from '../../kernel/bound';
import type { Ipv4 } from '../../net/ipv4-address';
import { formatIpv4 } from '../../net/ipv4-address';
import { IP_PROTO } from '../../net/ipv4';
import { encodePim, type PimEncodedSource, type PimJoinPruneGroup, type PimMessage } from '../../net/pim';
import { seconds } from '../../kernel/time';
import { ALL_PIM_ROUTERS, TOS_INTERNETWORK_CONTROL } from './hello';
import {
  entryDebugName,
  entryKey,
  forwardingOifs,
  type MrouteEntry,
  type OutgoingInterface,
  oifKey,
} from './mroute-table';
import type { PimNeighbor } from './neighbor';
import { DEBUG_PIM, type PimCore, type PimParts } from './pim-core';
import { Timer } from '../../kernel/timer';

/** RFC 7761 §4.11: t_periodic 60 s; J/P Holdtime 3.5 × t_periodic = 210 s (IOS `PIM J/P interval: 60`). */
export const JP_PERIOD = 60;
export const JP_HOLDTIME = 210;
/** J/P_Override_Interval: 0.5 s propagation delay + 2.5 s override interval (RFC 7761 §4.11). */
const PRUNE_OVERRIDE_MS = 3000;

/** Downstream (*,G)/(S,G) join state on one interface (per neighbour on an nbma-mode interface). */
interface DownstreamState {
  readonly source?: Ipv4;
  readonly group: Ipv4;
  readonly interface: string;
  readonly nextHop?: Ipv4;
  readonly since: number;
  readonly expiry: Timer;
  prunePending?: Timer;
}

type Upstream = { interface: string; neighbor: Ipv4 };

/**
 * Where downstream state lives: an interface, and on an nbma-mode interface the neighbour (an outgoing
 * interface has this shape too). `from` is the router whose Join/Prune it was.
 */
type Via = { readonly interface: string; readonly nextHop?: Ipv4; readonly from: Ipv4 };

/** Join/Prune: downstream state from received messages, upstream joins toward the RP or source. */
export class JoinPrune {
  private readonly svc: PimCore & PimParts;
  private readonly states = new Map<string, DownstreamState>();
  /** `states` by (S,G) entry, in the same order: a hub's entries have a thousand spokes' joins each. */
  private readonly statesByEntry = new Map<string, Map<string, DownstreamState>>();
  /** (S,G,rpt) prunes received, keyed like `states`. */
  private readonly rptPrunes = new Map<string, Timer>();
  private readonly periodic: Timer;

  constructor(svc: PimCore & PimParts) {
    this.svc = svc;
    // Timers fire bound methods (kernel/bound.ts), not closures, so a checkpoint copies them.
    this.periodic = new Timer(svc.router.kernel, bound(this, this.sendPeriodic));
  }

  reconcile(): void {
    if (!this.svc.enabled) {
      this.periodic.stop();
      for (const s of this.states.values()) this.clear(s);
      this.states.clear();
      this.statesByEntry.clear();
      return;
    }
    if (!this.periodic.running) this.periodic.start(this.firstPeriodic());
  }

  /**
   * When the first periodic Join/Prune goes. RFC 7761 §4.5.7 starts the Join Timer when upstream state turns
   * Joined ("Set Timer to t_periodic"), so each router's refreshes keep the phase of its own first join
   * rather than a shared clock tick; a seeded draw within t_periodic gives every router its own phase (all
   * of them at xx:00.000 was an artefact) and keeps the run deterministic.
   */
  private firstPeriodic(): number {
    const prng = this.svc.router.kernel.prng.fork(`pim jp ${this.svc.router.name}`);
    return prng.nextInt(seconds(1), seconds(JP_PERIOD));
  }

  private clear(s: DownstreamState): void {
    s.expiry.stop();
    s.prunePending?.stop();
  }

  // ---- downstream ---------------------------------------------------------------------------------------

  /** Groups with (*,G) joins, in the order their first present join arrived (as `states` would list them). */
  joinedGroups(): Set<Ipv4> {
    const groups = new Set<Ipv4>();
    for (const byKey of this.statesByEntry.values()) {
      const first = byKey.values().next().value;
      if (first !== undefined && first.source === undefined) groups.add(first.group);
    }
    return groups;
  }

  hasSourceJoins(source: Ipv4, group: Ipv4): boolean {
    return (this.statesByEntry.get(entryKey(source, group))?.size ?? 0) > 0;
  }

  downstream(source: Ipv4 | undefined, group: Ipv4): Omit<OutgoingInterface, 'since'>[] {
    const now = this.svc.router.kernel.now;
    return [...(this.statesByEntry.get(entryKey(source, group))?.values() ?? [])].map((s) => ({
      interface: s.interface,
      nextHop: s.nextHop,
      reason: 'pim' as const,
      expires: now + (s.expiry.remaining ?? 0),
    }));
  }

  rptPruned(source: Ipv4, group: Ipv4, o: OutgoingInterface): boolean {
    return this.rptPrunes.size > 0 && this.rptPrunes.has(this.key(source, group, o));
  }

  /** A Join/Prune arrived on `ifName` from `from`. Only the named upstream neighbour acts on it. */
  receive(ifName: string, from: Ipv4, msg: Extract<PimMessage, { kind: 'join-prune' }>): void {
    const own = this.svc.router.interfaceAddress(ifName);
    const toUs = msg.upstreamNeighbor === own;
    this.debug(
      () => `Received v2 Join/Prune on ${ifName} from ${formatIpv4(from)}, ${toUs ? 'to us' : 'not to us'}`,
    );
    if (!toUs) return;
    const via: Via = { interface: ifName, nextHop: this.svc.nbmaMode(ifName) ? from : undefined, from };
    for (const g of msg.groups) {
      const group = g.group.address;
      for (const j of g.joins) {
        if (j.wildcard && j.rpt) {
          this.debug(() => `Join-list: (*, ${formatIpv4(group)}), RPT-bit set, WC-bit set, S-bit set`);
          this.join(undefined, group, via, msg.holdtime);
        } else if (!j.rpt) {
          this.debug(() => `Join-list: (${formatIpv4(j.address)}/32, ${formatIpv4(group)}), S-bit set`);
          this.join(j.address, group, via, msg.holdtime);
        } else {
          const key = this.key(j.address, group, via);
          this.rptPrunes.get(key)?.stop();
          this.rptPrunes.delete(key);
        }
      }
      for (const p of g.prunes) {
        if (p.wildcard) {
          this.debug(() => `Prune-list: (*, ${formatIpv4(group)}) RPT-bit set, WC-bit set, S-bit set`);
          this.prune(undefined, group, via);
        } else if (p.rpt) {
          this.debug(
            () => `Prune-list: (${formatIpv4(p.address)}/32, ${formatIpv4(group)}) RPT-bit set, S-bit set`,
          );
          this.rptPrune(p.address, group, via, msg.holdtime);
        } else {
          this.debug(() => `Prune-list: (${formatIpv4(p.address)}/32, ${formatIpv4(group)}) S-bit set`);
          this.prune(p.address, group, via);
        }
      }
    }
    this.svc.recompute(new Set(msg.groups.map((g) => g.group.address)));
  }

  /** `states` and `rptPrunes` key: the entry, then the interface (and neighbour on nbma-mode). */
  private key(source: Ipv4 | undefined, group: Ipv4, at: Omit<Via, 'from'>): string {
    return `${entryKey(source, group)}|${oifKey(at.interface, at.nextHop)}`;
  }

  private join(source: Ipv4 | undefined, group: Ipv4, via: Via, holdtime: number): void {
    const key = this.key(source, group, via);
    let s = this.states.get(key);
    if (!s) {
      const state: DownstreamState = {
        source,
        group,
        interface: via.interface,
        nextHop: via.nextHop,
        since: this.svc.router.kernel.now,
        expiry: new Timer(this.svc.router.kernel, bound(this, this.remove, key)),
      };
      this.states.set(key, (s = state));
      const ek = entryKey(source, group);
      let byKey = this.statesByEntry.get(ek);
      if (!byKey) this.statesByEntry.set(ek, (byKey = new Map()));
      byKey.set(key, state);
      // IOS 15 wording [INF], after published IOS 12 `debug ip pim` lines with the `PIM(0):` prefix: "Add
      // GigabitEthernet0/3/192.168.23.3 to (*, G), Forward state, by PIM *G Join".
      this.debug(
        () =>
          `Add ${via.interface}/${formatIpv4(via.from)} to ${entryDebugName({ source, group })}, Forward state, by PIM ${source === undefined ? '*G' : 'SG'} Join`,
      );
    }
    s.prunePending?.stop();
    s.prunePending = undefined;
    s.expiry.start(seconds(holdtime));
  }

  /**
   * A prune removes the state at once on an nbma-mode interface (each neighbour is its own link) or when the
   * pruning router is our only neighbour there; on a multi-access link it waits 3 s for another router to
   * override it with a join (RFC 7761 §4.5.2). On mGRE without nbma-mode nobody can override: the spokes never
   * hear each other's prunes, so the interface goes for all of them.
   */
  private prune(source: Ipv4 | undefined, group: Ipv4, via: Via): void {
    const key = this.key(source, group, via);
    const s = this.states.get(key);
    if (!s) return;
    if (via.nextHop !== undefined || this.svc.neighbors.countOn(via.interface) <= 1) {
      this.remove(key);
      return;
    }
    if (s.prunePending) return;
    s.prunePending = new Timer(this.svc.router.kernel, bound(this, this.pruneOverrideEnded, key));
    s.prunePending.start(PRUNE_OVERRIDE_MS * 1000);
  }

  /** Nobody overrode the prune within J/P_Override_Interval: the state goes. */
  private pruneOverrideEnded(key: string): void {
    this.remove(key);
    this.svc.recompute();
  }

  private rptPrune(source: Ipv4, group: Ipv4, via: Via, holdtime: number): void {
    const key = this.key(source, group, via);
    let t = this.rptPrunes.get(key);
    if (!t) {
      t = new Timer(this.svc.router.kernel, bound(this, this.rptPruneExpired, key));
      this.rptPrunes.set(key, t);
    }
    t.start(seconds(holdtime));
  }

  private rptPruneExpired(key: string): void {
    this.rptPrunes.delete(key);
    this.svc.recompute();
  }

  private remove(key: string): void {
    const s = this.states.get(key);
    if (!s) return;
    this.clear(s);
    this.states.delete(key);
    const ek = entryKey(s.source, s.group);
    const byKey = this.statesByEntry.get(ek);
    byKey?.delete(key);
    if (byKey?.size === 0) this.statesByEntry.delete(ek);
    this.svc.recompute();
  }

  // ---- upstream -----------------------------------------------------------------------------------------

  /** Where an entry's joins go: its RPF neighbour, when that is a PIM neighbour. */
  private upstreamOf(e: MrouteEntry): Upstream | undefined {
    const rpf = e.rpf;
    if (!rpf || rpf.neighbor === 0 || !this.svc.pimEnabled(rpf.interface)) return undefined;
    // An assert winner on the RPF interface replaces the RPF neighbour as the join target (RFC 7761 §4.6: RPF').
    const neighbor = this.svc.asserts.winnerOn(e, rpf.interface) ?? rpf.neighbor;
    if (!this.svc.neighbors.get(rpf.interface, neighbor)) return undefined;
    return { interface: rpf.interface, neighbor };
  }

  /** JoinDesired (RFC 7761 §4.5.6/§4.5.7): a sparse entry with someone downstream, or our own SPT join. */
  private joinDesired(e: MrouteEntry): boolean {
    if (e.dense || !this.svc.enabled) return false;
    const olist = forwardingOifs(e).length > 0;
    if (e.source === undefined) return e.rp !== undefined && !this.svc.isRp(e.group) && olist;
    if (this.svc.router.ownsAddress(e.source)) return false;
    return (e.joinSpt && (olist || e.local)) || this.hasSourceJoins(e.source, e.group);
  }

  /** Sends triggered joins and prunes for every entry whose upstream state changed. */
  updateUpstream(): void {
    for (const e of this.svc.mroutes.all()) {
      const target = this.joinDesired(e) ? this.upstreamOf(e) : undefined;
      const cur = e.joinedTo;
      if (cur && target && cur.interface === target.interface && cur.neighbor === target.neighbor) continue;
      if (!cur && !target) continue;
      if (cur) void this.send(cur, [], [e], 'Triggered');
      e.joinedTo = target;
      if (target) void this.send(target, [e], [], 'Triggered');
    }
    this.updateRptPrunes();
  }

  /**
   * (S,G,rpt) prunes (RFC 7761 §4.5.8/§4.5.9): once the SPT bit is set on an (S,G) whose RPF neighbour differs
   * from the shared tree's, S's packets are pruned off the shared tree, sent with the (*,G) join toward the RP
   * ("Building Triggered (*,G) Join / (S,G,RP-bit) Prune message"). A wanted prune that is no longer wanted
   * (the SPT left, or its path now joins the shared tree's) is cancelled by the next (*,G) join without it.
   */
  private updateRptPrunes(): void {
    for (const e of this.svc.mroutes.all()) {
      if (e.source === undefined) continue;
      const star = this.svc.mroutes.get(undefined, e.group);
      const up = star?.joinedTo;
      const want =
        up !== undefined && this.rptPruneDesired(e, up) ? `${up.interface} ${up.neighbor}` : undefined;
      if (want === e.rptPrunedTo) continue;
      e.rptPrunedTo = want;
      if (star && up) void this.send(up, [star], [], 'Triggered');
    }
  }

  private rptPruneDesired(e: MrouteEntry, starUp: Upstream): boolean {
    if (!e.spt || e.dense || e.joinedTo === undefined) return false;
    return e.joinedTo.interface !== starUp.interface || e.joinedTo.neighbor !== starUp.neighbor;
  }

  /** The (S,G,rpt) prunes that ride with a (*,G) join to `up`. */
  private rptPrunesFor(star: MrouteEntry, up: Upstream): MrouteEntry[] {
    const key = `${up.interface} ${up.neighbor}`;
    return this.svc.mroutes.sources(star.group).filter((e) => e.rptPrunedTo === key);
  }

  /** A neighbour restarted (new Generation ID): it lost our joins, send them again now. */
  neighborRestarted(n: PimNeighbor): void {
    const entries = this.svc.mroutes
      .all()
      .filter((e) => e.joinedTo?.interface === n.interface && e.joinedTo.neighbor === n.address);
    if (entries.length > 0)
      void this.send({ interface: n.interface, neighbor: n.address }, entries, [], 'Triggered');
  }

  /** Deleted entries still prune upstream (the router stops wanting the traffic). */
  pruneDeleted(e: MrouteEntry): void {
    if (e.joinedTo) void this.send(e.joinedTo, [], [e], 'Triggered');
    e.joinedTo = undefined;
  }

  private async sendPeriodic(): Promise<void> {
    this.periodic.start(seconds(JP_PERIOD));
    const byNeighbor = new Map<string, { up: Upstream; entries: MrouteEntry[] }>();
    for (const e of this.svc.mroutes.all()) {
      if (!e.joinedTo) continue;
      const k = `${e.joinedTo.interface} ${e.joinedTo.neighbor}`;
      const slot = byNeighbor.get(k) ?? { up: e.joinedTo, entries: [] };
      slot.entries.push(e);
      byNeighbor.set(k, slot);
    }
    for (const { up, entries } of byNeighbor.values()) await this.send(up, entries, [], 'Periodic');
  }

  private encodedSource(e: MrouteEntry): PimEncodedSource {
    // (*,G): the RP with S|W|R; (S,G): the source with S only (RFC 7761 §4.9.5; IOS captures).
    if (e.source === undefined)
      return { address: e.rp ?? 0, maskLength: 32, sparse: true, wildcard: true, rpt: true };
    return { address: e.source, maskLength: 32, sparse: true, wildcard: false, rpt: false };
  }

  private async send(
    up: Upstream,
    joins: MrouteEntry[],
    prunes: MrouteEntry[],
    why: 'Periodic' | 'Triggered',
  ): Promise<void> {
    const groups = new Map<Ipv4, PimJoinPruneGroup>();
    const slot = (g: Ipv4): PimJoinPruneGroup => {
      let x = groups.get(g);
      if (!x) groups.set(g, (x = { group: { address: g, maskLength: 32 }, joins: [], prunes: [] }));
      return x;
    };
    const nbr = formatIpv4(up.neighbor);
    for (const e of joins) {
      if (e.source === undefined)
        this.debug(
          () => `Building ${why} (*,G) Join / (S,G,RP-bit) Prune message for ${formatIpv4(e.group)}`,
        );
      this.debug(() => `Insert ${entryDebugName(e).replace(', ', ',')} join in nbr ${nbr}'s queue`);
      slot(e.group).joins.push(this.encodedSource(e));
      if (e.source !== undefined) continue;
      for (const s of this.rptPrunesFor(e, up)) {
        this.debug(() => `Insert ${entryDebugName(s).replace(', ', ',')} sgr prune in nbr ${nbr}'s queue`);
        slot(e.group).prunes.push({
          address: s.source ?? 0,
          maskLength: 32,
          sparse: true,
          wildcard: false,
          rpt: true,
        });
      }
    }
    for (const e of prunes) {
      this.debug(() => `Insert ${entryDebugName(e).replace(', ', ',')} prune in nbr ${nbr}'s queue`);
      slot(e.group).prunes.push(this.encodedSource(e));
    }
    if (groups.size === 0) return;
    this.debug(() => `Building Join/Prune packet for nbr ${nbr}`);
    for (const g of groups.values()) {
      for (const [list, what] of [
        [g.joins, 'Join'],
        [g.prunes, 'Prune'],
      ] as const) {
        for (const s of list) {
          const bits = s.wildcard ? 'WC-bit, RPT-bit, S-bit' : s.rpt ? 'RPT-bit, S-bit' : 'S-bit';
          this.debug(
            () => ` Adding v2 (${formatIpv4(s.address)}/32, ${formatIpv4(g.group.address)}), ${bits} ${what}`,
          );
        }
      }
    }
    this.debug(() => `Send v2 join/prune to ${nbr} (${up.interface})`);
    await this.svc.router.sendIp({
      destination: ALL_PIM_ROUTERS,
      protocol: IP_PROTO.PIM,
      outInterface: up.interface,
      ttl: 1,
      tos: TOS_INTERNETWORK_CONTROL,
      payload: encodePim({
        kind: 'join-prune',
        upstreamNeighbor: up.neighbor,
        holdtime: JP_HOLDTIME,
        groups: [...groups.values()],
      }),
    });
  }

  /**
   * SPT switchover (IOS default threshold 0: Cisco IP Multicast Command Reference, `ip pim spt-threshold`):
   * the last-hop DR joins the source tree on the
   * first packet it gets down the shared tree, unless `ip pim spt-threshold infinity`.
   */
  maybeSwitchToSpt(e: MrouteEntry): void {
    if (e.joinSpt || e.dense || e.source === undefined || this.svc.router.config.pim.sptThresholdInfinity)
      return;
    const star = this.svc.mroutes.get(undefined, e.group);
    const lastHop = forwardingOifs(star).some((o) => o.reason === 'igmp' || o.reason === 'local');
    if (!star || !lastHop || this.svc.router.ownsAddress(e.source)) return;
    e.joinSpt = true;
    star.joinSpt = true;
    this.svc.recompute();
  }

  private debug(text: LazyText): void {
    this.svc.router.debugLog(DEBUG_PIM, () => `PIM(0): ${textOf(text)}`);
  }
}
