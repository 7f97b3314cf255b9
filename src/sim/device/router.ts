import { countPacket, type InterfaceCounters, zeroInterfaceCounters } from './interface-counters';
import { LoggingBuffer } from './logging-buffer';
import type { ConfigChange } from '../config/context';
import type { ExtendedAce, InterfaceConfig, RouterConfig, StandardAce } from '../config/model';
import { bound } from '../kernel/bound';
import type { Kernel } from '../kernel/kernel';
import { thenValue } from '../kernel/maybe-async';
import type { PacketEvent } from '../kernel/trace';
import { DecodeError } from '../net/decode-error';
import { summarize } from '../net/dissectors';
import {
  decodeIpv4,
  encodeIpv4,
  type Ipv4Datagram,
  type Ipv4Header,
  type Ipv4Option,
  withTtl,
} from '../net/ipv4';
import {
  formatIpv4,
  type Ipv4,
  IPV4_BROADCAST,
  isLinkLocalMulticast,
  isMulticast,
  lengthFromMask,
} from '../net/ipv4-address';
import { makePrefix, type Prefix } from '../net/prefix';
import { ADMIN_DOWN, interfaceKind, type InterfaceState, UP } from './interface-state';
import { Rib, type Route, type RouteSource } from './rib';

/** What the router needs from the lab around it: links and the wire. */
export interface NetworkPort {
  /** State of the far end of the link on `iface`, or undefined when no link is attached. */
  peerEnabled(device: string, iface: string): boolean | undefined;
  /** Puts a frame on the link attached to `iface`. */
  transmit(device: string, iface: string, bytes: Uint8Array): void;
}

/** A received or locally originated IPv4 packet on its way through the pipeline. */
export interface PacketContext {
  readonly datagram: Ipv4Datagram;
  readonly bytes: Uint8Array;
  /** Interface it arrived on; undefined for locally originated packets. */
  readonly inInterface?: string;
}

/**
 * An ingress stage may consume a packet (ESP decryption): true, taken and done; false, not taken (the pipeline
 * goes on); a promise, taken, and its work goes on asynchronously (AES through WebCrypto). A stage decides
 * whether it takes a packet before it answers, so "not taken" never waits (issue 18: a promise of a boolean
 * made the rest of the pipeline an async function of its own for every packet a stage took).
 */
export type IngressStage = (ctx: PacketContext) => boolean | Promise<void>;

/** Local delivery handler for one IP protocol. */
export type ProtocolHandler = (ctx: PacketContext) => void | Promise<void>;

/** Local delivery handler for one UDP port; receives the decoded UDP payload through the context. */
export type UdpHandler = (
  ctx: PacketContext,
  udp: { sourcePort: number; payload: Uint8Array },
) => void | Promise<void>;

/**
 * How packets leave an interface. Physical interfaces put frames on their link; tunnels (GRE) encapsulate and
 * send again; loopbacks deliver locally.
 */
export interface InterfaceDriver {
  output(ifName: string, bytes: Uint8Array, gateway: Ipv4): void | Promise<void>;
}

/** Applied to every packet leaving a physical interface (crypto map); returns the bytes to send, or null. */
export type EgressStage = (
  ifName: string,
  bytes: Uint8Array,
) => Uint8Array | null | Promise<Uint8Array | null>;

/** Computes the line state of a tunnel interface (provided by the tunnel module). */
export type TunnelStateFn = (cfg: InterfaceConfig) => InterfaceState;

export interface SendOptions {
  readonly destination: Ipv4;
  readonly protocol: number;
  readonly payload: Uint8Array;
  readonly source?: Ipv4;
  readonly ttl?: number;
  readonly tos?: number;
  readonly options?: Ipv4Option[];
  /** Forces the outgoing interface (link-local multicast, pings with an interface source). */
  readonly outInterface?: string;
}

/** A protocol running on a router (EIGRP, NHRP, PIM …). `reconcile` re-reads the config after any change. */
export interface RouterModule {
  readonly name: string;
  reconcile(): void;
  onInterfaceStateChange?(ifName: string, state: InterfaceState): void;
}

/** A log line, or a function that builds it when it is needed. */
export type LazyText = string | (() => string);

export function textOf(text: LazyText): string {
  return typeof text === 'string' ? text : text();
}

const DEFAULT_TTL = 255;

/**
 * Promises `Router.dropOnReject` made: they never reject, so when a decapsulated packet's own processIngress hands
 * one back (ESP, then GRE, then PIM's asynchronous multicast input), the processIngress it is nested in returns it
 * as it is instead of wrapping it again (issue 18: three async wrappers per multicast packet received through ESP
 * and GRE, two of them for nothing). A fact about the promises themselves, which copies share: no simulator state.
 */
const GUARDED = new WeakSet<Promise<void>>();

const NO_TUNNEL_DRIVER: InterfaceState = {
  status: 'up',
  protocol: 'down',
  reason: 'no tunnel driver is attached',
};

/**
 * A router: interfaces, RIB and the forwarding pipeline in IOS order (docs/DESIGN.md §6). Protocols attach
 * to the hook points: ingress stages, protocol and UDP handlers, interface drivers and egress stages.
 */
export class Router {
  readonly name: string;
  readonly kernel: Kernel;
  /** The running-config; every console session edits this object and reports through `configChanged`. */
  readonly config: RouterConfig;
  readonly rib = new Rib();
  readonly debug = new Set<string>();
  readonly modules: RouterModule[] = [];
  /** `show interfaces` counters per interface name (see interface-counters.ts). */
  readonly counters = new Map<string, InterfaceCounters>();
  /** What `show logging` prints: the buffered syslog and debug lines. */
  readonly loggingBuffer = new LoggingBuffer();
  // State that other modules keep per router lives here, not in module-level WeakMaps, so that a checkpoint
  // (a copy of the lab's object graph, issue 18) carries it.
  /** The protocol services attached, by descriptor id, in attach order (protocols/services.ts). */
  readonly services = new Map<string, object>();
  /** `show ip access-lists` match counts per ACE of the running-config (protocols/esp/acl-counters.ts). */
  readonly aclMatches = new Map<StandardAce | ExtendedAce, number>();
  /** Interfaces whose address was typed at a console: `manual` in `show ip interface brief` (cli/). */
  readonly addressesTypedAtConsole = new Set<string>();

  private readonly network: NetworkPort;
  private readonly ingressStages: IngressStage[] = [];
  private readonly protocolHandlers = new Map<number, ProtocolHandler>();
  private readonly udpHandlers = new Map<number, UdpHandler>();
  private readonly drivers = new Map<string, InterfaceDriver>();
  private readonly egressStages: EgressStage[] = [];
  private readonly stateListeners: ((ifName: string, state: InterfaceState) => void)[] = [];
  private readonly configListeners: ((change: ConfigChange) => void)[] = [];
  private readonly beforeReconcile: (() => void)[] = [];
  private states = new Map<string, InterfaceState>();
  private ipId = 0;
  tunnelState: TunnelStateFn | undefined;

  constructor(name: string, kernel: Kernel, config: RouterConfig, network: NetworkPort) {
    this.name = name;
    this.kernel = kernel;
    this.config = config;
    this.network = network;
    // Bound, not a closure: a checkpoint copies the router's callbacks with it (kernel/bound.ts).
    this.rib.onChange = bound(this, this.ribChanged);
  }

  private refreshingStatics = false;

  /** A static route whose next hop is learned by a protocol (EIGRP) follows that protocol's changes. */
  private ribChanged(source: RouteSource): void {
    if (source !== 'static' && source !== 'connected' && source !== 'local' && !this.refreshingStatics) {
      this.refreshStaticRoutes();
    }
  }

  /** Called by a console session after each accepted config line: the running lab changes at once. */
  configChanged(change: ConfigChange): void {
    this.reconcile();
    for (const l of this.configListeners) l(change);
  }

  onConfigChange(listener: (change: ConfigChange) => void): void {
    this.configListeners.push(listener);
  }

  /**
   * Runs at the start of each reconcile, before interface states, routes and modules: where protocols attach
   * the services a config change just enabled (protocols/attach.ts).
   */
  onBeforeReconcile(hook: () => void): void {
    this.beforeReconcile.push(hook);
  }

  get hostname(): string {
    return this.config.hostname;
  }

  // ---- interfaces -------------------------------------------------------------------------------------

  /**
   * An interface's config. Read on every packet, and a service provider's router in a generated lab has a
   * thousand interfaces: positions are indexed by name, and re-indexed when the list changed.
   */
  interfaceConfig(name: string): InterfaceConfig | undefined {
    const list = this.config.interfaces;
    let index = this.interfaceIndex;
    if (index?.list !== list || index.length !== list.length) index = this.indexInterfaces();
    let i = index.positions.get(name);
    if (i !== undefined && list[i]?.name !== name) i = this.indexInterfaces().positions.get(name);
    return i === undefined ? undefined : list[i];
  }

  private interfaceIndex:
    { list: readonly InterfaceConfig[]; length: number; positions: Map<string, number> } | undefined;

  private indexInterfaces(): NonNullable<Router['interfaceIndex']> {
    const list = this.config.interfaces;
    this.interfaceIndex = { list, length: list.length, positions: new Map(list.map((c, i) => [c.name, i])) };
    return this.interfaceIndex;
  }

  interfaceState(name: string): InterfaceState {
    return this.states.get(name) ?? { status: 'down', protocol: 'down', reason: 'no such interface' };
  }

  isUp(name: string): boolean {
    return this.interfaceState(name).protocol === 'up';
  }

  /** The primary address of an interface, when configured. */
  interfaceAddress(name: string): Ipv4 | undefined {
    return this.interfaceConfig(name)?.address?.address;
  }

  /** True when `a` is one of this router's interface addresses (on an up interface or not, as IOS). */
  ownsAddress(a: Ipv4): boolean {
    // Asked for every packet; the index is rebuilt at each reconcile (every config change) and a hit is checked
    // against the config itself (the position it was indexed at still holds that address).
    const list = this.config.interfaces;
    let index = this.addressIndex;
    if (index?.list !== list || index.length !== list.length) index = this.indexAddresses();
    const at = index.owners.get(a);
    if (at === undefined || list[at]?.address?.address === a) return at !== undefined;
    return this.indexAddresses().owners.has(a);
  }

  private addressIndex:
    { list: readonly InterfaceConfig[]; length: number; owners: Map<Ipv4, number> } | undefined;

  private indexAddresses(): NonNullable<Router['addressIndex']> {
    const list = this.config.interfaces;
    const owners = new Map<Ipv4, number>();
    list.forEach((i, at) => {
      if (i.address && !owners.has(i.address.address)) owners.set(i.address.address, at);
    });
    this.addressIndex = { list, length: list.length, owners };
    return this.addressIndex;
  }

  /** The interface whose connected subnet holds `a`. */
  connectedInterfaceFor(a: Ipv4): string | undefined {
    for (const i of this.config.interfaces) {
      if (!i.address || !this.isUp(i.name)) continue;
      if (((i.address.address ^ a) & i.address.mask) >>> 0 === 0) return i.name;
    }
    return undefined;
  }

  onInterfaceStateChange(listener: (ifName: string, state: InterfaceState) => void): void {
    this.stateListeners.push(listener);
  }

  /** Recomputes interface states, connected and static routes, then lets every module re-read the config. */
  reconcile(): void {
    // What the protocols schedule now is this router's work (the kernel's watchdog stops work per router).
    this.kernel.runAs(this.name, () => this.reconcileNow());
  }

  private reconcileNow(): void {
    // First: a service a config change just enabled (a first `interface Tunnel…`) must be there before the
    // interface states it drives are computed.
    for (const hook of this.beforeReconcile) hook();
    this.indexAddresses();
    const changes = this.refreshInterfaceStates();
    this.refreshConnectedRoutes();
    this.refreshStaticRoutes();
    for (const m of this.modules) m.reconcile();
    // Announced only once every module has read the new config, so a protocol reacting to "Tunnel10 up"
    // (an IGMP report, an EIGRP hello) finds the others (NHRP's multicast list) ready for it.
    for (const [name, state] of changes) {
      for (const l of this.stateListeners) l(name, state);
      for (const m of this.modules) m.onInterfaceStateChange?.(name, state);
    }
  }

  /** Recomputes line states and logs the changes; returns them for `reconcile` to announce. */
  private refreshInterfaceStates(): [string, InterfaceState][] {
    const previous = this.states;
    const next = new Map<string, InterfaceState>();
    for (const cfg of this.config.interfaces) next.set(cfg.name, this.computeState(cfg));
    // Tunnels depend on their source's state, which was just computed.
    this.states = next;
    for (const cfg of this.config.interfaces) {
      if (interfaceKind(cfg.name) === 'tunnel') next.set(cfg.name, this.computeState(cfg));
    }
    // Report physical changes before the tunnels that ride on them, as IOS does.
    const tunnelsLast = [...next].sort(
      (a, b) => Number(interfaceKind(a[0]) === 'tunnel') - Number(interfaceKind(b[0]) === 'tunnel'),
    );
    const changes: [string, InterfaceState][] = [];
    for (const [name, state] of tunnelsLast) {
      const before = previous.get(name);
      if (before && before.protocol === state.protocol && before.status === state.status) continue;
      if (before) this.logInterfaceChange(name, before, state);
      changes.push([name, state]);
    }
    return changes;
  }

  private computeState(cfg: InterfaceConfig): InterfaceState {
    if (cfg.shutdown) return ADMIN_DOWN;
    switch (interfaceKind(cfg.name)) {
      case 'loopback':
        return UP;
      case 'tunnel':
        // The tunnel module (protocols/tunnel) owns GRE line state; a router without it cannot run tunnels.
        return this.tunnelState?.(cfg) ?? NO_TUNNEL_DRIVER;
      case 'physical': {
        const peer = this.network.peerEnabled(this.name, cfg.name);
        if (peer === undefined) return { status: 'down', protocol: 'down', reason: 'no cable is connected' };
        if (!peer)
          return { status: 'down', protocol: 'down', reason: 'the far end of the link is shut down' };
        return UP;
      }
    }
  }

  private logInterfaceChange(name: string, before: InterfaceState, after: InterfaceState): void {
    if (before.status !== after.status) {
      // IOS: going administratively down is %LINK-5-CHANGED; a line going up or down is %LINK-3-UPDOWN.
      const mnemonic = after.status === 'administratively down' ? '%LINK-5-CHANGED' : '%LINK-3-UPDOWN';
      this.log('syslog', `${mnemonic}: Interface ${name}, changed state to ${after.status}`);
    }
    if (before.protocol !== after.protocol) {
      this.log(
        'syslog',
        `%LINEPROTO-5-UPDOWN: Line protocol on Interface ${name}, changed state to ${after.protocol}`,
      );
    }
  }

  private refreshConnectedRoutes(): void {
    const connected: Route[] = [];
    const local: Route[] = [];
    const now = this.kernel.now;
    for (const i of this.config.interfaces) {
      if (!i.address || !this.isUp(i.name)) continue;
      const subnet = makePrefix(i.address.address, maskLength(i.address.mask));
      connected.push({
        prefix: subnet,
        source: 'connected',
        distance: 0,
        metric: 0,
        nextHops: [{ interface: i.name }],
        since: this.sinceOf('connected', subnet, now),
      });
      if (subnet.length < 32) {
        const host = makePrefix(i.address.address, 32);
        local.push({
          prefix: host,
          source: 'local',
          distance: 0,
          metric: 0,
          nextHops: [{ interface: i.name }],
          since: this.sinceOf('local', host, now),
        });
      }
    }
    this.rib.setRoutes('connected', connected);
    this.rib.setRoutes('local', local);
  }

  /** Keeps a route's install time across recomputations so `show ip route` ages are right. */
  private sinceOf(source: Route['source'], prefix: Prefix, now: number): number {
    return this.rib.candidate(source, prefix)?.since ?? now;
  }

  /** Static routes are installed only while their next hop resolves or their interface is up (IOS). */
  private refreshStaticRoutes(): void {
    this.refreshingStatics = true;
    try {
      this.installStaticRoutes();
    } finally {
      this.refreshingStatics = false;
    }
  }

  private installStaticRoutes(): void {
    this.rib.setRoutes('static', []);
    const now = this.kernel.now;
    const candidates: Route[] = [];
    for (const s of this.config.staticRoutes) {
      const prefix = makePrefix(s.prefix, maskLength(s.mask));
      if (s.interface !== undefined) {
        if (!this.isUp(s.interface)) continue;
      } else if (s.nextHop !== undefined) {
        const via = this.rib.resolve(s.nextHop);
        if (!via) continue;
      } else continue;
      candidates.push({
        prefix,
        source: 'static',
        distance: s.distance ?? 1,
        metric: 0,
        nextHops: [{ address: s.nextHop, interface: s.interface }],
        since: this.sinceOf('static', prefix, now),
      });
    }
    this.rib.setRoutes('static', candidates);
  }

  // ---- hooks ------------------------------------------------------------------------------------------

  addIngressStage(stage: IngressStage): void {
    this.ingressStages.push(stage);
  }

  setProtocolHandler(protocol: number, handler: ProtocolHandler): void {
    this.protocolHandlers.set(protocol, handler);
  }

  setUdpHandler(port: number, handler: UdpHandler): void {
    this.udpHandlers.set(port, handler);
  }

  udpHandler(port: number): UdpHandler | undefined {
    return this.udpHandlers.get(port);
  }

  setInterfaceDriver(ifName: string, driver: InterfaceDriver | undefined): void {
    if (driver) this.drivers.set(ifName, driver);
    else this.drivers.delete(ifName);
  }

  addEgressStage(stage: EgressStage): void {
    this.egressStages.push(stage);
  }

  // ---- ingress ----------------------------------------------------------------------------------------

  /**
   * A frame arrives from the link attached to `ifName`. Not async itself: it is the whole of a link-delivery event
   * (lab.ts), whose end nothing in the simulation waits on, so handing back the pipeline's promise changes no
   * order and saves a promise per frame; a frame dropped here costs none (issue 18, steady state).
   */
  receiveFrame(ifName: string, bytes: Uint8Array, frameId: number): void | Promise<void> {
    if (!this.isUp(ifName)) {
      this.tracePacket('dropped', ifName, bytes, frameId, `${ifName} is down`);
      return;
    }
    let datagram: Ipv4Datagram;
    try {
      const decoded = decodeIpv4(bytes);
      if (!decoded.headerChecksumValid) throw new DecodeError('ipv4', 10, 'bad header checksum');
      datagram = decoded;
    } catch (e) {
      this.tracePacket('dropped', ifName, bytes, frameId, `malformed packet: ${errorText(e)}`);
      return;
    }
    this.countPacket(ifName, 'in', bytes);
    this.tracePacket('received', ifName, bytes, frameId);
    return this.processIngress({ datagram, bytes, inInterface: ifName }, frameId);
  }

  /**
   * The ingress pipeline after the link: crypto and tunnel stages, then multicast or unicast handling.
   * Decapsulated packets re-enter here with their tunnel as `inInterface`.
   *
   * Synchronous as long as every step is: a promise (and its microtasks) only from the first step that returns
   * one, e.g. AES through WebCrypto. A packet's steps run in the same order either way: they are one chain, one
   * after the other (issue 18, steady state: a promise and an async frame per stage per packet were a large part
   * of the garbage, and garbage collection about a fifth of the CPU).
   */
  processIngress(ctx: PacketContext, frameId = 0): void | Promise<void> {
    try {
      for (const stage of this.ingressStages) {
        const taken = stage(ctx);
        if (taken === true) return;
        if (taken !== false) return this.guarded(taken, ctx, frameId);
      }
      const routed = this.routeIngress(ctx, frameId);
      return routed ? this.guarded(routed, ctx, frameId) : undefined;
    } catch (e) {
      // A protocol bug or a malformed inner packet must never take the router down: drop and trace.
      this.drop(ctx, frameId, `malformed packet: ${errorText(e)}`);
    }
  }

  /** `pending` with a failure turned into a drop of `ctx`, unless it is already such a promise. */
  private guarded(pending: Promise<void>, ctx: PacketContext, frameId: number): Promise<void> {
    if (GUARDED.has(pending)) return pending;
    const guarded = this.dropOnReject(pending, ctx, frameId);
    GUARDED.add(guarded);
    return guarded;
  }

  /** A step of `processIngress` that went asynchronous: a failure is still a drop, not a crash. */
  private async dropOnReject(pending: Promise<void>, ctx: PacketContext, frameId: number): Promise<void> {
    try {
      await pending;
    } catch (e) {
      this.drop(ctx, frameId, `malformed packet: ${errorText(e)}`);
    }
  }

  /** Multicast, local delivery or forwarding, after the ingress stages left the packet alone. */
  private routeIngress(ctx: PacketContext, frameId: number): void | Promise<void> {
    const dst = ctx.datagram.header.destination;
    if (isMulticast(dst)) return this.receiveMulticast(ctx, frameId);
    if (dst === IPV4_BROADCAST || this.ownsAddress(dst)) return this.deliverLocal(ctx, frameId);
    return this.forward(ctx, frameId);
  }

  /**
   * Multicast input: the multicast module (PIM, RPF, mroute forwarding) takes over when installed; without
   * it, link-local groups (224.0.0.0/24: EIGRP, PIM hellos) still reach their protocol.
   */
  private receiveMulticast(ctx: PacketContext, frameId: number): void | Promise<void> {
    if (this.multicastInput) return this.multicastInput(ctx, frameId);
    if (isLinkLocalMulticast(ctx.datagram.header.destination)) return this.deliverLocal(ctx, frameId);
    this.drop(ctx, frameId, 'multicast routing is not enabled on this router');
  }

  /** Set by the multicast module: RPF check, forwarding per mroute entry, local delivery of joined groups. */
  multicastInput: ((ctx: PacketContext, frameId: number) => void | Promise<void>) | undefined;

  /** Set by the multicast module: sends a locally originated multicast packet with no interface forced. */
  multicastOutput: ((bytes: Uint8Array) => boolean | Promise<boolean>) | undefined;

  /** Hands a packet addressed to this router to its protocol handler. */
  deliverLocal(ctx: PacketContext, frameId = 0): void | Promise<void> {
    const handler = this.protocolHandlers.get(ctx.datagram.header.protocol);
    if (!handler) {
      this.drop(ctx, frameId, `no handler for IP protocol ${ctx.datagram.header.protocol}`);
      this.icmp?.protocolUnreachable(ctx);
      return;
    }
    this.tracePacket('delivered', ctx.inInterface, ctx.bytes, frameId);
    return handler(ctx);
  }

  private forward(ctx: PacketContext, frameId: number): void | Promise<void> {
    const h = ctx.datagram.header;
    if (h.ttl <= 1) {
      this.drop(ctx, frameId, 'TTL expired in transit');
      this.icmp?.timeExceeded(ctx);
      return;
    }
    const resolved = this.rib.resolve(h.destination);
    if (!resolved) {
      this.drop(ctx, frameId, `no route to ${formatIpv4(h.destination)}`);
      this.icmp?.netUnreachable(ctx);
      return;
    }
    const out = withTtl(ctx.bytes, h.ttl - 1);
    this.tracePacket('forwarded', resolved.interface, out, frameId);
    return this.output(resolved.interface, out, resolved.gateway);
  }

  // ---- egress -----------------------------------------------------------------------------------------

  /** The source address IOS picks for a packet to `destination`: the outgoing interface's address. */
  sourceAddressFor(destination: Ipv4): Ipv4 | undefined {
    const resolved = this.rib.resolve(destination);
    return resolved && this.interfaceAddress(resolved.interface);
  }

  /** Builds and sends a packet from this router (routing lookup, source selection, output). */
  sendIp(opts: SendOptions): Promise<boolean> {
    // The packet goes out within this call when nothing on its way waits (sendIpNow); the answer is still a
    // promise the kernel tracks, so an async protocol step that awaits it goes on within the same event, before
    // the kernel runs the next one (issue 18: a checkpoint is taken between events, when no send is half done).
    // A failure on the way is this promise's rejection, as when the whole send was asynchronous: a caller that
    // fires the send and goes on is not cut short by it.
    let sent: boolean | Promise<boolean>;
    try {
      sent = this.sendIpNow(opts);
    } catch (e) {
      sent = Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    return this.kernel.track(sent instanceof Promise ? sent : Promise.resolve(sent));
  }

  /**
   * `sendIp` for a caller that does not wait on the answer (an EIGRP packet, a tunnel's copy): synchronous
   * unless a step on the way really is asynchronous (AES through WebCrypto), and then tracked like `sendIp`.
   * No promise per packet (issue 18, steady state: a promise and a microtask per stage per packet).
   */
  sendIpNow(opts: SendOptions): boolean | Promise<boolean> {
    const sent = this.originate(opts);
    return sent instanceof Promise ? this.kernel.track(sent) : sent;
  }

  private originate(opts: SendOptions): boolean | Promise<boolean> {
    let outIf = opts.outInterface;
    let gateway = opts.destination;
    if (outIf === undefined && !isMulticast(opts.destination) && opts.destination !== IPV4_BROADCAST) {
      const resolved = this.rib.resolve(opts.destination);
      if (!resolved) return false;
      outIf = resolved.interface;
      gateway = resolved.gateway;
    }
    const source = opts.source ?? (outIf !== undefined ? this.interfaceAddress(outIf) : undefined) ?? 0;
    const header: Ipv4Header = {
      tos: opts.tos ?? 0,
      identification: this.nextIpId(),
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: opts.ttl ?? DEFAULT_TTL,
      protocol: opts.protocol,
      source,
      destination: opts.destination,
      options: opts.options ?? [],
    };
    const bytes = encodeIpv4({ header, payload: opts.payload });
    if (this.ownsAddress(opts.destination)) {
      // To ourselves: IOS loops it back internally.
      return thenValue(
        this.processIngress({
          datagram: { header, payload: opts.payload },
          bytes,
          inInterface: undefined,
        }),
        true,
      );
    }
    if (outIf === undefined && isMulticast(opts.destination) && this.multicastOutput) {
      return this.multicastOutput(bytes);
    }
    if (outIf === undefined) return false;
    if (!this.isUp(outIf)) return false;
    return thenValue(this.output(outIf, bytes, gateway), true);
  }

  /**
   * Sends already-encoded bytes out an interface (via its driver and the egress stages). The kernel's watchdog
   * counts the nesting: a packet whose route leads back into the interface it came out of (a tunnel routed
   * through itself) is stopped past a depth instead of overflowing the stack (kernel/watchdog.ts).
   */
  output(ifName: string, bytes: Uint8Array, gateway: Ipv4): void | Promise<void> {
    if (!this.kernel.enterOutput(ifName)) return;
    try {
      return this.outputNow(ifName, bytes, gateway);
    } finally {
      this.kernel.leaveOutput();
    }
  }

  private outputNow(ifName: string, bytes: Uint8Array, gateway: Ipv4): void | Promise<void> {
    if (!this.isUp(ifName)) return;
    const driver = this.drivers.get(ifName);
    if (driver) return driver.output(ifName, bytes, gateway);
    if (interfaceKind(ifName) === 'loopback') {
      // A packet routed out a loopback comes back in on it (both directions count, as on IOS).
      this.countPacket(ifName, 'out', bytes);
      this.countPacket(ifName, 'in', bytes);
      const datagram = decodeIpv4(bytes);
      return this.processIngress({ datagram, bytes, inInterface: ifName });
    }
    return this.transmitPhysical(ifName, bytes);
  }

  /**
   * Last step before the wire: egress stages (crypto map) then the link. A router without egress stages (the
   * service provider's) sends at once, without the promise an async function makes: it went on the wire within
   * the call before too, and a caller awaiting the answer waits one microtask for nothing as for a settled
   * promise, so nothing moves in the trace (issue 18, steady state: every transit packet).
   */
  transmitPhysical(ifName: string, bytes: Uint8Array): void | Promise<void> {
    if (this.egressStages.length > 0) return this.transmitThroughStages(ifName, bytes);
    this.toWire(ifName, bytes);
  }

  private transmitThroughStages(ifName: string, bytes: Uint8Array, from = 0): void | Promise<void> {
    let out: Uint8Array | null = bytes;
    for (let i = from; i < this.egressStages.length; i++) {
      // A crypto drop is counted by the crypto map (`#send errors`), not as an interface output drop.
      const staged = this.egressStages[i]!(ifName, out);
      if (staged instanceof Promise) return this.stagesLater(ifName, staged, i + 1);
      out = staged;
      if (!out) return;
    }
    this.toWire(ifName, out);
  }

  /** The rest of `transmitThroughStages` once a stage went asynchronous (AES through WebCrypto). */
  private async stagesLater(ifName: string, staged: Promise<Uint8Array | null>, next: number): Promise<void> {
    const out = await staged;
    if (out) await this.transmitThroughStages(ifName, out, next);
  }

  private toWire(ifName: string, bytes: Uint8Array): void {
    this.countPacket(ifName, 'out', bytes);
    this.network.transmit(this.name, ifName, bytes);
  }

  nextIpId(): number {
    this.ipId = (this.ipId + 1) & 0xffff;
    return this.ipId;
  }

  // ---- ICMP, logging, tracing -------------------------------------------------------------------------

  /** Set by the ICMP module; generates errors back to the sender. */
  icmp:
    | {
        timeExceeded(ctx: PacketContext): void;
        netUnreachable(ctx: PacketContext): void;
        protocolUnreachable(ctx: PacketContext): void;
      }
    | undefined;

  log(level: 'syslog' | 'debug', text: string): void {
    this.loggingBuffer.add(this.kernel.now, text, level);
    this.kernel.trace.record({ kind: 'log', t: this.kernel.now, device: this.name, level, text });
  }

  /**
   * Logs a debug line only when `debug <flag>` is on. Pass a function on hot paths: the text is then built
   * only when someone debugs (a 1000-spoke lab would otherwise format millions of unread lines).
   */
  debugLog(flag: string, text: LazyText): void {
    if (this.debug.has(flag)) this.log('debug', textOf(text));
  }

  /**
   * Decodes a protocol message from `bytes` (by default the packet's IP payload), or drops the packet saying
   * why, malformed or with a bad checksum, and returns undefined.
   */
  decodeOrDrop<T extends { readonly checksumValid: boolean }>(
    ctx: PacketContext,
    protocol: string,
    decode: (bytes: Uint8Array) => T,
    bytes = ctx.datagram.payload,
    badChecksum = `bad ${protocol} checksum`,
  ): T | undefined {
    let message: T;
    try {
      message = decode(bytes);
    } catch (e) {
      this.drop(ctx, 0, `malformed ${protocol} packet: ${errorText(e)}`);
      return undefined;
    }
    if (message.checksumValid) return message;
    this.drop(ctx, 0, badChecksum);
    return undefined;
  }

  drop(ctx: PacketContext, frameId: number, reason: string): void {
    if (ctx.inInterface) this.countersOf(ctx.inInterface).inputDrops++;
    this.tracePacket('dropped', ctx.inInterface, ctx.bytes, frameId, reason);
  }

  tracePacket(
    event: PacketEvent,
    iface: string | undefined,
    bytes: Uint8Array,
    frameId: number,
    reason?: string,
  ): void {
    // Described (dissected) only if someone reads the record: most never are.
    this.kernel.trace.recordPacket(
      { t: this.kernel.now, event, device: this.name, iface, frameId, reason },
      bytes,
      summarize,
    );
  }

  /** The interface's `show interfaces` counters (created at the first packet). */
  countersOf(ifName: string): InterfaceCounters {
    let c = this.counters.get(ifName);
    if (!c) this.counters.set(ifName, (c = zeroInterfaceCounters()));
    return c;
  }

  /** Counts an IPv4 packet in or out of `ifName`: tunnels count their inner packets here too. */
  countPacket(ifName: string, dir: 'in' | 'out', ip: Uint8Array): void {
    const c = this.countersOf(ifName);
    countPacket(c, ifName, dir, ip, this.kernel.now);
    if (dir === 'in') c.lastInput = this.kernel.now;
    else c.lastOutput = this.kernel.now;
  }
}

function maskLength(mask: Ipv4): number {
  return lengthFromMask(mask) ?? 32;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
