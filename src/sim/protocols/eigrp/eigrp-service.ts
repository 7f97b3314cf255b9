import type { PacketContext, Router, RouterModule } from '../../device/router';
import type { Route } from '../../device/rib';
import { decodeEigrp, type DecodedEigrp } from '../../net/eigrp';
import { IP_PROTO } from '../../net/ipv4';
import { formatPrefix, type Prefix } from '../../net/prefix';
import { errorText } from '../../device/router';
import { EigrpProcess } from './eigrp-process';

/**
 * EIGRP on one router: one process per `router eigrp N`, IP protocol 88 demultiplexed by the header's AS, and
 * the routes of every process offered to the RIB as `eigrp` (internal, 90) and `eigrp-external` (170).
 */
export class EigrpService implements RouterModule {
  readonly name = 'eigrp';
  readonly processes = new Map<number, EigrpProcess>();
  private readonly router: Router;
  private lastRib = '';

  constructor(router: Router) {
    this.router = router;
    router.setProtocolHandler(IP_PROTO.EIGRP, (ctx) => this.receive(ctx));
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
      this.syncRib();
    }
    for (const as of configured) {
      let p = this.processes.get(as);
      if (!p) this.processes.set(as, (p = new EigrpProcess(this.router, as, () => this.syncRib())));
      p.reconcile();
    }
  }

  onInterfaceStateChange(): void {
    for (const p of this.processes.values()) p.reconcile();
  }

  private receive(ctx: PacketContext): void {
    const h = ctx.datagram.header;
    if (ctx.inInterface === undefined || this.router.ownsAddress(h.source)) return;
    let packet: DecodedEigrp;
    try {
      packet = decodeEigrp(ctx.datagram.payload);
    } catch (e) {
      this.router.drop(ctx, 0, `malformed EIGRP packet: ${errorText(e)}`);
      return;
    }
    if (!packet.checksumValid) {
      this.router.drop(ctx, 0, 'bad EIGRP checksum');
      return;
    }
    const p = this.processes.get(packet.as);
    if (!p) {
      this.router.drop(ctx, 0, `EIGRP AS ${packet.as} is not configured on this router`);
      return;
    }
    p.receive(ctx, packet, ctx.inInterface, h.source);
  }

  /** Offers every process's routes to the RIB, only when they changed (the RIB revision drives RPF). */
  private syncRib(): void {
    const rib = this.router.rib;
    // One index per source instead of a scan per prefix: a 1000-spoke hub has 1000+ EIGRP routes.
    const indexes = new Map<Route['source'], Map<string, Route>>();
    const indexOf = (source: Route['source']): Map<string, Route> => {
      let index = indexes.get(source);
      if (!index) {
        index = new Map();
        for (const r of rib.routesOf(source)) {
          const key = `${r.prefix.network}/${r.prefix.length}`;
          // The first route of a prefix, as a linear search would find.
          if (!index.has(key)) index.set(key, r);
        }
        indexes.set(source, index);
      }
      return index;
    };
    const previous = (source: Route['source'], prefix: Prefix): Route | undefined =>
      indexOf(source).get(`${prefix.network}/${prefix.length}`);
    const all = [...this.processes.values()].flatMap((p) => p.routes(previous));
    const internal = all.filter((r) => r.source === 'eigrp');
    const external = all.filter((r) => r.source === 'eigrp-external');
    const signature = all
      .map(
        (r) =>
          `${formatPrefix(r.prefix)} ${r.source} ${r.metric} ${r.since} ${r.nextHops.map((h) => `${h.address}@${h.interface}`).join()}`,
      )
      .join(';');
    if (signature === this.lastRib) return;
    this.lastRib = signature;
    rib.setRoutes('eigrp', internal);
    rib.setRoutes('eigrp-external', external);
  }
}
