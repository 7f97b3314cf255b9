// Issue 6 item 8: projector mode, light and dark themes, accessible names on every control, usable at
// 1280×720 (nothing in the header overlaps), no console errors.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLab, routerTab, runTo } from './helpers';

const CONTROL_ROLES = [
  'button',
  'textbox',
  'searchbox',
  'combobox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'tab',
] as const;

/**
 * Every visible control of these roles has a non-empty accessible name (what a screen reader announces): read
 * from Playwright's ARIA snapshot of the page, where a named control reads `- button "Name"`.
 */
async function expectNamedControls(page: Page, where: string): Promise<number> {
  const snapshot = await page.locator('body').ariaSnapshot();
  const pattern = new RegExp(`^\\s*- (${CONTROL_ROLES.join('|')})\\b(.*)$`);
  let count = 0;
  for (const line of snapshot.split('\n')) {
    const m = pattern.exec(line);
    if (!m) continue;
    count++;
    expect(m[2] ?? '', `${where}: unnamed ${line.trim()}`).toMatch(/^ "[^"]*\S[^"]*"/);
  }
  return count;
}

interface Box {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The header's items: none overlaps another, none leaves the window. */
async function expectHeaderFits(page: Page): Promise<void> {
  const boxes: Box[] = await page.locator('header.header > *').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { name: el.className, x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  const brand = await page.locator('.brand-name').boundingBox();
  const picker = await page.locator('.scenario-picker').boundingBox();
  expect(brand && picker && (brand.y + brand.height <= picker.y || brand.x + brand.width <= picker.x)).toBe(
    true,
  );
  for (const [i, a] of boxes.entries()) {
    expect(a.x + a.width, `${a.name} inside the window`).toBeLessThanOrEqual(1280);
    for (const b of boxes.slice(i + 1)) {
      const apart =
        a.x + a.width <= b.x + 0.5 ||
        b.x + b.width <= a.x + 0.5 ||
        a.y + a.height <= b.y + 0.5 ||
        b.y + b.height <= a.y + 0.5;
      expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
    }
  }
  expect(await page.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(1280);
}

test('at 1280×720 the header fits, every control has an accessible name, themes and projector mode work', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await openLab(page);
  await expectHeaderFits(page);
  await runTo(page, 20);

  // Every control, in every panel state a class goes through.
  let named = await expectNamedControls(page, 'default');
  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  await expect(page.getByRole('textbox', { name: 'Share link' })).toHaveValue(/#lab=/);
  named += await expectNamedControls(page, 'lessons and share open');
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  for (const tab of ['Multicast', 'Faults', 'Problems', 'Inspector']) {
    await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
    await expect(page.getByRole('tabpanel').last()).toBeVisible();
    named += await expectNamedControls(page, `${tab} tab`);
  }
  for (const tab of ['Config', 'Routes', 'NHRP', 'PIM', 'GDOI']) {
    await routerTab(page, tab).click();
    named += await expectNamedControls(page, `router ${tab} tab`);
  }
  await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Simulation' }).click();
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  named += await expectNamedControls(page, 'simulation mode with the protocol filter open');
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  expect(named).toBeGreaterThan(100);
  await expectHeaderFits(page);
  await page.screenshot({ path: 'test-results/ergonomics-light.png' });

  // Dark theme: the page and its panels turn dark; remembered across a reload.
  const dark = page.getByRole('button', { name: 'Dark theme' });
  await dark.click();
  await expect(dark).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const bg = await page
    .locator('body')
    .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor ?? '');
  const [r = 255, g = 255, b = 255] = (bg.match(/\d+/g) ?? []).map(Number);
  expect(r + g + b).toBeLessThan(150);
  await page.screenshot({ path: 'test-results/ergonomics-dark.png' });

  // Projector mode: large type, and still nothing overlaps in the header.
  const projector = page.getByRole('button', { name: 'Projector mode (large type)' });
  await projector.click();
  await expect(page.locator('html')).toHaveClass(/projector/);
  const size = await page
    .locator('body')
    .evaluate((el) => parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).fontSize ?? '0'));
  expect(size).toBeGreaterThanOrEqual(16);
  const consoleSize = await page
    .getByRole('tablist', { name: 'Router views' })
    .locator('.tab')
    .first()
    .evaluate((el) => parseFloat(el.ownerDocument.defaultView?.getComputedStyle(el).fontSize ?? '0'));
  expect(consoleSize).toBeGreaterThanOrEqual(14);
  await expectHeaderFits(page);
  await page.screenshot({ path: 'test-results/ergonomics-projector-dark.png' });

  await page.reload();
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveClass(/projector/);
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await page.screenshot({ path: 'test-results/ergonomics-projector-light.png' });
  await page.getByRole('button', { name: 'Projector mode (large type)' }).click();
  await expect(page.locator('html')).not.toHaveClass(/projector/);
  expect(errors).toEqual([]);
});
