import type { PacketContext, Router, RouterModule } from '../../device/router';
import { interfaceKind } from '../../device/interface-state';
import { bound, boundFn } from '../../kernel/bound';
import type { Prng } from '../../kernel/prng';
import { type SimTime, seconds } from '../../kernel/time';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4, isLinkLocalMulticast, isMulticast } from '../../net/ipv4-address';
import { decodePim } from '../../net/pim';
import { AUTORP_ANNOUNCE_GROUP, AUTORP_DISCOVERY_GROUP, AUTORP_PORT } from '../../net/autorp';
import type { IgmpService, RouterMembership } from '../igmp/igmp-service';
import { Asserts } from './assert';
import {
  DEBUG_PIM,
  type PimCore,
  type PimInterfaceCounters,
  type PimParts,
  type PimTypeHandler,
} from './pim-core';
import { AutoRp } from './autorp';
import { multicastInput, originateMulticast } from './forwarding';
import { HelloSender } from './hello';
import { JoinPrune } from './join-prune';
import {
  entryDebugName,
  entryKey,
  type MrouteEntry,
  MrouteTable,
  newEntry,
  type OutgoingInterface,
  oifKey,
} from './mroute-table';
import { NeighborTable, type NeighborEvent } from './neighbor';
import { Register } from './register';
import { aclPermits, ALL_MULTICAST, chooseRp, type RpMapping, type RpMappingSource } from './rp';
import { RpReachable } from './rp-reachable';
import { lookupRpf, type RpfInfo } from './rpf';
import { Timer } from '../../kernel/timer';
import { everywhereServiceOf } from '../services';

/** (S,G) keepalive after the last data packet, as IOS shows it (00:03:00 counting down). */
const SG_KEEPALIVE = seconds(180);
/**
 * A dense (S,G) (the Auto-RP groups) lives for the PIM-DM SourceLifetime, 210 s (RFC 3973 §4.8). This is why
 * the article's GM-2 prints its (S,G) prune for 224.0.1.40 some 20-30 s after the (*,G) ones: the (*,G) state
 * goes when the mapping expires (181 s after the last accepted discovery), the (S,G) when its source lifetime does.
 */
const DENSE_SG_KEEPALIVE = seconds(210);
/** The most an idle (S,G) outlives its keepalive (see `PimService.keepaliveLag`), in µs. */
const KEEPALIVE_LAG_MAX = 999_999;

export { DEBUG_AUTORP, DEBUG_PIM, type PimInterfaceCounters, type PimTypeHandler } from './pim-core';

/**
 * The Auto-RP groups, flooded dense-mode with dense-mode fallback (Cisco IP Multicast Command Reference, `ip
 * pim autorp listener`).
 */
export function isAutoRpGroup(g: Ipv4): boolean {
  return g === AUTORP_ANNOUNCE_GROUP || g === AUTORP_DISCOVERY_GROUP;
}

/**
 * PIM-SM with Cisco IOS behaviour on one router: interfaces, hellos and neighbours, the multicast routing
 * table and its RPF, Join/Prune, Register, Auto-RP and PIMv1 RP-Reachable; it owns the router's multicast
 * input (RPF check, forwarding, local delivery). State is recomputed from its inputs (memberships, joins,
 * RP mappings, RPF) after every change, so a config edit at the console takes effect at once.
 */
export class PimService implements RouterModule, PimCore, PimParts {
  readonly name = 'pim';
  readonly router: Router;
  readonly igmp: IgmpService;
  readonly prng: Prng;
  readonly neighbors: NeighborTable;
  readonly mroutes = new MrouteTable();
  readonly joinPrune: JoinPrune;
  readonly autorp: AutoRp;
  readonly rpReachable: RpReachable;
  readonly register: Register;
  readonly asserts: Asserts;
  private readonly hellos = new Map<string, HelloSender>();
  /** Per interface: `show ip pim interface detail`'s hello and multicast packet counters. */
  private readonly counters = new Map<string, PimInterfaceCounters>();
  private readonly keepalives = new Map<string, Timer>();
  private readonly typeHandlers = new Map<number, PimTypeHandler>();
  private readonly rpSources: RpMappingSource[] = [];
  private ribRevision = -1;
  private recomputing = false;
  private recomputeAgain = false;

  constructor(router: Router, igmp: IgmpService) {
    this.router = router;
    this.igmp = igmp;
    this.prng = router.kernel.prng.fork(`pim ${router.name}`);
    // Every callback handed out is bound (kernel/bound.ts), not a closure, so a checkpoint copies it.
    this.neighbors = new NeighborTable(router, bound(this, this.neighborEvent));
    this.joinPrune = new JoinPrune(this);
    this.autorp = new AutoRp(this);
    this.rpReachable = new RpReachable(this);
    this.register = new Register(this);
    this.asserts = new Asserts(this);
    router.setProtocolHandler(IP_PROTO.PIM, bound(this, this.receivePim));
    router.setUdpHandler(AUTORP_PORT, bound(this, this.receiveAutoRp));
    router.multicastInput = boundFn(multicastInput, this);
    router.multicastOutput = boundFn(originateMulticast, this);
    igmp.onMembershipChange(bound(this, this.membershipChanged));
    igmp.onPimV1(bound(this.rpReachable, this.rpReachable.receive));
    igmp.autoJoins = bound(this, this.autoJoins);
    router.modules.push(this);
  }

  get enabled(): boolean {
    return this.router.config.multicastRouting;
  }

  // ---- interfaces ---------------------------------------------------------------------------------------

  /**
   * PIM runs on an interface with `ip pim …-mode`, an address, the line up and multicast routing on: exactly
   * where IGMP's router side runs, so IGMP's test decides both.
   */
  pimEnabled(ifName: string): boolean {
    return this.igmp.enabledOn(ifName);
  }

  pimInterfaces(): string[] {
    return this.igmp.enabledInterfaces();
  }

  nbmaMode(ifName: string): boolean {
    return this.router.interfaceConfig(ifName)?.pim.nbmaMode === true;
  }

  /** The counters of `ifName`, created on first use. */
  countersOf(ifName: string): PimInterfaceCounters {
    let c = this.counters.get(ifName);
    if (!c) this.counters.set(ifName, (c = { helloIn: 0, multicastIn: 0, multicastOut: 0 }));
    return c;
  }

  helloSender(ifName: string): HelloSender | undefined {
    return this.hellos.get(ifName);
  }

  reconcile(): void {
    const wanted = new Set(this.pimInterfaces());
    for (const [ifName, h] of [...this.hellos]) {
      if (wanted.has(ifName)) continue;
      h.stop(this.router.isUp(ifName) && this.router.interfaceAddress(ifName) !== undefined);
      this.hellos.delete(ifName);
      this.neighbors.clearInterface(ifName);
    }
    for (const ifName of wanted) {
      if (this.hellos.has(ifName)) continue;
      // Loopbacks run PIM (they count for DR, joins, Auto-RP) but have nobody to say hello to.
      if (interfaceKind(ifName) !== 'loopback')
        this.hellos.set(ifName, new HelloSender(this.router, ifName, this.prng));
    }
    for (const ifName of wanted) this.neighbors.elect(ifName);
    this.autorp.reconcile();
    this.joinPrune.reconcile();
    this.rpReachable.reconcile();
    this.recompute();
  }

  private neighborEvent(e: NeighborEvent): void {
    if (e.kind === 'up' || e.kind === 'restarted') {
      // IOS answers a new neighbour at once so it learns us (and the DR) without waiting a period.
      this.hellos.get(e.neighbor.interface)?.answerNewNeighbor();
      if (e.kind === 'restarted') this.joinPrune.neighborRestarted(e.neighbor);
    }
    this.recompute();
  }

  private membershipChanged(): void {
    this.recompute();
  }

  /** UDP 496 (Auto-RP), as the router hands it over. */
  private receiveAutoRp(ctx: PacketContext, udp: { readonly payload: Uint8Array }): void {
    this.autorp.receive(ctx, udp.payload);
  }

  private async receivePim(ctx: PacketContext): Promise<void> {
    const ifName = ctx.inInterface;
    const h = ctx.datagram.header;
    if (ifName === undefined || this.router.ownsAddress(h.source)) return;
    // Register and Register-Stop are unicast to one of our addresses (RFC 7761 §4.4): they may arrive on any
    // interface, a first-hop DR's Register-Stop on a WAN link without PIM too. The rest is link-local.
    const unicast = !isMulticast(h.destination);
    if (!(unicast ? this.enabled : this.pimEnabled(ifName))) {
      const why = unicast ? 'multicast routing is not enabled' : `PIM is not enabled on ${ifName}`;
      this.router.drop(ctx, 0, why);
      return;
    }
    const msg = this.router.decodeOrDrop(ctx, 'PIM', decodePim);
    if (!msg) return;
    const owner = msg.kind === 'other' ? this.typeHandlers.get(msg.type) : undefined;
    if (unicast && msg.kind !== 'register' && msg.kind !== 'register-stop' && !owner?.unicast) {
      this.router.drop(ctx, 0, `PIM ${msg.kind} must be sent to ALL-PIM-ROUTERS, not unicast`);
      return;
    }
    switch (msg.kind) {
      case 'hello':
        this.countersOf(ifName).helloIn++;
        this.neighbors.hello(ifName, h.source, msg.options);
        return;
      case 'join-prune':
        this.joinPrune.receive(ifName, h.source, msg);
        return;
      case 'register':
        await this.register.receiveRegister(ctx, msg);
        return;
      case 'assert':
        await this.asserts.receive(ifName, h.source, msg);
        return;
      case 'register-stop':
        this.register.receiveRegisterStop(msg.group.address, msg.source);
        return;
      case 'other':
        await owner?.receive(ctx, ifName, msg.body);
        return;
    }
  }

  /** Hands PIM messages of `type` to the protocol that owns them (see `PimTypeHandler`). */
  setTypeHandler(type: number, handler: PimTypeHandler): void {
    this.typeHandlers.set(type, handler);
  }

  /** Adds a source of dynamic group-to-RP mappings (PIM BSR); it takes part in every RP choice. */
  addRpSource(source: RpMappingSource): void {
    this.rpSources.push(source);
  }

  /** The extra mapping sources, for `show ip pim rp mapping`. */
  rpMappingSources(): readonly RpMappingSource[] {
    return this.rpSources;
  }

  // ---- group-to-RP ----------------------------------------------------------------------------------

  /** Static `ip pim rp-address` lines as mappings, with their group-list filters. */
  staticRps(): { mapping: RpMapping; permits: (g: Ipv4) => boolean }[] {
    const acls = this.router.config.accessLists;
    return this.router.config.pim.rpAddresses.map((r) => ({
      mapping: {
        prefix: ALL_MULTICAST,
        negative: false,
        rp: r.address,
        origin: 'static',
        override: r.override,
        acl: r.groupList,
        since: 0,
      },
      permits: (g: Ipv4) => (r.groupList === undefined ? true : aclPermits(acls.get(r.groupList), g)),
    }));
  }

  /**
   * The mapping that decides the RP of `group`, if any. Auto-RP's mappings and each further source's choice
   * (BSR's hashed RP) compete as dynamic mappings by longest match [INF: no Cisco text found on how IOS ranks
   * Auto-RP against BSR for the same range]; `ip pim rp-address … override` beats both (published IOS-XE
   * 17.15 lab output).
   */
  rpMappingFor(group: Ipv4): RpMapping | undefined {
    const dynamic = this.autorp.activeMappings();
    for (const s of this.rpSources) {
      const m = s.rpMappingFor(group);
      if (m) dynamic.push(m);
    }
    return chooseRp(dynamic, this.staticRps(), group);
  }

  rpFor(group: Ipv4): Ipv4 | undefined {
    return this.rpMappingFor(group)?.rp;
  }

  /** True when this router is the RP of `group` (the RP address is one of ours). */
  isRp(group: Ipv4): boolean {
    const rp = this.rpFor(group);
    return rp !== undefined && this.router.ownsAddress(rp);
  }

  /**
   * Dense forwarding: the Auto-RP groups when no RP covers them (dense-mode fallback), or any group without
   * an RP while `ip pim dm-fallback` is on.
   */
  isDenseGroup(group: Ipv4, rp = this.rpFor(group)): boolean {
    if (rp !== undefined) return false;
    return isAutoRpGroup(group) || this.router.config.pim.dmFallback;
  }

  /** May dense traffic for `group` be flooded out `ifName`? (Cisco, `ip pim autorp listener`) */
  denseFloodAllowed(ifName: string, group: Ipv4): boolean {
    const mode = this.router.interfaceConfig(ifName)?.pim.mode;
    if (mode === 'dense' || mode === 'sparse-dense') return true;
    const pim = this.router.config.pim;
    return isAutoRpGroup(group) && (pim.dmFallback || pim.autorpListener);
  }

  /** Groups this router joins by itself: 224.0.1.40 on every PIM router, 224.0.1.39 on a mapping agent. */
  autoJoins(): { group: Ipv4; interface: string }[] {
    const ifs = this.pimInterfaces();
    // IOS joins on one interface, the loopback when there is one ("224.0.1.40 is joined on Loopback0").
    const on = ifs.find((i) => interfaceKind(i) === 'loopback') ?? ifs[0];
    if (on === undefined) return [];
    const out = [{ group: AUTORP_DISCOVERY_GROUP, interface: on }];
    if (this.router.config.pim.sendRpDiscovery) out.push({ group: AUTORP_ANNOUNCE_GROUP, interface: on });
    return out;
  }

  /** True when this router itself is a member of `group` (its packets go to the CPU). */
  isLocalMember(group: Ipv4): boolean {
    return this.igmp.hostJoined(group);
  }

  // ---- the multicast routing table ------------------------------------------------------------------

  /**
   * Recomputes every entry from its inputs; safe to call from anywhere (re-entrant calls are queued).
   * `groups`: only the entries of these groups, for a change that touches nothing else (a Join/Prune's
   * groups: a hub hears one per spoke, and each of its entries has an outgoing interface per spoke). Every
   * other change, and any change after the unicast RIB moved, recomputes everything.
   */
  recompute(groups?: ReadonlySet<Ipv4>): void {
    if (this.recomputing) {
      this.recomputeAgain = true;
      return;
    }
    this.recomputing = true;
    try {
      const scoped = groups !== undefined && this.router.rib.revision === this.ribRevision;
      this.recomputeOnce(scoped ? groups : undefined);
      while (this.recomputeAgain) {
        this.recomputeAgain = false;
        this.recomputeOnce();
      }
    } finally {
      this.recomputing = false;
    }
  }

  private recomputeOnce(groups?: ReadonlySet<Ipv4>): void {
    if (!groups) this.ribRevision = this.router.rib.revision;
    const now = this.router.kernel.now;
    const pass = new RecomputePass(this);
    const starGroups = new Set<Ipv4>();
    if (this.enabled) {
      for (const m of pass.members) if (inScope(groups, m.group)) starGroups.add(m.group);
      for (const g of this.joinPrune.joinedGroups()) if (inScope(groups, g)) starGroups.add(g);
      for (const e of this.mroutes.all())
        if (e.source !== undefined && inScope(groups, e.group)) starGroups.add(e.group);
    }
    for (const e of this.mroutes.all()) {
      if (!inScope(groups, e.group)) continue;
      if (e.source !== undefined) {
        const alive =
          this.enabled &&
          ((e.keepaliveUntil !== undefined && e.keepaliveUntil > now) ||
            this.joinPrune.hasSourceJoins(e.source, e.group));
        if (!alive) this.deleteEntry(e);
      } else if (!starGroups.has(e.group)) this.deleteEntry(e);
    }
    for (const g of starGroups) {
      let e = this.mroutes.get(undefined, g);
      const rp = pass.rpFor(g);
      // Losing the RP tears the sparse (*,G) state down (its outgoing interfaces are deleted, then rebuilt).
      if (e && e.rp !== undefined && rp === undefined) {
        this.deleteEntry(e);
        e = undefined;
      }
      if (!e) e = this.mroutes.add(newEntry(undefined, g, now));
      this.updateEntry(e, pass);
    }
    for (const e of this.mroutes.all())
      if (e.source !== undefined && inScope(groups, e.group)) this.updateEntry(e, pass);
    this.joinPrune.updateUpstream();
    this.rpReachable.update();
  }

  /**
   * A group-to-RP mapping expired. IOS re-checks the RP of every (*,G) entry ("Check RP … into the (*, G)
   * entry") and rebuilds the shared-tree state; we flush every (*,G) entry's outgoing interfaces and let the
   * recompute rebuild them. [INF] This is what prints the article's GM-2 lines
   * `Prune Tunnel10/239.10.10.1 from (*, 239.10.10.1) - deleted` and `Prune Tunnel10/224.0.1.40 from
   * (*, 224.0.1.40) - deleted` together, in table order, once the mapping it can no longer refresh (its
   * discoveries fail RPF) runs out.
   */
  rpMappingExpired(): void {
    for (const e of this.mroutes.all()) if (e.source === undefined) this.deleteEntry(e);
    this.recompute();
  }

  deleteEntry(e: MrouteEntry): void {
    this.joinPrune.pruneDeleted(e);
    this.asserts.forget(e);
    for (const o of e.oil.values()) this.logOifDeleted(e, o);
    e.oil.clear();
    this.mroutes.delete(e);
  }

  private logOifDeleted(e: MrouteEntry, o: OutgoingInterface): void {
    if (interfaceKind(o.interface) === 'loopback') return;
    this.router.debugLog(
      DEBUG_PIM,
      () => `PIM(0): Prune ${o.interface}/${formatIpv4(e.group)} from ${entryDebugName(e)} - deleted`,
    );
  }

  private updateEntry(e: MrouteEntry, pass: RecomputePass): void {
    const g = e.group;
    const rp = pass.rpFor(g);
    e.dense = this.isDenseGroup(g, rp);
    if (e.source === undefined) {
      e.rp = e.dense ? undefined : rp;
      e.rpf = e.rp === undefined || this.router.ownsAddress(e.rp) ? undefined : pass.rpfOf(e.rp);
    } else {
      e.rpf = pass.rpfOf(e.source);
    }
    const next = new Map<string, OutgoingInterface>();
    const now = this.router.kernel.now;
    // Only the DR takes a link's members into the list (RFC 7761 §4.1.6 pim_include; Cisco technote 119383).
    // A configured `ip igmp join-group` is listed where we are not DR too, without forwarding: the article's
    // GM-2 (not DR on Tunnel10) prints `Prune Tunnel10/239.10.10.1 from (*, 239.10.10.1) - deleted`. The
    // automatic 224.0.1.40 join is not: IOS shows it on a non-DR link as `DPL`, OIL Null (see entryFlags).
    // C follows the listing, so it is the same on every identically configured spoke whoever reported last.
    let connected = false;
    for (const m of pass.members) {
      if (m.group !== g) continue;
      const active = interfaceKind(m.interface) === 'loopback' || this.neighbors.isDr(m.interface);
      const configured = this.router.interfaceConfig(m.interface)?.igmp.joinGroups.includes(g) === true;
      if (!active && !configured) continue;
      connected = true;
      const reason = m.self ? 'local' : 'igmp';
      putOif(next, e, now, {
        interface: m.interface,
        reason,
        expires: m.expires,
        passive: active ? undefined : true,
      });
    }
    e.local = this.isLocalMember(g);
    e.connected = connected;
    e.lastHop = (e.connected || e.local) && !this.router.config.pim.sptThresholdInfinity;
    if (e.dense) {
      for (const ifName of pass.pimInterfaces()) {
        if (interfaceKind(ifName) === 'loopback' || this.neighbors.countOn(ifName) === 0) continue;
        if (this.denseFloodAllowed(ifName, g)) putOif(next, e, now, { interface: ifName, reason: 'dense' });
      }
    } else {
      for (const j of this.joinPrune.downstream(e.source, g)) putOif(next, e, now, j);
      if (e.source !== undefined) {
        const star = this.mroutes.get(undefined, g);
        if (star) {
          for (const o of star.oil.values()) {
            if (!this.joinPrune.rptPruned(e.source, g, o)) putOif(next, e, now, o);
          }
        }
      }
    }
    // Never send back out the incoming interface, except to another neighbour on an nbma-mode interface.
    const iif = e.rpf?.interface;
    for (const [key, o] of next) {
      if (o.interface !== iif) continue;
      if (o.nextHop !== undefined && o.nextHop !== e.rpf?.neighbor) continue;
      next.delete(key);
    }
    // Assert (RFC 7761 §4.6): a loser stops forwarding onto the link; the winner's interface shows `A`.
    for (const [key, o] of next) {
      if (o.nextHop !== undefined) continue;
      if (this.asserts.lost(e, o.interface)) next.delete(key);
      else if (this.asserts.won(e, o.interface)) next.set(key, { ...o, assertWinner: true });
    }
    for (const [key, o] of e.oil) if (!next.has(key)) this.logOifDeleted(e, o);
    e.oil = next;
  }

  /** The incoming interface `show ip mroute` prints: Null unless the RPF interface runs PIM, always for a dense (*,G). */
  shownIncoming(e: MrouteEntry): RpfInfo | undefined {
    const rpf = e.rpf;
    return rpf && this.pimEnabled(rpf.interface) && !(e.source === undefined && e.dense) ? rpf : undefined;
  }

  /** The (S,G) entry for a data packet, created on first sight (IOS creates (S,G) state wherever data flows). */
  sourceEntry(source: Ipv4, group: Ipv4): MrouteEntry {
    let e = this.mroutes.get(source, group);
    if (!e) {
      e = this.mroutes.add(newEntry(source, group, this.router.kernel.now));
      e.dense = this.isDenseGroup(group);
      this.touchKeepalive(e);
      this.recompute();
    } else this.touchKeepalive(e);
    return e;
  }

  /**
   * A packet this router sources for `group` from one of its own PIM interfaces (a multicast rekey, Auto-RP,
   * a ping): IOS keeps (S,G) state with that interface as incoming and RPF nbr 0.0.0.0, the SPT bit set, as
   * a mapping agent shows its own discoveries: `(2.2.2.2, 224.0.1.40) … flags: LT` / `Incoming interface:
   * Loopback0, RPF nbr 0.0.0.0` (NetworkLessons, "Multicast PIM Auto-RP"). For a sparse group we are the DR of
   * the directly connected source, so the entry carries F (RFC 7761 §4.4.1 CouldRegister); when we are the
   * RP ourselves there is nobody to register to, so it is never `Registering`.
   */
  noteLocalSource(source: Ipv4, group: Ipv4): MrouteEntry | undefined {
    if (!this.enabled || isLinkLocalMulticast(group) || !isMulticast(group)) return undefined;
    const rpf = lookupRpf(this.router, source);
    if (rpf?.kind !== 'local' || !this.pimEnabled(rpf.interface)) return undefined;
    const e = this.sourceEntry(source, group);
    e.packetsReceived++;
    const firstHop = !e.dense && this.rpFor(group) !== undefined;
    if (!e.spt || e.firstHop !== firstHop) {
      e.spt = true;
      e.firstHop = firstHop;
      this.recompute();
    }
    return e;
  }

  /** Draws for the keepalive lag, apart from `prng` so hellos' Generation IDs do not move with the traffic. */
  private keepalivePrng: Prng | undefined;

  /**
   * How long past its 3:00 an idle (S,G) lives: IOS ages mroute state in a background pass, not at the
   * microsecond [INF: no Cisco text gives the pass period], so a source that sends again exactly 3:00 later
   * keeps its entry. The reference lab needs it: the KS retransmits a rekey at +60 s and +120 s and sends the
   * next one at +300 s, exactly 180 s after the last retransmission, and without the lag every (S,G) on the
   * tree expired in lockstep with the next rekey, a prune and a join every five minutes. Drawn from the lab's
   * seeded PRNG (0 to 1 s), so a run stays deterministic.
   */
  private keepaliveLag(): number {
    this.keepalivePrng ??= this.router.kernel.prng.fork(`pim keepalive ${this.router.name}`);
    return this.keepalivePrng.nextInt(1, KEEPALIVE_LAG_MAX);
  }

  /**
   * Restarts an (S,G) keepalive: IOS shows (S,G) expiring about 3:00 after the last packet (published IOS
   * `show ip mroute`: `00:00:03/00:02:57`).
   */
  touchKeepalive(e: MrouteEntry): void {
    const lifetime = (e.dense ? DENSE_SG_KEEPALIVE : SG_KEEPALIVE) + this.keepaliveLag();
    e.keepaliveUntil = this.router.kernel.now + lifetime;
    const key = entryKey(e.source, e.group);
    let t = this.keepalives.get(key);
    if (!t) {
      t = new Timer(this.router.kernel, bound(this, this.keepaliveExpired, key));
      this.keepalives.set(key, t);
    }
    t.start(lifetime);
  }

  private keepaliveExpired(key: string): void {
    this.keepalives.delete(key);
    this.recompute();
  }

  /** Recomputes when the unicast RIB changed under us (EIGRP converging, a static route added). */
  checkRib(): void {
    if (this.router.rib.revision === this.ribRevision) return;
    this.ribRevision = this.router.rib.revision;
    this.recompute();
  }
}

/** Whether a recompute scoped to `groups` (all groups when undefined) touches `g`. */
function inScope(groups: ReadonlySet<Ipv4> | undefined, g: Ipv4): boolean {
  return groups === undefined || groups.has(g);
}

/**
 * Puts `o` in an entry's next outgoing list unless its interface (and next hop) is there already; it keeps the
 * `since` of the entry's current listing, if any.
 */
function putOif(
  next: Map<string, OutgoingInterface>,
  e: MrouteEntry,
  now: SimTime,
  o: Omit<OutgoingInterface, 'since'>,
): void {
  const key = oifKey(o.interface, o.nextHop);
  if (next.has(key)) return;
  next.set(key, { ...o, since: e.oil.get(key)?.since ?? now });
}

/**
 * What every entry of one recompute pass reads, looked up once per pass rather than once per entry: the
 * memberships on PIM interfaces, each group's RP, each address's RPF. None of them can change during a pass (it
 * runs within one event and changes no membership, mapping, route or config). A spoke recomputes a few dozen
 * times while a lab converges, and every pass visits each of its entries (issue 18: the per-entry RP choice
 * alone was 3 % of the allocation of a 3,000-spoke run).
 */
class RecomputePass {
  /** The router's IGMP memberships on interfaces where PIM runs, in IGMP's order. */
  readonly members: readonly RouterMembership[];
  private readonly rps = new Map<Ipv4, Ipv4 | undefined>();
  private readonly rpfs = new Map<Ipv4, RpfInfo | undefined>();
  private interfaces: readonly string[] | undefined;
  private readonly svc: PimService;

  constructor(svc: PimService) {
    this.svc = svc;
    this.members = svc.igmp.routerMemberships().filter((m) => svc.pimEnabled(m.interface));
  }

  rpFor(group: Ipv4): Ipv4 | undefined {
    if (this.rps.has(group)) return this.rps.get(group);
    const rp = this.svc.rpFor(group);
    this.rps.set(group, rp);
    return rp;
  }

  rpfOf(address: Ipv4): RpfInfo | undefined {
    if (this.rpfs.has(address)) return this.rpfs.get(address);
    const rpf = lookupRpf(this.svc.router, address);
    this.rpfs.set(address, rpf);
    return rpf;
  }

  pimInterfaces(): readonly string[] {
    return (this.interfaces ??= this.svc.pimInterfaces());
  }
}

/** The PIM service on `router`: every router runs it (its descriptor has no `enabledBy`). */
export function pimOf(router: Router): PimService {
  return everywhereServiceOf<PimService>(router, 'pim');
}
