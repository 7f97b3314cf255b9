// Every protocol the simulator runs, as the core iterates them (issue 16). Adding a protocol is a folder with
// a `descriptor.ts` and one line here.
//
// Order matters: it is attach order, hence `router.modules` order, hence reconcile order. The tunnel layer
// (GRE, NHRP) reads its config before any protocol that sends through it; a service attached late (after a
// config change) still reconciles in this order.
import type { RouteSource } from '../device/rib';
import type {
  ProtocolDescriptor,
  RouteSourceShow,
  RouterViewContribution,
  WireProtocolStyle,
} from './descriptor';
import { EIGRP_DESCRIPTOR } from './eigrp/descriptor';
import { ESP_DESCRIPTOR } from './esp/descriptor';
import { GDOI_DESCRIPTOR } from './gdoi/descriptor';
import { ICMP_DESCRIPTOR } from './icmp/descriptor';
import { IGMP_DESCRIPTOR } from './igmp/descriptor';
import { IKE_DESCRIPTOR } from './ike/descriptor';
import { NHRP_DESCRIPTOR } from './nhrp/descriptor';
import { PIM_DESCRIPTOR } from './pim/descriptor';
import { PIM_BSR_DESCRIPTOR } from './pim/bsr/descriptor';
import { TUNNEL_DESCRIPTOR } from './tunnel/descriptor';

export const PROTOCOLS: readonly ProtocolDescriptor[] = [
  TUNNEL_DESCRIPTOR,
  NHRP_DESCRIPTOR,
  IGMP_DESCRIPTOR,
  ESP_DESCRIPTOR,
  IKE_DESCRIPTOR,
  ICMP_DESCRIPTOR,
  EIGRP_DESCRIPTOR,
  GDOI_DESCRIPTOR,
  PIM_DESCRIPTOR,
  PIM_BSR_DESCRIPTOR,
];

const BY_ID: ReadonlyMap<string, ProtocolDescriptor> = new Map(PROTOCOLS.map((p) => [p.id, p]));

/** The descriptor registered under `id` (a Map: ids come from configs and URLs, never index an object). */
export function protocolById(id: string): ProtocolDescriptor | undefined {
  return BY_ID.get(id);
}

/** The IP layers every packet carries; drawn in colour, left out of the legend. */
const CORE_WIRE_STYLES: readonly WireProtocolStyle[] = [
  { id: 'ipv4', label: 'IPv4', color: '#607d8b' },
  { id: 'udp', label: 'UDP', color: '#78909c' },
];

/** How the page draws each wire protocol id: the core IP layers, then every protocol's own, by legend order. */
export function wireStyles(): WireProtocolStyle[] {
  const own = PROTOCOLS.flatMap((p) => p.wire ?? []);
  const ranked = [...own].sort((a, b) => (a.legendOrder ?? Infinity) - (b.legendOrder ?? Infinity));
  return [...CORE_WIRE_STYLES, ...ranked];
}

/** The router panel's protocol tabs, by their `order` (ids are unique: the registry test checks it). */
export function routerViews(): RouterViewContribution[] {
  return PROTOCOLS.flatMap((p) => p.routerViews ?? []).sort((a, b) => a.order - b.order);
}

const VIEW_BY_ID: ReadonlyMap<string, RouterViewContribution> = new Map(routerViews().map((v) => [v.id, v]));

/** The router-panel view registered under `id` (ids come from the page: a Map, never an object's keys). */
export function routerViewById(id: string): RouterViewContribution | undefined {
  return VIEW_BY_ID.get(id);
}

/** How `show ip route` prints each protocol's routes, by RIB source (every descriptor's `routeSources`). */
export const ROUTE_SOURCE_SHOWS: ReadonlyMap<RouteSource, RouteSourceShow> = new Map(
  PROTOCOLS.flatMap((p) => p.routeSources ?? []).map((r) => [r.source, r]),
);
