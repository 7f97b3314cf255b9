/**
 * The KS's RSA key comes from the seeded PRNG (rsa-keys.ts), so a run through registration and the first
 * signed rekey hashes the same for one seed and differently for another (docs/DESIGN.md §4).
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';

it('gives the same trace (signed rekeys included) for one seed and another for another seed', async () => {
  const text = readFileSync(
    new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
    'utf8',
  );
  const runs: { hash: string; spki: string }[] = [];
  for (const seed of [1, 1, 2]) {
    const lab = loadLab(text, seed).lab!;
    await lab.kernel.runUntil(seconds(320));
    const key = await servicesOf(lab.router('KS')!).gdoi.rsaKey('GDOI_KEYS')!;
    runs.push({ hash: lab.kernel.trace.hash(), spki: Buffer.from(key.spki).toString('hex') });
  }
  expect(runs[0]).toEqual(runs[1]);
  expect(runs[2]!.hash).not.toBe(runs[0]!.hash);
  expect(runs[2]!.spki).not.toBe(runs[0]!.spki);
}, 60_000);
