import { interfaceKind } from '../../device/interface-state';
import { type PacketContext, type LazyText, textOf } from '../../device/router';
import { bound } from '../../kernel/bound';
import { seconds } from '../../kernel/time';
import { encodeIgmp, type IgmpMessage } from '../../net/igmp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, maskFromLength } from '../../net/ipv4-address';
import { TOS_INTERNETWORK_CONTROL } from './hello';
import { forwardingOifs, type MrouteEntry, oifKey, type OutgoingInterface } from './mroute-table';
import { DEBUG_PIM, type PimCore } from './pim-core';
import { lookupRpf } from './rpf';
import { Timer } from '../../kernel/timer';
import { ALL_ROUTERS } from '../igmp/igmp-service';

/** Holdtime seen in a real Cisco RP-Reachable (IOS packet capture). */
export const RP_REACHABLE_HOLDTIME = 270;
/**
 * Send interval. [M] Not published for IOS; a third of the 270-s holdtime would be 90 s, the
 * PIM periodic interval 60 s: we use 60 s so a spoke sees one within a minute of any change.
 */
export const RP_REACHABLE_INTERVAL = 60;

type RpReachableMsg = Extract<IgmpMessage, { kind: 'pimv1-rp-reachable' }>;
/** `RpMapping.pimVersion` of a PIMv2-only RP (BSR); Auto-RP's v2v1 is 3, a static RP has none. */
const PIM_V2_ONLY = 2;

/**
 * PIMv1 RP-Reachable, which a Cisco RP advertised as v2v1 sends down each shared tree, and which every router
 * accepts only from its RPF interface toward the RP, for a group whose RP it knows to be that RP. This is where
 * the article's spoke prints `Received RP-Reachable on Tunnel10 from 1.1.1.1` / `RP not known, or mismatch`.
 */
export class RpReachable {
  private readonly svc: PimCore;
  private readonly timer: Timer;
  /** `group|oif` already sent to, so a new branch of a tree gets one at once. */
  private readonly announced = new Set<string>();

  constructor(svc: PimCore) {
    this.svc = svc;
    this.timer = new Timer(svc.router.kernel, bound(this, this.periodic));
  }

  reconcile(): void {
    if (!this.svc.enabled) this.timer.stop();
    else if (!this.timer.running) this.timer.start(seconds(RP_REACHABLE_INTERVAL));
  }

  /** Time until the next periodic RP-Reachable (`show ip pim rp`: `next RP-reachable in`). */
  nextIn(): number | undefined {
    return this.timer.remaining;
  }

  /** Shared trees rooted here whose RP is not PIMv2-only (a BSR-learned RP is v2: no PIMv1 message for it). */
  private rootedHere(): MrouteEntry[] {
    return this.svc.mroutes
      .all()
      .filter((e) => e.source === undefined && !e.dense && e.rp !== undefined && this.svc.isRp(e.group))
      .filter((e) => this.svc.rpMappingFor(e.group)?.pimVersion !== PIM_V2_ONLY);
  }

  /** After a recompute: new outgoing interfaces of our shared trees get an RP-Reachable at once. */
  update(): void {
    for (const e of this.rootedHere()) {
      for (const o of forwardingOifs(e)) {
        const key = `${e.group}|${oifKey(o.interface, o.nextHop)}`;
        if (this.announced.has(key)) continue;
        this.announced.add(key);
        void this.sendOn(e, o);
      }
    }
  }

  private async periodic(): Promise<void> {
    this.timer.start(seconds(RP_REACHABLE_INTERVAL));
    for (const e of this.rootedHere()) for (const o of forwardingOifs(e)) await this.sendOn(e, o);
  }

  /** Our own RP-Reachable for a shared tree rooted here, out one of its outgoing interfaces. */
  private async sendOn(e: MrouteEntry, o: OutgoingInterface): Promise<void> {
    if (interfaceKind(o.interface) === 'loopback') return;
    await this.send(o.interface, {
      kind: 'pimv1-rp-reachable',
      group: e.group,
      groupMask: maskFromLength(32),
      rp: e.rp ?? 0,
      holdtime: RP_REACHABLE_HOLDTIME,
    });
  }

  /**
   * PIMv1 goes to ALL-ROUTERS with TTL 1, from the RP's address (IOS packet capture; Wireshark packet-pim.c,
   * PIMv1).
   */
  private async send(ifName: string, msg: RpReachableMsg): Promise<void> {
    await this.svc.router.sendIp({
      destination: ALL_ROUTERS,
      source: msg.rp,
      protocol: IP_PROTO.IGMP,
      payload: encodeIgmp(msg),
      outInterface: ifName,
      ttl: 1,
      tos: TOS_INTERNETWORK_CONTROL,
    });
  }

  /** Checks [INF]: the group maps to this RP, and the packet came in on the RPF interface toward it. */
  async receive(ctx: PacketContext, msg: RpReachableMsg): Promise<void> {
    const inIf = ctx.inInterface;
    if (inIf === undefined || !this.svc.pimEnabled(inIf)) return;
    const from = ctx.datagram.header.source;
    if (this.svc.router.ownsAddress(from)) return;
    this.debug(() => `Received RP-Reachable on ${inIf} from ${formatIpv4(from)}`);
    // The article prints this continuation line without the `PIM(0):` prefix.
    this.svc.router.debugLog(DEBUG_PIM, () => `     for group ${formatIpv4(msg.group)}`);
    const known = this.svc.rpFor(msg.group);
    const rpf = lookupRpf(this.svc.router, msg.rp);
    const problem =
      known === undefined
        ? `no RP is known for ${formatIpv4(msg.group)}`
        : known !== msg.rp
          ? `the RP for ${formatIpv4(msg.group)} is ${formatIpv4(known)}, not ${formatIpv4(msg.rp)}`
          : rpf?.interface !== inIf
            ? `RPF check failed: the RPF interface toward RP ${formatIpv4(msg.rp)} is ${rpf?.interface ?? 'unknown'}, not ${inIf}`
            : undefined;
    if (problem) {
      this.debug('RP not known, or mismatch');
      this.svc.router.drop(ctx, 0, `RP-Reachable dropped: ${problem}`);
      return;
    }
    this.debug(() => `Update RP expiration timer for ${formatIpv4(msg.group)}`);
    const e = this.svc.mroutes.get(undefined, msg.group);
    for (const o of forwardingOifs(e)) {
      if (interfaceKind(o.interface) === 'loopback' || (o.interface === inIf && o.nextHop === undefined))
        continue;
      this.debug(() => `Forward RP-reachability packet for ${formatIpv4(msg.group)} on ${o.interface}`);
      await this.send(o.interface, msg);
    }
  }

  private debug(text: LazyText): void {
    this.svc.router.debugLog(DEBUG_PIM, () => `PIM(0): ${textOf(text)}`);
  }
}
