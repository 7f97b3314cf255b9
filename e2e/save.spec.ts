// Issue 13 items 7, 9, 10 and issue 15 "Share and save": links and reloads bring back the whole session, edits
// are never lost (config mode, rewinds, shipped labs, two tabs), bad links are refused, a busy worker is stopped.
import { type Page, expect, test } from '@playwright/test';
import { collectErrors, openLab, run, runTo, scrub } from './helpers';

/** The page's localStorage as these tests read it (the e2e project compiles without the DOM library). */
interface PageStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
}

/** Whether a lab's saved work (`lab`: its key, else any lab's) in localStorage has configs containing `text`. */
function savedHas(page: Page, text: string, lab?: string): Promise<boolean> {
  return page.evaluate(
    ([t, only]) => {
      const localStorage = (globalThis as unknown as { localStorage: PageStorage }).localStorage;
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i) ?? '';
        if (!key.startsWith('getlab:save:') || (only && key !== `getlab:save:${only}`)) continue;
        const rec = JSON.parse(localStorage.getItem(key) ?? '{}') as { scenario?: string };
        if (rec.scenario?.includes(t)) return true;
      }
      return false;
    },
    [text, lab] as const,
  );
}

async function expectSaved(page: Page, text: string, saved = true, lab?: string): Promise<void> {
  await expect.poll(() => savedHas(page, text, lab), { timeout: 15_000 }).toBe(saved);
}

const REFERENCE_KEY = 'shipped:getvpn-multicast-rekey.json';

/** The device's running-config, through its console. */
async function runningConfig(page: Page, device: string): Promise<string> {
  await run(page, device, 'show running-config');
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('Current configuration', { timeout: 15_000 });
  await expect(out).toContainText(/\nend\n/, { timeout: 15_000 });
  return (await out.textContent()) ?? '';
}

type Point = { x: number; y: number };

function topology(page: Page, fn: 'nodeOnPage' | 'modelPosition', id: string): Promise<Point | undefined> {
  return page.evaluate(
    ([f, d]) => {
      const w = globalThis as unknown as {
        __getlab?: { topology?: Record<string, (id: string) => Point | undefined> };
      };
      return w.__getlab?.topology?.[f]?.(d);
    },
    [fn, id] as const,
  );
}

const LOOPBACK = ['configure terminal', 'interface Loopback99', 'ip address 10.99.99.1 255.255.255.255'];

test('a share link brings back the time, faults, dragged positions, panels and lesson step', async ({
  page,
  browser,
  context,
}) => {
  const errors = collectErrors(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(page);
  await runTo(page, 40);
  await page.getByRole('tab', { name: 'Faults' }).click();
  await page.getByRole('switch', { name: 'GM-1 remove ip mroute' }).click();
  await expect(page.getByRole('tab', { name: 'Faults (1)' })).toBeVisible();

  // Drag GM-1 on the canvas.
  const from = await topology(page, 'nodeOnPage', 'GM-1');
  expect(from).toBeDefined();
  const before = (await topology(page, 'modelPosition', 'GM-1'))!;
  await page.mouse.move(from!.x, from!.y);
  await page.mouse.down();
  await page.mouse.move(from!.x + 60, from!.y + 40, { steps: 6 });
  await page.mouse.up();
  // The drag is saved with the session: the position recorded is where GM-1 is drawn.
  const savedAt = async (): Promise<number[] | undefined> =>
    page.evaluate(() => {
      const rec = JSON.parse(
        (globalThis as unknown as { localStorage: PageStorage }).localStorage.getItem(
          'getlab:save:shipped:getvpn-multicast-rekey.json',
        ) ?? '{}',
      ) as { session?: { positions?: [string, number, number][] } };
      const p = rec.session?.positions?.find(([d]) => d === 'GM-1');
      return p ? [p[1], p[2]] : undefined;
    });
  await expect.poll(savedAt).toBeDefined();
  const [savedX, savedY] = (await savedAt())!;
  expect(Math.hypot(savedX! - before.x, savedY! - before.y)).toBeGreaterThan(20);

  // Hide the devices panel.
  const devicesToggle = page.getByRole('group', { name: 'Panels' }).getByRole('button', { name: 'Devices' });
  await devicesToggle.click();
  await expect(devicesToggle).toHaveAttribute('aria-pressed', 'false');

  await page.getByRole('button', { name: 'Lessons' }).click();
  await page.getByRole('button', { name: /^Step 3:/ }).click();
  await expect(page.getByRole('button', { name: /^Step 3:/ })).toHaveAttribute('aria-current', 'step');

  await page.getByRole('button', { name: 'Share…' }).click();
  const linkBox = page.getByRole('textbox', { name: 'Share link' });
  await expect(linkBox).toHaveValue(/#lab=.*&state=/);
  const link = await linkBox.inputValue();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText('Link copied');
  expect(
    await page.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    ),
  ).toBe(link);

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const otherErrors = collectErrors(other);
  await other.setViewportSize({ width: 1280, height: 720 });
  await other.goto(link);
  await expect(other.locator('.clock-seconds')).toHaveText('t = 40.000000 s', { timeout: 60_000 });
  await expect(other.getByRole('tab', { name: 'Faults (1)' })).toHaveAttribute('aria-selected', 'true');
  await expect(other.getByRole('button', { name: /^Step 3:/ })).toHaveAttribute('aria-current', 'step');
  const otherDevices = other.getByRole('group', { name: 'Panels' }).getByRole('button', { name: 'Devices' });
  await expect(otherDevices).toHaveAttribute('aria-pressed', 'false');
  await otherDevices.click();
  // Where the drag put GM-1, before the projector spread (within a unit of rounding).
  await expect
    .poll(async () => {
      const p = await topology(other, 'modelPosition', 'GM-1');
      return p ? Math.max(Math.abs(p.x - savedX!), Math.abs(p.y - savedY!)) : undefined;
    })
    .toBeLessThan(1.5);
  // The fault's console lines came with the configs: GM-1 has no ip mroute.
  expect(await runningConfig(other, 'GM-1')).not.toMatch(/^ip mroute/m);
  // Once in saved work, the link leaves the address bar: a reload shows the (edited) saved lab.
  await expect.poll(() => other.url()).not.toContain('#lab=');
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
  await fresh.close();
});

test('edits are never lost: config mode without end, reloads of a shared lab, rewinds, shipped labs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await openLab(page);
  await page.getByRole('button', { name: 'Share…' }).click();
  const linkBox = page.getByRole('textbox', { name: 'Share link' });
  await expect(linkBox).toHaveValue(/#lab=/);
  const link = await linkBox.inputValue();

  // A shared lab, edited in configuration mode without `end`, survives a reload.
  await page.goto('about:blank');
  await page.goto(link);
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('Shared lab');
  for (const line of LOOPBACK) await run(page, 'GM-2', line);
  await expectSaved(page, 'interface Loopback99');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('Saved lab (your edits)');
  expect(await runningConfig(page, 'GM-2')).toContain('interface Loopback99');

  // A rewind to before an edit undoes it, in the saved work too.
  await runTo(page, 20);
  for (const line of [
    'configure terminal',
    'interface Loopback77',
    'ip address 10.77.77.1 255.255.255.255',
    'end',
  ])
    await run(page, 'GM-2', line);
  await expectSaved(page, 'interface Loopback77');
  await scrub(page, 10);
  await expectSaved(page, 'interface Loopback77', false);
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('Saved lab (your edits)');
  const config = await runningConfig(page, 'GM-2');
  expect(config).toContain('interface Loopback99');
  expect(config).not.toContain('interface Loopback77');

  // Choosing a shipped lab that has saved edits asks first; Cancel opens the edits, OK discards them.
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Reference lab (completed)' });
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  for (const line of [...LOOPBACK, 'end']) await run(page, 'GM-1', line);
  await expectSaved(page, 'interface Loopback99', true, REFERENCE_KEY);
  const dialogs: string[] = [];
  page.once('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Article as printed' });
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Reference lab (completed)' });
  await expect.poll(() => dialogs.length).toBe(1);
  expect(dialogs[0]).toContain('You have saved edits of “Reference lab (completed)”');
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('Saved lab (your edits)');
  expect(await runningConfig(page, 'GM-1')).toContain('interface Loopback99');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('combobox', { name: 'Scenario' }).selectOption({ label: 'Reference lab (completed)' });
  await expect(page.getByRole('combobox', { name: 'Scenario' })).not.toContainText('Saved lab (your edits)');
  expect(await runningConfig(page, 'GM-1')).not.toContain('interface Loopback99');
});

test('two tabs: a save in one is announced in the other instead of being overwritten', async ({
  page,
  context,
}) => {
  await openLab(page);
  const other = await context.newPage();
  await other.setViewportSize({ width: 1280, height: 720 });
  await other.goto('/');
  await expect(other.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();

  for (const line of [...LOOPBACK, 'end']) await run(page, 'GM-2', line);
  await expectSaved(page, 'interface Loopback99');
  const banner = other.getByRole('alert').filter({ hasText: 'Another tab saved edits' });
  await expect(banner).toBeVisible();
  // The other tab does not save over them meanwhile.
  await other.getByRole('tab', { name: 'Multicast' }).click();
  await expectSaved(page, 'interface Loopback99');
  await banner.getByRole('button', { name: 'Open the other tab’s edits' }).click();
  await expect(banner).toBeHidden();
  expect(await runningConfig(other, 'GM-2')).toContain('interface Loopback99');
});

test('a link that inflates past the limit is refused with a message, and the page goes on', async ({
  page,
}) => {
  const errors = collectErrors(page, (t) => t.includes('Failed to load resource'));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  // 64 MB of zeros: about 64 KB of link.
  const bomb = await page.evaluate(async () => {
    let sent = 0;
    const zeros = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull(c) {
        if (sent++ < 64) c.enqueue(new Uint8Array(1024 * 1024));
        else c.close();
      },
    });
    const packed = new Uint8Array(
      await new Response(zeros.pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    let s = '';
    for (const b of packed) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  });
  await page.goto(`/#lab=${bomb}`);
  await page.reload();
  await expect(page.getByText(/The lab in this link is larger than 16 MB once unpacked/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'GM-1', exact: true })).toBeVisible();
  await run(page, 'KS', 'show clock');
  await expect(page.getByTestId('console-output')).toContainText('UTC');
  expect(errors).toEqual([]);
});

test('a long ping can be stopped (Ctrl+Shift+6 or Stop) and the lab comes back with its edits', async ({
  page,
}) => {
  await openLab(page);
  for (const line of [...LOOPBACK, 'end']) await run(page, 'GM-2', line);
  await expectSaved(page, 'interface Loopback99');
  await runTo(page, 30);
  await run(page, 'GM-1', 'ping 1.1.1.1 repeat 100000');
  const busy = page.getByRole('alert').filter({ hasText: 'The simulator is busy' });
  await expect(busy).toBeVisible();
  await page.getByRole('textbox', { name: 'Console input for GM-1' }).press('Control+Shift+Digit6');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(
    'Stopped: the simulator was restarted with your lab',
  );
  await expect(busy).toBeHidden();
  await expect(page.locator('.clock-seconds')).toHaveText('t = 30.000000 s', { timeout: 30_000 });
  expect(await runningConfig(page, 'GM-2')).toContain('interface Loopback99');

  // And the Stop button does the same.
  await run(page, 'GM-1', 'ping 1.1.1.1 repeat 100000');
  await busy.getByRole('button', { name: 'Stop (Ctrl+Shift+6)' }).click();
  await expect(busy).toBeHidden();
  // The lab reopens (its consoles start afresh): once it has, the console answers. Each try is short: until the
  // reopened session is restored it selects GM-1 again, and a console input waited for would never come.
  await expect(async () => {
    await page.getByRole('button', { name: 'KS', exact: true }).click({ timeout: 2000 });
    const input = page.getByRole('textbox', { name: 'Console input for KS' });
    await input.fill('show clock', { timeout: 2000 });
    await input.press('Enter', { timeout: 2000 });
    await expect(page.getByTestId('console-output')).toContainText('UTC', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  // The restart has brought the lab back to the moment it was stopped at.
  await expect(page.locator('.clock-seconds')).toHaveText('t = 30.000000 s', { timeout: 30_000 });
  expect(await runningConfig(page, 'GM-2')).toContain('interface Loopback99');
});

test('an exported pcap says what part of the history it holds', async ({ page }) => {
  await openLab(page);
  await runTo(page, 20);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export pcap' }).click();
  await download;
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(
    /The pcap holds [\d,]+ frames, t = 0\.\d{3} s to 1?\d\.\d{3} s: every frame since the lab started\./,
  );
  const keylog = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Keylog' }).click();
  await keylog;
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(
    /The keylog holds \d+ ESP SAs?: every one the routers installed since the lab started\./,
  );
});

test('a worker crash is shown with what happened, and one click restarts the lab with its edits', async ({
  page,
}) => {
  await openLab(page);
  for (const line of [...LOOPBACK, 'end']) await run(page, 'GM-2', line);
  await expectSaved(page, 'interface Loopback99');
  await runTo(page, 15);
  // An uncaught error inside the simulation worker: the page sees the worker's `error` event.
  const worker = page.workers().find((w) => w.url().includes('sim.worker'));
  expect(worker).toBeDefined();
  await worker!.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated crash');
    });
  });
  const banner = page.getByRole('alert').filter({ hasText: 'The simulator crashed' });
  await expect(banner).toContainText('simulated crash');
  await banner.getByRole('button', { name: 'Restart the simulator with my lab' }).click();
  await expect(banner).toBeHidden();
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(
    'The simulator was restarted with your lab (edits kept).',
  );
  await expect(page.locator('.clock-seconds')).toHaveText('t = 15.000000 s', { timeout: 30_000 });
  expect(await runningConfig(page, 'GM-2')).toContain('interface Loopback99');
});
