import { bound } from '../../kernel/bound';
import type { InterfaceConfig } from '../../config/model';
import type { InterfaceState } from '../../device/interface-state';
import { ADMIN_DOWN, interfaceKind, UP } from '../../device/interface-state';
import type { InterfaceDriver, PacketContext, Router, RouterModule } from '../../device/router';
import { readU32 } from '../../net/bytes';
import { decodeGre, encodeGre, GRE_PROTOCOL } from '../../net/gre';
import { decodeIpv4, IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4, isMulticast, IPV4_BROADCAST } from '../../net/ipv4-address';
import { summarize } from '../../net/dissectors';
import { seconds, type SimTime } from '../../kernel/time';
import { serviceOf } from '../services';

/** What the tunnel needs from NHRP: where to send, and where NHRP packets go. */
export interface NbmaDirectory {
  /**
   * NBMA addresses a packet leaving `ifName` towards `gateway` goes to: the multicast list for multicast,
   * else the mapping for the next hop (which may start a resolution and answer with the NHS meanwhile).
   */
  nbmaFor(ifName: string, gateway: Ipv4, multicast: boolean): Ipv4[];
  /** An NHRP packet arrived in GRE on `ifName` from `nbmaSource`. */
  receive(ifName: string, nbmaSource: Ipv4, payload: Uint8Array, outer: PacketContext): Promise<void>;
}

/** IOS's default tunnel TTL. */
const TUNNEL_TTL = 255;

/**
 * How long a tunnel stays down after IOS finds it routing its own transport through itself. Cisco, "The
 * %TUN-5-RECURDOWN Error Message and Flapping EIGRP/OSPF/BGP Neighbors Over a GRE Tunnel" (Document ID
 * 22327): "When the router detects a recursive routing failure for the tunnel destination, it shuts the
 * tunnel interface down for a few minutes so that the situation causing the problem can resolve itself as
 * routing protocols converge. If the problem is caused by misconfiguration, the link may oscillate
 * indefinitely." Cisco publishes no exact timer; GETLab takes two minutes.
 */
export const RECURSION_HOLD_DOWN = seconds(120);

/** The `show interfaces` / student-facing reason while a tunnel is held down for recursive routing. */
const RECURSIVE_ROUTING_REASON = 'temporarily disabled due to recursive routing';

/**
 * GRE tunnel interfaces (RFC 2784, key per RFC 2890): point-to-point `tunnel destination` and multipoint
 * `tunnel mode gre multipoint` whose per-packet destination comes from NHRP. Encapsulates what routing sends
 * out a tunnel and decapsulates GRE addressed to a tunnel source.
 */
export class GreTunnels implements RouterModule {
  readonly name = 'tunnel';
  private readonly router: Router;
  nhrp: NbmaDirectory | undefined;
  /** Tunnels held down for recursive routing, until when. */
  private readonly recursionDown = new Map<string, SimTime>();
  /** Tunnels whose output is on the stack now: a transport packet routed back into one of them is a loop. */
  private readonly encapsulating = new Set<string>();
  /** The driver of every tunnel interface (the interface name comes with each packet). */
  private readonly driver: InterfaceDriver = { output: bound(this, this.output) };

  constructor(router: Router) {
    this.router = router;
    router.tunnelState = bound(this, this.lineState);
    router.setProtocolHandler(IP_PROTO.GRE, bound(this, this.receive));
    router.modules.push(this);
  }

  reconcile(): void {
    for (const cfg of this.router.config.interfaces) {
      if (interfaceKind(cfg.name) === 'tunnel') this.router.setInterfaceDriver(cfg.name, this.driver);
    }
  }

  /** The tunnel's outer source address: the source interface's address, or the configured address. */
  sourceAddress(cfg: InterfaceConfig): Ipv4 | undefined {
    const src = cfg.tunnel.source;
    if (!src) return undefined;
    return src.kind === 'address' ? src.address : this.router.interfaceAddress(src.name);
  }

  /** IOS: a tunnel's line protocol is up when its source is up and addressed (and its destination routable). */
  lineState(cfg: InterfaceConfig): InterfaceState {
    if (cfg.shutdown) return ADMIN_DOWN;
    const until = this.recursionDown.get(cfg.name);
    if (until !== undefined && this.router.kernel.now < until) {
      return { status: 'up', protocol: 'down', reason: RECURSIVE_ROUTING_REASON };
    }
    const src = cfg.tunnel.source;
    if (!src) return { status: 'up', protocol: 'down', reason: 'no tunnel source is configured' };
    if (src.kind === 'interface') {
      if (!this.router.interfaceConfig(src.name)) {
        return {
          status: 'up',
          protocol: 'down',
          reason: `tunnel source ${src.name} does not exist on this router`,
        };
      }
      if (!this.router.isUp(src.name))
        return { status: 'up', protocol: 'down', reason: `tunnel source ${src.name} is down` };
      if (this.router.interfaceAddress(src.name) === undefined) {
        return { status: 'up', protocol: 'down', reason: `tunnel source ${src.name} has no IP address` };
      }
    }
    if (cfg.tunnel.mode === 'gre-ip') {
      if (cfg.tunnel.destination === undefined)
        return { status: 'up', protocol: 'down', reason: 'no tunnel destination is configured' };
      if (!this.router.rib.resolve(cfg.tunnel.destination)) {
        return {
          status: 'up',
          protocol: 'down',
          reason: `no route to tunnel destination ${formatIpv4(cfg.tunnel.destination)}`,
        };
      }
    }
    return UP;
  }

  /** Encapsulates `inner` once per NBMA destination and routes each copy over the underlay. */
  private output(ifName: string, inner: Uint8Array, gateway: Ipv4): void | Promise<void> {
    const cfg = this.router.interfaceConfig(ifName);
    if (!cfg) return;
    const dst = inner.length >= 20 ? readU32(inner, 16) : 0;
    const multicast = isMulticast(dst) || dst === IPV4_BROADCAST;
    const targets = this.destinations(cfg, gateway, multicast);
    if (targets.length === 0) {
      const why = multicast
        ? `${ifName} has no NHRP multicast destination yet (no spoke has registered)`
        : `${ifName} has no NBMA address for next hop ${formatIpv4(gateway)}`;
      this.router.tracePacket('dropped', ifName, inner, 0, why);
      this.router.countersOf(ifName).outputDrops++;
      return;
    }
    // One GRE packet for every copy: its header does not depend on the NBMA destination, and a hub's multicast
    // (an EIGRP hello, a rekey) is copied to every registered spoke (issue 18, steady state).
    const gre = encodeGre({ protocolType: GRE_PROTOCOL.IPV4, key: cfg.tunnel.key, payload: inner });
    return this.copiesFrom(cfg, targets, 0, gre, inner);
  }

  /**
   * Sends the copies from `targets[from]` on, one after the other: synchronously while each send is, the rest
   * after a send that went asynchronous (AES through WebCrypto) is done.
   */
  private copiesFrom(
    cfg: InterfaceConfig,
    targets: readonly Ipv4[],
    from: number,
    gre: Uint8Array,
    inner: Uint8Array,
  ): void | Promise<void> {
    const ifName = cfg.name;
    // The tunnel counts as encapsulating (the recursion check) until its copies are out, across a copy that waits.
    this.encapsulating.add(ifName);
    let rest: Promise<void> | undefined;
    try {
      for (let i = from; i < targets.length; i++) {
        const nbma = targets[i]!;
        this.traceOverlay(ifName, inner, nbma);
        this.router.countPacket(ifName, 'out', inner);
        const sent = this.sendEncapsulated(cfg, nbma, gre, inner, inner[1] ?? 0);
        if (sent instanceof Promise) return (rest = this.copiesLater(cfg, targets, i + 1, gre, inner, sent));
      }
    } finally {
      if (!rest) this.encapsulating.delete(ifName);
    }
  }

  /** The copies after one that waited (AES through WebCrypto), once it is out. */
  private async copiesLater(
    cfg: InterfaceConfig,
    targets: readonly Ipv4[],
    from: number,
    gre: Uint8Array,
    inner: Uint8Array,
    sent: Promise<boolean>,
  ): Promise<void> {
    try {
      await sent;
    } finally {
      this.encapsulating.delete(cfg.name);
    }
    await this.copiesFrom(cfg, targets, from, gre, inner);
  }

  private destinations(cfg: InterfaceConfig, gateway: Ipv4, multicast: boolean): Ipv4[] {
    if (cfg.tunnel.mode === 'gre-ip')
      return cfg.tunnel.destination !== undefined ? [cfg.tunnel.destination] : [];
    return this.nhrp ? this.nhrp.nbmaFor(cfg.name, gateway, multicast) : [];
  }

  /** Sends one GRE packet (IPv4 or NHRP inside) from the tunnel source to `nbma`. */
  sendGre(
    cfg: InterfaceConfig,
    nbma: Ipv4,
    protocolType: number,
    payload: Uint8Array,
    tos = 0,
  ): Promise<boolean> {
    const gre = encodeGre({ protocolType, key: cfg.tunnel.key, payload });
    const sent = this.sendEncapsulated(
      cfg,
      nbma,
      gre,
      protocolType === GRE_PROTOCOL.IPV4 ? payload : undefined,
      tos,
    );
    // Tracked as sendIp is: NHRP awaits it and goes on within the event.
    return this.router.kernel.track(sent instanceof Promise ? sent : Promise.resolve(sent));
  }

  /** Sends a GRE packet already encoded to `nbma`; `inner` is its IPv4 payload (traced if it is dropped). */
  private sendEncapsulated(
    cfg: InterfaceConfig,
    nbma: Ipv4,
    gre: Uint8Array,
    inner: Uint8Array | undefined,
    tos: number,
  ): boolean | Promise<boolean> {
    const source = this.sourceAddress(cfg);
    if (source === undefined) return false;
    if (this.routesThroughTunnel(cfg.name, nbma)) {
      this.recursiveRouting(cfg.name, inner, nbma);
      return false;
    }
    return this.router.sendIpNow({
      destination: nbma,
      source,
      protocol: IP_PROTO.GRE,
      payload: gre,
      ttl: TUNNEL_TTL,
      tos,
    });
  }

  /** True when the transport packet to `nbma` would be routed into `ifName` or a tunnel it is inside. */
  private routesThroughTunnel(ifName: string, nbma: Ipv4): boolean {
    const via = this.router.rib.resolve(nbma)?.interface;
    return via !== undefined && (via === ifName || this.encapsulating.has(via));
  }

  /**
   * IOS: `%TUN-5-RECURDOWN: Tunnel0 temporarily disabled due to recursive routing` (Document ID 22327), the
   * tunnel's line protocol goes down (so routes through it go), and it comes back after the hold-down to try
   * again. The packet that found the loop is dropped instead of being encapsulated forever.
   */
  private recursiveRouting(ifName: string, inner: Uint8Array | undefined, nbma: Ipv4): void {
    const why = `recursive routing: the route to tunnel destination ${formatIpv4(nbma)} goes through ${ifName}`;
    if (inner) this.router.tracePacket('dropped', ifName, inner, 0, why);
    if (this.recursionDown.has(ifName)) return;
    const kernel = this.router.kernel;
    this.recursionDown.set(ifName, kernel.now + RECURSION_HOLD_DOWN);
    this.router.log('syslog', `%TUN-5-RECURDOWN: ${ifName} ${RECURSIVE_ROUTING_REASON}`);
    // The state change runs as its own event: the packet path that found the loop unwinds first.
    kernel.schedule(0, bound(this, this.reconcileRouter));
    kernel.schedule(RECURSION_HOLD_DOWN, bound(this, this.endHoldDown, ifName));
  }

  private reconcileRouter(): void {
    this.router.reconcile();
  }

  private endHoldDown(ifName: string): void {
    this.recursionDown.delete(ifName);
    this.router.reconcile();
  }

  /** GRE addressed to this router: find the tunnel it belongs to, then NHRP or IPv4 input on that tunnel. */
  private receive(ctx: PacketContext): void | Promise<void> {
    const outer = ctx.datagram.header;
    const gre = decodeGre(ctx.datagram.payload);
    const match = this.tunnelFor(outer.source, outer.destination, gre.key);
    if (typeof match === 'string') {
      this.router.drop(ctx, 0, match);
      return;
    }
    if (!this.router.isUp(match.name)) {
      this.router.drop(ctx, 0, `${match.name} is down`);
      return;
    }
    if (gre.protocolType === GRE_PROTOCOL.NHRP) {
      if (!this.nhrp) {
        // No NHRP service: no tunnel of this router has `ip nhrp network-id` (nhrp/descriptor.ts), so NHRP is
        // off on this one, as NHRP itself says for a tunnel without it.
        this.router.drop(ctx, 0, `NHRP is not enabled on ${match.name} (no ip nhrp network-id)`);
        return;
      }
      return this.nhrp.receive(match.name, outer.source, gre.payload, ctx);
    }
    if (gre.protocolType !== GRE_PROTOCOL.IPV4) {
      this.router.drop(
        ctx,
        0,
        `GRE protocol 0x${gre.protocolType.toString(16)} is not carried by ${match.name}`,
      );
      return;
    }
    const datagram = decodeIpv4(gre.payload);
    const bytes = gre.payload.slice(0, datagram.totalLength);
    this.router.countPacket(match.name, 'in', bytes);
    this.router.tracePacket('received', match.name, bytes, 0);
    return this.router.processIngress({ datagram, bytes, inInterface: match.name });
  }

  /** The tunnel interface whose source, key (and for point-to-point, destination) match, or why none does. */
  private tunnelFor(
    outerSource: Ipv4,
    outerDestination: Ipv4,
    key: number | undefined,
  ): InterfaceConfig | string {
    let keyMismatch: string | undefined;
    for (const cfg of this.router.config.interfaces) {
      if (interfaceKind(cfg.name) !== 'tunnel' || this.sourceAddress(cfg) !== outerDestination) continue;
      if (cfg.tunnel.mode === 'gre-ip' && cfg.tunnel.destination !== outerSource) continue;
      if (cfg.tunnel.key !== key) {
        keyMismatch = `GRE key mismatch: the packet has ${key === undefined ? 'no key' : `key ${key}`}, ${cfg.name} expects ${cfg.tunnel.key === undefined ? 'none' : `key ${cfg.tunnel.key}`}`;
        continue;
      }
      return cfg;
    }
    return (
      keyMismatch ??
      `no tunnel interface accepts GRE from ${formatIpv4(outerSource)} to ${formatIpv4(outerDestination)}`
    );
  }

  private traceOverlay(ifName: string, inner: Uint8Array, nbma: Ipv4): void {
    const kernel = this.router.kernel;
    kernel.trace.recordPacket(
      {
        t: kernel.now,
        event: 'sent',
        device: this.router.name,
        iface: ifName,
        frameId: 0,
        overlayPeer: formatIpv4(nbma),
      },
      inner,
      summarize,
    );
  }
}

/**
 * GRE in on a router with no tunnel interface (the tunnel layer's dormant handler): no tunnel accepts it, the
 * reason the tunnel layer gives when none matches.
 */
export function dropUntunnelledGre(router: Router, ctx: PacketContext): void {
  const h = ctx.datagram.header;
  decodeGre(ctx.datagram.payload);
  router.drop(
    ctx,
    0,
    `no tunnel interface accepts GRE from ${formatIpv4(h.source)} to ${formatIpv4(h.destination)}`,
  );
}

/** The GRE tunnel layer on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function tunnelsOf(router: Router): GreTunnels | undefined {
  return serviceOf<GreTunnels>(router, 'tunnel');
}
