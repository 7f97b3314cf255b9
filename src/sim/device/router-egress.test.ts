// The send side (issue 18, steady state): a packet goes out within the call that sends it unless a step on its
// way really waits (an egress stage with a promise, as ESP with AES through WebCrypto); then the kernel still
// finishes it within the event that sent it. And an async protocol step that awaits `sendIp` goes on within
// that event too (the mroute test "R1 (not DR) shows DPL" fails when it does not: the join made at boot
// came a millisecond late).
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import { Kernel } from '../kernel/kernel';
import { IP_PROTO } from '../net/ipv4';
import { parseIpv4 } from '../net/ipv4-address';
import { type EgressStage, Router } from './router';
import { Wire } from './wire.test-support';

const CONFIG = ['hostname R1', 'interface GigabitEthernet0/0', ' ip address 10.0.0.1 255.255.255.0'].join(
  '\n',
);
const PEER = parseIpv4('10.0.0.2') ?? 0;

/** A router whose one egress stage passes packets on, at once or after a promise (as AES through WebCrypto). */
function lone(waits: boolean): { r: Router; kernel: Kernel; wire: Wire } {
  const kernel = new Kernel(1);
  const wire = new Wire();
  const r = new Router('R1', kernel, parseConfig(CONFIG, 'R1').model, wire);
  r.reconcile();
  const stage: EgressStage = (_ifName, bytes) => (waits ? Promise.resolve(bytes) : bytes);
  r.addEgressStage(stage);
  return { r, kernel, wire };
}

const packet = { destination: PEER, protocol: IP_PROTO.UDP, payload: new Uint8Array(8) };

describe('Router send side', () => {
  it('turns a failure on the way into the rejection of sendIp, not a throw at the caller', async () => {
    const kernel = new Kernel(1);
    const r = new Router('R1', kernel, parseConfig(CONFIG, 'R1').model, new Wire());
    r.reconcile();
    r.addEgressStage(() => {
      throw new Error('stage failed');
    });
    let sent: Promise<boolean> | undefined;
    expect(() => (sent = r.sendIp(packet))).not.toThrow();
    await expect(sent).rejects.toThrow('stage failed');
  });

  it('puts the packet on the wire within sendIpNow when no step waits', () => {
    const { r, wire } = lone(false);
    expect(r.sendIpNow(packet)).toBe(true);
    expect(wire.frames).toEqual(['R1 GigabitEthernet0/0']);
  });

  it('finishes a send whose stage waits before the kernel runs the next event', async () => {
    const { r, kernel, wire } = lone(true);
    const seen: string[][] = [];
    kernel.schedule(0, () => void r.sendIpNow(packet));
    kernel.schedule(0, () => void seen.push([...wire.frames]));
    await kernel.runUntil(0);
    expect(seen).toEqual([['R1 GigabitEthernet0/0']]);
  });

  it('lets a step that awaits sendIp go on within the event that sent it', async () => {
    const { r, kernel, wire } = lone(false);
    const order: string[] = [];
    const step = async (): Promise<void> => {
      await r.sendIp(packet);
      order.push(`after send at ${kernel.now}, ${wire.frames.length} frame`);
    };
    kernel.schedule(0, () => void step());
    kernel.schedule(1000, () => void order.push(`next event at ${kernel.now}`));
    await kernel.runUntil(2000);
    expect(order).toEqual(['after send at 0, 1 frame', 'next event at 1000']);
  });
});
