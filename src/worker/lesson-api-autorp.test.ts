// The Auto-RP scenario's lesson through the worker (issue 17): the page reads its steps and has the rp-mapping and
// mroute checks evaluated on the worker's lab, as the student mode does.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { createSimApi } from './api';

const AUTORP = readFileSync(
  new URL('../../public/scenarios/autorp-sparse-mode.json', import.meta.url),
  'utf8',
);
const SECOND = 1_000_000;

it("evaluates the Auto-RP lesson's first step on the worker: Edge learnt the RP, the Auto-RP group is dense", async () => {
  const api = createSimApi();
  await api.load(AUTORP);
  const lessons = await api.lessons();
  expect(lessons.map((l) => l.id)).toEqual(['autorp-sparse-mode']);
  const first = lessons[0]!.steps[0]!;
  expect(first.checks.map((c) => c.kind)).toEqual(['rp-mapping', 'mroute', 'mroute', 'mroute']);
  const before = await api.evaluateChecks(first.checks, 0);
  expect(before[0]).toEqual({ pass: false, detail: 'Edge has no RP for 239.1.1.1.' });
  await api.runUntil(90 * SECOND);
  const after = await api.evaluateChecks(first.checks, 0);
  expect(after.map((r) => r.pass)).toEqual([true, true, true, true]);
  expect(after[0]!.detail).toBe('Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).');
});
