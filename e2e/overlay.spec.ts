/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, so these specs see the DOM types.
// Issue 3 (page) and issue 6 item 1: the DMVPN overlay drawn apart from the physical links, the layer switch,
// and packets animated hop by hop on the right links.
import { expect, test } from '@playwright/test';
import { collectErrors, openLab, run, scrub } from './helpers';

test('the tunnel overlay appears as spokes register and the layer switch shows underlay, overlay or both', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  const topo = page.getByTestId('topology');
  // The spokes' static maps and registrations give the hub–spoke edges; no spoke–spoke tunnel yet.
  await expect(topo).toHaveAttribute(
    'data-overlay',
    'Central Tunnel10==GM-1 Tunnel10;Central Tunnel10==GM-2 Tunnel10',
  );
  await expect(topo).toHaveAttribute('data-underlay', /GM-1 Serial1\/0--SP Serial1\/1/);
  await expect(topo).not.toHaveAttribute('data-underlay', /Tunnel10/);
  // A short NHRP holdtime so the dynamic tunnel expires within the test.
  for (const spoke of ['GM-1', 'GM-2']) {
    for (const line of ['configure terminal', 'interface Tunnel10', 'ip nhrp holdtime 60', 'end']) {
      await run(page, spoke, line);
    }
  }
  // Let EIGRP converge first: the timeline runs the lab ahead to 30 s.
  await scrub(page, 30);
  await run(page, 'GM-1', 'ping 192.168.100.3');
  await expect(page.getByTestId('console-output')).toContainText('Success rate is 100 percent', {
    timeout: 20_000,
  });
  await expect(topo).toHaveAttribute('data-overlay', /GM-1 Tunnel10==GM-2 Tunnel10/);
  await page.screenshot({ path: 'test-results/overlay-spoke-spoke.png' });
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  await page.getByRole('button', { name: /Play/ }).click();
  await expect(topo).not.toHaveAttribute('data-overlay', /GM-1 Tunnel10==GM-2 Tunnel10/, { timeout: 30_000 });
  await expect(topo).toHaveAttribute('data-overlay', /Central Tunnel10==GM-2 Tunnel10/);
  await page.getByRole('button', { name: /Pause/ }).click();
  await page.screenshot({ path: 'test-results/overlay-both.png' });

  const layers = page.getByRole('radiogroup', { name: 'Layers shown' });
  await layers.getByRole('radio', { name: 'Overlay' }).click();
  await expect(layers.getByRole('radio', { name: 'Overlay' })).toHaveAttribute('aria-checked', 'true');
  // The overlay view hides the provider cloud and the WAN links through it; the KS LAN stays.
  await expect(topo).not.toHaveAttribute('data-underlay', /SP/);
  await expect(topo).toHaveAttribute('data-underlay', /KS FastEthernet1\/0--Central FastEthernet0\/0/);
  await expect(topo).toHaveAttribute('data-overlay', /GM-2/);
  await page.screenshot({ path: 'test-results/overlay-only.png' });

  await layers.getByRole('radio', { name: 'Underlay' }).click();
  await expect(topo).toHaveAttribute('data-overlay', '');
  await expect(topo).toHaveAttribute('data-underlay', /SP Serial1\/2/);
  await page.screenshot({ path: 'test-results/overlay-underlay.png' });
  expect(errors).toEqual([]);
});

test('packets move on the canvas: GRE/ESP frames on physical links, inner packets on the tunnel, drops stop with a reason', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  const canvas = page.getByTestId('packet-canvas');
  const caption = page.getByTestId('packet-caption');
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('100');
  await page.getByRole('button', { name: /Play/ }).click();
  // Hub hellos are replicated per spoke: the inner EIGRP packet goes on each tunnel edge. (Boot is busy —
  // registrations, IGMP, PIM — so the first hub hello can take a while to reach the head of the queue.)
  await expect(caption).toContainText(/Central → GM-[12] \(tunnel\) EIGRP/, { timeout: 45_000 });
  await page.screenshot({ path: 'test-results/animation-tunnel.png' });
  await expect(caption).toContainText(/→ SP \(link\) (ESP|GRE ⊃ )/, { timeout: 20_000 });
  await page.screenshot({ path: 'test-results/animation-link.png' });
  await page.getByRole('button', { name: /Pause/ }).click();
  expect(Number(await canvas.getAttribute('data-overlay'))).toBeGreaterThan(0);
  expect(Number(await canvas.getAttribute('data-link'))).toBeGreaterThan(0);

  // A ping to an unrouted address is dropped at the provider: the packet stops there with its reason.
  await run(page, 'GM-1', 'ping 9.9.9.9 repeat 1');
  await expect(caption).toContainText('✕ SP dropped ICMP: no route to 9.9.9.9', { timeout: 20_000 });
  await expect(canvas).toHaveAttribute('data-drop', /[1-9]/);
  await page.screenshot({ path: 'test-results/animation-drop.png' });
  await expect(page.getByRole('list', { name: 'Protocol colours' })).toContainText('EIGRP');
  expect(errors).toEqual([]);
});

test('a hub hello is replicated: copies fan out to both spokes in one step', async ({ page }) => {
  await openLab(page);
  await page.getByRole('radiogroup', { name: 'Mode' }).getByRole('radio', { name: 'Simulation' }).click();
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  await page.getByRole('checkbox', { name: 'EIGRP' }).check();
  await page.getByRole('button', { name: 'Protocol filter' }).click();
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('1000');
  const caption = page.getByTestId('packet-caption');
  // Step until the hub's hello into Tunnel10 plays: both spokes in the same step.
  // The animator's read-only handle says which step the canvas shows: each Next is waited for on it.
  const shownStep = (): Promise<string> =>
    page.evaluate(() =>
      (
        window as unknown as { __getlab: { animator: { snapshot: () => { stepSeqs: number[] } } } }
      ).__getlab.animator
        .snapshot()
        .stepSeqs.join(' '),
    );
  for (let i = 0; i < 30; i++) {
    const before = await shownStep();
    await page.getByRole('button', { name: 'Next event' }).click();
    await expect.poll(shownStep).not.toBe(before);
    const text = (await caption.textContent()) ?? '';
    if (text.includes('Central → GM-1 (tunnel)') && text.includes('Central → GM-2 (tunnel)')) break;
  }
  await expect(caption).toContainText('Central → GM-1 (tunnel) EIGRP');
  await expect(caption).toContainText('Central → GM-2 (tunnel) EIGRP');
  // Both copies drawn on the canvas (the step stays parked at the spokes until the next one).
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (
            window as unknown as { __getlab: { animator: { snapshot: () => { positions: unknown[] } } } }
          ).__getlab.animator.snapshot().positions.length,
      ),
    )
    .toBeGreaterThanOrEqual(2);
  await page.screenshot({ path: 'test-results/animation-fanout.png' });
});
