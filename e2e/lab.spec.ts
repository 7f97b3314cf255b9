// Acceptance tests of the page: the reference lab loads, draws, and its consoles answer as IOS does.
import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import { collectErrors, openLab, run } from './helpers';

const DEVICES = ['KS', 'Central', 'GM-1', 'GM-2', 'SP'];

interface Scenario {
  links: { a: string; b: string }[];
}

/** The reference scenario as served, to be altered by a test. */
async function referenceScenario(request: APIRequestContext): Promise<Scenario> {
  return (await (await request.get('/scenarios/getvpn-multicast-rekey.json')).json()) as Scenario;
}

/** Loads a scenario through the page's "Open scenario file" input. */
async function openScenarioFile(page: Page, name: string, scenario: Scenario): Promise<void> {
  await page.getByLabel('Open scenario file').setInputFiles({
    name,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(scenario)),
  });
}

test('the page loads the reference lab, draws the topology and lists the devices', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);

  const devices = page.getByRole('navigation', { name: 'Devices' });
  for (const name of DEVICES) {
    await expect(devices.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('topology').locator('canvas').first()).toBeAttached();
  expect(await page.getByTestId('topology').locator('canvas').count()).toBeGreaterThan(0);
  await expect(page.getByRole('status', { name: 'Simulated time' })).toContainText('UTC');

  await page.getByRole('button', { name: 'GM-1', exact: true }).click();
  // Waits on the state the click makes (GM-1's console shown), not on time.
  await expect(page.getByRole('textbox', { name: 'Console input for GM-1' })).toBeVisible();
  await page.screenshot({ path: 'test-results/getlab-1280x720.png' });
  expect(errors).toEqual([]);
});

test('show ip route on GM-1 prints the IOS routing table', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);
  await run(page, 'GM-1', 'show ip route');
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('GM-1#show ip route');
  await expect(out).toContainText('Codes:');
  await expect(out).toContainText('Gateway of last resort');
  await expect(out).toContainText('11.11.11.11');
  await expect(out).toContainText('Loopback0');
  expect(errors).toEqual([]);
});

test('ping from GM-1 Loopback0 to the KS loopback succeeds', async ({ page }) => {
  await openLab(page);
  await run(page, 'GM-1', 'ping 1.1.1.1 source Loopback0');
  await expect(page.getByTestId('console-output')).toContainText('Success rate is 100 percent (5/5)', {
    timeout: 30_000,
  });
});

test('a broken scenario file is reported and the previous lab keeps working', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);
  await page.getByLabel('Open scenario file').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{ not json'),
  });
  const problems = page.getByTestId('problems');
  await expect(problems.getByRole('alert')).toContainText('Could not load broken.json');
  await expect(problems.locator('.problem.error').first()).toBeVisible();

  await run(page, 'GM-1', 'show ip route');
  await expect(page.getByTestId('console-output')).toContainText('Gateway of last resort');
  expect(errors).toEqual([]);
});

test('abbreviated commands run: sh ip int br', async ({ page }) => {
  await openLab(page);
  await run(page, 'GM-1', 'sh ip int br');
  await expect(page.getByTestId('console-output')).toContainText(
    'Interface              IP-Address      OK? Method Status                Protocol',
  );
});

test('a scenario naming an interface the config lacks is reported with the device', async ({
  page,
  request,
}) => {
  await openLab(page);
  const scenario = await referenceScenario(request);
  const first = scenario.links[0];
  if (!first) throw new Error('the reference scenario has no links');
  const device = first.a.split(' ')[0] ?? '';
  first.a = `${device} Serial9/9`;
  await openScenarioFile(page, 'bad-interface.json', scenario);
  const problems = page.getByTestId('problems');
  await expect(problems.locator('.problem.error').filter({ hasText: /Serial9\/9|Se9\/9/ })).toBeVisible();
  await expect(problems.locator('.problem.error').filter({ hasText: /Serial9\/9|Se9\/9/ })).toContainText(
    device,
  );
  await run(page, 'GM-1', 'sh ip int br');
  await expect(page.getByTestId('console-output')).toContainText('IP-Address');
});

test('each device keeps its own console transcript and history', async ({ page }) => {
  await openLab(page);
  await run(page, 'GM-1', 'show clock');
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('GM-1#show clock');
  await run(page, 'KS', 'show version');
  await expect(out).toContainText('KS#show version');
  await expect(out).not.toContainText('GM-1#show clock');
  await page.getByRole('button', { name: 'GM-1', exact: true }).click();
  await expect(out).toContainText('GM-1#show clock');
  const input = page.getByRole('textbox', { name: 'Console input for GM-1' });
  await input.press('ArrowUp');
  await expect(input).toHaveValue('show clock');
});

test('? lists the choices without running the line, and Play advances the clock', async ({ page }) => {
  await openLab(page);
  await page.getByRole('button', { name: 'GM-1', exact: true }).click();
  const input = page.getByRole('textbox', { name: 'Console input for GM-1' });
  await input.fill('show ip ');
  await input.press('?');
  await expect(page.getByTestId('console-output')).toContainText('GM-1#show ip ?');
  await expect(input).toHaveValue('show ip ');

  const seconds = page.locator('.clock-seconds');
  const before = await seconds.textContent();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect(seconds).not.toHaveText(before ?? '');
  await page.getByRole('button', { name: /Pause/ }).click();
});

test('the article as printed loads from the picker and its defects are listed', async ({ page }) => {
  await openLab(page);
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Article as printed' });
  await expect(page.getByRole('banner')).toContainText('as printed');
  const problems = page.getByTestId('problems');
  // GM-1's `tunnel source serial 0/0` names an interface GM-1 does not have (its WAN is Serial1/0).
  await expect(
    problems
      .locator('.problem')
      .filter({ hasText: /serial ?0\/0/i })
      .first(),
  ).toContainText('GM-1');
});

test('a second link on one interface is reported and the console still answers', async ({
  page,
  request,
}) => {
  await openLab(page);
  const scenario = await referenceScenario(request);
  scenario.links.push({ a: 'GM-1 Se1/0', b: 'GM-2 Lo0' });
  await openScenarioFile(page, 'two-links.json', scenario);
  const problem = page
    .getByTestId('problems')
    .locator('.problem.error')
    .filter({ hasText: /Serial1\/0|Se1\/0/ });
  await expect(problem.first()).toContainText('GM-1');
  await run(page, 'GM-1', 'sh ip int br');
  await expect(page.getByTestId('console-output')).toContainText('IP-Address');
});
