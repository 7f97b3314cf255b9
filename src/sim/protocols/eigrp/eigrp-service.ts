import type { PacketContext, Router, RouterModule } from '../../device/router';
import { decodeEigrp, type DecodedEigrp } from '../../net/eigrp';
import { IP_PROTO } from '../../net/ipv4';
import { makePrefix, type Prefix } from '../../net/prefix';
import { parseIpv4 } from '../../net/ipv4-address';
import { errorText } from '../../device/router';
import { EigrpProcess, type PreviousRoute } from './eigrp-process';

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
      this.syncRib(true);
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
    const prefixes = [...keys].map(parsePrefixKey);
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

/** The prefix of a `formatPrefix` key ("10.1.0.0/16"). */
function parsePrefixKey(key: string): Prefix {
  const [address = '', length = '32'] = key.split('/');
  return makePrefix(parseIpv4(address) ?? 0, Number(length));
}
