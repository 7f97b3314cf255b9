import { bound } from '../../kernel/bound';
import type { PacketContext, Router, RouterModule } from '../../device/router';
import { decodeEigrp } from '../../net/eigrp';
import { IP_PROTO } from '../../net/ipv4';
import { EigrpProcess, type PreviousRoute } from './eigrp-process';
import { prefixOfKey } from './topology';
import { serviceOf } from '../services';

/**
 * EIGRP on one router: one process per `router eigrp N`, IP protocol 88 demultiplexed by the header's AS, and
 * the routes of every process offered to the RIB as `eigrp` (internal, 90) and `eigrp-external` (170).
 */
export class EigrpService implements RouterModule {
  readonly name = 'eigrp';
  readonly processes = new Map<number, EigrpProcess>();
  private readonly router: Router;

  constructor(router: Router) {
    this.router = router;
    router.setProtocolHandler(IP_PROTO.EIGRP, bound(this, this.receive));
    router.modules.push(this);
  }

  process(asNumber: number): EigrpProcess | undefined {
    return this.processes.get(asNumber);
  }

  reconcile(): void {
    const configured = new Set(this.router.config.eigrp.map((e) => e.asNumber));
    for (const [as, p] of [...this.processes]) {
      if (configured.has(as)) continue;
      p.shutdown();
      this.processes.delete(as);
      this.syncRib(true);
    }
    for (const as of configured) {
      let p = this.processes.get(as);
      if (!p)
        this.processes.set(as, (p = new EigrpProcess(this.router, as, bound(this, this.syncRib, false))));
      p.reconcile();
    }
  }

  // No onInterfaceStateChange: the router announces state changes right after every module's `reconcile`,
  // which already read those states. Re-reconciling per changed interface made booting a router with N
  // interfaces O(N²) (2,000 loopbacks took 70 s to load; issue 13 item 8).

  private receive(ctx: PacketContext): void {
    receiveEigrp(this.router, this.processes, ctx);
  }

  /**
   * Offers the RIB the routes of the destinations touched since the last offer (`full`: every route, after a
   * process went away). The RIB re-selects only prefixes whose candidates changed, and bumps its revision
   * (which drives RPF) only then.
   */
  private syncRib(full = false): void {
    const rib = this.router.rib;
    const previous: PreviousRoute = (source, prefix) => rib.candidate(source, prefix);
    const processes = [...this.processes.values()];
    if (full) {
      const all = processes.flatMap((p) => p.routes(previous));
      rib.setRoutes(
        'eigrp',
        all.filter((r) => r.source === 'eigrp'),
      );
      rib.setRoutes(
        'eigrp-external',
        all.filter((r) => r.source === 'eigrp-external'),
      );
      return;
    }
    const keys = new Set(processes.flatMap((p) => p.takeRibTouched()));
    if (keys.size === 0) return;
    const prefixes = [...keys].map(prefixOfKey);
    const routes = [...keys].flatMap((k) => processes.flatMap((p) => p.routeFor(k, previous) ?? []));
    rib.updateRoutes(
      'eigrp',
      prefixes,
      routes.filter((r) => r.source === 'eigrp'),
    );
    rib.updateRoutes(
      'eigrp-external',
      prefixes,
      routes.filter((r) => r.source === 'eigrp-external'),
    );
  }
}

/**
 * IP protocol 88 in: the process of the header's AS takes it; without one (no `router eigrp` for that AS, or
 * none at all: the dormant handler of a router not running EIGRP) the packet is dropped with the reason.
 */
export function receiveEigrp(
  router: Router,
  processes: ReadonlyMap<number, EigrpProcess>,
  ctx: PacketContext,
): void {
  const h = ctx.datagram.header;
  if (ctx.inInterface === undefined || router.ownsAddress(h.source)) return;
  const packet = router.decodeOrDrop(ctx, 'EIGRP', decodeEigrp);
  if (!packet) return;
  const p = processes.get(packet.as);
  if (!p) {
    router.drop(ctx, 0, `EIGRP AS ${packet.as} is not configured on this router`);
    return;
  }
  p.receive(ctx, packet, ctx.inInterface, h.source);
}

/** The EIGRP service on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function eigrpOf(router: Router): EigrpService | undefined {
  return serviceOf<EigrpService>(router, 'eigrp');
}
