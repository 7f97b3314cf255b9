import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { Kernel } from '../kernel/kernel';
import { recordLine } from '../kernel/trace';
import { decodeIpv4 } from '../net/ipv4';
import { ipPacket } from '../net/codec-fixtures.test-support';
import { type IngressStage, type PacketContext, Router } from './router';
import { Wire } from './wire.test-support';

const CONFIG = [
  'hostname R1',
  'interface GigabitEthernet0/0',
  ' ip address 10.0.0.1 255.255.255.0',
  'interface GigabitEthernet0/1',
  ' ip address 10.0.1.1 255.255.255.0',
].join('\n');

/** An experimental IP protocol number (RFC 3692): its handler lists what reaches it. */
const PROTO = 253;

interface Bench {
  readonly r: Router;
  readonly kernel: Kernel;
  readonly wire: Wire;
  readonly delivered: string[];
}

/**
 * A router whose one ingress stage takes packets with TTL 7, done at once or with a promise of its work (as ESP
 * with AES through WebCrypto), and whose protocol-253 handler throws (at once or by rejecting) for a payload
 * starting with 0xff.
 */
function bench(asynchronous: boolean): Bench {
  const kernel = new Kernel(1);
  const wire = new Wire();
  const r = new Router('R1', kernel, parseConfig(CONFIG, 'R1').model, wire);
  r.reconcile();
  const delivered: string[] = [];
  const stage: IngressStage = (ctx) => {
    if (ctx.datagram.header.ttl !== 7) return false;
    if (!asynchronous) {
      delivered.push(`stage took ttl 7 from ${ctx.inInterface}`);
      return true;
    }
    return Promise.resolve().then(() => void delivered.push(`stage took ttl 7 from ${ctx.inInterface}`));
  };
  r.addIngressStage(stage);
  r.setProtocolHandler(PROTO, (ctx: PacketContext) => {
    delivered.push(`handler got ${ctx.datagram.payload.length} bytes`);
    if (ctx.datagram.payload[0] === 0xff) {
      if (asynchronous) return Promise.reject(new Error('bad payload'));
      throw new Error('bad payload');
    }
  });
  return { r, kernel, wire, delivered };
}

function packet(destination: string, ttl: number, payload: number[]): Uint8Array {
  return ipPacket(PROTO, '10.0.0.9', destination, new Uint8Array(payload), { ttl });
}

/** Local delivery, a stage's take, forwarding, a throwing handler and an unroutable packet. */
const PACKETS: readonly Uint8Array[] = [
  packet('10.0.0.1', 64, [1, 2, 3]),
  packet('10.0.0.1', 7, [4]),
  packet('10.0.1.5', 64, [5, 6]),
  packet('10.0.0.1', 64, [0xff, 0]),
  packet('192.0.2.1', 64, [7]),
];

async function feed(b: Bench): Promise<string[]> {
  for (const [i, bytes] of PACKETS.entries()) await b.r.receiveFrame('GigabitEthernet0/0', bytes, i + 1);
  return b.kernel.trace.all().map(recordLine);
}

/**
 * Issue 18 (steady state): the ingress pipeline runs without a promise when every step answers at once (3DES
 * ESP, GRE, local delivery), and only goes asynchronous from a step that answers with one (AES through
 * WebCrypto). Either way a packet's steps are one chain, so what happens, and in which order, is the same.
 */
describe('Router ingress without a promise per stage (issue 18)', () => {
  it('handles a packet whose steps all answer at once within the call', () => {
    const b = bench(false);
    const pending = b.r.receiveFrame('GigabitEthernet0/0', PACKETS[0]!, 1);
    expect(pending).toBeUndefined();
    expect(b.delivered).toEqual(['handler got 3 bytes']);
    expect(b.kernel.trace.all().map((r) => (r.kind === 'packet' ? r.event : r.kind))).toEqual([
      'received',
      'delivered',
    ]);
  });

  it('forwards a transit packet onto the wire within the call when no egress stage (crypto map) is attached', () => {
    const b = bench(false);
    expect(b.r.receiveFrame('GigabitEthernet0/0', PACKETS[2]!, 3)).toBeUndefined();
    expect(b.wire.frames).toEqual(['R1 GigabitEthernet0/1']);
    expect(b.r.countersOf('GigabitEthernet0/1').packetsOut).toBe(1);
  });

  it('gives the same deliveries, frames and trace whether the stage is done at once or with a promise', async () => {
    const now = bench(false);
    const later = bench(true);
    const nowTrace = await feed(now);
    const laterTrace = await feed(later);
    expect(nowTrace).toEqual(laterTrace);
    expect(now.delivered).toEqual(later.delivered);
    expect(now.wire.frames).toEqual(later.wire.frames);
    // What happened: the stage took the TTL 7 packet, one went out Gi0/1, the bad one and the unroutable one dropped.
    expect(now.delivered).toEqual([
      'handler got 3 bytes',
      'stage took ttl 7 from GigabitEthernet0/0',
      'handler got 2 bytes',
    ]);
    expect(now.wire.frames).toEqual(['R1 GigabitEthernet0/1']);
    expect(nowTrace.filter((l) => l.includes(' dropped '))).toHaveLength(2);
  });

  it('drops a packet whose stage work fails later (a rejected promise), with the reason', async () => {
    const b = bench(false);
    b.r.addIngressStage(() => Promise.reject(new Error('stage failed')));
    await b.r.receiveFrame('GigabitEthernet0/0', PACKETS[0]!, 1);
    const drop = b.kernel.trace.all().find((r) => r.kind === 'packet' && r.event === 'dropped');
    expect(drop && drop.kind === 'packet' ? drop.reason : undefined).toBe('malformed packet: stage failed');
    expect(b.delivered).toEqual([]);
  });

  it('drops a decapsulated packet whose way fails later once, as the inner packet, not the outer one', async () => {
    const b = bench(true);
    // A decapsulation: the TTL 9 packet carries an inner one that re-enters on Gi0/1, as a tunnel packet on its tunnel.
    b.r.addIngressStage((ctx) => {
      if (ctx.datagram.header.ttl !== 9) return false;
      const inner = PACKETS[3]!;
      const rest = b.r.processIngress({
        datagram: decodeIpv4(inner),
        bytes: inner,
        inInterface: 'GigabitEthernet0/1',
      });
      return rest ?? true;
    });
    await b.r.receiveFrame('GigabitEthernet0/0', packet('10.0.0.1', 9, [1]), 1);
    const drops = b.kernel.trace.all().filter((r) => r.kind === 'packet' && r.event === 'dropped');
    expect(drops.map((r) => (r.kind === 'packet' ? `${r.iface} ${r.reason}` : ''))).toEqual([
      'GigabitEthernet0/1 malformed packet: bad payload',
    ]);
    expect(b.r.countersOf('GigabitEthernet0/0').inputDrops).toBe(0);
  });

  it('drops a packet whose handler throws or rejects, with the reason, and keeps running', async () => {
    for (const asynchronous of [false, true]) {
      const b = bench(asynchronous);
      await b.r.receiveFrame('GigabitEthernet0/0', PACKETS[3]!, 4);
      const drop = b.kernel.trace.all().find((r) => r.kind === 'packet' && r.event === 'dropped');
      expect(drop && drop.kind === 'packet' ? drop.reason : undefined).toBe('malformed packet: bad payload');
      expect(b.r.countersOf('GigabitEthernet0/0').inputDrops).toBe(1);
      await b.r.receiveFrame('GigabitEthernet0/0', PACKETS[0]!, 5);
      expect(b.delivered.at(-1)).toBe('handler got 3 bytes');
    }
  });
});
