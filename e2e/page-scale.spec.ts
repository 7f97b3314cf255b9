// Issue 18 (the page stays fluid at scale): the packet canvas keeps each frame's work bounded. A small lab draws
// every packet copy; a big lab's thousands in flight are drawn as flows along edges (one mark per edge and
// encapsulation, at most MAX_MARKS: src/ui/flow-lod.test.ts). Frame rates are measured by `npm run bench:page`,
// never here. (A 500-spoke lab reaching 400 packets in flight depends on the machine's load: not asserted here.)
import { expect, test } from '@playwright/test';
import { collectErrors, openLab, runTo } from './helpers';

/** The canvas's level of detail, packets in flight and marks drawn in its last frame. */
async function canvasDetail(
  page: import('@playwright/test').Page,
): Promise<{ lod: string; inFlight: number; marks: number }> {
  const canvas = page.getByTestId('packet-canvas');
  return {
    lod: (await canvas.getAttribute('data-lod')) ?? '',
    inFlight: Number(await canvas.getAttribute('data-in-flight')),
    marks: Number(await canvas.getAttribute('data-marks')),
  };
}

test('the reference lab animates every packet copy (no level of detail)', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);
  await runTo(page, 20);
  await page.getByRole('button', { name: /Play/ }).click();
  await expect
    .poll(async () => (await canvasDetail(page)).inFlight, { timeout: 30_000, intervals: [50] })
    .toBeGreaterThan(0);
  const seen = await canvasDetail(page);
  expect(seen.lod).toBe('packets');
  // Every packet moving is in the snapshot the canvas drew from.
  const snapshot = (await page.evaluate(
    '(() => { const s = window.__getlab.animator.snapshot(); return { lod: s.lod, onCanvas: s.onCanvas.length, inFlight: s.inFlight }; })()',
  )) as { lod: string; onCanvas: number; inFlight: number };
  expect(snapshot.lod).toBe('packets');
  expect(snapshot.onCanvas).toBeGreaterThanOrEqual(snapshot.inFlight);
  await page.getByRole('button', { name: /Pause/ }).click();
  expect(errors).toEqual([]);
});
