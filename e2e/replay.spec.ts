// The page needs nothing but the worker API: a recorded trace of the reference lab (a fake worker playing it,
// src/ui/store/replay-worker.ts) drives the topology, timeline, event list and consoles with no simulator running.
// The recording was made with scripts/record-trace.ts (15 s of the reference lab).
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { collectErrors, openLab, run, runTo } from './helpers';

const RECORDING = JSON.parse(
  readFileSync(new URL('./fixtures/reference-trace.json', import.meta.url), 'utf8'),
) as unknown;

test('a recorded trace drives the page without a simulation worker', async ({ page }) => {
  const errors = collectErrors(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.addInitScript((recording) => {
    (window as unknown as { __getlabReplay?: unknown }).__getlabReplay = recording;
  }, RECORDING);
  await openLab(page);
  for (const name of ['KS', 'Central', 'GM-1', 'GM-2', 'SP'])
    await expect(
      page.getByRole('navigation', { name: 'Devices' }).getByRole('button', { name, exact: true }),
    ).toBeVisible();

  // The legend's protocols, labels and colours are the worker's (LabView.wireStyles), here the recording's.
  const legend = page.getByRole('list', { name: 'Protocol colours' });
  await expect(legend).toContainText('Auto-RP');
  await expect(legend.getByRole('listitem').filter({ hasText: 'GDOI' }).locator('.swatch')).toHaveCSS(
    'background-color',
    'rgb(198, 40, 40)',
  );

  // The recorded run: the three members register by 10 s, as the simulator has them do.
  await runTo(page, 10);
  await expect(page.getByTestId('timeline')).toContainText('Registration (3)');
  await page.getByRole('searchbox', { name: 'Filter events' }).fill('GM_REGS_COMPL');
  await expect(page.getByTestId('events').locator('tbody tr[data-kind="registration"]')).toHaveCount(3);

  // A show line recorded with the trace is answered; any other line says the page plays a recording.
  await run(page, 'GM-2', 'show ip pim rp mapping');
  await expect(page.getByTestId('console-output')).toContainText('RP 1.1.1.1');
  await run(page, 'GM-2', 'show clock');
  await expect(page.getByTestId('console-output')).toContainText('"show clock" was not recorded');

  expect(workers).toEqual([]);
  expect(errors).toEqual([]);
});
