// What every browser test does: watch for console errors, open the reference lab, type at a console, move
// the lab's clock.
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Console errors, warnings and uncaught exceptions seen while the test ran (assert it stays empty). `ignore`
 * drops messages that are the browser's, not the page's.
 */
export function collectErrors(page: Page, ignore: (text: string) => boolean = () => false): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if ((msg.type() === 'error' || msg.type() === 'warning') && !ignore(msg.text()))
      errors.push(`${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

/** Opens the page at the classroom size (1280×720) and waits for the reference lab's devices. */
export async function openLab(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
}

/** Selects a device and runs one console line on it, as a student types it. */
export async function run(page: Page, device: string, line: string): Promise<void> {
  await page.getByRole('button', { name: device, exact: true }).click();
  const input = page.getByRole('textbox', { name: `Console input for ${device}` });
  await input.fill(line);
  await input.press('Enter');
}

/** Runs the lab on (or back) to `seconds` with the timeline's "Run to" field. */
export async function runTo(page: Page, seconds: number): Promise<void> {
  await page.getByRole('spinbutton', { name: 'Run to time (s)' }).fill(String(seconds));
  await page.getByRole('button', { name: 'Run to', exact: true }).click();
  await expect(page.locator('.clock-seconds')).toHaveText(`t = ${seconds.toFixed(6)} s`, { timeout: 60_000 });
}

/** Moves the lab to `seconds` with the timeline's slider (forward runs on, backward re-simulates). */
export async function scrub(page: Page, seconds: number): Promise<void> {
  await page.getByRole('slider', { name: /Simulated time/ }).fill(String(seconds * 1_000_000));
  await expect(page.locator('.clock-seconds')).toHaveText(`t = ${seconds.toFixed(6)} s`, { timeout: 30_000 });
}

/** A tab of the router panel (Console, Config, Routes, NHRP, PIM, GDOI). */
export function routerTab(page: Page, name: string): Locator {
  return page.getByRole('tablist', { name: 'Router views' }).getByRole('tab', { name, exact: true });
}

/** Sets the protocol filter to exactly one protocol (by its legend name). */
export async function filterOn(page: Page, name: string): Promise<void> {
  const menu = page.getByRole('button', { name: 'Protocol filter' });
  await menu.click();
  await page.getByRole('button', { name: 'Show all' }).click();
  await page.getByRole('checkbox', { name, exact: true }).check();
  await menu.click();
  await expect(menu).toHaveText(new RegExp(`^${name} `));
}
