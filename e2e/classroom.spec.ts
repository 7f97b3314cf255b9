// Issue 6 items 2 and 3, issue 4's page: simulation mode, the scrubbable timeline, the inspector, and the
// multicast view with the per-spoke ip mroute switch.
import { expect, test } from '@playwright/test';
import type { Page } from '@playwright/test';
import { collectErrors, openLab, run, scrub } from './helpers';

const clock = (page: Page) => page.locator('.clock-seconds');

test('simulation mode steps event by event with a protocol filter, and Back returns to the previous event', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Simulation' }).click();
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  await page.getByRole('checkbox', { name: 'PIM' }).check();
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  await expect(page.getByRole('button', { name: 'Protocol filter' })).toHaveText(/PIM/);

  await page.getByRole('button', { name: 'Next event' }).click();
  const events = page.getByTestId('events');
  const current = events.locator('tbody tr.current');
  await expect(current.first()).toBeVisible();
  await expect(current.first()).toContainText('PIM');
  // Only PIM rows are listed: the NHRP registrations before it are filtered out.
  await expect(events.locator('tbody tr', { hasText: 'NHRP' })).toHaveCount(0);
  const first = await clock(page).textContent();

  await page.keyboard.press('ArrowRight');
  await expect(clock(page)).not.toHaveText(first ?? '');
  const second = await clock(page).textContent();
  expect(Number(second?.match(/[\d.]+/)?.[0])).toBeGreaterThan(Number(first?.match(/[\d.]+/)?.[0]));

  await page.getByRole('button', { name: 'Previous event' }).click();
  await expect(clock(page)).toHaveText(first ?? '');
  await page.screenshot({ path: 'test-results/simulation-mode.png' });
  expect(errors).toEqual([]);
});

test('the timeline scrubs back: the lab is re-simulated with the typed commands replayed at their times', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await scrub(page, 30);
  for (const line of ['configure terminal', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1', 'end']) {
    await run(page, 'GM-2', line);
  }
  await scrub(page, 90);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toContainText('Configuration change (1)');
  await expect(timeline.getByRole('button', { name: /RPF drop at/ }).first()).toBeAttached();
  await page.screenshot({ path: 'test-results/timeline-markers.png' });

  await page.getByRole('tab', { name: 'Multicast' }).click();
  const gm2 = page.getByRole('switch', { name: 'GM-2 ip mroute' });
  await expect(gm2).toHaveAttribute('aria-checked', 'false');

  // Back to 40 s: after the command, which is replayed — the line is still gone.
  await scrub(page, 40);
  await expect(gm2).toHaveAttribute('aria-checked', 'false');
  await expect(timeline).toContainText('Configuration change (1)');
  await expect(timeline).toContainText('RPF drop (0)');
  // Back to 20 s: before the command — the line is back, as the scenario had it.
  await scrub(page, 20);
  await expect(gm2).toHaveAttribute('aria-checked', 'true');
  await expect(timeline).toContainText('Configuration change (0)');
  expect(errors).toEqual([]);
});

test('the inspector shows a frame layer by layer and highlights the selected field in the hex view', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await scrub(page, 12);
  // The list puts only the rows near the view in the document (it follows the newest): the newest ESP row is in
  // view, where a first one may be above it and scrolling to it re-renders the list. Found once, clicked by seq.
  const esp = page.getByTestId('events').locator('tbody tr.ev-sent').filter({ hasText: 'ESP' }).last();
  const seq = await esp.getAttribute('data-seq');
  await page.getByTestId('events').locator(`tbody tr[data-seq="${seq}"]`).click();
  const inspector = page.getByTestId('inspector');
  await expect(inspector).toContainText('Internet Protocol Version 4');
  await expect(inspector).toContainText('Encapsulating Security Payload');
  const wire = inspector.getByRole('tree', { name: 'Packet layers', exact: true });
  await wire.getByRole('button', { name: /Time to Live/ }).click();
  const hex = page.getByTestId('hex-view').first();
  // TTL is one byte at offset 8: one byte highlighted in the hex column and one in the ASCII column.
  await expect(hex.locator('.hex-bytes .hl')).toHaveCount(1);
  await wire
    .getByRole('button', { name: /Source Address/ })
    .first()
    .click();
  await expect(hex.locator('.hex-bytes .hl')).toHaveCount(4);
  // The ESP is opened with the group TEK a router holds: the GRE packet inside, decoded from its bytes.
  await expect(inspector).toContainText(/Decrypted ESP \(SPI 0x[0-9a-f]{8}\) with the group TEK held by/);
  const inner = inspector.getByRole('tree', { name: 'Decrypted inner packet layers' });
  await expect(inner).toContainText('Generic Routing Encapsulation');
  await inner
    .getByRole('button', { name: /Time to Live/ })
    .first()
    .click();
  await expect(page.getByTestId('hex-view').nth(1).locator('.hex-bytes .hl')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/inspector.png' });
  expect(errors).toEqual([]);
});

test("the multicast view draws each router's RPF interface and the ip mroute switch edits GM-2's config", async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  await scrub(page, 30);
  await page.getByRole('tab', { name: 'Multicast' }).click();
  await page.getByRole('checkbox', { name: 'Draw RPF interfaces' }).check();
  const topo = page.getByTestId('topology');
  await expect(topo).toHaveAttribute('data-rpf', /RPF GM-2: Tu10 \(mroute\)/);
  await expect(topo).toHaveAttribute('data-rpf', /RPF Central: Fa0\/0/);
  await page.screenshot({ path: 'test-results/multicast-rpf.png' });

  const gm2 = page.getByRole('switch', { name: 'GM-2 ip mroute' });
  await expect(gm2).toHaveAttribute('aria-checked', 'true');
  await gm2.click();
  await expect(gm2).toHaveAttribute('aria-checked', 'false');
  // Without the static mroute GM-2's RPF towards the KS follows its default route out of the WAN.
  await expect(topo).toHaveAttribute('data-rpf', /RPF GM-2: Se1\/0/);
  await expect(page.getByRole('switch', { name: 'GM-1 ip mroute' })).toHaveAttribute('aria-checked', 'true');
  await run(page, 'GM-2', 'show running-config');
  const out = page.getByTestId('console-output');
  await expect(out).toContainText('GM-2(config)#no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  await expect(out).toContainText('Current configuration');
  expect(await out.textContent()).not.toMatch(/^ip mroute/m);

  // The article's failure: GM-2 drops the KS's Auto-RP on RPF; the packet stops with its reason.
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('10');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect(page.getByTestId('packet-caption')).toContainText(/✕ GM-2 dropped .*RPF check failed/, {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: /Pause/ }).click();
  await page.screenshot({ path: 'test-results/multicast-rpf-drop.png' });

  await page.getByRole('tab', { name: 'Multicast' }).click();
  await gm2.click();
  await expect(gm2).toHaveAttribute('aria-checked', 'true');
  await expect(topo).toHaveAttribute('data-rpf', /RPF GM-2: Tu10 \(mroute\)/);
  await expect(out).toContainText('GM-2(config)#ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  expect(errors).toEqual([]);
});
