import { interfaceKind } from '../../device/interface-state';
import {
  type PacketContext,
  type Router,
  type RouterModule,
  type LazyText,
  textOf,
} from '../../device/router';
import { bound, stateless } from '../../kernel/bound';
import type { Prng } from '../../kernel/prng';
import { millis, seconds, type SimTime } from '../../kernel/time';
import { decodeIgmp, encodeIgmp, type IgmpMessage, IGMPV3_RECORD } from '../../net/igmp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { Timer } from '../../kernel/timer';
import { everywhereServiceOf } from '../services';

/**
 * IOS IGMP defaults (Cisco IP Multicast Command Reference, `ip igmp query-interval` and neighbours): query
 * 60 s, querier timeout 120 s, max response 10 s.
 */
export const IGMP_QUERY_INTERVAL = 60;
export const IGMP_QUERIER_TIMEOUT = 120;
export const IGMP_MAX_RESPONSE = 10;
/** Membership lifetime as IOS shows it (`show ip igmp groups` expiry counts down from about 3:00). */
export const IGMP_MEMBERSHIP = 180;
/** Last-member query count 2, interval 1 s: a left group goes in about 2 s. */
export const LAST_MEMBER_QUERIES = 2;
export const LAST_MEMBER_INTERVAL_MS = 1000;
const ALL_SYSTEMS: Ipv4 = 0xe0000001; // 224.0.0.1
export const ALL_ROUTERS: Ipv4 = 0xe0000002; // 224.0.0.2
/** IGMPv3 reports and leaves go to 224.0.0.22 (RFC 3376 §4.2.14). */
const ALL_IGMPV3_ROUTERS: Ipv4 = 0xe0000016;
/** How long a left group lingers: the last-member queries and their interval. */
const LAST_MEMBER_TIME = millis(LAST_MEMBER_QUERIES * LAST_MEMBER_INTERVAL_MS);
const TOS = 0xc0;
export const DEBUG_IGMP = 'ip igmp';

/** A group learned on an interface (router side): `show ip igmp groups`. */
export interface RouterMembership {
  readonly interface: string;
  readonly group: Ipv4;
  readonly since: SimTime;
  /** Absolute expiry; undefined for static groups ("stopped"). */
  expires?: SimTime;
  lastReporter: Ipv4;
  /** Reported by this router itself (`ip igmp join-group`, the automatic 224.0.1.40 join). */
  self: boolean;
  readonly static: boolean;
}

/** A group this router itself joined (host side): its packets go to the CPU. */
export interface HostMembership {
  readonly interface: string;
  readonly group: Ipv4;
  readonly since: SimTime;
}

interface QuerierState {
  querier: boolean;
  querierAddress: Ipv4;
  readonly queryTimer: Timer;
  readonly otherQuerier: Timer;
  joins: number;
  leaves: number;
}

type PimV1Listener = (
  ctx: PacketContext,
  msg: Extract<IgmpMessage, { kind: 'pimv1-rp-reachable' }>,
) => void | Promise<void>;

/**
 * IGMP v1/v2/v3 on a router (RFC 2236, RFC 3376) with IOS defaults: the querier election (lowest address),
 * queries, reports and leaves on the router side; `ip igmp join-group` on the host side (the router reports,
 * answers queries and takes the group's packets to its CPU); `ip igmp static-group`. PIMv1 (IGMP type 0x14)
 * is handed to PIM.
 */
export class IgmpService implements RouterModule {
  readonly name = 'igmp';
  private readonly router: Router;
  private readonly prng: Prng;
  private readonly memberships = new Map<string, { m: RouterMembership; timer: Timer }>();
  private readonly queriers = new Map<string, QuerierState>();
  private readonly hosts = new Map<string, HostMembership>();
  private readonly pendingReports = new Map<string, Timer>();
  private readonly changeListeners: (() => void)[] = [];
  private pimV1: PimV1Listener | undefined;
  /**
   * Groups the multicast module joins by itself (224.0.1.40, and 224.0.1.39 on a mapping agent). Like every
   * callback kept here (the listeners, `pimV1`), it is `bound`/`stateless` (kernel/bound.ts), so a checkpoint
   * copies it.
   */
  autoJoins: () => { group: Ipv4; interface: string }[] = NO_AUTO_JOINS;

  constructor(router: Router) {
    this.router = router;
    this.prng = router.kernel.prng.fork(`igmp ${router.name}`);
    router.setProtocolHandler(IP_PROTO.IGMP, bound(this, this.receive));
    router.modules.push(this);
  }

  onMembershipChange(l: () => void): void {
    this.changeListeners.push(l);
  }

  onPimV1(l: PimV1Listener): void {
    this.pimV1 = l;
  }

  private changed(): void {
    for (const l of this.changeListeners) l();
  }

  routerMemberships(): RouterMembership[] {
    return [...this.memberships.values()].map((x) => x.m);
  }

  hostMemberships(): HostMembership[] {
    return [...this.hosts.values()];
  }

  /** True when this router itself joined `group` (on `ifName`, when given). */
  hostJoined(group: Ipv4, ifName?: string): boolean {
    if (ifName !== undefined) return this.hosts.has(`${ifName} ${group}`);
    for (const h of this.hosts.values()) if (h.group === group) return true;
    return false;
  }

  querierOf(ifName: string): { querier: boolean; address: Ipv4 } | undefined {
    const q = this.queriers.get(ifName);
    return q && { querier: q.querier, address: q.querierAddress };
  }

  activity(ifName: string): { joins: number; leaves: number } {
    const q = this.queriers.get(ifName);
    return { joins: q?.joins ?? 0, leaves: q?.leaves ?? 0 };
  }

  /** IGMP's router side runs where PIM does: multicast routing on, `ip pim …-mode`, an address, line up. */
  enabledOn(ifName: string): boolean {
    const cfg = this.router.interfaceConfig(ifName);
    return (
      this.router.config.multicastRouting &&
      cfg?.pim.mode !== undefined &&
      cfg.address !== undefined &&
      this.router.isUp(ifName)
    );
  }

  version(ifName: string): 1 | 2 | 3 {
    return this.router.interfaceConfig(ifName)?.igmp.version ?? 2;
  }

  /** The interfaces `enabledOn` accepts, in configuration order. */
  enabledInterfaces(): string[] {
    return this.router.config.interfaces.map((i) => i.name).filter((n) => this.enabledOn(n));
  }

  reconcile(): void {
    let changed = false;
    const enabled = new Set(this.enabledInterfaces());
    for (const [ifName, q] of [...this.queriers]) {
      if (enabled.has(ifName)) continue;
      q.queryTimer.stop();
      q.otherQuerier.stop();
      this.queriers.delete(ifName);
    }
    for (const [key, x] of [...this.memberships]) {
      if (enabled.has(x.m.interface)) continue;
      x.timer.stop();
      this.memberships.delete(key);
      changed = true;
    }
    for (const ifName of enabled) if (!this.queriers.has(ifName)) this.startQuerier(ifName);
    changed = this.reconcileStatic(enabled) || changed;
    changed = this.reconcileHost() || changed;
    if (changed) this.changed();
  }

  private startQuerier(ifName: string): void {
    const own = this.router.interfaceAddress(ifName) ?? 0;
    const q: QuerierState = {
      querier: true,
      querierAddress: own,
      queryTimer: new Timer(this.router.kernel, bound(this, this.query, ifName)),
      otherQuerier: new Timer(this.router.kernel, bound(this, this.otherQuerierExpired, ifName)),
      joins: 0,
      leaves: 0,
    };
    this.queriers.set(ifName, q);
    // A router starts as querier and queries at once (RFC 2236 §3); here within the first second.
    q.queryTimer.start(millis(this.prng.nextInt(100, 1000)));
  }

  /**
   * The other querier went quiet for the Other Querier Present Interval: we query again (RFC 2236 §3). Its
   * timer is stopped whenever the interface's state is dropped, so the state is there when it fires.
   */
  private otherQuerierExpired(ifName: string): void {
    const q = this.queriers.get(ifName);
    if (!q) return;
    q.querier = true;
    q.querierAddress = this.router.interfaceAddress(ifName) ?? 0;
    void this.query(ifName);
  }

  private reconcileStatic(enabled: Set<string>): boolean {
    let changed = false;
    const wanted = new Set<string>();
    for (const i of this.router.config.interfaces) {
      if (!enabled.has(i.name)) continue;
      for (const g of i.igmp.staticGroups) {
        const key = `${i.name} ${g}`;
        wanted.add(key);
        if (this.memberships.get(key)?.m.static) continue;
        this.memberships.get(key)?.timer.stop();
        const m: RouterMembership = {
          interface: i.name,
          group: g,
          since: this.router.kernel.now,
          lastReporter: 0,
          self: false,
          static: true,
        };
        this.memberships.set(key, { m, timer: new Timer(this.router.kernel, STATIC_NEVER_EXPIRES) });
        changed = true;
      }
    }
    for (const [key, x] of [...this.memberships]) {
      if (x.m.static && !wanted.has(key)) {
        this.memberships.delete(key);
        changed = true;
      }
    }
    return changed;
  }

  /** The host side: join-groups (and the automatic joins) on up interfaces with an address. */
  private reconcileHost(): boolean {
    const wanted = new Map<string, { interface: string; group: Ipv4 }>();
    for (const i of this.router.config.interfaces) {
      if (!i.address || !this.router.isUp(i.name)) continue;
      for (const g of i.igmp.joinGroups) wanted.set(`${i.name} ${g}`, { interface: i.name, group: g });
    }
    for (const j of this.autoJoins()) wanted.set(`${j.interface} ${j.group}`, j);
    let changed = false;
    for (const [key, h] of [...this.hosts]) {
      if (wanted.has(key)) continue;
      this.hosts.delete(key);
      this.pendingReports.get(key)?.stop();
      this.pendingReports.delete(key);
      void this.sendLeave(h.interface, h.group);
      changed = true;
    }
    for (const [key, w] of wanted) {
      if (this.hosts.has(key)) continue;
      this.hosts.set(key, { ...w, since: this.router.kernel.now });
      // An unsolicited report at once (RFC 2236 §3), which this router also takes as a router.
      void this.sendReport(w.interface, w.group);
      changed = true;
    }
    return changed;
  }

  // ---- sending ------------------------------------------------------------------------------------------

  private async send(ifName: string, destination: Ipv4, msg: IgmpMessage): Promise<void> {
    if (interfaceKind(ifName) === 'loopback') return;
    await this.router.sendIp({
      destination,
      protocol: IP_PROTO.IGMP,
      payload: encodeIgmp(msg),
      outInterface: ifName,
      ttl: 1,
      tos: TOS,
      options: [{ kind: 'router-alert', value: 0 }],
    });
  }

  private async query(ifName: string, group = 0): Promise<void> {
    const q = this.queriers.get(ifName);
    if (!q || !q.querier) return;
    const v = this.version(ifName);
    if (group === 0) {
      q.queryTimer.start(seconds(IGMP_QUERY_INTERVAL));
      this.debug(() => `Send v${v} general Query on ${ifName}`);
    } else this.debug(() => `Send v${v} Query on ${ifName} for group ${formatIpv4(group)}`);
    // Max Resp Time in tenths of a second: a group-specific query asks within the last-member interval.
    const maxResp = group === 0 ? IGMP_MAX_RESPONSE * 10 : LAST_MEMBER_INTERVAL_MS / 100;
    const msg: IgmpMessage =
      v === 3
        ? {
            kind: 'v3-query',
            maxResponseCode: maxResp,
            group,
            suppressRouterSide: false,
            robustness: 2,
            queryIntervalCode: IGMP_QUERY_INTERVAL,
            sources: [],
          }
        : { kind: 'query', maxResponseTime: v === 1 ? 0 : maxResp, group };
    await this.send(ifName, group === 0 ? ALL_SYSTEMS : group, msg);
    // The querier is also a host: it answers its own query for the groups it joined there.
    this.answerQuery(ifName, group, maxResp);
  }

  private async sendReport(ifName: string, group: Ipv4): Promise<void> {
    const own = this.router.interfaceAddress(ifName) ?? 0;
    const v = this.version(ifName);
    this.debug(() => `Send v${v} Report for ${formatIpv4(group)} on ${ifName}`);
    if (v === 3)
      await this.send(ifName, ALL_IGMPV3_ROUTERS, v3Report(IGMPV3_RECORD.CHANGE_TO_EXCLUDE, group));
    else await this.send(ifName, group, { kind: v === 1 ? 'v1-report' : 'v2-report', group });
    // The router hears its own report as a router too (published IOS `debug ip igmp`: `Received v2 Report …
    // from` its own address; Cisco technote 119383).
    if (this.enabledOn(ifName)) this.report(ifName, own, group, true);
  }

  private async sendLeave(ifName: string, group: Ipv4): Promise<void> {
    const v = this.version(ifName);
    if (v === 1) return;
    if (v === 3)
      await this.send(ifName, ALL_IGMPV3_ROUTERS, v3Report(IGMPV3_RECORD.CHANGE_TO_INCLUDE, group));
    else await this.send(ifName, ALL_ROUTERS, { kind: 'leave', group });
    if (this.enabledOn(ifName)) this.leave(ifName, this.router.interfaceAddress(ifName) ?? 0, group);
  }

  // ---- receiving ----------------------------------------------------------------------------------------

  private async receive(ctx: PacketContext): Promise<void> {
    const ifName = ctx.inInterface;
    const src = ctx.datagram.header.source;
    if (ifName === undefined || this.router.ownsAddress(src)) return;
    const msg = this.router.decodeOrDrop(ctx, 'IGMP', decodeIgmp);
    if (!msg) return;
    switch (msg.kind) {
      case 'pimv1-rp-reachable':
        await this.pimV1?.(ctx, msg);
        return;
      case 'query':
      case 'v3-query':
        this.receiveQuery(
          ifName,
          src,
          msg.group,
          msg.kind === 'query' ? msg.maxResponseTime : msg.maxResponseCode,
        );
        return;
      case 'v1-report':
      case 'v2-report':
        if (this.enabledOn(ifName))
          this.report(ifName, src, msg.group, false, msg.kind === 'v1-report' ? 1 : 2);
        return;
      case 'leave':
        if (this.enabledOn(ifName)) this.leave(ifName, src, msg.group);
        return;
      case 'v3-report':
        if (!this.enabledOn(ifName)) return;
        for (const r of msg.records) {
          this.debug(
            () =>
              `Received Group record for group ${formatIpv4(r.group)}, mode ${r.type} from ${formatIpv4(src)} for ${r.sources.length} sources`,
          );
          const include =
            r.type === IGMPV3_RECORD.MODE_IS_INCLUDE || r.type === IGMPV3_RECORD.CHANGE_TO_INCLUDE;
          if (include && r.sources.length === 0) this.leave(ifName, src, r.group);
          else this.report(ifName, src, r.group, false, 3);
        }
        return;
      default:
        this.router.drop(ctx, 0, 'IGMP message type not handled');
    }
  }

  private receiveQuery(ifName: string, src: Ipv4, group: Ipv4, maxResp: number): void {
    this.debug(() => `Received v${this.version(ifName)} Query on ${ifName} from ${formatIpv4(src)}`);
    const q = this.queriers.get(ifName);
    const own = this.router.interfaceAddress(ifName) ?? 0;
    // RFC 2236 §3: the lowest address is querier; others stay quiet while they hear it.
    if (q && src < own) {
      q.querier = false;
      q.querierAddress = src;
      q.queryTimer.stop();
      q.otherQuerier.start(seconds(IGMP_QUERIER_TIMEOUT));
    }
    if (group !== 0) {
      const m = this.memberships.get(`${ifName} ${group}`);
      if (m && !m.m.static) this.setExpiry(`${ifName} ${group}`, LAST_MEMBER_TIME);
    }
    this.answerQuery(ifName, group, maxResp);
  }

  /** Host side: answer for the groups we joined on `ifName` after a random delay within Max Resp Time. */
  private answerQuery(ifName: string, group: Ipv4, maxResp: number): void {
    for (const h of this.hosts.values()) {
      if (h.interface !== ifName || (group !== 0 && h.group !== group)) continue;
      const key = `${ifName} ${h.group}`;
      if (this.pendingReports.has(key)) continue;
      const delayMs = this.prng.nextInt(1, Math.max(1, (maxResp || 100) * 100));
      this.debug(
        () =>
          `Set report delay time to ${(delayMs / 1000).toFixed(1)} seconds for ${formatIpv4(h.group)} on ${ifName}`,
      );
      const t = new Timer(this.router.kernel, bound(this, this.reportDelayEnded, key, ifName, h.group));
      t.start(millis(delayMs));
      this.pendingReports.set(key, t);
    }
  }

  /** A report delay drawn for a query ran out: report, unless the group was left meanwhile. */
  private async reportDelayEnded(key: string, ifName: string, group: Ipv4): Promise<void> {
    this.pendingReports.delete(key);
    if (this.hosts.has(key)) await this.sendReport(ifName, group);
  }

  private report(
    ifName: string,
    src: Ipv4,
    group: Ipv4,
    self: boolean,
    version = this.version(ifName),
  ): void {
    if (version !== 3)
      this.debug(
        () => `Received v${version} Report on ${ifName} from ${formatIpv4(src)} for ${formatIpv4(group)}`,
      );
    const key = `${ifName} ${group}`;
    const existing = this.memberships.get(key);
    if (existing?.m.static) return;
    const now = this.router.kernel.now;
    if (existing) {
      existing.m.lastReporter = src;
      existing.m.self = self;
      this.setExpiry(key, seconds(IGMP_MEMBERSHIP));
      return;
    }
    const m: RouterMembership = {
      interface: ifName,
      group,
      since: now,
      lastReporter: src,
      self,
      static: false,
    };
    const timer = new Timer(this.router.kernel, bound(this, this.expire, key));
    this.memberships.set(key, { m, timer });
    this.setExpiry(key, seconds(IGMP_MEMBERSHIP));
    const q = this.queriers.get(ifName);
    if (q) q.joins++;
    this.debug(() => `MRT Add/Update ${ifName} for (*,${formatIpv4(group)}) by 0`);
    this.changed();
  }

  private setExpiry(key: string, delay: SimTime): void {
    const x = this.memberships.get(key);
    if (!x) return;
    x.m.expires = this.router.kernel.now + delay;
    x.timer.start(delay);
  }

  private leave(ifName: string, src: Ipv4, group: Ipv4): void {
    this.debug(() => `Received Leave from ${formatIpv4(src)} (${ifName}) for ${formatIpv4(group)}`);
    const key = `${ifName} ${group}`;
    const x = this.memberships.get(key);
    if (!x || x.m.static) return;
    const q = this.queriers.get(ifName);
    if (q) q.leaves++;
    // Our own leave needs no last-member query: nobody else on a loopback.
    if (interfaceKind(ifName) === 'loopback') {
      this.expire(key);
      return;
    }
    this.setExpiry(key, LAST_MEMBER_TIME);
    if (q?.querier) {
      void this.query(ifName, group);
      this.router.kernel.schedule(millis(LAST_MEMBER_INTERVAL_MS), bound(this, this.query, ifName, group));
    }
  }

  private expire(key: string): void {
    const x = this.memberships.get(key);
    if (!x) return;
    x.timer.stop();
    this.memberships.delete(key);
    this.debug(() => `Deleting ${formatIpv4(x.m.group)} on ${x.m.interface}`);
    this.changed();
  }

  private debug(text: LazyText): void {
    this.router.debugLog(DEBUG_IGMP, () => `IGMP(0): ${textOf(text)}`);
  }
}

/**
 * No automatic joins: the default until PIM sets its own (`PimService.autoJoins`). Exported, as the next one, so
 * a saved checkpoint names it (kernel/snapshot-codec.ts).
 */
export const NO_AUTO_JOINS = stateless(function noAutoJoins(): { group: Ipv4; interface: string }[] {
  return [];
});

/** A static group's timer never runs (`show ip igmp groups` prints `stopped`); it is there for the shape. */
export const STATIC_NEVER_EXPIRES = stateless(function staticNeverExpires(): void {
  // Nothing to do: a static group stays until its command goes.
});

/** An IGMPv3 report with one record for `group` and no sources (RFC 3376 §4.2: a v2 join or leave in v3). */
function v3Report(type: number, group: Ipv4): IgmpMessage {
  return { kind: 'v3-report', records: [{ type, group, sources: [], auxData: new Uint8Array(0) }] };
}

/** The IGMP service on `router`: every router runs it (its descriptor has no `enabledBy`). */
export function igmpOf(router: Router): IgmpService {
  return everywhereServiceOf<IgmpService>(router, 'igmp');
}
