import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../kernel/kernel';
import { EIGRP_FLAG, EIGRP_OPCODE, type EigrpMetric, type EigrpTlv } from '../../net/eigrp';
import { formatIpv4 } from '../../net/ipv4-address';
import { makePrefix } from '../../net/prefix';
import { type Advertisement, advertisementFor, type OutboundPolicy, sameAdvertisement } from './advertise';
import { INFINITE_DISTANCE, unreachableMetric } from './metric';
import type { Neighbor } from './neighbor';
import { makePath, pathKey, prefixKey, prefixOfKey, TopologyTable } from './topology';
import { routeTlv, UpdateFlush, type UpdateHost } from './update-flush';

// The incremental flush (a quiet flush visits only out-of-step neighbours, issue 18) must send exactly what the
// full comparison sends: every neighbour told the differences from what it was last told, in table order, then
// the withdrawals, with End-of-Table closing an initial/resync table (RFC 7868 §5.3.1.3, §6.9.1 unreachable
// = delay 0xFFFFFFFF). The reference below is that full comparison, written out plainly.

const IFACES = ['Tunnel10', 'Ethernet0/0'] as const;
const NEIGHBORS = 8;
const PREFIXES = 12;

const V: EigrpMetric = {
  delay: 5000,
  bandwidth: 256,
  mtu: 1476,
  hopCount: 1,
  reliability: 255,
  load: 1,
  tag: 0,
  flags: 0,
};

type Op =
  | { kind: 'up'; n: number }
  | { kind: 'down'; n: number }
  | { kind: 'resync'; n: number }
  | { kind: 'route'; p: number; from: number; delay: number }
  | { kind: 'connected'; p: number; iface: number }
  | { kind: 'remove'; p: number }
  | { kind: 'active'; p: number }
  | { kind: 'passive'; p: number }
  | { kind: 'reply'; n: number; p: number; delay: number | undefined }
  | { kind: 'split'; iface: number }
  | { kind: 'nextHopSelf'; iface: number }
  | { kind: 'flush' };

interface Sent {
  readonly to: string;
  readonly opcode: number;
  readonly flags: number;
  readonly tlvs: EigrpTlv[];
}

const neighborAddress = (i: number): number => 0xc0a86402 + i;
const ifaceOf = (i: number): string => IFACES[i % IFACES.length]!;
const prefixOf = (p: number): ReturnType<typeof makePrefix> => makePrefix(0x0a000000 + p * 256, 24);

/** A process stand-in: a table, neighbours, per-interface settings, and a log of every packet queued. */
class FakeProcess implements UpdateHost {
  readonly topology = new TopologyTable();
  readonly neighbors = new Map<string, Neighbor>();
  readonly kernel: Kernel;
  readonly sent: Sent[] = [];
  readonly splitHorizon = new Map<string, boolean>(IFACES.map((i) => [i, true]));
  readonly nextHopSelf = new Map<string, boolean>(IFACES.map((i) => [i, true]));
  private readonly pending: (() => void)[] = [];
  private handles = 0;

  constructor() {
    this.kernel = { schedule: (_delay: number, h: () => void) => this.pending.push(h) } as unknown as Kernel;
  }

  policyOf(iface: string): OutboundPolicy {
    return {
      interface: iface,
      splitHorizon: this.splitHorizon.get(iface)!,
      nextHopSelf: this.nextHopSelf.get(iface)!,
    };
  }

  enqueueTo(n: Neighbor, opcode: number, flags: number, tlvs: EigrpTlv[]): void {
    this.sent.push({ to: n.key, opcode, flags, tlvs });
  }

  addNeighbor(i: number): Neighbor {
    const address = neighborAddress(i);
    const iface = ifaceOf(i);
    const n = {
      address,
      interface: iface,
      key: pathKey(iface, address),
      handle: this.handles++,
      state: 'up',
    };
    this.neighbors.set(n.key, n as Neighbor);
    return n as Neighbor;
  }

  /** Runs the scheduled flush, if any; false when none was scheduled. */
  runPending(): boolean {
    const due = this.pending.splice(0);
    for (const h of due) h();
    return due.length > 0;
  }
}

/** What each neighbour was told, and the full comparison of every destination for every neighbour. */
class ReferenceFlush {
  private readonly told = new Map<string, Map<string, Advertisement>>();
  private readonly fullSync = new Set<string>();
  readonly sent: Sent[] = [];

  established(key: string): void {
    this.told.set(key, new Map());
    this.fullSync.add(key);
  }
  resync(key: string): void {
    this.fullSync.add(key);
  }
  forget(key: string): void {
    this.told.delete(key);
    this.fullSync.delete(key);
  }
  recordAdvertised(key: string, pk: string, adv: Advertisement | undefined): void {
    const map = this.told.get(key);
    if (!map) return;
    if (adv) map.set(pk, adv);
    else map.delete(pk);
  }

  flush(host: FakeProcess): void {
    for (const n of host.neighbors.values()) {
      if (n.state === 'up') this.flushNeighbor(host, n);
    }
  }

  private flushNeighbor(host: FakeProcess, n: Neighbor): void {
    const full = this.fullSync.delete(n.key);
    const told = this.told.get(n.key)!;
    const policy = host.policyOf(n.interface);
    const tlvs: EigrpTlv[] = [];
    for (const entry of host.topology.all()) {
      if (entry.state === 'active') continue;
      const pk = prefixKey(entry.prefix);
      const want = advertisementFor(entry, policy);
      const had = told.get(pk);
      if ((!full && sameAdvertisement(want, had)) || (!want && !had)) continue;
      tlvs.push(routeTlv(entry.prefix, want?.nextHop ?? 0, want?.metric ?? unreachableMetric(had?.metric)));
      if (want) told.set(pk, want);
      else told.delete(pk);
    }
    for (const [pk, had] of [...told]) {
      if (host.topology.getByKey(pk)) continue;
      tlvs.push(routeTlv(prefixOfKey(pk), 0, unreachableMetric(had.metric)));
      told.delete(pk);
    }
    if (tlvs.length === 0 && !full) return;
    for (let i = 0; i < Math.max(1, tlvs.length); i += 40) {
      const last = i + 40 >= tlvs.length;
      this.sent.push({
        to: n.key,
        opcode: EIGRP_OPCODE.UPDATE,
        flags: full && last ? EIGRP_FLAG.EOT : 0,
        tlvs: tlvs.slice(i, i + 40),
      });
    }
  }
}

/** Applies one event to the process, the flush under test and the reference alike. */
function apply(op: Op, host: FakeProcess, flush: UpdateFlush, ref: ReferenceFlush): void {
  const key = (i: number): string => pathKey(ifaceOf(i), neighborAddress(i));
  switch (op.kind) {
    case 'up': {
      if (host.neighbors.has(key(op.n))) return;
      const n = host.addNeighbor(op.n);
      flush.established(n);
      ref.established(n.key);
      flush.schedule();
      return;
    }
    case 'down': {
      if (!host.neighbors.delete(key(op.n))) return;
      flush.forget(key(op.n));
      ref.forget(key(op.n));
      flush.schedule();
      return;
    }
    case 'resync':
      if (!host.neighbors.has(key(op.n))) return;
      flush.resync(key(op.n));
      ref.resync(key(op.n));
      return;
    case 'route':
    case 'connected': {
      const prefix = prefixOf(op.p);
      const entry = host.topology.getOrCreate(prefix, INFINITE_DISTANCE);
      entry.paths.clear();
      const path =
        op.kind === 'route'
          ? makePath({
              origin: 'neighbor',
              interface: ifaceOf(op.from),
              neighbor: neighborAddress(op.from),
              nextHop: neighborAddress(op.from),
              reported: V,
              metric: { ...V, delay: op.delay },
            })
          : makePath({ origin: 'connected', interface: IFACES[op.iface]!, reported: V, metric: V });
      const pathId = op.kind === 'route' ? key(op.from) : pathKey(IFACES[op.iface]!);
      entry.paths.set(pathId, path);
      entry.successors = [pathId];
      entry.fd = path.distance;
      host.topology.touch(prefix);
      flush.schedule();
      return;
    }
    case 'remove':
      host.topology.delete(prefixOf(op.p));
      flush.schedule();
      return;
    case 'active':
    case 'passive': {
      const entry = host.topology.get(prefixOf(op.p));
      if (!entry) return;
      entry.state = op.kind;
      host.topology.touch(entry.prefix);
      flush.schedule();
      return;
    }
    case 'reply': {
      // What DUAL tells a neighbour outside a flush (a Reply): it may differ from what the flush would say.
      const n = host.neighbors.get(key(op.n));
      if (!n) return;
      const adv = op.delay === undefined ? undefined : { nextHop: 0, metric: { ...V, delay: op.delay } };
      flush.recordAdvertised(n, prefixOf(op.p), adv);
      ref.recordAdvertised(n.key, prefixKey(prefixOf(op.p)), adv);
      flush.schedule();
      return;
    }
    case 'split':
    case 'nextHopSelf': {
      const iface = IFACES[op.iface]!;
      const settings = op.kind === 'split' ? host.splitHorizon : host.nextHopSelf;
      settings.set(iface, !settings.get(iface));
      // IOS resynchronises the interface's neighbours when split horizon changes (as the process does).
      if (op.kind === 'split') {
        for (const n of host.neighbors.values()) {
          if (n.interface !== iface) continue;
          flush.resync(n.key);
          ref.resync(n.key);
        }
      }
      flush.schedule();
      return;
    }
    case 'flush':
      if (host.runPending()) ref.flush(host);
      expect(host.sent.map(describeSent)).toEqual(ref.sent.map(describeSent));
      host.sent.length = 0;
      ref.sent.length = 0;
  }
}

function describeSent(s: Sent): string {
  const routes = s.tlvs.map((t) =>
    t.kind === 'ipv4-internal'
      ? `${formatIpv4(t.destination)}/${t.prefixLength} nh ${formatIpv4(t.nextHop)} delay ${t.metric.delay}`
      : t.kind,
  );
  return `${s.to} op ${s.opcode} flags ${s.flags}: ${routes.join(', ')}`;
}

const n = fc.integer({ min: 0, max: NEIGHBORS - 1 });
const p = fc.integer({ min: 0, max: PREFIXES - 1 });
const iface = fc.integer({ min: 0, max: IFACES.length - 1 });
const delay = fc.integer({ min: 1, max: 4 }).map((d) => d * 1000);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: n.map((i) => ({ kind: 'up' as const, n: i })) },
  { weight: 1, arbitrary: n.map((i) => ({ kind: 'down' as const, n: i })) },
  { weight: 1, arbitrary: n.map((i) => ({ kind: 'resync' as const, n: i })) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('route' as const), p, from: n, delay }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('connected' as const), p, iface }) },
  { weight: 2, arbitrary: p.map((i) => ({ kind: 'remove' as const, p: i })) },
  { weight: 1, arbitrary: p.map((i) => ({ kind: 'active' as const, p: i })) },
  { weight: 1, arbitrary: p.map((i) => ({ kind: 'passive' as const, p: i })) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('reply' as const),
      n,
      p,
      delay: fc.option(delay, { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: iface.map((i) => ({ kind: 'split' as const, iface: i })) },
  { weight: 1, arbitrary: iface.map((i) => ({ kind: 'nextHopSelf' as const, iface: i })) },
  { weight: 5, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

function newRun(): { host: FakeProcess; flush: UpdateFlush; ref: ReferenceFlush } {
  const host = new FakeProcess();
  return { host, flush: new UpdateFlush(host, () => undefined), ref: new ReferenceFlush() };
}

describe('UpdateFlush: incremental flushes send what a full comparison sends', () => {
  it('matches the full comparison over random sequences of neighbours and routes coming, changing and going', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 80 }), (ops) => {
        const { host, flush, ref } = newRun();
        for (const o of [...ops, { kind: 'flush' as const }]) apply(o, host, flush, ref);
      }),
      { numRuns: 400, seed: 18 },
    );
  });

  it('brings a neighbour told something else in a Reply up to date at the next quiet flush', () => {
    const { host, flush, ref } = newRun();
    for (let i = 0; i < NEIGHBORS; i += 2) apply({ kind: 'up', n: i }, host, flush, ref);
    apply({ kind: 'connected', p: 0, iface: 1 }, host, flush, ref);
    apply({ kind: 'flush' }, host, flush, ref);
    // Spoke 2 (on Tunnel10) was told 10.0.0.0/24 with delay 3000 in a Reply; the table still says 5000.
    apply({ kind: 'reply', n: 2, p: 0, delay: 3000 }, host, flush, ref);
    host.runPending();
    expect(host.sent.map(describeSent)).toEqual([
      `${pathKey('Tunnel10', neighborAddress(2))} op 1 flags 0: 10.0.0.0/24 nh 0.0.0.0 delay 5000`,
    ]);
  });

  it('sends a neighbour that comes up during a quiet spell the whole table, ending with End-of-Table', () => {
    const { host, flush, ref } = newRun();
    apply({ kind: 'up', n: 0 }, host, flush, ref);
    apply({ kind: 'connected', p: 1, iface: 1 }, host, flush, ref);
    apply({ kind: 'connected', p: 2, iface: 1 }, host, flush, ref);
    apply({ kind: 'flush' }, host, flush, ref);
    apply({ kind: 'up', n: 4 }, host, flush, ref);
    host.runPending();
    expect(host.sent.map(describeSent)).toEqual([
      `${pathKey('Tunnel10', neighborAddress(4))} op 1 flags ${EIGRP_FLAG.EOT}: 10.0.1.0/24 nh 0.0.0.0 delay 5000, 10.0.2.0/24 nh 0.0.0.0 delay 5000`,
    ]);
  });

  it('tells every spoke of a 300-spoke hub nothing while spokes come up, then all of them a new hub route', () => {
    const { host, flush, ref } = newRun();
    apply({ kind: 'connected', p: 0, iface: 1 }, host, flush, ref);
    for (let i = 0; i < 300; i++) {
      const spoke = host.addNeighbor(i * 2);
      flush.established(spoke);
      // Each spoke's LAN, learned on Tunnel10: split horizon keeps it from the other spokes.
      const lan = makePrefix(0xc0a80000 + i * 256, 24);
      const entry = host.topology.getOrCreate(lan, INFINITE_DISTANCE);
      const path = makePath({
        origin: 'neighbor',
        interface: 'Tunnel10',
        neighbor: spoke.address,
        reported: V,
        metric: V,
      });
      entry.paths.set(spoke.key, path);
      entry.successors = [spoke.key];
      entry.fd = path.distance;
      host.topology.touch(lan);
      flush.schedule();
      host.runPending();
      // Only the new spoke hears anything: the hub's LAN and End-of-Table.
      expect(host.sent.map((s) => s.to)).toEqual([spoke.key]);
      host.sent.length = 0;
    }
    apply({ kind: 'connected', p: 5, iface: 1 }, host, flush, ref);
    host.runPending();
    expect(host.sent).toHaveLength(300);
    expect(new Set(host.sent.map((s) => describeSent(s).split(': ')[1]))).toEqual(
      new Set(['10.0.5.0/24 nh 0.0.0.0 delay 5000']),
    );
  });
});
