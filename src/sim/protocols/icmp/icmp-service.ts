import { bound } from '../../kernel/bound';
import type { PacketContext, Router } from '../../device/router';
import { millis } from '../../kernel/time';
import {
  decodeIcmp,
  encodeIcmp,
  icmpOriginal,
  type DecodedIcmp,
  TIME_EXCEEDED_CODE,
  UNREACHABLE_CODE,
} from '../../net/icmp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, isMulticast } from '../../net/ipv4-address';
import { decodeUdp } from '../../net/udp';
import { everywhereServiceOf } from '../services';

/** IOS default `ip icmp rate-limit unreachable 500`: at most one unreachable per 500 ms. */
const UNREACHABLE_INTERVAL = millis(500);

export type IcmpListener = (msg: DecodedIcmp, ctx: PacketContext) => void;

/**
 * ICMP on a router (RFC 792, RFC 1812 §4.3): answers echo requests, sends unreachables and time-exceeded
 * messages, and hands replies and errors to ping/traceroute clients. Also the UDP demultiplexer, since an
 * unknown UDP port is answered with ICMP port unreachable.
 */
export class IcmpService {
  private readonly router: Router;
  private readonly listeners = new Set<IcmpListener>();
  private lastUnreachable = -Infinity;

  constructor(router: Router) {
    this.router = router;
    router.setProtocolHandler(IP_PROTO.ICMP, bound(this, this.receive));
    router.setProtocolHandler(IP_PROTO.UDP, bound(this, this.receiveUdp));
    router.icmp = {
      timeExceeded: bound(this, this.timeExceeded),
      netUnreachable: bound(this, this.netUnreachable),
      protocolUnreachable: bound(this, this.protocolUnreachable),
    };
  }

  private timeExceeded(ctx: PacketContext): Promise<void> {
    return this.sendError(ctx, 'time-exceeded', TIME_EXCEEDED_CODE.TTL);
  }

  private netUnreachable(ctx: PacketContext): Promise<void> {
    return this.sendError(ctx, 'destination-unreachable', UNREACHABLE_CODE.NET);
  }

  private protocolUnreachable(ctx: PacketContext): Promise<void> {
    return this.sendError(ctx, 'destination-unreachable', UNREACHABLE_CODE.PROTOCOL);
  }

  listen(l: IcmpListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private async receive(ctx: PacketContext): Promise<void> {
    const msg = decodeIcmp(ctx.datagram.payload);
    if (!msg.checksumValid) {
      this.router.drop(ctx, 0, 'bad ICMP checksum');
      return;
    }
    const h = ctx.datagram.header;
    this.debugIcmp(`${icmpDebugName(msg.kind)} rcvd`, h.source, h.destination);
    if (msg.kind === 'echo-request') {
      // Reply from the address that was pinged (for a multicast group: from the receiving interface).
      const source =
        isMulticast(h.destination) && ctx.inInterface !== undefined
          ? this.router.interfaceAddress(ctx.inInterface)
          : h.destination;
      await this.router.sendIp({
        destination: h.source,
        source,
        protocol: IP_PROTO.ICMP,
        payload: encodeIcmp({ ...msg, kind: 'echo-reply' }),
      });
      this.debugIcmp('echo reply sent', source ?? 0, h.source);
      return;
    }
    for (const l of this.listeners) l(msg, ctx);
  }

  /** `debug ip icmp` lines, in IOS 15's wording. */
  private debugIcmp(what: string, src: number, dst: number): void {
    this.router.debugLog(
      'ip icmp',
      () => `ICMP: ${what}, src ${formatIpv4(src)}, dst ${formatIpv4(dst)}, topology BASE, dscp 0 topoid 0`,
    );
  }

  private async receiveUdp(ctx: PacketContext): Promise<void> {
    const h = ctx.datagram.header;
    const udp = decodeUdp(ctx.datagram.payload, h.source, h.destination);
    if (!udp.checksumValid) {
      this.router.drop(ctx, 0, 'bad UDP checksum');
      return;
    }
    const handler = this.router.udpHandler(udp.destinationPort);
    if (handler) {
      await handler(ctx, udp);
      return;
    }
    if (!isMulticast(h.destination))
      await this.sendError(ctx, 'destination-unreachable', UNREACHABLE_CODE.PORT);
  }

  private async sendError(
    ctx: PacketContext,
    kind: 'time-exceeded' | 'destination-unreachable',
    code: number,
  ): Promise<void> {
    const h = ctx.datagram.header;
    // RFC 1812 §4.3.2.7: never answer an ICMP error, a multicast or a packet from ourselves.
    if (isMulticast(h.destination) || (this.router.ownsAddress(h.source) && ctx.inInterface === undefined))
      return;
    if (h.protocol === IP_PROTO.ICMP) {
      const inner = decodeIcmpSafe(ctx.datagram.payload);
      if (inner && inner.kind !== 'echo-request' && inner.kind !== 'echo-reply') return;
    }
    if (kind === 'destination-unreachable') {
      const now = this.router.kernel.now;
      if (now - this.lastUnreachable < UNREACHABLE_INTERVAL) return;
      this.lastUnreachable = now;
    }
    // A port unreachable comes from the address that was probed (traceroute's last hop shows the target);
    // errors about transit packets come from the interface they arrived on (RFC 1812 §4.3.2.4).
    const local = this.router.ownsAddress(h.destination);
    const source = local
      ? h.destination
      : ctx.inInterface
        ? this.router.interfaceAddress(ctx.inInterface)
        : undefined;
    await this.router.sendIp({
      destination: h.source,
      source,
      protocol: IP_PROTO.ICMP,
      payload: encodeIcmp({ kind, code, original: icmpOriginal(ctx.bytes) }),
    });
  }
}

function icmpDebugName(kind: DecodedIcmp['kind']): string {
  switch (kind) {
    case 'echo-request':
      return 'echo';
    case 'echo-reply':
      return 'echo reply';
    case 'destination-unreachable':
      return 'dst unreachable';
    case 'time-exceeded':
      return 'time exceeded';
    case 'other':
      return 'type';
  }
}

function decodeIcmpSafe(bytes: Uint8Array): DecodedIcmp | undefined {
  try {
    return decodeIcmp(bytes);
  } catch {
    return undefined;
  }
}

/** The ICMP service on `router`: every router runs it (its descriptor has no `enabledBy`). */
export function icmpOf(router: Router): IcmpService {
  return everywhereServiceOf<IcmpService>(router, 'icmp');
}
