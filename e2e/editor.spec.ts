/// <reference lib="dom" />
// The topology editor in the page (issue 17, "Done when"): from the article's lab, entirely through the editor's
// controls (clicks and keys), add a spoke, link it to the provider with automatic addressing, run the lab, and see
// the new spoke register with the key server (GDOI), learn the RP, pass its RPF check toward the key server through
// its static mroute on Tunnel10, and receive a multicast rekey; then undo to the article's file byte for byte, and
// redo. State is read from the store and the worker's typed views (window.__getlab.editor), never from log text.
// Callbacks given to page.evaluate run in the browser, so these specs see the DOM types.
import { type Page, expect, test } from '@playwright/test';
import { collectErrors, openLab, runTo } from './helpers';

interface RpfView {
  readonly device: string;
  readonly interface?: string;
  readonly kind?: string;
  readonly viaTunnel?: boolean;
}
interface GdoiMember {
  readonly status: string;
  readonly rekeysReceived: number;
  readonly rekeyTransport?: string;
  readonly currentTekSpi?: string;
}
interface EditorHandle {
  scenarioText(): string | undefined;
  labSerial(): number;
  now(): number;
  devices(): string[];
  links(): string[];
  history(): { undo: number; redo: number; busy: boolean };
  rekeyQuestion(): { source: string; group: string };
  gdoiView(
    device: string,
  ): Promise<{ members: GdoiMember[]; keyServers: { members: { address: string }[] }[] }>;
  pimView(device: string): Promise<{ rpMappings: { group: string; rp: string }[] }>;
  multicastView(source: string, group: string): Promise<{ rpf: RpfView[] }>;
}

declare global {
  interface Window {
    __getlab: {
      editor: EditorHandle;
      topology: { nodeOnPage(id: string): { x: number; y: number } | undefined };
    };
  }
}

const SHIPPED = '/scenarios/getvpn-multicast-rekey.json';

/** Waits until no edit is being applied and the history has these lengths. */
async function historyIs(page: Page, undo: number, redo: number): Promise<void> {
  await page.waitForFunction(
    ([u, r]) => {
      const h = window.__getlab?.editor?.history();
      return h !== undefined && !h.busy && h.undo === u && h.redo === r;
    },
    [undo, redo],
    { timeout: 30_000 },
  );
}

const scenarioText = (page: Page): Promise<string | undefined> =>
  page.evaluate(() => window.__getlab.editor.scenarioText());
const devices = (page: Page): Promise<string[]> => page.evaluate(() => window.__getlab.editor.devices());

/** A point of the canvas below and between SP and GM-2, where nothing is drawn. */
async function emptySpot(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const t = window.__getlab.topology;
    const sp = t.nodeOnPage('SP')!;
    const gm2 = t.nodeOnPage('GM-2')!;
    return { x: (sp.x + gm2.x) / 2, y: gm2.y + 30 };
  });
}

test('a third spoke built through the editor registers, learns the RP through its mroute, receives a rekey; undo restores the article byte for byte', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors = collectErrors(page, (t) => t.includes('Service Worker'));
  await openLab(page);
  const shipped = await (await page.request.get(SHIPPED)).text();
  await page.waitForFunction(() => window.__getlab?.editor?.scenarioText() !== undefined);
  expect(await scenarioText(page)).toBe(shipped);

  // Edit mode is off by default: no editor toolbar until the toggle is pressed.
  const toggle = page.getByRole('button', { name: 'Edit', exact: true });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('toolbar', { name: 'Topology editor' })).toHaveCount(0);
  await toggle.click();
  const bar = page.getByRole('toolbar', { name: 'Topology editor' });
  await expect(bar).toBeVisible();

  // Add a spoke: pick the role in the palette, click the canvas where it goes.
  const spoke = bar.getByRole('button', { name: 'Spoke / group member' });
  await spoke.click();
  await expect(spoke).toHaveAttribute('aria-pressed', 'true');
  const spot = await emptySpot(page);
  await page.mouse.click(spot.x, spot.y);
  await historyIs(page, 1, 0);
  expect(await devices(page)).toEqual(['KS', 'Central', 'SP', 'GM-1', 'GM-2', 'GM-3']);
  await expect(bar.getByRole('status')).toContainText('Selected: GM-3');

  // Link it to the provider: the spoke's WAN Serial1/0 to the SP's first free serial port, addressed automatically.
  await bar.getByRole('button', { name: 'Add link…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a link' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('First device', { exact: true })).toHaveValue('GM-3');
  await dialog.getByLabel('Interface on the first device').selectOption('Serial1/0');
  await dialog.getByLabel('Second device', { exact: true }).selectOption('SP');
  // The SP's linked ports are not offered.
  const spPorts = dialog.getByLabel('Interface on the second device');
  await expect(spPorts.locator('option', { hasText: 'Serial1/3' })).toHaveCount(1);
  await expect(spPorts.locator('option', { hasText: /^Serial1\/1$/ })).toHaveCount(0);
  await spPorts.selectOption('Serial1/3');
  await expect(dialog.getByRole('checkbox', { name: /Assign addresses automatically/ })).toBeChecked();
  await dialog.getByRole('button', { name: 'Add link' }).click();
  await expect(dialog).toHaveCount(0);
  await historyIs(page, 2, 0);
  const linked = await scenarioText(page);
  const links = await page.evaluate(() => window.__getlab.editor.links());
  expect(links.some((l) => l.includes('GM-3 Serial1/0') && l.includes('SP Serial1/3'))).toBe(true);
  // The edit re-simulated from t = 0.
  expect(await page.evaluate(() => window.__getlab.editor.now())).toBe(0);

  // Let it boot and run past the key server's first rekey (`rekey lifetime seconds 300` in the article's KS).
  await runTo(page, 400);
  const gm3 = await page.evaluate(() => window.__getlab.editor.gdoiView('GM-3'));
  const member = gm3.members[0]!;
  expect(member.status).toBe('Registered');
  expect(member.rekeyTransport).toBe('multicast');
  expect(member.rekeysReceived).toBeGreaterThan(0);
  // It holds the group's current TEK, as the article's spoke does.
  const gm1 = await page.evaluate(() => window.__getlab.editor.gdoiView('GM-1'));
  expect(member.currentTekSpi).toBe(gm1.members[0]!.currentTekSpi);
  // The key server lists it among its members (its Loopback0 continues the article's 11.11.11.11, 12.12.12.12).
  const ks = await page.evaluate(() => window.__getlab.editor.gdoiView('KS'));
  expect(ks.keyServers[0]!.members.map((m) => m.address)).toContain('13.13.13.13');

  // The RP: GM-3 learnt the same group-to-RP mapping as the article's spoke (Auto-RP through the hub).
  const rp3 = await page.evaluate(() => window.__getlab.editor.pimView('GM-3'));
  const rp1 = await page.evaluate(() => window.__getlab.editor.pimView('GM-1'));
  expect(rp3.rpMappings.length).toBeGreaterThan(0);
  expect(rp3.rpMappings).toEqual(rp1.rpMappings);
  // RPF toward the key server's rekey source: Tunnel10, by the static mroute (RFC 7761 §4.2 RPF; the article's
  // `ip mroute 1.1.1.1 255.255.255.255 Tunnel10`).
  const { source, group } = await page.evaluate(() => window.__getlab.editor.rekeyQuestion());
  expect(source).not.toBe('');
  const mc = await page.evaluate(([s, g]) => window.__getlab.editor.multicastView(s!, g!), [source, group]);
  expect(mc.rpf.find((r) => r.device === 'GM-3')).toMatchObject({
    interface: 'Tunnel10',
    kind: 'static-mroute',
    viaTunnel: true,
  });

  // Undo both edits, once with Ctrl+Z and once with the button: the article's file, byte for byte.
  await page.keyboard.press('Control+z');
  await historyIs(page, 1, 1);
  expect(await devices(page)).toContain('GM-3');
  await bar.getByRole('button', { name: 'Undo' }).click();
  await historyIs(page, 0, 2);
  expect(await scenarioText(page)).toBe(shipped);
  expect(await devices(page)).toEqual(['KS', 'Central', 'SP', 'GM-1', 'GM-2']);
  await expect(bar.getByRole('button', { name: 'Undo' })).toBeDisabled();

  // Redo both (Ctrl+Y, then Ctrl+Shift+Z): the linked lab again, from t = 0.
  await page.keyboard.press('Control+y');
  await historyIs(page, 1, 1);
  await page.keyboard.press('Control+Shift+Z');
  await historyIs(page, 2, 0);
  expect(await scenarioText(page)).toBe(linked);
  expect(await page.evaluate(() => window.__getlab.editor.now())).toBe(0);
  expect(await devices(page)).toContain('GM-3');
  expect(errors).toEqual([]);
});

test('rename refuses a bad name in plain language; Escape closes dialogs; Delete removes the selection; keys typed at a console are not edits', async ({
  page,
}) => {
  const errors = collectErrors(page, (t) => t.includes('Service Worker'));
  await openLab(page);
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const bar = page.getByRole('toolbar', { name: 'Topology editor' });
  await expect(bar.getByRole('button', { name: 'Plain router' })).toBeVisible();

  // Add a plain router beside the lab from the keyboard (no pointer on the canvas).
  await bar.getByRole('button', { name: 'Plain router' }).press('Enter');
  await bar.getByRole('button', { name: 'place it beside the lab' }).click();
  await historyIs(page, 1, 0);
  expect(await devices(page)).toContain('R1');

  // Rename: a name IOS refuses is explained in the dialog, and the Problems panel names the device.
  await bar.getByRole('button', { name: 'Rename…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename R1' });
  const field = dialog.getByLabel(/New name/);
  await expect(field).toBeFocused();
  await field.fill('1st-router');
  await dialog.getByRole('button', { name: 'Rename' }).click();
  await expect(dialog.getByRole('alert')).toContainText(
    'is not a valid hostname: it must start with a letter',
  );
  await expect(page.getByTestId('edit-problem')).toContainText('R1');
  // Ctrl+Z in the dialog (its field, or its button that was pressed) is not an edit's undo.
  await page.keyboard.press('Control+z');
  await field.press('Control+z');
  expect((await page.evaluate(() => window.__getlab.editor.history())).undo).toBe(1);
  // Escape closes the dialog, and only the dialog: R1 stays selected.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(bar.getByRole('button', { name: 'Delete R1' })).toBeEnabled();
  await bar.getByRole('button', { name: 'Rename…' }).click();
  await page
    .getByRole('dialog', { name: 'Rename R1' })
    .getByLabel(/New name/)
    .fill('Branch-7');
  await page.keyboard.press('Enter');
  await historyIs(page, 2, 0);
  expect(await devices(page)).toContain('Branch-7');
  expect(await scenarioText(page)).toContain('hostname Branch-7');

  // Ctrl+Z and Delete at a console belong to the console.
  const input = page.getByRole('textbox', { name: 'Console input for Branch-7' });
  await input.click();
  await input.press('Control+z');
  await input.press('Delete');
  expect(await page.evaluate(() => window.__getlab.editor.history())).toMatchObject({ undo: 2, redo: 0 });

  // Delete (the key) removes the selected device; undo brings it back.
  await bar.getByRole('button', { name: 'Delete Branch-7' }).focus();
  await page.keyboard.press('Delete');
  await historyIs(page, 3, 0);
  expect(await devices(page)).not.toContain('Branch-7');
  await page.keyboard.press('Control+z');
  await historyIs(page, 2, 1);
  expect(await devices(page)).toContain('Branch-7');

  // A link clicked on the canvas (underlay only: no tunnel edge in the way) is selected, and Delete removes it.
  await page.getByRole('radio', { name: 'Underlay' }).click();
  const mid = await page.evaluate(() => {
    const t = window.__getlab.topology;
    const a = t.nodeOnPage('GM-2')!;
    const b = t.nodeOnPage('SP')!;
    return { x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 };
  });
  await page.mouse.click(mid.x, mid.y);
  const deleteLink = bar.getByRole('button', { name: 'Delete the link of GM-2 Serial1/0' });
  await expect(deleteLink).toBeEnabled();
  await page.keyboard.press('Delete');
  await historyIs(page, 3, 0);
  const links = (): Promise<string[]> => page.evaluate(() => window.__getlab.editor.links());
  expect((await links()).some((l) => l.includes('GM-2'))).toBe(false);
  await page.keyboard.press('Control+z');
  await historyIs(page, 2, 1);
  expect((await links()).some((l) => l.includes('GM-2'))).toBe(true);

  // Edit mode off: the toolbar goes, and the page is the simulator again.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(bar).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** A device's position in a scenario file's text. */
function positionOf(text: string | undefined, device: string): { x?: number; y?: number } | undefined {
  const scenario = JSON.parse(text ?? '{}') as { devices?: { name: string; x?: number; y?: number }[] };
  const d = scenario.devices?.find((e) => e.name === device);
  return d && { x: d.x, y: d.y };
}

/** The position of a device in the lab's saved work (localStorage), as a reload opens it. */
function savedPosition(page: Page, device: string): Promise<{ x?: number; y?: number } | undefined> {
  return page.evaluate((d) => {
    const rec = JSON.parse(
      localStorage.getItem('getlab:save:shipped:getvpn-multicast-rekey.json') ?? '{}',
    ) as {
      scenario?: string;
    };
    const scenario = JSON.parse(rec.scenario ?? '{}') as {
      devices?: { name: string; x?: number; y?: number }[];
    };
    const found = scenario.devices?.find((e) => e.name === d);
    return found && { x: found.x, y: found.y };
  }, device);
}

test('a device dragged in edit mode moves in the scenario without re-simulating; undo, redo, and the saved lab keep it', async ({
  page,
}) => {
  const errors = collectErrors(page, (t) => t.includes('Service Worker'));
  await openLab(page);
  const shipped = await (await page.request.get(SHIPPED)).text();
  await runTo(page, 20);
  const serial = await page.evaluate(() => window.__getlab.editor.labSerial());
  await page.getByRole('button', { name: 'Edit', exact: true }).click();

  const from = await page.evaluate(() => window.__getlab.topology.nodeOnPage('GM-2')!);
  // Where GM-2 is drawn relative to GM-1 (which does not move): what the canvas shows, whatever the page's layout
  // or the view's pan does meanwhile (a panel that grows by a line moves every node on the page).
  const drawnFromGm1 = async (): Promise<number[]> => {
    const [a, b] = await page.evaluate(() => [
      window.__getlab.topology.nodeOnPage('GM-2')!,
      window.__getlab.topology.nodeOnPage('GM-1')!,
    ]);
    return [Math.round(a!.x - b!.x), Math.round(a!.y - b!.y)];
  };
  const before = await drawnFromGm1();
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 70, from.y + 30, { steps: 8 });
  await page.mouse.up();
  await historyIs(page, 1, 0);
  const moved = positionOf(await scenarioText(page), 'GM-2');
  expect(positionOf(shipped, 'GM-2')).toEqual({ x: 330, y: 140 });
  expect(moved?.x).toBeGreaterThan(330);
  expect(moved?.y).toBeGreaterThan(140);
  // A move is not re-simulated: the same lab, at the same moment.
  expect(await page.evaluate(() => window.__getlab.editor.labSerial())).toBe(serial);
  expect(await page.evaluate(() => window.__getlab.editor.now())).toBe(20_000_000);
  await expect.poll(() => savedPosition(page, 'GM-2'), { timeout: 15_000 }).toEqual(moved);

  // Undo puts it back, in the file (byte for byte) and on the canvas; redo moves it again.
  await page.keyboard.press('Control+z');
  await historyIs(page, 0, 1);
  expect(await scenarioText(page)).toBe(shipped);
  // Within 2 px: the canvas draws at sub-pixel positions.
  await expect
    .poll(async () => Math.max(...(await drawnFromGm1()).map((v, i) => Math.abs(v - before[i]!))))
    .toBeLessThanOrEqual(2);
  await page.keyboard.press('Control+y');
  await historyIs(page, 1, 0);
  expect(positionOf(await scenarioText(page), 'GM-2')).toEqual(moved);
  expect(await page.evaluate(() => window.__getlab.editor.labSerial())).toBe(serial);
  await expect.poll(() => savedPosition(page, 'GM-2'), { timeout: 15_000 }).toEqual(moved);

  // A reload opens the saved lab with the device where it was moved.
  await page.reload();
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  await page.waitForFunction(() => window.__getlab?.editor?.scenarioText() !== undefined);
  expect(positionOf(await scenarioText(page), 'GM-2')).toEqual(moved);
  expect(errors).toEqual([]);
});
