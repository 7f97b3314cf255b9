// Issue 18: "a checkpoint can also be saved and shared, so a lab opens at a moment without re-simulating it".
// The page saves the lab at a moment (Share… > Save this moment: a .getlab download), is reloaded, opens the file
// (Share… > Open a saved moment) and shows that moment's clock and state: GM-2's console is back in configuration
// mode with the mroute removed, `show ip mroute` prints what it printed at the moment, and the lab plays on. A file
// that is not a moment is refused in words and the lab stays where it was.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { collectErrors, openLab, run, runTo } from './helpers';

async function momentSection(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Share…' }).click();
  const section = page
    .getByRole('dialog', { name: 'Share this lab' })
    .getByRole('region', { name: 'This moment' });
  await expect(section).toBeVisible();
  return section;
}

async function closeShare(page: Page): Promise<void> {
  await page.getByRole('dialog', { name: 'Share this lab' }).getByRole('button', { name: 'Close' }).click();
}

/** The console output from the last time `line` was typed on GM-2 to its end. */
async function lastOutput(page: Page, prompt: string, line: string): Promise<string> {
  const text = await page.getByTestId('console-output').innerText();
  const start = text.lastIndexOf(`${prompt}${line}`);
  expect(start, `${prompt}${line} in the console`).toBeGreaterThanOrEqual(0);
  return text.slice(start).trim();
}

test('Save this moment, reload, Open a saved moment: the same clock and state, and the lab plays on', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  await runTo(page, 330);
  await run(page, 'GM-2', 'configure terminal');
  await run(page, 'GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  await runTo(page, 420);
  await run(page, 'GM-2', 'do show ip mroute 239.10.10.1');
  const prompt = 'GM-2(config)#';
  await expect(page.getByTestId('console-output')).toContainText(`${prompt}do show ip mroute 239.10.10.1`);
  const before = await lastOutput(page, prompt, 'do show ip mroute 239.10.10.1');
  const clock = await page.locator('.clock-ios').innerText();

  const section = await momentSection(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('button', { name: 'Save this moment' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('get-vpn-rekey-using-multicast-over-dmvpn-at-420s.getlab');
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 14).toString('latin1')).toBe('GETLab moment\n');
  await closeShare(page);

  // The lab goes on past the moment; a reload restores the session there (the page's saved work, by
  // re-simulating), and the moment then takes the lab back to 420 s without re-simulating.
  await runTo(page, 500);
  await page.reload();
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  await expect(page.locator('.clock-seconds')).toHaveText('t = 500.000000 s', { timeout: 60_000 });
  // A file that is not a moment is refused in words, and the lab stays as it was.
  const again = await momentSection(page);
  await again.getByLabel('Open a saved moment').setInputFiles({
    name: 'not-a-moment.getlab',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('{"title":"a scenario"}'),
  });
  await expect(again.getByRole('alert')).toHaveText('This file is not a saved GETLab moment.');
  await expect(page.locator('.clock-seconds')).toHaveText('t = 500.000000 s');

  await again.getByLabel('Open a saved moment').setInputFiles({
    name: 'moment.getlab',
    mimeType: 'application/octet-stream',
    buffer: bytes,
  });
  await expect(page.locator('.clock-seconds')).toHaveText('t = 420.000000 s');
  await expect(page.locator('.clock-ios')).toHaveText(clock);
  await closeShare(page);
  await run(page, 'GM-2', 'do show ip mroute 239.10.10.1');
  await expect(page.getByTestId('console-output')).toContainText(`${prompt}do show ip mroute 239.10.10.1`);
  expect(await lastOutput(page, prompt, 'do show ip mroute 239.10.10.1')).toBe(before);

  // It plays on from the moment: the clock moves past it.
  await runTo(page, 430);
  await run(page, 'GM-2', 'end');
  // The console restored in configuration mode leaves it as IOS does (a session that was not saved would not).
  await expect(page.getByTestId('console-output')).toContainText(
    `${prompt}end\n%SYS-5-CONFIG_I: Configured from console by console`,
  );
  expect(errors).toEqual([]);
});
