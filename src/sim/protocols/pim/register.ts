import { type PacketContext, type LazyText, textOf } from '../../device/router';
import { bound } from '../../kernel/bound';
import { seconds } from '../../kernel/time';
import { decodeIpv4, decodeIpv4Header, IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { encodePim, type PimMessage, pimNullRegisterHeader } from '../../net/pim';
import { forward } from './forwarding';
import { entryKey, type MrouteEntry } from './mroute-table';
import { DEBUG_PIM, type PimCore, type PimParts } from './pim-core';
import { Timer } from '../../kernel/timer';

/** RFC 7761 §4.11: Register_Suppression_Time 60 s, Register_Probe_Time 5 s. */
const REGISTER_SUPPRESSION = 60;
const REGISTER_PROBE = 5;

/**
 * Register, Null-Register and Register-Stop (RFC 7761 §4.4). The first-hop DR of a directly connected source
 * tunnels its packets to the RP until the RP answers with Register-Stop; the RP decapsulates, forwards down the
 * shared tree and joins the source tree.
 */
export class Register {
  private readonly svc: PimCore & PimParts;
  private readonly suppressed = new Map<string, { stop: Timer; probe: Timer }>();

  constructor(svc: PimCore & PimParts) {
    this.svc = svc;
  }

  /** True when this router is the DR for a source directly connected on `inIf` and someone else is RP. */
  isFirstHop(e: MrouteEntry, inIf: string): boolean {
    if (e.source === undefined) return false;
    const rp = this.svc.rpFor(e.group);
    if (rp === undefined || this.svc.isRp(e.group)) return false;
    return this.svc.router.connectedInterfaceFor(e.source) === inIf && this.svc.neighbors.isDr(inIf);
  }

  async encapsulate(ctx: PacketContext, e: MrouteEntry): Promise<void> {
    const rp = this.svc.rpFor(e.group);
    if (rp === undefined || e.source === undefined) return;
    const suppressed = this.suppressed.has(entryKey(e.source, e.group));
    e.registering = !suppressed;
    if (suppressed) return;
    await this.send(rp, { kind: 'register', border: false, nullRegister: false, packet: ctx.bytes });
  }

  private async send(destination: Ipv4, m: PimMessage): Promise<void> {
    // Register and Register-Stop are unicast with TTL 255 (unicast, RFC 7761 §4.4; IOS captures show TTL
    // 255).
    await this.svc.router.sendIp({ destination, protocol: IP_PROTO.PIM, payload: encodePim(m), ttl: 255 });
  }

  /** At the RP: decapsulate, forward down the shared tree, join toward the source, or stop the DR. */
  async receiveRegister(ctx: PacketContext, msg: Extract<PimMessage, { kind: 'register' }>): Promise<void> {
    const from = ctx.datagram.header.source;
    const inner = msg.nullRegister ? { ...decodeIpv4Header(msg.packet) } : decodeIpv4(msg.packet);
    const source = inner.header.source;
    const group = inner.header.destination;
    this.debug(() => `Received v2 Register on ${ctx.inInterface ?? 'Null'} from ${formatIpv4(from)}`);
    this.svc.router.debugLog(DEBUG_PIM, () => `     for ${formatIpv4(source)}, group ${formatIpv4(group)}`);
    const stop = (): Promise<void> =>
      this.send(from, { kind: 'register-stop', group: { address: group, maskLength: 32 }, source });
    if (!this.svc.isRp(group)) {
      await stop();
      return;
    }
    const e = this.svc.sourceEntry(source, group);
    if (msg.nullRegister || e.oil.size === 0 || e.spt) {
      await stop();
      // RFC 7761 §4.4.2: without the SPT bit the inner packet still goes down the shared tree
      // (inherited_olist(S,G,rpt)), Register-Stop or not; the register tunnel, not the RPF interface toward
      // S, is its incoming interface, so a receiver on that interface gets it too.
      const star = this.svc.mroutes.get(undefined, group);
      if (!msg.nullRegister && !e.spt && star && 'payload' in inner)
        await forward(this.svc, star, { datagram: inner, bytes: msg.packet, inInterface: undefined }, 0);
      return;
    }
    if (!e.joinSpt) {
      e.joinSpt = true;
      this.svc.recompute();
    }
    if ('payload' in inner) {
      const bytes = msg.packet;
      await forward(this.svc, e, { datagram: inner, bytes, inInterface: undefined }, 0);
      if (this.svc.isLocalMember(group)) await this.svc.router.deliverLocal({ datagram: inner, bytes });
    }
  }

  /** At the DR: stop registering for 60 s, probing with a Null-Register 5 s before the end. */
  receiveRegisterStop(group: Ipv4, source: Ipv4): void {
    const key = entryKey(source, group);
    this.suppressed.get(key)?.stop.stop();
    this.suppressed.get(key)?.probe.stop();
    const kernel = this.svc.router.kernel;
    // Bound methods (kernel/bound.ts), not closures, so a checkpoint copies the timers.
    const stop = new Timer(kernel, bound(this, this.suppressionEnded, key, source, group));
    const probe = new Timer(kernel, bound(this, this.probe, source, group));
    stop.start(seconds(REGISTER_SUPPRESSION));
    probe.start(seconds(REGISTER_SUPPRESSION - REGISTER_PROBE));
    this.suppressed.set(key, { stop, probe });
    const e = this.svc.mroutes.get(source, group);
    if (e) e.registering = false;
    this.debug(() => `Received v2 Register-Stop for (${formatIpv4(source)}, ${formatIpv4(group)})`);
  }

  /** Register_Suppression_Time is over: register again. */
  private suppressionEnded(key: string, source: Ipv4, group: Ipv4): void {
    this.suppressed.delete(key);
    const e = this.svc.mroutes.get(source, group);
    if (e) e.registering = true;
  }

  /** Register_Probe_Time before the end: a Null-Register asks the RP whether it still wants the source. */
  private async probe(source: Ipv4, group: Ipv4): Promise<void> {
    const rp = this.svc.rpFor(group);
    if (rp === undefined) return;
    await this.send(rp, {
      kind: 'register',
      border: false,
      nullRegister: true,
      packet: pimNullRegisterHeader(source, group),
    });
  }

  private debug(text: LazyText): void {
    this.svc.router.debugLog(DEBUG_PIM, () => `PIM(0): ${textOf(text)}`);
  }
}
