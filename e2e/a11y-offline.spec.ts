/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, so these specs see the DOM types.
// Issue 15: accessibility (axe-core, keyboard), offline after one visit, and the build served from a sub-path.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLab, runTo } from './helpers';

/** Serious and critical WCAG 2.x A/AA violations axe-core finds on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

for (const theme of ['light', 'dark'] as const) {
  test(`axe: no serious or critical violation on the main views (${theme} theme)`, async ({ page }) => {
    await page.addInitScript((t) => {
      localStorage.setItem('getlab:prefs', JSON.stringify({ theme: t, projector: false }));
    }, theme);
    await openLab(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    await runTo(page, 30);
    expect(await axeViolations(page), 'lab view').toEqual([]);
    // The inspector with a frame, the multicast view drawn, the lessons, the focus view.
    await page.getByTestId('events').locator('tbody tr[data-seq]').first().click();
    await expect(page.getByTestId('inspector')).toBeVisible();
    expect(await axeViolations(page), 'inspector').toEqual([]);
    await page.getByRole('tab', { name: 'Multicast' }).click();
    await page.getByLabel('Draw RPF interfaces').check();
    expect(await axeViolations(page), 'multicast').toEqual([]);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(page.getByTestId('lessons')).toBeVisible();
    expect(await axeViolations(page), 'lessons').toEqual([]);
    await page.getByRole('button', { name: 'Focus (F)' }).click();
    await expect(page.locator('.app')).toHaveAttribute('data-layout', 'focus');
    expect(await axeViolations(page), 'focus view').toEqual([]);
  });
}

test('keyboard: landmarks and headings; Esc leaves the console so Tab moves on; events reachable by keyboard', async ({
  page,
}) => {
  await openLab(page);
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('main')).toHaveCount(1);
  await expect(page.getByRole('heading', { name: 'Topology' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Devices' })).toBeVisible();
  const input = page.getByRole('textbox', { name: 'Console input for KS' });
  await input.focus();
  await input.fill('sh');
  // Tab completes in the console (IOS) ...
  await input.press('Tab');
  await expect(input).toHaveValue('show ');
  await expect(input).toBeFocused();
  // ... until Escape: then Tab moves focus on.
  await input.press('Escape');
  await page.keyboard.press('Tab');
  await expect(input).not.toBeFocused();
  await expect(input).toHaveValue('show ');
  // Back in the console, Tab completes again.
  await input.focus();
  await input.fill('conf');
  await input.press('Tab');
  await expect(input).toHaveValue('configure ');

  // Packet events: a row takes focus and Enter opens it in the inspector.
  await runTo(page, 5);
  const row = page.getByTestId('events').locator('tbody tr[data-seq]').first();
  await expect(row).toHaveAttribute('tabindex', '0');
  // Focus and Enter in one step: the list may re-render the row while the run settles.
  await expect(async () => {
    await row.press('Enter');
    await expect(page.getByTestId('inspector')).toBeVisible({ timeout: 1000 });
  }).toPass();
  await expect(page.getByTestId('inspector')).toBeVisible();
});

test('prefers-reduced-motion: no CSS transitions or animations run', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openLab(page);
  const durations = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.button, .switch, .knob, .segment, .tab')].map((e) => {
      const s = getComputedStyle(e);
      return Math.max(parseFloat(s.transitionDuration) || 0, parseFloat(s.animationDuration) || 0);
    }),
  );
  expect(durations.length).toBeGreaterThan(5);
  for (const d of durations) expect(d).toBeLessThan(0.001);
});

/** The packet canvas's pixels now, then after ten more animation frames. */
async function canvasBeforeAfterFrames(page: Page): Promise<[string, string]> {
  return page.evaluate(async () => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=packet-canvas]')!;
    const blank = Object.assign(document.createElement('canvas'), {
      width: canvas.width,
      height: canvas.height,
    }).toDataURL();
    const before = canvas.toDataURL();
    // A packet is drawn (the comparison below is about a drawing, not an empty canvas).
    if (before === blank) return ['blank', 'blank'];
    await new Promise<void>((resolve) => {
      let n = 0;
      const frame = (): void => {
        if (++n >= 10) resolve();
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
    return [before, canvas.toDataURL()];
  });
}

for (const motion of ['reduce', 'no-preference'] as const) {
  test(`packets ${motion === 'reduce' ? 'stand still' : 'glide'} with prefers-reduced-motion: ${motion}`, async ({
    page,
  }) => {
    await page.emulateMedia({ reducedMotion: motion });
    await openLab(page);
    await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Simulation' }).click();
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect(page.getByTestId('packet-caption')).not.toBeEmpty();
    const [before, after] = await canvasBeforeAfterFrames(page);
    expect(before).not.toBe('blank');
    if (motion === 'reduce') expect(after).toBe(before);
    else expect(after).not.toBe(before);
  });
}

test('offline: after one visit the page opens and reloads without the network', async ({ page, context }) => {
  const errors = collectErrors(page, (t) => /net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(t));
  await openLab(page);
  // The service worker has installed (precached everything) and controls the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller)
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }),
      );
  });
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  // The simulator's worker and the scenario came from the cache too: the lab runs.
  await runTo(page, 10);
  await expect(page.getByTestId('events').locator('tbody tr[data-seq]').first()).toBeVisible();
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

/** The built page served under `/course/getlab/`, as on a course site (a small static server). */
async function serveUnderSubPath(dist: string): Promise<{ server: Server; url: string }> {
  const types = new Map([
    ['.html', 'text/html'],
    ['.js', 'text/javascript'],
    ['.css', 'text/css'],
    ['.json', 'application/json'],
    ['.svg', 'image/svg+xml'],
    ['.webmanifest', 'application/manifest+json'],
  ]);
  const prefix = '/course/getlab/';
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (!path.startsWith(prefix)) {
      res.writeHead(404).end();
      return;
    }
    const rel = normalize(path.slice(prefix.length) || 'index.html');
    const file = join(dist, rel.endsWith('/') || rel === '.' ? 'index.html' : rel);
    if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types.get(extname(file)) ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}${prefix}` };
}

test('the build works from a sub-path (base "./"): the lab loads and runs under /course/getlab/', async ({
  page,
}) => {
  const dist = normalize(process.env.E2E_DIST ?? join(process.cwd(), 'dist'));
  // The config's web server builds dist/ before the tests (E2E_DIST names another build).
  expect(existsSync(join(dist, 'index.html')), `a build in ${dist}`).toBe(true);
  const { server, url } = await serveUnderSubPath(dist);
  try {
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(url);
    await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
    await runTo(page, 5);
    await expect(page.getByTestId('events').locator('tbody tr[data-seq]').first()).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    server.close();
  }
});
