import { interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { servicesOf } from '../attach';
import { entryFlags, entryName, type MrouteEntry } from './mroute-table';
import { describeRpf, lookupRpf } from './rpf';

/** A router's RPF decision toward one address, as plain data for the page. */
export interface RpfSummary {
  readonly interface: string;
  /** Absent when the address is directly connected or our own. */
  readonly neighbor?: string;
  readonly kind: 'local' | 'static-mroute' | 'unicast';
  readonly description: string;
  readonly viaTunnel: boolean;
}

export interface OutgoingSummary {
  readonly iface: string;
  readonly nextHop?: string;
  readonly reason: 'pim' | 'igmp' | 'local' | 'dense';
  readonly passive: boolean;
  readonly assertWinner: boolean;
}

/** One router's entry for a group as `show ip mroute` shows it. */
export interface EntrySummary {
  readonly entry: string;
  readonly kind: 'sg' | 'star';
  readonly flags: string;
  readonly rp?: string;
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
  const pim = servicesOf(router).pim;
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
