/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, so these specs see the DOM types.
// Issue 15: a page for the classroom. Layout (resizable, collapsible, focus view, saved sizes), projector mode's
// text on the canvas, any screen size, the multicast overlay, the inspector's GDOI rekeys, picture export.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLab, run, runTo } from './helpers';

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

async function box(page: Page, selector: string): Promise<Box> {
  const b = await page.locator(selector).first().boundingBox();
  if (!b) throw new Error(`${selector} is not drawn`);
  return b;
}

/** What Cytoscape draws, read from its own state (font sizes × zoom = pixels on screen; label boxes). */
interface Drawn {
  readonly zoom: number;
  readonly nodePx: Record<string, number>;
  readonly edgePx: number[];
  readonly rpfEdges: number;
  readonly rpfPx: number[];
}

async function drawn(page: Page): Promise<Drawn> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid=topology]') as HTMLElement & {
      _cyreg: { cy: import('cytoscape').Core };
    };
    const cy = el._cyreg.cy;
    const z = cy.zoom();
    const px = (e: import('cytoscape').SingularElementArgument): number =>
      parseFloat(e.style('font-size')) * z;
    const nodePx: Record<string, number> = {};
    cy.nodes().forEach((n) => {
      nodePx[n.id()] = px(n);
    });
    return {
      zoom: z,
      nodePx,
      edgePx: cy.edges(':visible').map(px),
      rpfEdges: cy.edges('.rpf').length,
      rpfPx: cy.edges('.rpf').map(px),
    };
  });
}

/** Label boxes (model units) of the RPF labels and of every interface label: the ones that meet, if any. */
/** Whether the topology draws its links' interface labels (`__getlab.topology`). */
function interfaceLabelsShown(page: Page): Promise<boolean> {
  return page.evaluate(() =>
    (
      window as unknown as { __getlab: { topology: { interfaceLabelsShown: () => boolean } } }
    ).__getlab.topology.interfaceLabelsShown(),
  );
}

async function labelOverlaps(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const el = document.querySelector('[data-testid=topology]') as HTMLElement & {
      _cyreg: { cy: import('cytoscape').Core };
    };
    const cy = el._cyreg.cy;
    type B = { x1: number; x2: number; y1: number; y2: number; w: number };
    const only = (e: import('cytoscape').EdgeSingular, main: boolean, source: boolean, target: boolean): B =>
      e.boundingBox({
        includeNodes: false,
        includeEdges: false,
        includeLabels: true,
        includeMainLabels: main,
        includeSourceLabels: source,
        includeTargetLabels: target,
        includeOverlays: false,
        includeUnderlays: false,
      } as import('cytoscape').BoundingBoxOptions) as B;
    const meets = (a: B, b: B): boolean =>
      a.w > 0 && b.w > 0 && a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
    const ifaceLabels: { id: string; b: B }[] = [];
    cy.edges(':visible')
      .not('.overlay')
      .forEach((e) => {
        ifaceLabels.push({ id: `${e.id()} source`, b: only(e, false, true, false) });
        ifaceLabels.push({ id: `${e.id()} target`, b: only(e, false, false, true) });
      });
    const out: string[] = [];
    const rpf = cy
      .edges('.rpf')
      .map((e) => ({ text: String(e.data('rpfLabel')), b: only(e, true, false, false) }));
    for (const r of rpf) {
      if (r.b.w === 0) out.push(`${r.text} is not drawn`);
      for (const l of ifaceLabels) if (meets(r.b, l.b)) out.push(`${r.text} meets ${l.id}`);
      for (const o of rpf) if (o !== r && meets(r.b, o.b)) out.push(`${r.text} meets ${o.text}`);
    }
    return out;
  });
}

test.describe('layout', () => {
  test('the topology is the largest panel; panels collapse, sizes and focus persist; F gives it the window', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
    const topo = await box(page, '.topology-panel');
    for (const other of ['.side', '.console', '.events', '.bottom-tabs']) {
      const b = await box(page, other);
      expect(topo.width * topo.height, `topology larger than ${other}`).toBeGreaterThan(b.width * b.height);
    }
    // Collapse the devices panel: the topology widens; after a reload it is still collapsed.
    const devices = page.getByRole('group', { name: 'Panels' }).getByRole('button', { name: 'Devices' });
    await expect(devices).toHaveAttribute('aria-pressed', 'true');
    await devices.click();
    await expect(devices).toHaveAttribute('aria-pressed', 'false');
    await expect
      .poll(async () => (await box(page, '.topology-panel')).width)
      .toBeGreaterThan(topo.width + 80);
    await page.reload();
    await expect(
      page.getByRole('group', { name: 'Panels' }).getByRole('button', { name: 'Devices' }),
    ).toHaveAttribute('aria-pressed', 'false');
    // The lab is loaded again (its console took the focus, autoFocus) before any key is pressed: a key typed
    // while it loads would land in the console once it mounts.
    await expect(page.getByRole('textbox', { name: 'Console input for KS' })).toBeFocused();
    // A separator is a keyboard control too (role separator): resize the bottom panels with the arrow keys.
    const bar = page.getByRole('separator', { name: 'Resize the lab and the event panels' });
    const before = (await box(page, '.events')).height;
    await bar.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await box(page, '.events')).height).toBeGreaterThan(before);

    // Focus view: the topology takes the window with the caption and the timeline; F leaves it.
    await page.getByRole('img', { name: /Network topology/ }).click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('f');
    await expect(page.locator('.app')).toHaveAttribute('data-layout', 'focus');
    await expect(page.getByRole('banner').locator('.header')).toHaveCount(0);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await expect(page.getByTestId('packet-caption')).toBeAttached();
    const focused = await box(page, '.topology-panel');
    expect(focused.width).toBeGreaterThan(1400);
    expect(focused.height).toBeGreaterThan(700);
    await page.reload();
    await expect(page.locator('.app')).toHaveAttribute('data-layout', 'focus');
    await page.keyboard.press('f');
    await expect(page.locator('.app')).toHaveAttribute('data-layout', 'wide');
    expect(errors).toEqual([]);
  });
});

test('projector mode at 1280×720: node, interface and RPF labels, caption, timeline and console are >= 20 px', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  const normal = await drawn(page);
  // Outside projector mode names still never shrink below 10 px (they used to vanish at 1024×768).
  for (const px of Object.values(normal.nodePx)) expect(px).toBeGreaterThanOrEqual(9.9);
  await page.getByRole('button', { name: 'Projector mode (large type)' }).click();
  await expect(page.locator('.app')).toHaveAttribute('data-layout', 'projector');
  await runTo(page, 60);
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await page.getByLabel('Draw RPF interfaces').check();
  await expect.poll(async () => (await drawn(page)).rpfEdges).toBeGreaterThan(2);
  const big = await drawn(page);
  for (const [name, px] of Object.entries(big.nodePx)) expect(px, name).toBeGreaterThanOrEqual(20);
  for (const px of big.edgePx) expect(px).toBeGreaterThanOrEqual(20);
  for (const px of big.rpfPx) expect(px).toBeGreaterThanOrEqual(20);
  expect(await labelOverlaps(page)).toEqual([]);
  const fontPx = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  for (const selector of [
    '[data-testid=packet-caption]',
    '.timeline',
    '.console-output',
    '.console-input-line',
  ])
    expect(await fontPx(selector), selector).toBeGreaterThanOrEqual(20);
  // The layout keeps the whole lab in view: every device is drawn inside the topology's panel.
  const panel = await box(page, '[data-testid=topology]');
  const inside = await page.evaluate(() => {
    const el = document.querySelector('[data-testid=topology]') as HTMLElement & {
      _cyreg: { cy: import('cytoscape').Core };
    };
    return el._cyreg.cy.nodes().map((n) => n.renderedBoundingBox({ includeLabels: false }));
  });
  for (const b of inside) {
    expect(b.x1).toBeGreaterThanOrEqual(-1);
    expect(b.x2).toBeLessThanOrEqual(panel.width + 1);
  }
  await page.screenshot({ path: 'test-results/projector-1280x720.png' });
  expect(errors).toEqual([]);
});

test.describe('any screen', () => {
  test('1024×768: every panel is on screen without horizontal scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.goto('/');
    await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(page.getByTestId('lessons')).toBeVisible();
    for (const selector of ['.side', '.topology-panel', '.console', '.events', '.bottom-tabs', '.lessons']) {
      const b = await box(page, selector);
      expect(b.x, selector).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, selector).toBeLessThanOrEqual(1024.5);
      expect(b.width, selector).toBeGreaterThan(60);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.screenshot({ path: 'test-results/page-1024x768.png' });
  });

  test('768 wide: the panels are drawers over the topology', async ({ page }) => {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.goto('/');
    await expect(page.locator('.app')).toHaveAttribute('data-layout', 'narrow');
    await expect(page.getByTestId('topology')).toBeVisible();
    const drawers = page.getByRole('navigation', { name: 'Panels' });
    await drawers.getByRole('button', { name: 'Console' }).click();
    await expect(page.getByRole('region', { name: 'Console drawer' })).toBeVisible();
    const input = page.getByRole('textbox', { name: /Console input for / });
    await input.fill('show clock');
    await input.press('Enter');
    await expect(page.getByTestId('console-output')).toContainText('UTC');
    await page.getByRole('button', { name: 'Close Console' }).click();
    await expect(page.getByRole('region', { name: 'Console drawer' })).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(768);
  });

  test('390×844 phone: topology, play and step, the caption and the lessons work', async ({ page }) => {
    const errors = collectErrors(page);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    await expect(page.getByTestId('topology')).toBeVisible();
    const topo = await box(page, '[data-testid=topology]');
    expect(topo.width).toBeGreaterThan(340);
    expect(topo.height).toBeGreaterThan(300);
    // Text scaled for a phone would make the labels at both ends of a link overlap: device names alone.
    await expect.poll(() => interfaceLabelsShown(page)).toBe(false);
    // Step runs one event (the first ones happen at t = 0): the events drawer lists it.
    await page.getByRole('button', { name: 'Step' }).click();
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Events' }).click();
    await expect(page.getByTestId('events').locator('tbody tr').first()).toBeVisible();
    await page.getByRole('button', { name: 'Close Events' }).click();
    await page.getByRole('button', { name: '▶ Play' }).click();
    await expect(page.locator('.clock-seconds')).not.toHaveText('t = 0.000000 s');
    await expect(page.getByRole('button', { name: '❚❚ Pause' })).toBeVisible();
    await expect(page.getByTestId('packet-caption')).not.toBeEmpty({ timeout: 20_000 });
    await page.getByRole('button', { name: '❚❚ Pause' }).click();
    await page.getByRole('button', { name: 'Lessons', exact: true }).click();
    const lessons = page.getByTestId('lessons');
    await expect(lessons).toBeVisible();
    const lb = await lessons.boundingBox();
    expect((lb?.x ?? -1) >= 0 && (lb?.x ?? 0) + (lb?.width ?? 999) <= 390.5).toBe(true);
    await page.locator('.drawer-lessons .drawer-head').getByRole('button', { name: 'Close Lessons' }).click();
    await expect(lessons).toHaveCount(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-results/phone-390x844.png' });
    expect(errors).toEqual([]);
  });
});

test('multicast overlay: RPF labels clear of interface labels, the tree in view, a persistent RPF-failure mark', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  await runTo(page, 60);
  expect(await interfaceLabelsShown(page)).toBe(true);
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await page.getByLabel('Draw RPF interfaces').check();
  await page.getByLabel('Draw tree').check();
  await expect(page.getByTestId('topology')).toHaveAttribute('data-tree', /.+/);
  expect(await labelOverlaps(page)).toEqual([]);
  // The tree section is on screen without scrolling.
  const heading = page.getByRole('heading', { name: /Tree for 239\.10\.10\.1/ });
  await expect(heading).toBeInViewport();
  await expect(page.locator('.tree-list li').first()).toBeInViewport();

  // The RPF demo: GM-1 without its static mroute receives the group on Tunnel10, RPF says Serial1/0.
  await page.getByRole('switch', { name: 'GM-1 ip mroute' }).click();
  await expect(page.getByRole('switch', { name: 'GM-1 ip mroute' })).toHaveAttribute('aria-checked', 'false');
  await runTo(page, 70);
  const failures = page.getByTestId('rpf-failures');
  await expect(failures).toContainText('GM-1');
  await expect(failures).toContainText(
    'arrives on Tunnel10, but the RPF interface towards 1.1.1.1 is Serial1/0',
  );
  const mark = () =>
    page.evaluate(() => {
      const el = document.querySelector('[data-testid=topology]') as HTMLElement & {
        _cyreg: { cy: import('cytoscape').Core };
      };
      const n = el._cyreg.cy.getElementById('GM-1');
      return { fail: n.hasClass('rpf-fail'), label: String(n.data('markLabel')) };
    });
  await expect.poll(async () => (await mark()).fail).toBe(true);
  expect((await mark()).label).toBe('GM-1\n✗ RPF Se1/0 ≠ Tu10');
  // Persistent: another tab, time moving on - the mark stays while the condition holds.
  await page.getByRole('tab', { name: 'Faults' }).click();
  await runTo(page, 75);
  expect((await mark()).fail).toBe(true);
  await page.screenshot({ path: 'test-results/rpf-mark-1440x900.png' });
  expect(errors).toEqual([]);
});

test('inspector: a rekey opened with a member KEK, keys masked until asked, hex and ASCII not clipped', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await runTo(page, 60);
  await run(page, 'KS', 'crypto gdoi ks rekey');
  await runTo(page, 61);
  await page.getByPlaceholder(/Filter/).fill('GM-1 Serial1/0 received');
  const row = page.getByTestId('events').locator('tbody tr', { hasText: 'GDOI' }).first();
  await row.click();
  const signature = page.getByTestId('rekey-signature');
  await expect(signature).toHaveText(/^signature OK: verified with the key server's 1024-bit RSA public key/);
  const tree = page.getByRole('tree', { name: 'Decrypted rekey payloads' });
  await expect(tree).toContainText('Sequence number:');
  await expect(tree).toContainText('SA KEK SPI:');
  await expect(tree).toContainText('SA TEK SPI:');
  await expect(tree).toContainText('KEK algorithm:');
  await expect(
    tree.getByRole('button', { name: /TEK encryption key: •+ \(\d+ bytes, hidden/ }).first(),
  ).toBeVisible();
  await page.locator('.rekey-bar').getByRole('button', { name: 'Show keys' }).click();
  await expect(
    tree.getByRole('button', { name: /TEK encryption key: [0-9a-f]{32,} \(\d+ bytes\)/ }).first(),
  ).toBeVisible();
  await expect(page.locator('.rekey-bar').getByRole('button', { name: 'Hide keys' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // Every hex view shows whole rows: nothing wider than its box (no clipped bytes or ASCII).
  const hex = page.getByTestId('hex-view');
  expect(await hex.count()).toBeGreaterThanOrEqual(3);
  for (const h of await hex.all()) {
    const { scroll, client } = await h.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(scroll).toBeLessThanOrEqual(client + 1);
    const rowWidth = await h
      .locator('.hex-row')
      .first()
      .evaluate((e) => (e.lastElementChild as HTMLElement).getBoundingClientRect().right);
    const right = await h.evaluate((e) => e.getBoundingClientRect().right);
    expect(rowWidth).toBeLessThanOrEqual(right + 1);
  }
  expect(errors).toEqual([]);
});

test('export: an SVG with every router and the overlays, and a PNG of the drawing', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);
  await runTo(page, 60);
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await page.getByLabel('Draw RPF interfaces').check();
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'SVG', exact: true }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe('getlab-topology.svg');
  const svg = readFileSync((await svgDownload.path())!, 'utf8');
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  for (const name of ['KS', 'Central', 'SP', 'GM-1', 'GM-2']) expect(svg).toContain(`>${name}</tspan>`);
  expect(svg).toContain('class="rpf"');
  expect(svg).toContain('>RPF GM-1: Tu10 (mroute)</tspan>');
  expect(svg).toContain('>Se1/0</tspan>');
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'PNG', exact: true }).click(),
  ]);
  const png = readFileSync((await pngDownload.path())!);
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.length).toBeGreaterThan(10_000);
  expect(errors).toEqual([]);
});
