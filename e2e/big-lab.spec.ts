// Issue 8 item 4 (page): a generated hub-and-spoke lab loads from the scenario picker, runs and animates;
// Cytoscape's WebGL renderer can be switched on (and is on by itself for big labs). Frame rates are measured
// by `npm run bench:page`, never here.
import { expect, test } from '@playwright/test';
import { collectErrors, openLab, runTo } from './helpers';

test('a generated hub-and-spoke lab loads from the picker, runs, and draws with the WebGL renderer', async ({
  page,
}) => {
  test.setTimeout(120_000);
  // Chromium's own notes about its software GL (no GPU here) are not the page's errors.
  const errors = collectErrors(page, (text) => text.includes('GL Driver Message'));
  await openLab(page);

  // Several hubs are offered too (each hub its own DMVPN cloud).
  await expect(
    page.getByRole('combobox', { name: 'Scenario' }).locator('option[value="generated:100:2"]'),
  ).toHaveText('2 hubs and 100 spokes');
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('generated:10');
  await expect(page.getByRole('button', { name: 'GM-10', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('banner')).toContainText('hub and 10 spokes');
  const topo = page.getByTestId('topology');
  await expect(topo).toHaveAttribute('data-renderer', 'canvas');

  await runTo(page, 30);
  // Every spoke registered: ten hub–spoke tunnel edges.
  await expect(topo).toHaveAttribute('data-overlay', /GM-10 Tunnel10/);
  expect((await topo.getAttribute('data-overlay'))?.split(';')).toHaveLength(10);

  await page.getByRole('checkbox', { name: 'WebGL' }).check();
  await expect(topo).toHaveAttribute('data-renderer', 'webgl');
  await expect(topo.locator('canvas').first()).toBeAttached();
  // The hub's hello fans out to the ten spokes: ten copies in flight at once on the packet canvas.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('1');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect
    .poll(async () => Number(await page.getByTestId('packet-canvas').getAttribute('data-in-flight')), {
      timeout: 30_000,
      intervals: [50],
    })
    .toBeGreaterThanOrEqual(10);
  await page.screenshot({ path: 'test-results/big-lab-webgl.png' });
  await page.getByRole('button', { name: /Pause/ }).click();
  await page.getByRole('checkbox', { name: 'WebGL' }).uncheck();
  await expect(topo).toHaveAttribute('data-renderer', 'canvas');

  // Two hubs: each spoke registers with its own hub (GM-1 with Central-1, GM-2 with Central-2).
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption('generated:100:2');
  await expect(page.getByRole('button', { name: 'Central-2', exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('banner')).toContainText('2 hubs and 100 spokes');
  await runTo(page, 5);
  await expect(topo).toHaveAttribute('data-overlay', /Central-1 Tunnel10==GM-1 Tunnel10/);
  await expect(topo).toHaveAttribute('data-overlay', /Central-2 Tunnel10==GM-2 Tunnel10/);
  expect((await topo.getAttribute('data-overlay'))?.split(';')).toHaveLength(100);
  expect(errors).toEqual([]);
});
