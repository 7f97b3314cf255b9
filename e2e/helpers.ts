// What every browser test does: watch for console errors, open the reference lab, type at a console.
import { expect, type Page } from '@playwright/test';

/** Console errors, warnings and uncaught exceptions seen while the test ran (assert it stays empty). */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') errors.push(`${msg.type()}: ${msg.text()}`);
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
