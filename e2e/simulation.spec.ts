/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, so these specs see the DOM types.
// Issue 14: simulation mode shows exactly what it says. The canvas is read through the animator's read-only
// debug handle (`window.__getlab.animator.snapshot()`), never through pixels; counts are compared with the typed
// events (the IOS log lines the worker classified) at fixed times.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, filterOn, openLab, run, runTo, scrub } from './helpers';

interface Snapshot {
  mode: 'flow' | 'step';
  stepSeqs: number[];
  onCanvas: {
    seq: number;
    t: number;
    kind: string;
    from: string;
    to?: string;
    protocol: string;
    layers: string[];
  }[];
  callouts: { seq: number; t: number; device: string; code?: string; reason: string }[];
  labelled: number;
  faded: boolean;
  positions: { seq: number; x: number; y: number }[];
  hover?: number;
}

const snapshot = (page: Page): Promise<Snapshot> =>
  page.evaluate(() =>
    (
      window as unknown as { __getlab: { animator: { snapshot: () => Snapshot } } }
    ).__getlab.animator.snapshot(),
  );

const SECOND = 1_000_000;

async function simulationMode(page: Page): Promise<void> {
  await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Simulation' }).click();
}

/** Presses Next and waits for the step it shows (a new set of seqs on the canvas). */
async function next(page: Page): Promise<Snapshot> {
  const before = (await snapshot(page)).stepSeqs.join(' ');
  await page.getByRole('button', { name: 'Next event' }).click();
  await expect
    .poll(async () => (await snapshot(page)).stepSeqs.join(' '), { timeout: 30_000 })
    .not.toBe(before);
  return snapshot(page);
}

/** The event list rows marked as the current step, by seq. */
async function currentRows(page: Page): Promise<number[]> {
  const seqs = await page
    .getByTestId('events')
    .locator('tbody tr.current')
    .evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.seq)));
  return seqs.sort((a, b) => a - b);
}

test('stepping with each protocol filter draws only the selected event’s packets, and the list marks the same', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  await simulationMode(page);
  // In the order the reference lab first sends them: IKE main mode and GROUPKEY-PULL come in the first seconds.
  const filters: [string, string][] = [
    ['ISAKMP', 'isakmp'],
    ['GDOI', 'gdoi'],
    ['NHRP', 'nhrp'],
    ['PIM', 'pim'],
    ['IGMP', 'igmp'],
    ['Auto-RP', 'autorp'],
    ['EIGRP', 'eigrp'],
    ['GRE', 'gre'],
    ['ESP', 'esp'],
  ];
  let drawn = 0;
  for (const [name, id] of filters) {
    await filterOn(page, name);
    for (let i = 0; i < 2; i++) {
      const s = await next(page);
      expect(s.mode).toBe('step');
      expect(s.stepSeqs.length).toBeGreaterThan(0);
      // Nothing on the canvas but the step's own packets, each carrying the filtered protocol.
      for (const hop of s.onCanvas) {
        expect(s.stepSeqs).toContain(hop.seq);
        expect(hop.layers, `${name}: ${hop.from} → ${hop.to ?? ''}`).toContain(id);
      }
      // One event per step: one device at one instant.
      expect(new Set(s.onCanvas.map((h) => `${h.from} ${h.t}`)).size).toBeLessThanOrEqual(1);
      drawn += s.onCanvas.length;
      await expect.poll(() => currentRows(page)).toEqual([...s.stepSeqs].sort((a, b) => a - b));
    }
  }
  expect(drawn).toBeGreaterThan(5);
  expect(errors).toEqual([]);
});

test('the GDOI filter finds the first registration, then the first rekey, and Central’s replication is one step', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  await simulationMode(page);
  await filterOn(page, 'GDOI');
  const first = await next(page);
  const events = page.getByTestId('events');
  await expect(events.locator('tbody tr.current').first()).toContainText('GROUPKEY-PULL');
  expect(first.onCanvas.every((h) => h.protocol === 'gdoi')).toBe(true);
  const t = Number((await page.locator('.clock-seconds').textContent())?.match(/[\d.]+/)?.[0]);
  expect(t).toBeLessThan(10);

  await runTo(page, 300);
  let rekey: Snapshot | undefined;
  for (let i = 0; i < 20 && !rekey; i++) {
    const s = await next(page);
    if ((await events.locator('tbody tr.current[data-kind="rekey-sent"]').count()) > 0) rekey = s;
  }
  expect(rekey).toBeDefined();
  await expect(events.locator('tbody tr.current[data-kind="rekey-sent"]')).toContainText('KS');
  expect(rekey?.onCanvas.map((h) => [h.from, h.to, h.protocol])).toEqual([['KS', 'Central', 'gdoi']]);

  // The hub replicates the push onto each spoke: one step, one copy per spoke on the tunnel (ESP ⊃ GRE ⊃ GDOI on
  // the provider link).
  const fanout = await next(page);
  const overlay = fanout.onCanvas.filter((h) => h.kind === 'overlay');
  expect(overlay.map((h) => h.to).sort()).toEqual(['GM-1', 'GM-2']);
  expect(
    fanout.onCanvas.filter((h) => h.kind === 'link').every((h) => h.layers.join('/') === 'esp/gre/gdoi'),
  ).toBe(true);
  expect(new Set(fanout.onCanvas.map((h) => h.from))).toEqual(new Set(['Central']));
  await page.screenshot({ path: 'test-results/simulation-fanout.png' });

  // Back returns exactly one step: the KS's push again, on the canvas alone.
  await page.getByRole('button', { name: 'Previous event' }).click();
  await expect.poll(async () => (await snapshot(page)).stepSeqs).toEqual(rekey?.stepSeqs);
  expect((await snapshot(page)).onCanvas.map((h) => h.from)).toEqual(['KS']);
  expect(errors).toEqual([]);
});

/**
 * The KS's rekeys as its log buffer holds them: the lines `show logging | include Sending Multicast Rekey` adds to
 * the console (IOS regex: `_` is a delimiter, not a character, so the message code itself is not the filter).
 */
async function ksRekeysLogged(page: Page): Promise<number> {
  const output = page.getByTestId('console-output');
  await page.getByRole('button', { name: 'KS', exact: true }).click();
  const count = async (): Promise<number> =>
    ((await output.textContent()) ?? '').split('%GDOI-5-KS_SEND_MCAST_REKEY').length - 1;
  const before = await count();
  await run(page, 'KS', 'show logging | include Sending Multicast Rekey');
  await expect.poll(count).toBeGreaterThan(before);
  return (await count()) - before;
}

test('timeline markers count the typed events: 3 registrations at 10 s, the KS log’s rekeys at 700 s', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  const timeline = page.getByTestId('timeline');
  await runTo(page, 10);
  await expect(timeline).toContainText('Registration (3)');
  // The typed events themselves: the event list filtered to the members' registration syslog.
  await page.getByRole('searchbox', { name: 'Filter events' }).fill('GM_REGS_COMPL');
  await expect(page.getByTestId('events').locator('tbody tr[data-kind="registration"]')).toHaveCount(3);
  await expect(timeline).toContainText('Rekey (0)');

  await runTo(page, 700);
  const sent = await ksRekeysLogged(page);
  expect(sent).toBeGreaterThan(1);
  await expect(timeline).toContainText(`Rekey (${sent})`);
  await expect(timeline).toContainText('Registration (3)');
  expect(errors).toEqual([]);
});

test('a direct Run to 700 s marks every registration and rekey, not only those of the records the page got', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  await runTo(page, 700);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('Registration (3)');
  // The event list holds the newest records only: the members' registrations at about 2 s are not among them.
  await page.getByRole('searchbox', { name: 'Filter events' }).fill('GM_REGS_COMPL');
  await expect(page.getByTestId('events').locator('tbody tr[data-kind="registration"]')).toHaveCount(0);
  // The KS's console, open since the lab loaded, printed every rekey message, as the timeline counts them.
  await page.getByRole('button', { name: 'KS', exact: true }).click();
  const printed =
    ((await page.getByTestId('console-output').textContent()) ?? '').split('%GDOI-5-KS_SEND_MCAST_REKEY')
      .length - 1;
  const logged = await ksRekeysLogged(page);
  expect(printed).toBe(logged);
  await expect(timeline).toContainText(`Rekey (${logged})`);
  expect(errors).toEqual([]);
});

test('a drop callout belongs to its moment: none older than the current window after Run to and a scrub', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openLab(page);
  // Played from t = 0, the hub's first IGMP report is dropped (no spoke registered yet): its callout shows.
  await page.getByRole('button', { name: /Play/ }).click();
  await expect
    .poll(async () => (await snapshot(page)).callouts.map((c) => c.code), { timeout: 20_000 })
    .toContain('no-nhrp-multicast');
  await page.getByRole('button', { name: /Pause/ }).click();
  for (const t of [20, 60, 70, 302]) {
    await runTo(page, t);
    const s = await snapshot(page);
    expect(s.callouts.filter((c) => c.t < t * SECOND)).toEqual([]);
    expect(s.onCanvas.filter((h) => h.t < t * SECOND)).toEqual([]);
  }
  await scrub(page, 5);
  expect((await snapshot(page)).callouts).toEqual([]);
  expect(errors).toEqual([]);
});

test('a packet on the canvas can be hovered and clicked: it selects its event and opens the inspector', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const errors = collectErrors(page);
  await openLab(page);
  await simulationMode(page);
  await filterOn(page, 'GDOI');
  await next(page);
  // Parked at the receiver once moved: the same place in two reads.
  let at: { seq: number; x: number; y: number } | undefined;
  await expect
    .poll(async () => {
      const a = (await snapshot(page)).positions[0];
      await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => r(true))));
      const b = (await snapshot(page)).positions[0];
      at = b;
      return a !== undefined && b !== undefined && a.x === b.x && a.y === b.y;
    })
    .toBe(true);
  const box = await page.getByTestId('packet-canvas').boundingBox();
  if (!box || !at) throw new Error('no canvas or packet');
  // Labelled with its protocol while few packets are in flight.
  expect((await snapshot(page)).labelled).toBeGreaterThan(0);
  await page
    .getByTestId('inspector-tab')
    .or(page.getByRole('tab', { name: 'Inspector' }))
    .first()
    .click();
  await page.getByRole('button', { name: 'Next event' }).hover();
  await page.mouse.move(box.x + at.x, box.y + at.y);
  await expect.poll(async () => (await snapshot(page)).hover).toBe(at.seq);
  await page.mouse.click(box.x + at.x, box.y + at.y);
  const row = page.getByTestId('events').locator('tbody tr.selected');
  await expect(row).toHaveAttribute('data-seq', String(at.seq));
  await expect(
    page.getByText('Internet Security Association and Key Management Protocol').first(),
  ).toBeVisible();
  expect(errors).toEqual([]);
});

test('Play in simulation mode steps through matching events at a readable pace; realtime at 100× fades packets', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const errors = collectErrors(page);
  await openLab(page);
  await simulationMode(page);
  await filterOn(page, 'PIM');
  await page.getByRole('button', { name: /Play$/ }).click();
  const seen = new Set<string>();
  await expect
    .poll(
      async () => {
        const s = await snapshot(page);
        if (s.mode === 'step') seen.add(s.stepSeqs.join(' '));
        for (const h of s.onCanvas) expect(h.layers).toContain('pim');
        return seen.size;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(3);
  await page.getByRole('button', { name: /Pause$/ }).click();

  // Realtime at 100×: the flow shows again, faded near the devices and without labels over node names.
  await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Realtime' }).click();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  await page.getByRole('button', { name: /Play$/ }).click();
  await expect
    .poll(
      async () => {
        const s = await snapshot(page);
        return s.mode === 'flow' && s.positions.length > 0 && s.faded && s.labelled === 0;
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  await page.getByRole('button', { name: /Pause$/ }).click();
  expect(errors).toEqual([]);
});
