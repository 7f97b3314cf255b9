import { bound } from '../../kernel/bound';
import type { EigrpProcessConfig, InterfaceConfig } from '../../config/model';
import type { PacketContext, Router } from '../../device/router';
import type { Route } from '../../device/rib';
import { seconds } from '../../kernel/time';
import { Timer } from '../../kernel/timer';
import {
  EIGRP_FLAG,
  EIGRP_OPCODE,
  type DecodedEigrp,
  type EigrpMetric,
  type EigrpPacket,
  type EigrpTlv,
  encodeEigrp,
} from '../../net/eigrp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4, lengthFromMask, parseIpv4 } from '../../net/ipv4-address';
import { classfulPrefix, formatPrefix, makePrefix, type Prefix, prefixContains } from '../../net/prefix';
import type { OutboundPolicy } from './advertise';
import { addInterface, DEFAULT_K, INFINITE_DISTANCE, interfaceMetric, isUnreachable } from './metric';
import { helloPacket, helloVerdict, jitteredHello, type KValues, PEER_TERMINATION_K } from './hello';
import { debugPacketText } from './packet-debug';
import { QueryReply } from './query-reply';
import { eigrpRoute, type PreviousRoute } from './rib-route';
import { UpdateFlush, type UpdateHost } from './update-flush';
import { Neighbor, type NeighborHost, type ReliablePacket } from './neighbor';
import { makePath, pathKey, type TopologyEntry, TopologyTable } from './topology';

export type { PreviousRoute } from './rib-route';

/** 224.0.0.10, the all-EIGRP-routers group (RFC 7868 §5.3). */
export const EIGRP_GROUP: Ipv4 = parseIpv4('224.0.0.10')!;
/** IOS defaults on LAN, point-to-point and (IOS 15) tunnel interfaces. */
export const DEFAULT_HELLO = 5;
export const DEFAULT_HOLD = 15;
/** Internet control precedence, as IOS marks EIGRP (captures: ToS 0xC0). */
const EIGRP_TOS = 0xc0;

export const DEBUG_EIGRP_PACKETS = 'eigrp packets';

/** An interface running this process. */
interface EigrpInterface {
  readonly name: string;
  passive: boolean;
  splitHorizon: boolean;
  helloInterval: number;
  readonly helloTimer: Timer;
}

/** Network statements select interfaces by primary address; without a wildcard the network is classful. */
export function networkMatches(net: EigrpProcessConfig['networks'][number], address: Ipv4): boolean {
  if (net.wildcard === undefined) return prefixContains(classfulPrefix(net.address), address);
  const care = ~net.wildcard >>> 0;
  return (address & care) >>> 0 === (net.address & care) >>> 0;
}

/** The interfaces a process runs on: those whose primary address a `network` statement covers. */
export function eigrpInterfaceNames(
  cfg: EigrpProcessConfig,
  interfaces: readonly InterfaceConfig[],
): string[] {
  return interfaces
    .filter((i) => i.address !== undefined && cfg.networks.some((n) => networkMatches(n, i.address!.address)))
    .map((i) => i.name);
}

function routeTlvs(p: EigrpPacket): Extract<EigrpTlv, { kind: 'ipv4-internal' | 'ipv4-external' }>[] {
  return p.tlvs.filter(
    (t): t is Extract<EigrpTlv, { kind: 'ipv4-internal' | 'ipv4-external' }> =>
      t.kind === 'ipv4-internal' || t.kind === 'ipv4-external',
  );
}

/**
 * One `router eigrp N` process: interfaces and hellos, neighbours (with RTP), the topology table, DUAL and
 * the routes it offers the RIB. Reliable packets are unicast per neighbour (see Neighbor).
 */
export class EigrpProcess implements NeighborHost, UpdateHost {
  readonly asNumber: number;
  readonly router: Router;
  readonly topology = new TopologyTable();
  readonly neighbors = new Map<string, Neighbor>();
  readonly interfaces = new Map<string, EigrpInterface>();

  private sequence = 0;
  private handles = 0;
  /** Destinations touched since the routes were last offered to the RIB (see `takeRibTouched`). */
  private readonly ribTouched: Set<string>;
  /** What the neighbours are told and when (see UpdateFlush). */
  private readonly updates: UpdateFlush;
  /** DUAL's input events, Queries and Replies (see QueryReply). */
  private readonly dual: QueryReply;

  constructor(router: Router, asNumber: number, onRoutesChanged: () => void) {
    this.router = router;
    this.asNumber = asNumber;
    this.ribTouched = this.topology.trackTouched();
    this.updates = new UpdateFlush(this, onRoutesChanged);
    this.dual = new QueryReply(this, this.updates);
  }

  get kernel(): Router['kernel'] {
    return this.router.kernel;
  }

  get config(): EigrpProcessConfig | undefined {
    return this.router.config.eigrp.find((e) => e.asNumber === this.asNumber);
  }

  /** `eigrp router-id`, else the highest loopback address, else the highest address of an up interface (IOS). */
  get routerId(): Ipv4 {
    const configured = this.config?.routerId;
    if (configured !== undefined) return configured;
    const addrs = (loop: boolean): Ipv4[] =>
      this.router.config.interfaces
        .filter((i) => i.address && i.name.startsWith('Loopback') === loop && this.router.isUp(i.name))
        .map((i) => i.address!.address);
    const loops = addrs(true);
    const pool = loops.length > 0 ? loops : addrs(false);
    return pool.reduce((a, b) => (b > a ? b : a), 0);
  }

  // ---- configuration ----------------------------------------------------------------------------------

  /** Re-reads the config and interface states: starts/stops interfaces, hellos, connected routes, neighbours. */
  reconcile(): void {
    const cfg = this.config;
    const wanted = new Set(
      cfg ? eigrpInterfaceNames(cfg, this.router.config.interfaces).filter((n) => this.router.isUp(n)) : [],
    );
    for (const name of [...this.interfaces.keys()]) {
      if (!wanted.has(name)) this.stopInterface(name, 'interface down');
    }
    for (const name of wanted) this.syncInterface(name);
    this.syncConnected();
    this.updates.schedule();
  }

  /** Called when the process is removed (`no router eigrp N`). */
  shutdown(): void {
    for (const name of [...this.interfaces.keys()]) this.stopInterface(name, 'interface down');
    this.syncConnected();
  }

  private interfacePolicy(name: string): {
    passive: boolean;
    splitHorizon: boolean;
    hello: number;
    hold: number;
  } {
    const cfg = this.config;
    const ifc = this.router.interfaceConfig(name);
    return {
      passive: cfg?.passiveInterfaces.includes(name) ?? false,
      splitHorizon: !(ifc?.eigrp.splitHorizonDisabled.includes(this.asNumber) ?? false),
      hello: ifc?.eigrp.helloInterval[this.asNumber] ?? DEFAULT_HELLO,
      hold: ifc?.eigrp.holdTime[this.asNumber] ?? DEFAULT_HOLD,
    };
  }

  private syncInterface(name: string): void {
    const policy = this.interfacePolicy(name);
    let ifc = this.interfaces.get(name);
    if (!ifc) {
      ifc = {
        name,
        passive: policy.passive,
        splitHorizon: policy.splitHorizon,
        helloInterval: policy.hello,
        helloTimer: new Timer(this.kernel, bound(this, this.helloTick, name)),
      };
      this.interfaces.set(name, ifc);
      // IOS sends the first hello as soon as the interface comes up; a little jitter keeps routers apart.
      if (!ifc.passive) ifc.helloTimer.start(this.kernel.prng.nextInt(0, 50_000));
      return;
    }
    if (policy.passive !== ifc.passive) {
      ifc.passive = policy.passive;
      if (policy.passive) {
        this.goodbye(name);
        ifc.helloTimer.stop();
        this.dropNeighborsOn(name, 'interface passive');
      } else ifc.helloTimer.start(0);
    }
    if (policy.splitHorizon !== ifc.splitHorizon) {
      ifc.splitHorizon = policy.splitHorizon;
      // IOS resynchronises the neighbours on the interface rather than resetting them.
      for (const n of this.neighborsOn(name)) {
        this.logNeighbor(n, 'is resync: split horizon changed');
        this.updates.resync(n.key);
      }
    }
    if (policy.hello !== ifc.helloInterval) {
      ifc.helloInterval = policy.hello;
      if (!ifc.passive) ifc.helloTimer.start(seconds(policy.hello));
    }
  }

  private stopInterface(name: string, reason: string): void {
    const ifc = this.interfaces.get(name);
    if (!ifc) return;
    if (this.router.isUp(name) && !ifc.passive) this.goodbye(name);
    ifc.helloTimer.stop();
    this.interfaces.delete(name);
    this.dropNeighborsOn(name, reason);
  }

  /** Connected subnets of every EIGRP interface (passive ones included) are topology entries "via Connected". */
  private syncConnected(): void {
    const want = new Map<string, { prefix: Prefix; iface: string; metric: EigrpMetric }>();
    for (const name of this.interfaces.keys()) {
      const cfg = this.router.interfaceConfig(name);
      if (!cfg?.address) continue;
      const prefix = makePrefix(cfg.address.address, lengthFromMask(cfg.address.mask) ?? 32);
      want.set(pathKey(name) + ' ' + formatPrefix(prefix), {
        prefix,
        iface: name,
        metric: interfaceMetric(cfg),
      });
    }
    for (const entry of this.topology.all()) {
      for (const [key, path] of [...entry.paths]) {
        if (path.origin !== 'connected') continue;
        const w = want.get(key + ' ' + formatPrefix(entry.prefix));
        if (!w) {
          entry.paths.delete(key);
          this.topology.touch(entry.prefix);
          this.dual.input(entry);
        }
      }
    }
    for (const w of want.values()) {
      const entry = this.topology.getOrCreate(w.prefix, INFINITE_DISTANCE);
      const key = pathKey(w.iface);
      const old = entry.paths.get(key);
      if (old && old.distance === makePath({ ...old, metric: w.metric }).distance) continue;
      entry.paths.set(
        key,
        makePath({ origin: 'connected', interface: w.iface, reported: w.metric, metric: w.metric }),
      );
      this.topology.touch(entry.prefix);
      this.dual.input(entry);
    }
  }

  // ---- hellos and neighbours --------------------------------------------------------------------------

  private helloTick(name: string): void {
    const ifc = this.interfaces.get(name);
    if (!ifc || ifc.passive) return;
    this.sendHello(name, this.interfacePolicy(name).hold, DEFAULT_K);
    ifc.helloTimer.start(jitteredHello(ifc.helloInterval, this.kernel.prng));
  }

  private sendHello(name: string, hold: number, k: KValues): void {
    this.emit(helloPacket(this.asNumber, hold, k), EIGRP_GROUP, name);
  }

  /** A hello with every K value 255 tells neighbours to drop us now (IOS "PEER-TERMINATION"). */
  private goodbye(name: string): void {
    this.sendHello(name, this.interfacePolicy(name).hold, PEER_TERMINATION_K);
  }

  neighborsOn(iface: string): Neighbor[] {
    return [...this.neighbors.values()].filter((n) => n.interface === iface);
  }

  private dropNeighborsOn(iface: string, reason: string): void {
    for (const n of this.neighborsOn(iface)) this.neighborDown(n, reason);
  }

  private logNeighbor(n: Neighbor, what: string): void {
    this.router.log(
      'syslog',
      `%DUAL-5-NBRCHANGE: EIGRP-IPv4 ${this.asNumber}: Neighbor ${formatIpv4(n.address)} (${n.interface}) ${what}`,
    );
  }

  /** Removes a neighbour and everything it reported; DUAL then runs on every destination it touched. */
  neighborDown(n: Neighbor, reason: string): void {
    const key = n.key;
    if (this.neighbors.get(key) !== n) return;
    n.close();
    this.neighbors.delete(key);
    this.updates.forget(key);
    this.logNeighbor(n, `is down: ${reason}`);
    for (const entry of this.topology.all()) {
      const had = entry.paths.delete(key);
      // A neighbour that goes away while a Reply is awaited counts as an infinite Reply (RFC 7868 §5.3.6).
      const awaited = entry.pendingReplies?.delete(key) === true;
      entry.replyTo?.delete(key);
      if (had || awaited) this.topology.touch(entry.prefix);
      if (entry.state === 'active' && awaited) this.dual.checkActiveDone(entry);
      else if (had) this.dual.input(entry);
    }
    this.updates.schedule();
  }

  // NeighborHost
  nextSequence(): number {
    this.sequence = (this.sequence % 0xffffffff) + 1;
    return this.sequence;
  }

  send(nbr: Neighbor, packet: EigrpPacket): void {
    this.emit(packet, nbr.address, nbr.interface, nbr);
  }

  holdExpired(nbr: Neighbor): void {
    this.neighborDown(nbr, 'holding time expired');
  }

  retryLimitExceeded(nbr: Neighbor): void {
    this.neighborDown(nbr, 'retry limit exceeded');
  }

  established(nbr: Neighbor): void {
    this.updates.established(nbr);
    this.updates.schedule();
  }

  // ---- receive ----------------------------------------------------------------------------------------

  /** A decoded packet for this AS arriving on `iface` from `source`. */
  receive(ctx: PacketContext, packet: DecodedEigrp, iface: string, source: Ipv4): void {
    const ifc = this.interfaces.get(iface);
    if (!ifc) {
      this.router.drop(ctx, 0, `EIGRP AS ${this.asNumber} is not enabled on ${iface}`);
      return;
    }
    if (ifc.passive) {
      this.router.drop(ctx, 0, `${iface} is a passive interface for EIGRP AS ${this.asNumber}`);
      return;
    }
    const cfg = this.router.interfaceConfig(iface);
    if (!cfg?.address || ((cfg.address.address ^ source) & cfg.address.mask) !== 0) {
      this.router.drop(ctx, 0, `EIGRP: neighbor ${formatIpv4(source)} not on common subnet for ${iface}`);
      return;
    }
    const key = pathKey(iface, source);
    let nbr = this.neighbors.get(key);
    this.debugPacket('Received', packet, iface, source, nbr);
    if (packet.opcode === EIGRP_OPCODE.HELLO) {
      nbr = this.receiveHello(packet, iface, source, nbr);
      if (!nbr) return;
      nbr.acknowledge(packet.ack);
      return;
    }
    // Reliable packets only count from a neighbour that said hello first (IOS ignores the rest).
    if (!nbr) return;
    nbr.resetHold();
    const init = (packet.flags & EIGRP_FLAG.INIT) !== 0;
    if (!init && packet.sequence !== 0 && nbr.state === 'pending' && !nbr.peerInitReceived) {
      // The peer sends routes as if an adjacency were up, but we never had its INIT: it completed the handshake
      // with an earlier incarnation of this neighbour (ours was reset meanwhile). Left unacknowledged, and our
      // INIT goes again: the peer sees "peer restarted" and both sides start over (RFC 7868 §5.3.1), instead of
      // waiting forever for an INIT the peer will never resend.
      nbr.acknowledge(packet.ack);
      nbr.reinit(this.initUpdate());
      return;
    }
    if (packet.sequence !== 0) this.sendAck(nbr, packet.sequence);
    nbr.acknowledge(packet.ack);
    if (init && nbr.state === 'up') {
      // The peer restarted its side (its hold timer expired, or it was reset): RFC 7868 §5.3.1 - an INIT
      // Update from an established neighbour resets it, and the INIT itself opens the new adjacency (our own
      // INIT goes back, then both sides send their whole table). Dropping the INIT instead left the peer
      // waiting for ours forever: it never sent its routes again (issue 13 item 4).
      const hold = nbr.holdTime;
      this.neighborDown(nbr, 'peer restarted');
      nbr = this.addNeighbor(iface, source, hold);
    }
    if (packet.sequence !== 0 && !nbr.accept(packet.sequence, init)) return;
    if (packet.opcode === EIGRP_OPCODE.UPDATE) this.receiveUpdate(packet, nbr);
    else if (packet.opcode === EIGRP_OPCODE.QUERY) this.receiveQuery(packet, nbr);
    else if (packet.opcode === EIGRP_OPCODE.REPLY) this.receiveReply(packet, nbr);
    this.updates.schedule();
  }

  private receiveHello(
    packet: DecodedEigrp,
    iface: string,
    source: Ipv4,
    nbr: Neighbor | undefined,
  ): Neighbor | undefined {
    const params = packet.tlvs.find((t) => t.kind === 'parameters');
    if (params) {
      const verdict = helloVerdict(params);
      if (verdict === 'peer-termination') {
        if (nbr) this.neighborDown(nbr, 'Interface PEER-TERMINATION received');
        return undefined;
      }
      if (verdict === 'k-mismatch') {
        // RFC 7868 §5.3.2: K values must match for an adjacency.
        this.router.log(
          'syslog',
          `%DUAL-5-NBRCHANGE: EIGRP-IPv4 ${this.asNumber}: Neighbor ${formatIpv4(source)} (${iface}) is down: K-value mismatch`,
        );
        if (nbr) this.neighborDown(nbr, 'K-value mismatch');
        return undefined;
      }
    }
    const hold = params?.holdTime ?? DEFAULT_HOLD;
    if (!nbr) return this.addNeighbor(iface, source, hold);
    nbr.holdTime = hold;
    nbr.resetHold();
    return nbr;
  }

  /** A neighbour heard for the first time (or again after a reset): pending until both INITs are through. */
  private addNeighbor(iface: string, source: Ipv4, hold: number): Neighbor {
    const nbr = new Neighbor(this, source, iface, this.handles++, hold);
    this.neighbors.set(pathKey(iface, source), nbr);
    this.logNeighbor(nbr, 'is up: new adjacency');
    // INIT Update (RFC 7868 §5.3.1.3): the peer acknowledges it and answers with its own.
    nbr.enqueue(this.initUpdate());
    return nbr;
  }

  private initUpdate(): ReliablePacket {
    return { opcode: EIGRP_OPCODE.UPDATE, flags: EIGRP_FLAG.INIT, vrid: 0, as: this.asNumber, tlvs: [] };
  }

  /** Records the path a route TLV from `nbr` gives (none when it reports the destination unreachable). */
  private learn(tlv: ReturnType<typeof routeTlvs>[number], nbr: Neighbor): TopologyEntry {
    const prefix = makePrefix(tlv.destination, tlv.prefixLength);
    const entry = this.topology.getOrCreate(prefix, INFINITE_DISTANCE);
    this.topology.touch(prefix);
    const key = nbr.key;
    if (isUnreachable(tlv.metric)) {
      entry.paths.delete(key);
      return entry;
    }
    const ifcfg = this.router.interfaceConfig(nbr.interface);
    const total = addInterface(tlv.metric, ifcfg ? interfaceMetric(ifcfg) : tlv.metric);
    // A third-party next hop is used only when it is on the receiving interface's subnet (RFC 7868 §6.9.1).
    const onLink =
      tlv.nextHop !== 0 &&
      ifcfg?.address &&
      ((ifcfg.address.address ^ tlv.nextHop) & ifcfg.address.mask) === 0;
    entry.paths.set(
      key,
      makePath({
        origin: 'neighbor',
        interface: nbr.interface,
        neighbor: nbr.address,
        nextHop: onLink && !this.router.ownsAddress(tlv.nextHop) ? tlv.nextHop : nbr.address,
        reported: tlv.metric,
        metric: total,
        external: tlv.kind === 'ipv4-external' ? tlv.external : undefined,
      }),
    );
    return entry;
  }

  private receiveUpdate(packet: DecodedEigrp, nbr: Neighbor): void {
    for (const tlv of routeTlvs(packet)) this.dual.input(this.learn(tlv, nbr));
  }

  private receiveQuery(packet: DecodedEigrp, nbr: Neighbor): void {
    const replies: EigrpTlv[] = [];
    for (const tlv of routeTlvs(packet)) {
      const reply = this.dual.queried(this.learn(tlv, nbr), nbr);
      if (reply) replies.push(reply);
    }
    if (replies.length > 0) this.enqueueTo(nbr, EIGRP_OPCODE.REPLY, 0, replies);
  }

  private receiveReply(packet: DecodedEigrp, nbr: Neighbor): void {
    for (const tlv of routeTlvs(packet)) this.dual.replied(this.learn(tlv, nbr), nbr);
  }

  // ---- updates ----------------------------------------------------------------------------------------

  policyOf(iface: string): OutboundPolicy {
    const cfg = this.router.interfaceConfig(iface);
    return {
      interface: iface,
      splitHorizon: !(cfg?.eigrp.splitHorizonDisabled.includes(this.asNumber) ?? false),
      nextHopSelf: !(cfg?.eigrp.nextHopSelfDisabled.includes(this.asNumber) ?? false),
    };
  }

  enqueueTo(n: Neighbor, opcode: number, flags: number, tlvs: EigrpTlv[]): void {
    const packet: ReliablePacket = { opcode, flags, vrid: 0, as: this.asNumber, tlvs };
    n.enqueue(packet);
  }

  private sendAck(n: Neighbor, sequence: number): void {
    const ack: EigrpPacket = {
      opcode: EIGRP_OPCODE.HELLO,
      flags: 0,
      sequence: 0,
      ack: sequence,
      vrid: 0,
      as: this.asNumber,
      tlvs: [],
    };
    this.emit(ack, n.address, n.interface, n);
  }

  // ---- output -----------------------------------------------------------------------------------------

  /**
   * Sends at the current instant, as a kernel event of its own: the packet leaves after the work that made it
   * (a hello tick, an update) is done, as it did when the output path was asynchronous.
   */
  private emit(packet: EigrpPacket, destination: Ipv4, iface: string, nbr?: Neighbor): void {
    this.debugPacket('Sending', packet, iface, nbr?.address, nbr);
    const payload = encodeEigrp(packet);
    this.kernel.schedule(0, bound(this, this.sendNow, destination, payload, iface));
  }

  private sendNow(destination: Ipv4, payload: Uint8Array, iface: string): void {
    // Tracked by the router when it has to wait (AES through WebCrypto): the kernel finishes it in this event.
    void this.router.sendIpNow({
      destination,
      protocol: IP_PROTO.EIGRP,
      payload,
      outInterface: iface,
      ttl: 1,
      tos: EIGRP_TOS,
    });
  }

  /** `debug eigrp packets`: IOS's two-line form. */
  private debugPacket(
    verb: 'Sending' | 'Received',
    p: EigrpPacket,
    iface: string,
    peer?: Ipv4,
    nbr?: Neighbor,
  ): void {
    if (!this.router.debug.has(DEBUG_EIGRP_PACKETS)) return;
    this.router.debugLog(DEBUG_EIGRP_PACKETS, () => debugPacketText(verb, p, iface, peer, nbr?.queueCount));
  }

  // ---- RIB --------------------------------------------------------------------------------------------

  /** The routes this process offers the RIB: each passive or active entry's successors, unless connected. */
  routes(previous: PreviousRoute): Route[] {
    this.ribTouched.clear();
    return this.topology.all().flatMap((entry) => this.routeOf(entry, previous) ?? []);
  }

  /** The destinations touched since the RIB last heard from this process (then forgotten). */
  takeRibTouched(): string[] {
    const keys = [...this.ribTouched];
    this.ribTouched.clear();
    return keys;
  }

  /** The route of the destination named `key` (a `prefixKey`), if it offers one. */
  routeFor(key: string, previous: PreviousRoute): Route | undefined {
    const entry = this.topology.getByKey(key);
    return entry && this.routeOf(entry, previous);
  }

  private routeOf(entry: TopologyEntry, previous: PreviousRoute): Route | undefined {
    return eigrpRoute(entry, previous, this.kernel.now);
  }
}
