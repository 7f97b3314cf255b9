import { interfaceKind } from '../../device/interface-state';
import type { PacketContext } from '../../device/router';
import { decodeIpv4, IP_PROTO, withTtl } from '../../net/ipv4';
import { formatIpv4, isLinkLocalMulticast } from '../../net/ipv4-address';
import { andThen, type MaybeAsync } from '../../kernel/maybe-async';
import { type MrouteEntry, type OutgoingInterface, oifKey } from './mroute-table';
import type { PimCore, PimParts } from './pim-core';
import { lookupRpf, rpfFailureReason } from './rpf';

/**
 * The router's multicast input (docs/DESIGN.md §6): link-local groups and IGMP go to the CPU; everything else
 * passes the RPF check against the MRIB, then is replicated to the entry's outgoing interfaces (per
 * neighbour on nbma-mode interfaces) and delivered locally when this router joined the group.
 */
export function multicastInput(svc: PimCore & PimParts, ctx: PacketContext, frameId: number): MaybeAsync {
  const r = svc.router;
  const h = ctx.datagram.header;
  const group = h.destination;
  const inIf = ctx.inInterface;
  svc.checkRib();
  // 224.0.0.0/24 (PIM, EIGRP, IGMP queries, PIMv1 RP-Reachable) and IGMP reports are never routed.
  if (isLinkLocalMulticast(group) || h.protocol === IP_PROTO.IGMP) return r.deliverLocal(ctx, frameId);
  if (inIf === undefined) return;
  if (r.ownsAddress(h.source)) {
    r.drop(ctx, frameId, 'our own multicast packet came back to us');
    return;
  }
  if (!svc.enabled || !svc.pimEnabled(inIf)) {
    if (svc.isLocalMember(group)) return r.deliverLocal(ctx, frameId);
    const why = !svc.enabled
      ? 'multicast routing is not enabled on this router (no "ip multicast-routing")'
      : `PIM is not enabled on ${inIf}, so it does not take multicast`;
    r.drop(ctx, frameId, why);
    return;
  }
  const rpf = lookupRpf(r, h.source);
  const star = svc.mroutes.get(undefined, group);
  const existing = svc.mroutes.get(h.source, group);
  // Packets still coming down the shared tree are accepted on the (*,G) incoming interface until the SPT bit is set.
  const sharedTree = star !== undefined && !star.dense && star.rpf?.interface === inIf && !existing?.spt;
  if (rpf?.interface !== inIf && !sharedTree) {
    if (existing) existing.rpfFailures++;
    else if (star) star.rpfFailures++;
    // Someone else forwards onto a link we forward onto: assert (RFC 7761 §4.6.1).
    const mine = existing ?? star;
    const asserted =
      mine && [...mine.oil.values()].some((o) => o.interface === inIf && !o.passive && !o.nextHop)
        ? svc.asserts.dataOnOutgoing(mine, inIf)
        : undefined;
    return andThen(asserted, () => {
      r.drop(ctx, frameId, rpfFailureReason(h.source, inIf, rpf));
      r.debugLog('ip mpacket', () => mpacketLine(ctx, '', 'not RPF interface'));
    });
  }
  // `ip pim spt-threshold infinity`: the receivers stay on the shared tree, and the last hop keeps no (S,G)
  // state for traffic arriving down it (Cisco IP Multicast Command Reference, `ip pim spt-threshold
  // infinity`: only (*,G) exists at the receiver DR).
  if (star && sharedTree && !existing && rpf?.interface !== inIf && r.config.pim.sptThresholdInfinity) {
    star.packetsReceived++;
    svc.countersOf(inIf).multicastIn++;
    return andThen(forward(svc, star, ctx, frameId), () => deliverIfMember(svc, ctx, frameId));
  }
  const e = svc.sourceEntry(h.source, group);
  e.packetsReceived++;
  svc.countersOf(inIf).multicastIn++;
  if (rpf?.interface === inIf && !e.spt) {
    e.spt = true;
    svc.recompute();
  }
  const registered =
    !e.dense && svc.register.isFirstHop(e, inIf) ? svc.register.encapsulate(ctx, e) : undefined;
  return andThen(registered, () => {
    svc.joinPrune.maybeSwitchToSpt(e);
    return andThen(forward(svc, e, ctx, frameId), () => deliverIfMember(svc, ctx, frameId));
  });
}

/** The local copy of a forwarded packet, when this router joined its group. */
function deliverIfMember(svc: PimCore & PimParts, ctx: PacketContext, frameId: number): MaybeAsync {
  if (svc.isLocalMember(ctx.datagram.header.destination)) return svc.router.deliverLocal(ctx, frameId);
}

/** Replicates a packet to an entry's outgoing list, with the TTL decremented (RFC 1812 §5.2.3). */
export function forward(
  svc: PimCore & PimParts,
  e: MrouteEntry,
  ctx: PacketContext,
  frameId: number,
): MaybeAsync {
  const r = svc.router;
  const h = ctx.datagram.header;
  const targets = [...e.oil.values()].filter((o) => {
    if (interfaceKind(o.interface) === 'loopback' || o.passive === true) return false;
    if (o.nextHop === undefined) return o.interface !== ctx.inInterface;
    // A per-neighbour copy is redundant when the whole interface is already in the list.
    return !e.oil.has(o.interface);
  });
  if (targets.length === 0) return;
  if (h.ttl <= 1) {
    r.drop(
      ctx,
      frameId,
      `TTL ${h.ttl} reached its scope: not forwarded out ${targets.map((t) => t.interface).join(', ')}`,
    );
    return;
  }
  return forwardFrom(svc, e, ctx, frameId, targets, withTtl(ctx.bytes, h.ttl - 1), 0);
}

/** The copies from `targets[from]` on, one after the other; the rest waits when a copy's output has to. */
function forwardFrom(
  svc: PimCore & PimParts,
  e: MrouteEntry,
  ctx: PacketContext,
  frameId: number,
  targets: readonly OutgoingInterface[],
  out: Uint8Array,
  from: number,
): MaybeAsync {
  const r = svc.router;
  for (let i = from; i < targets.length; i++) {
    const o = targets[i]!;
    r.debugLog('ip mpacket', () => mpacketLine(ctx, `(${o.interface}) `, 'mforward'));
    r.tracePacket('forwarded', o.interface, out, frameId);
    svc.countersOf(o.interface).multicastOut++;
    const key = oifKey(o.interface, o.nextHop);
    countOifPacket(e, key);
    e.packetsForwarded++;
    e.bytesForwarded += out.length;
    const sent = r.output(o.interface, out, o.nextHop ?? ctx.datagram.header.destination);
    if (sent instanceof Promise)
      return sent.then(() => forwardFrom(svc, e, ctx, frameId, targets, out, i + 1));
  }
}

/**
 * One `debug ip mpacket` line in the IOS 15 layout: `IP(0): s=1.1.1.1 (FastEthernet0/0) d=239.10.10.1
 * (Tunnel10) id=4, ttl=254, prot=17, len=196(196), mforward` (the fields of the Cisco IOS Debug Command
 * Reference 12.2T, "debug ip mpacket", cisco.com/en/US/docs/ios/12_2t/debug/command/reference/dbftipdv.html:
 * source and incoming interface, group and outgoing interface, then what was done, `mforward` for a forwarded
 * packet; IOS 15 adds `(0)`, the IP id, TTL and protocol; the RPF failure ends in `not RPF interface`).
 */
function mpacketLine(ctx: PacketContext, outIf: string, what: string): string {
  const h = ctx.datagram.header;
  const len = ctx.bytes.length;
  return `IP(0): s=${formatIpv4(h.source)} (${ctx.inInterface ?? 'Null'}) d=${formatIpv4(h.destination)} ${outIf}id=${h.identification}, ttl=${h.ttl}, prot=${h.protocol}, len=${len}(${len}), ${what}`;
}

/**
 * A multicast packet this router originates with no interface forced (IOS `ping 239.10.10.1`, a multicast
 * rekey): a copy leaves every PIM interface, and the router itself answers if it joined the group. When it
 * is sourced from one of our PIM interfaces (the KS's rekeys from Loopback0) the (S,G) state is kept as for
 * any source (`PimService.noteLocalSource`).
 */
export async function originateMulticast(svc: PimCore & PimParts, bytes: Uint8Array): Promise<boolean> {
  const r = svc.router;
  const datagram = decodeIpv4(bytes);
  const e = svc.noteLocalSource(datagram.header.source, datagram.header.destination);
  // The DR of a directly connected source registers it with the RP (RFC 7761 §4.4.1), our own loopback too.
  const srcIf = e && lookupRpf(r, datagram.header.source)?.interface;
  if (e && srcIf !== undefined && !e.dense && svc.register.isFirstHop(e, srcIf))
    await svc.register.encapsulate({ datagram, bytes, inInterface: srcIf }, e);
  const ifs = svc.pimInterfaces().filter((i) => interfaceKind(i) !== 'loopback');
  for (const ifName of ifs) {
    if (e) {
      e.packetsForwarded++;
      e.bytesForwarded += bytes.length;
      const key = oifKey(ifName, undefined);
      countOifPacket(e, key);
    }
    await r.output(ifName, bytes, datagram.header.destination);
  }
  return ifs.length > 0 || svc.isLocalMember(datagram.header.destination);
}

function countOifPacket(e: MrouteEntry, key: string): void {
  const counts = (e.oifPackets ??= new Map());
  counts.set(key, (counts.get(key) ?? 0) + 1);
}
