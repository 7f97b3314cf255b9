import type { LinkEnd } from '../device/link';
import { formatIpv4, type Ipv4 } from '../net/ipv4-address';
import { nhrpOf } from '../protocols/nhrp/nhrp-service';
import { tunnelsOf } from '../protocols/tunnel/gre-tunnel';
import type { Lab } from './lab';

/**
 * An overlay (tunnel) edge as NHRP knows it right now: hub–spoke from registrations and static maps,
 * spoke–spoke from resolutions (they appear and expire as the lab runs).
 */
export interface OverlayEdge {
  /** `<device> <iface>==<device> <iface>` with the two ends sorted. */
  readonly id: string;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
  readonly kind: 'hub-spoke' | 'spoke-spoke';
  /** NBMA (underlay) addresses of the two ends. */
  readonly nbmaA: string;
  readonly nbmaB: string;
}

/**
 * The tunnel overlay as the routers' NHRP caches describe it: one edge per (tunnel, NBMA peer) that a
 * device knows, matched to the device owning that NBMA address.
 */
export function overlayEdges(lab: Lab): OverlayEdge[] {
  const owner = new Map<Ipv4, LinkEnd>();
  for (const r of lab.routers) {
    const tunnels = tunnelsOf(r);
    for (const cfg of r.config.interfaces) {
      const src = cfg.name.startsWith('Tunnel') ? tunnels?.sourceAddress(cfg) : undefined;
      if (src !== undefined && !owner.has(src)) owner.set(src, { device: r.name, iface: cfg.name });
    }
  }
  const edges = new Map<string, OverlayEdge>();
  for (const r of lab.routers) {
    for (const ni of nhrpOf(r)?.interfaces.values() ?? []) {
      const local = tunnelsOf(r)?.sourceAddress(r.interfaceConfig(ni.name)!);
      if (local === undefined || !r.isUp(ni.name)) continue;
      for (const e of ni.cache.all()) {
        const far = e.nbma !== undefined ? owner.get(e.nbma) : undefined;
        if (!far || e.nbma === undefined) continue;
        const a = { device: r.name, iface: ni.name };
        const [x, y, nx, ny] = a.device < far.device ? [a, far, local, e.nbma] : [far, a, e.nbma, local];
        const id = `${x.device} ${x.iface}==${y.device} ${y.iface}`;
        const kind = e.learnedBy === 'resolution' ? 'spoke-spoke' : 'hub-spoke';
        const prev = edges.get(id);
        if (prev && prev.kind === 'hub-spoke') continue;
        edges.set(id, { id, a: x, b: y, kind, nbmaA: formatIpv4(nx), nbmaB: formatIpv4(ny) });
      }
    }
  }
  return [...edges.values()].sort((p, q) => p.id.localeCompare(q.id));
}
