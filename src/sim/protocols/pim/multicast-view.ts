import { interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { entryFlags, entryName, type MrouteEntry } from './mroute-table';
import { pimOf } from './pim-service';
import { describeRpf, lookupRpf } from './rpf';

/** A router's RPF decision toward one address, as plain data for the page. */
export interface RpfSummary {
  readonly interface: string;
  /** Upstream neighbour address; absent when the address is directly connected or our own. */
  readonly neighbor?: string;
  readonly kind: 'local' | 'static-mroute' | 'unicast';
  /** e.g. `static mroute 1.1.1.1/32`. */
  readonly description: string;
  /** True when the RPF interface is a tunnel (on the spokes: the static mroute's whole point). */
  readonly viaTunnel: boolean;
}

export interface OutgoingSummary {
  readonly iface: string;
  /** On an `ip pim nbma-mode` tunnel: the neighbour this copy is kept for (one row per neighbour). */
  readonly nextHop?: string;
  /** Why it is there: a PIM join, an IGMP member, the router's own join-group, the dense flood. */
  readonly reason: 'pim' | 'igmp' | 'local' | 'dense';
  /** Listed but not sent to: the router's own join-group on a link where it is not the DR. */
  readonly passive: boolean;
  /** The `A` flag: this router won the assert on that link. */
  readonly assertWinner: boolean;
}

/** One router's entry for a group as `show ip mroute` shows it. */
export interface EntrySummary {
  /** `(*, 239.10.10.1)` or `(1.1.1.1, 239.10.10.1)`. */
  readonly entry: string;
  readonly kind: 'sg' | 'star';
  /** IOS flag letters, e.g. `SJCL`, `LJT`. */
  readonly flags: string;
  /** The RP of a sparse (*,G). */
  readonly rp?: string;
  /** Absent when IOS prints `Incoming interface: Null` (we are the root, or no PIM path back). */
  readonly incoming?: string;
  readonly rpfNeighbor?: string;
  readonly outgoing: readonly OutgoingSummary[];
}

export function rpfSummary(router: Router, address: Ipv4): RpfSummary | undefined {
  const info = lookupRpf(router, address);
  if (!info) return undefined;
  return {
    interface: info.interface,
    ...(info.neighbor !== 0 ? { neighbor: formatIpv4(info.neighbor) } : {}),
    kind: info.kind,
    description: describeRpf(info),
    viaTunnel: interfaceKind(info.interface) === 'tunnel',
  };
}

/** The router's (S,G) entry for `source` and `group` when it has one, else its (*,G); undefined without state. */
export function entrySummary(
  router: Router,
  source: Ipv4 | undefined,
  group: Ipv4,
): EntrySummary | undefined {
  const pim = pimOf(router);
  if (!pim.enabled) return undefined;
  const e: MrouteEntry | undefined =
    (source !== undefined ? pim.mroutes.get(source, group) : undefined) ?? pim.mroutes.get(undefined, group);
  if (!e) return undefined;
  const iif = pim.shownIncoming(e);
  return {
    entry: entryName(e),
    kind: e.source === undefined ? 'star' : 'sg',
    flags: entryFlags(e),
    ...(e.source === undefined && e.rp !== undefined ? { rp: formatIpv4(e.rp) } : {}),
    ...(iif ? { incoming: iif.interface, rpfNeighbor: formatIpv4(iif.neighbor) } : {}),
    outgoing: [...e.oil.values()]
      .sort((a, b) => a.interface.localeCompare(b.interface) || (a.nextHop ?? 0) - (b.nextHop ?? 0))
      .map((o) => ({
        iface: o.interface,
        ...(o.nextHop !== undefined ? { nextHop: formatIpv4(o.nextHop) } : {}),
        reason: o.reason,
        passive: o.passive === true,
        assertWinner: o.assertWinner === true,
      })),
  };
}
