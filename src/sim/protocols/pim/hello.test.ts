import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { loadTestLab } from './test-lab.test-support';

/** When each router sent its first PIM hello on each of its interfaces (µs since boot). */
async function firstHellos(): Promise<Map<string, number>> {
  const lab = loadTestLab(
    JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as object,
  );
  await lab.kernel.runUntil(seconds(40));
  const first = new Map<string, number>();
  for (const r of lab.kernel.trace.all()) {
    if (r.kind !== 'packet' || r.event !== 'sent' || !r.summary.startsWith('PIM Hello ')) continue;
    if (r.summary.includes(' via ')) continue; // the GRE copy of a tunnel hello
    const key = `${r.device} ${r.summary.split(' ')[2] ?? ''}`;
    if (!first.has(key)) first.set(key, r.t);
  }
  return first;
}

describe('PIM hello timing (RFC 7761 §4.3.1)', () => {
  // "Hello_Timer … set to Triggered_Hello_Delay" at start-up: a random time within 5 s, so routers that boot
  // together do not send in lockstep; the draw comes from the lab's seeded PRNG.
  it('every PIM interface says hello within 5 s of boot, not all at one instant, the same in every run', async () => {
    const first = await firstHellos();
    // KS Fa1/0, Central Fa0/0 and Tunnel10, the spokes' Tunnel10 (loopbacks send none).
    expect(first.size).toBe(5);
    for (const [key, t] of first) expect(t, key).toBeLessThanOrEqual(seconds(5));
    expect(new Set(first.values()).size).toBeGreaterThan(1);
    expect(await firstHellos()).toEqual(first);
  });
});
