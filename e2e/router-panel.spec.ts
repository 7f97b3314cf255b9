// Issue 6 item 4: the router panel — the running-config in an editor that applies through the CLI with
// diagnostics at the line, and live state tabs (routes, NHRP, PIM and mroutes, GDOI keys).
import { expect, test } from '@playwright/test';
import { collectErrors, openLab, routerTab, runTo } from './helpers';

test('the config editor applies an edit through the console and shows a rejected line at its line', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await page.getByRole('button', { name: 'GM-2', exact: true }).click();
  await routerTab(page, 'Config').click();
  const editor = page.getByRole('textbox', { name: 'Running-config of GM-2' });
  await expect(editor).toHaveValue(/ip mroute 1\.1\.1\.1 255\.255\.255\.255 192\.168\.100\.1/);
  const text = await editor.inputValue();
  const edited = text
    .replace(' description Site LAN\n', ' description Branch office LAN\n')
    .replace(' ip igmp join-group 239.10.10.1\n', ' ip igmp join-group 239.10.10.1\n ip pim bogus 3\n');
  await editor.fill(edited);
  await expect(page.getByRole('button', { name: /^Apply \(\d+\)$/ })).toBeEnabled();
  await page.getByRole('button', { name: /^Apply/ }).click();

  const bogusLine = edited.split('\n').indexOf(' ip pim bogus 3') + 1;
  const diag = page.getByTestId('config-diagnostic');
  await expect(diag).toHaveCount(1);
  await expect(diag).toHaveAttribute('data-line', String(bogusLine));
  await expect(diag).toContainText("% Invalid input detected at '^' marker.");
  await expect(page.getByRole('status').filter({ hasText: '1 line rejected' })).toBeVisible();
  await page.screenshot({ path: 'test-results/config-editor-diagnostic.png' });

  // The accepted line went through the console, in configuration mode, as typed.
  await routerTab(page, 'Console').click();
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('GM-2(config)#interface Loopback1');
  await expect(out).toContainText('GM-2(config-if)#description Branch office LAN');
  await expect(out).toContainText('GM-2(config-if)#ip pim bogus 3');
  await expect(out).toContainText('GM-2(config-if)#end');

  // Fixing the line (deleting it) and applying again leaves nothing rejected.
  await routerTab(page, 'Config').click();
  await editor.fill((await editor.inputValue()).replace(' ip pim bogus 3\n', ''));
  await expect(page.getByRole('button', { name: /^Apply/ })).toBeDisabled();
  await page.getByRole('button', { name: 'Revert' }).click();
  await expect(editor).toHaveValue(/ description Branch office LAN/);
  await expect(page.getByTestId('config-diagnostic')).toHaveCount(0);

  // Removing a line sends `no …`.
  await editor.fill((await editor.inputValue()).replace(/^ip mroute .*\n/m, ''));
  await page.getByRole('button', { name: /^Apply/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Applied (1 line)' })).toBeVisible();
  await expect(editor).not.toHaveValue(/^ip mroute/m);
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await expect(page.getByRole('switch', { name: 'GM-2 ip mroute' })).toHaveAttribute('aria-checked', 'false');
  expect(errors).toEqual([]);
});

test('live state tabs show routes, NHRP, PIM and the GDOI keys, refreshed as the lab runs', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await page.getByRole('button', { name: 'GM-2', exact: true }).click();
  await runTo(page, 30);

  await routerTab(page, 'Routes').click();
  await expect(page.getByTestId('live-routes')).toContainText('Gateway of last resort');
  await routerTab(page, 'NHRP').click();
  const nhrp = page.getByTestId('live-nhrp');
  await expect(nhrp).toContainText('NBMA address: 172.17.1.1');
  await expect(nhrp).toContainText('Type:Spoke');
  await routerTab(page, 'PIM').click();
  const pim = page.getByTestId('live-pim');
  await expect(pim).toContainText(/192\.168\.100\.1\s+Tunnel10/);
  await expect(pim).toContainText('(*, 239.10.10.1)');

  await routerTab(page, 'GDOI').click();
  const gdoi = page.getByTestId('live-gdoi');
  await expect(gdoi).toContainText('Rekey Transport Type     : Multicast');
  const keys = page.getByTestId('gdoi-member');
  await expect(keys).toContainText('Registered');
  await expect(keys.getByRole('row', { name: /Current TEK SPI/ })).toContainText(/0x[0-9A-F]{8}/);
  await expect(keys.getByRole('row', { name: /KEK SPI/ })).toContainText(/[0-9A-F]{32}/);
  await expect(keys.getByRole('row', { name: /Last sequence number/ })).toBeVisible();
  await expect(keys.getByRole('row', { name: /Previous TEK SPI/ })).toContainText('—');
  await page.screenshot({ path: 'test-results/router-gdoi-before.png' });

  // Past the first rekey: the tab refreshes by itself, the rekey counted and its sequence number shown.
  await runTo(page, 310);
  await expect(keys.getByRole('row', { name: /Rekeys received/ })).toContainText(/^Rekeys received[1-9]/);
  await expect(keys.getByRole('row', { name: /Last sequence number/ })).toContainText(/[1-9]/);
  await expect(gdoi).toContainText(/Cumulative\s+: [1-9]/);
  await page.screenshot({ path: 'test-results/router-gdoi-after-rekey.png' });
  expect(errors).toEqual([]);
});
