// Issue 6 item 7: edits survive a reload; a share link opened in a fresh browser shows the same lab.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { openLab, run } from './helpers';

async function removeGm2Mroute(page: Page): Promise<void> {
  for (const line of ['configure terminal', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1', 'end']) {
    await run(page, 'GM-2', line);
  }
  await expect(page.getByTestId('console-output')).toContainText('GM-2#', { timeout: 10_000 });
}

async function expectMroute(page: Page, device: string, on: boolean): Promise<void> {
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await expect(page.getByRole('switch', { name: `${device} ip mroute` })).toHaveAttribute(
    'aria-checked',
    String(on),
  );
}

test('configuration edits survive a reload', async ({ page }) => {
  await openLab(page);
  await removeGm2Mroute(page);
  await expectMroute(page, 'GM-2', false);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('Saved lab (your edits)');
  await run(page, 'GM-2', 'show running-config');
  await expect(page.getByTestId('console-output')).toContainText('Current configuration');
  expect(await page.getByTestId('console-output').textContent()).not.toMatch(/^ip mroute/m);
  await expectMroute(page, 'GM-1', true);
  // The key server's RSA keys live outside the running-config (IOS keeps them in NVRAM): the reloaded lab has them.
  await run(page, 'KS', 'show crypto key mypubkey rsa');
  await expect(page.getByTestId('console-output')).toContainText('Key name: GDOI_KEYS');
});

test('a share link opened in a fresh browser context shows the same lab', async ({ page, browser }) => {
  await openLab(page);
  await removeGm2Mroute(page);
  await page.getByRole('button', { name: 'Share…' }).click();
  const linkBox = page.getByRole('textbox', { name: 'Share link' });
  await expect(linkBox).toHaveValue(/#lab=/);
  const link = await linkBox.inputValue();
  await page.screenshot({ path: 'test-results/share-link.png' });

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const errors: string[] = [];
  other.on('pageerror', (e) => errors.push(e.message));
  await other.goto(link);
  await expect(other.getByRole('combobox', { name: 'Scenario' })).toContainText('Shared lab');
  await expectMroute(other, 'GM-1', true);
  await run(other, 'GM-2', 'show running-config');
  await expect(other.getByTestId('console-output')).toContainText('Current configuration');
  expect(await other.getByTestId('console-output').textContent()).not.toMatch(/^ip mroute/m);
  expect(errors).toEqual([]);
  await fresh.close();
});
