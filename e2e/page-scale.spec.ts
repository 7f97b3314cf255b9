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

test('a big lab picked from the picker is drawn once, on the renderer the page picks for it', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Chromium's own notes about its software GL (no GPU here) are not the page's errors.
  const errors = collectErrors(page, (text) => text.includes('GL Driver Message'));
  await openLab(page);
  const topo = page.getByTestId('topology');
  await expect(topo).toHaveAttribute('data-renderer', 'canvas');
  const before = Number(await topo.getAttribute('data-builds'));
  expect(before).toBeGreaterThan(0);
  // 2 hubs and 100 spokes: above the page's WebGL threshold. The lab and the renderer change together; the
  // canvas renderer about to be replaced must not build the lab first (a 5,000-spoke lab's load did it twice).
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('generated:100:2');
  await expect(page.getByRole('button', { name: 'GM-100', exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(topo).toHaveAttribute('data-renderer', 'webgl');
  await expect(topo).toHaveAttribute('data-builds', String(before + 1));
  expect(errors).toEqual([]);
});
