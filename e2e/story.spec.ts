// Issue 6 "Behaviour to show": the article's story end to end. Load; run to the first rekey and see it arrive
// at GM-2; switch GM-2's ip mroute off, see the RPF drop and the debug line, see GM-2 miss the next rekey;
// switch it on and see GM-2 recover.
import { expect, test } from '@playwright/test';
import type { Locator, Page } from '@playwright/test';
import { collectErrors, openLab, routerTab, runTo } from './helpers';

const REKEY = '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GDOI_GM from 1.1.1.1 to 239.10.10.1';

async function consoleOf(page: Page, device: string): Promise<Locator> {
  await page.getByRole('button', { name: device, exact: true }).click();
  return page.getByTestId('console-output');
}

async function rekeysAt(page: Page, device: string): Promise<number> {
  const text = (await (await consoleOf(page, device)).textContent()) ?? '';
  return text.split(REKEY).length - 1;
}

test("the article's story: the rekey reaches GM-2, the RPF failure stops it, the static mroute brings it back", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openLab(page);

  // GM-2 debugs PIM from the start, as in the article.
  const input = page.getByRole('textbox', { name: 'Console input for GM-2' });
  await consoleOf(page, 'GM-2');
  await input.fill('debug ip pim');
  await input.press('Enter');
  await expect(page.getByTestId('console-output')).toContainText('PIM debugging is on');

  // The first rekey (the KS's rekey lifetime is 300 s) arrives at GM-2.
  await runTo(page, 310);
  await expect(await consoleOf(page, 'GM-2')).toContainText(`${REKEY} with seq # 1`);
  expect(await rekeysAt(page, 'GM-2')).toBe(1);
  await expect(page.getByTestId('timeline')).toContainText(/Rekey \([1-9]/);
  await page.screenshot({ path: 'test-results/story-1-first-rekey.png' });

  // GM-2's ip mroute off: its RPF interface towards the KS leaves the tunnel.
  await page.getByRole('tab', { name: 'Multicast' }).click();
  const gm2 = page.getByRole('switch', { name: 'GM-2 ip mroute' });
  await gm2.click();
  await expect(gm2).toHaveAttribute('aria-checked', 'false');
  await page.getByRole('checkbox', { name: 'Draw RPF interfaces' }).check();
  await expect(page.getByTestId('topology')).toHaveAttribute('data-rpf', /RPF GM-2: Se1\/0/);

  // The RPF drop on the timeline and the article's debug lines on GM-2's console.
  await runTo(page, 400);
  await expect(page.getByTestId('timeline')).toContainText(/RPF drop \([1-9]/);
  const out = await consoleOf(page, 'GM-2');
  await expect(out).toContainText('PIM(0): Received RP-Reachable on Tunnel10 from 1.1.1.1');
  await expect(out).toContainText('PIM(0): RP not known, or mismatch');
  const text = (await out.textContent()) ?? '';
  const reachable = text.lastIndexOf('PIM(0): Received RP-Reachable on Tunnel10 from 1.1.1.1');
  expect(text.indexOf('PIM(0): RP not known, or mismatch', reachable)).toBeGreaterThan(reachable);
  await page.screenshot({ path: 'test-results/story-2-rpf-failure.png' });

  // The next rekey (~600 s): GM-1 receives it, GM-2 misses it.
  await runTo(page, 640);
  expect(await rekeysAt(page, 'GM-1')).toBeGreaterThanOrEqual(2);
  expect(await rekeysAt(page, 'GM-2')).toBe(1);
  await page.screenshot({ path: 'test-results/story-3-missed-rekey.png' });

  // Switched on again: RPF via the tunnel, and GM-2 receives the rekeys again.
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await gm2.click();
  await expect(gm2).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('topology')).toHaveAttribute('data-rpf', /RPF GM-2: Tu10 \(mroute\)/);
  await runTo(page, 960);
  expect(await rekeysAt(page, 'GM-2')).toBeGreaterThanOrEqual(2);
  await routerTab(page, 'GDOI').click();
  await expect(page.getByTestId('gdoi-member')).toContainText('Registered');
  await page.screenshot({ path: 'test-results/story-4-recovered.png' });
  expect(errors).toEqual([]);
});
