import { interfaceKind } from '../../device/interface-state';
import { type Router, type LazyText, textOf } from '../../device/router';
import { bound } from '../../kernel/bound';
import { seconds } from '../../kernel/time';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { encodePim, type PimMessage } from '../../net/pim';
import { ALL_PIM_ROUTERS, TOS_INTERNETWORK_CONTROL } from './hello';
import { entryKey, type MrouteEntry } from './mroute-table';
import { DEBUG_PIM, type PimCore } from './pim-core';
import { lookupRpf } from './rpf';
import { Timer } from '../../kernel/timer';

/** RFC 7761 §4.11: Assert_Time 180 s, Assert_Override_Interval 3 s (the winner refreshes 3 s early). */
export const ASSERT_TIME = 180;
const ASSERT_OVERRIDE = 3;

/** What an Assert carries and what decides it (RFC 7761 §4.6.3 "assert metric"). */
export interface AssertMetric {
  /** Set for (*,G) asserts: the metric is toward the RP, and any (S,G) assert beats it. */
  readonly rpt: boolean;
  /** IOS: the administrative distance of the route used for RPF (static mroute 0, static 1, EIGRP 90). */
  readonly preference: number;
  readonly metric: number;
  readonly address: Ipv4;
}

/** A route we cannot use asserts with an infinite metric and loses to anyone (RFC 7761 §4.6.3). */
const INFINITE = 0x7fffffff;

/** True when `a` beats `b`: RPT bit clear first, then lower preference, lower metric, higher address. */
export function assertBetter(a: AssertMetric, b: AssertMetric): boolean {
  if (a.rpt !== b.rpt) return !a.rpt;
  if (a.preference !== b.preference) return a.preference < b.preference;
  if (a.metric !== b.metric) return a.metric < b.metric;
  return a.address > b.address;
}

function metricText(m: AssertMetric): string {
  return m.preference >= INFINITE ? '[Inf/-1]' : `[${m.preference}/${m.metric}]`;
}

/**
 * Per (S,G,I) or (*,G,I) assert state (RFC 7761 §4.6.1/§4.6.2): we won, we lost to `winner`, or we are
 * downstream on the link and only remember the winner (our RPF' there).
 */
interface AssertState {
  readonly source?: Ipv4;
  readonly group: Ipv4;
  readonly interface: string;
  role: 'winner' | 'loser' | 'downstream';
  winner: AssertMetric;
  readonly timer: Timer;
}

type AssertMsg = Extract<PimMessage, { kind: 'assert' }>;

/**
 * PIM Assert on multi-access interfaces (RFC 7761 §4.6). Two routers forwarding the same traffic onto one link
 * each see the other's copy arrive on an outgoing interface; both send an Assert with their metric toward the
 * source (or the RP, RPT bit set, for (*,G)), the worse one stops forwarding there for Assert_Time and the
 * winner's outgoing interface shows the `A` flag. An nbma-mode interface never asserts: every neighbour is its
 * own point-to-point link there (Cisco, "Enabling PIM NBMA Mode": each neighbour is an entry of its own).
 */
export class Asserts {
  private readonly svc: PimCore;
  private readonly states = new Map<string, AssertState>();

  constructor(svc: PimCore) {
    this.svc = svc;
  }

  private get router(): Router {
    return this.svc.router;
  }

  private key(source: Ipv4 | undefined, group: Ipv4, ifName: string): string {
    return `${entryKey(source, group)}|${ifName}`;
  }

  /** Our side of the assert for an entry on `ifName`. */
  ourMetric(e: Pick<MrouteEntry, 'source' | 'group' | 'rp'>, ifName: string): AssertMetric {
    const address = this.router.interfaceAddress(ifName) ?? 0;
    const rpt = e.source === undefined;
    const target = e.source ?? e.rp;
    const rpf = target === undefined ? undefined : lookupRpf(this.router, target);
    if (!rpf) return { rpt, preference: INFINITE, metric: 0xffffffff, address };
    const route = rpf.kind === 'unicast' ? this.router.rib.resolve(target ?? 0)?.route : undefined;
    return { rpt, preference: rpf.distance, metric: route?.metric ?? 0, address };
  }

  /** True when we lost the assert for this entry on `ifName` (the interface leaves the outgoing list). */
  lost(e: MrouteEntry, ifName: string): boolean {
    const s = this.find(e, ifName);
    return s?.role === 'loser';
  }

  /** True when we won it (the `A` flag). */
  won(e: MrouteEntry, ifName: string): boolean {
    return this.states.get(this.key(e.source, e.group, ifName))?.role === 'winner';
  }

  /** The router whose forwarding we accept on `ifName` instead of our RPF neighbour (RFC 7761 §4.6: RPF'). */
  winnerOn(e: MrouteEntry, ifName: string): Ipv4 | undefined {
    const s = this.find(e, ifName);
    return s && s.role !== 'winner' ? s.winner.address : undefined;
  }

  /** An (S,G) loser state wins over the (*,G) one; a (*,G) loss also holds for the group's sources. */
  private find(e: MrouteEntry, ifName: string): AssertState | undefined {
    return (
      this.states.get(this.key(e.source, e.group, ifName)) ??
      (e.source !== undefined ? this.states.get(this.key(undefined, e.group, ifName)) : undefined)
    );
  }

  /**
   * Loopbacks have nobody to assert with. An nbma-mode interface never asserts: IOS "treats each neighbor as
   * if it were connected to the router through a point-to-point link" and replicates to each joined neighbour
   * (Cisco IP Multicast Configuration Guide, "Enabling PIM NBMA Mode"; the article quotes it), and RFC 7761
   * §4.6 asserts settle two forwarders on one multi-access link, which a point-to-point link cannot have. No
   * published IOS output shows an nbma-mode hub's assert behaviour; this is the documented model applied.
   */
  private canAssert(ifName: string): boolean {
    return interfaceKind(ifName) !== 'loopback' && !this.svc.nbmaMode(ifName);
  }

  /**
   * Only a sparse (*,G) with an RP has an RPT assert: its metric is the route to the RP (RFC 7761 §4.6.2,
   * "AssertMetric … rpt_assert_metric(G,I)"). A dense group (the Auto-RP groups with dense-mode fallback) or a
   * group whose RP is unknown asserts per source only (RFC 3973 §4.6 has no (*,G) assert), so its (*,G)
   * never sends `RPT-bit [Inf/-1]` asserts for source 0.0.0.0.
   */
  private entryCanAssert(e: Pick<MrouteEntry, 'source' | 'dense' | 'rp'>): boolean {
    return e.source !== undefined || (!e.dense && e.rp !== undefined);
  }

  /**
   * A data packet for `e` arrived on `ifName`, which is one of its outgoing interfaces: someone else forwards
   * onto a link we forward onto (RFC 7761 §4.6.1, "An (S,G) data packet arrives on interface I").
   */
  async dataOnOutgoing(e: MrouteEntry, ifName: string): Promise<void> {
    if (!this.canAssert(ifName) || !this.entryCanAssert(e)) return;
    const key = this.key(e.source, e.group, ifName);
    if (this.states.has(key)) return;
    const ours = this.ourMetric(e, ifName);
    this.set(key, e, ifName, 'winner', ours, ASSERT_TIME - ASSERT_OVERRIDE);
    await this.send(e, ifName, ours);
  }

  /** An Assert arrived on `ifName` from `from`. */
  async receive(ifName: string, from: Ipv4, msg: AssertMsg): Promise<void> {
    const group = msg.group.address;
    const source = msg.rpt && msg.source === 0 ? undefined : msg.source;
    const theirs: AssertMetric = {
      rpt: msg.rpt,
      preference: msg.metricPreference,
      metric: msg.metric,
      address: from,
    };
    this.debug(() => `Received v2 Assert on ${ifName} from ${formatIpv4(from)}`);
    this.debug(() => `Assert metric to source ${formatIpv4(msg.source)} is ${metricText(theirs)}`);
    if (!this.canAssert(ifName)) return;
    // An RPT assert concerns the (*,G) entry; an SPT assert the (S,G) one, or the (*,G) when we only have that.
    const e =
      (source !== undefined ? this.svc.mroutes.get(source, group) : undefined) ??
      this.svc.mroutes.get(undefined, group);
    if (!e || !this.entryCanAssert(e)) return;
    const key = this.key(e.source, group, ifName);
    const forwarding = [...e.oil.values()].some((o) => o.interface === ifName && o.passive !== true);
    const state = this.states.get(key);
    const ours = this.ourMetric(e, ifName);
    if (!forwarding && state?.role !== 'winner') {
      // Downstream routers remember the winner: it becomes their RPF' on this link (RFC 7761 §4.6.2).
      // A loser keeps losing while the winner refreshes; a downstream router follows the best assert heard.
      if (!state || assertBetter(theirs, state.winner) || state.winner.address === from)
        this.set(key, e, ifName, state?.role ?? 'downstream', theirs, ASSERT_TIME);
      return;
    }
    if (assertBetter(theirs, ours)) {
      this.debug(() => `We lose, our metric ${metricText(ours)}`);
      this.set(key, e, ifName, 'loser', theirs, ASSERT_TIME);
      this.svc.recompute();
      return;
    }
    this.debug(() => `We win, our metric ${metricText(ours)}`);
    this.set(key, e, ifName, 'winner', ours, ASSERT_TIME - ASSERT_OVERRIDE);
    this.svc.recompute();
    await this.send(e, ifName, ours);
  }

  private set(
    key: string,
    e: MrouteEntry,
    ifName: string,
    role: AssertState['role'],
    winner: AssertMetric,
    holdSeconds: number,
  ): void {
    let s = this.states.get(key);
    if (!s) {
      const state: AssertState = {
        source: e.source,
        group: e.group,
        interface: ifName,
        role,
        winner,
        // A bound method (kernel/bound.ts), not a closure, so a checkpoint copies the timer.
        timer: new Timer(this.router.kernel, bound(this, this.expire, key)),
      };
      this.states.set(key, (s = state));
    }
    s.role = role;
    s.winner = winner;
    s.timer.start(seconds(holdSeconds));
  }

  /** The winner re-asserts before its state runs out; a loser forwards again when the winner goes quiet. */
  private async expire(key: string): Promise<void> {
    const s = this.states.get(key);
    if (!s) return;
    const e = this.svc.mroutes.get(s.source, s.group);
    if (s.role === 'winner' && e && [...e.oil.values()].some((o) => o.interface === s.interface)) {
      s.timer.start(seconds(ASSERT_TIME - ASSERT_OVERRIDE));
      await this.send(e, s.interface, this.ourMetric(e, s.interface));
      return;
    }
    this.states.delete(key);
    this.svc.recompute();
  }

  /** Entry deleted: its assert state goes with it. */
  forget(e: MrouteEntry): void {
    const prefix = `${entryKey(e.source, e.group)}|`;
    for (const [key, s] of [...this.states]) {
      if (!key.startsWith(prefix)) continue;
      s.timer.stop();
      this.states.delete(key);
    }
  }

  private async send(e: MrouteEntry, ifName: string, m: AssertMetric): Promise<void> {
    const source = e.source ?? e.rp ?? 0;
    this.debug(
      () =>
        `Send v2 Assert on ${ifName} for ${formatIpv4(e.group)}, source ${formatIpv4(source)}, metric ${metricText(m)}`,
    );
    await this.router.sendIp({
      destination: ALL_PIM_ROUTERS,
      protocol: IP_PROTO.PIM,
      outInterface: ifName,
      ttl: 1,
      tos: TOS_INTERNETWORK_CONTROL,
      payload: encodePim({
        kind: 'assert',
        group: { address: e.group, maskLength: 32 },
        source,
        rpt: m.rpt,
        metricPreference: Math.min(m.preference, INFINITE),
        metric: m.metric >>> 0,
      }),
    });
  }

  private debug(text: LazyText): void {
    this.router.debugLog(DEBUG_PIM, () => `PIM(0): ${textOf(text)}`);
  }
}
