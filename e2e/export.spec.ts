// A bridge to real routers (issue 17): the page exports the lab as it is now as a Cisco Modeling Labs 2.x
// topology (IOSv nodes with their configurations, interfaces, links, positions) and as one configuration text
// file per device in one .zip. A lab CML cannot take is refused with the reason.
import { readFileSync } from 'node:fs';
import { type Download, expect, type Locator, type Page, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'yaml';
import { collectErrors, openLab, run } from './helpers';

const REFERENCE = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const DEVICES = ['KS', 'Central', 'SP', 'GM-1', 'GM-2'];
const STEM = 'get-vpn-rekey-using-multicast-over-dmvpn';

interface Topology {
  lab: { title: string; version: string };
  nodes: {
    id: string;
    label: string;
    node_definition: string;
    x: number;
    y: number;
    configuration: string;
    interfaces: { id: string; label: string; type: string }[];
  }[];
  links: { id: string; n1: string; i1: string; n2: string; i2: string; label: string }[];
}

/** The Share… popover's "For real routers" section, beside "Export scenario file". */
async function openExport(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Share…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Share this lab' });
  await expect(dialog).toBeVisible();
  const section = dialog.getByRole('region', { name: 'For real routers' });
  await expect(section).toBeVisible();
  return section;
}

async function save(page: Page, button: Locator): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return download;
}

test('Export to CML (YAML): every node with its config and interfaces, every link, a console change included', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  // A change typed at a console is part of the lab as it is now.
  for (const line of [
    'configure terminal',
    'interface Loopback7',
    'ip address 7.7.7.7 255.255.255.255',
    'end',
  ])
    await run(page, 'GM-2', line);
  const dialog = await openExport(page);
  await page.screenshot({ path: 'test-results/export-menu.png' });
  const download = await save(page, dialog.getByRole('button', { name: 'Export to CML (YAML)' }));
  expect(download.suggestedFilename()).toBe(`${STEM}.cml.yaml`);
  const topology = parse(readFileSync((await download.path())!, 'utf8')) as Topology;

  expect(topology.lab.title).toBe('GET VPN rekey using multicast over DMVPN');
  expect(topology.nodes.map((n) => n.label)).toEqual(DEVICES);
  const file = JSON.parse(REFERENCE) as { devices: { name: string; x: number; y: number }[] };
  for (const [i, n] of topology.nodes.entries()) {
    expect(n.node_definition).toBe('iosv');
    expect(n.configuration).toMatch(new RegExp(`^hostname ${n.label}$`, 'm'));
    expect({ x: n.x, y: n.y }).toEqual({ x: file.devices[i]!.x, y: file.devices[i]!.y });
    expect(n.interfaces.some((f) => f.type === 'physical' && /^GigabitEthernet0\/\d+$/.test(f.label))).toBe(
      true,
    );
  }
  const gm2 = topology.nodes.find((n) => n.label === 'GM-2')!;
  expect(gm2.configuration).toMatch(/^interface Loopback7\n ip address 7\.7\.7\.7 255\.255\.255\.255$/m);
  // Four cables, each between two nodes' interfaces that exist.
  expect(topology.links).toHaveLength(4);
  for (const l of topology.links) {
    for (const [node, iface] of [
      [l.n1, l.i1],
      [l.n2, l.i2],
    ] as const)
      expect(topology.nodes.find((n) => n.id === node)?.interfaces.map((f) => f.id)).toContain(iface);
  }
  expect(topology.links.map((l) => l.label)).toContain('KS-GigabitEthernet0/0<->Central-GigabitEthernet0/0');
  await expect(page.getByRole('status', { name: 'Notices' })).toContainText(`Saved ${STEM}.cml.yaml`);
  expect(errors).toEqual([]);
});

test('Export configs: one .zip with one <device>.txt per device, each its running configuration', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openLab(page);
  const dialog = await openExport(page);
  const download = await save(page, dialog.getByRole('button', { name: 'Export configs (.zip)' }));
  expect(download.suggestedFilename()).toBe(`${STEM}-configs.zip`);
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  expect(Object.keys(files).sort()).toEqual(DEVICES.map((d) => `${d}.txt`).sort());
  for (const d of DEVICES) {
    const text = strFromU8(files[`${d}.txt`]!);
    // The running configuration as the page has it (`show running-config`'s layout), with its hostname line.
    expect(text).toMatch(new RegExp(`^hostname ${d}$`, 'm'));
    expect(text).toMatch(/^end$/m);
  }
  expect(strFromU8(files['GM-2.txt']!)).toContain('ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
  expect(errors).toEqual([]);
});

test('a lab CML cannot take is refused with the reason, and nothing is saved', async ({ page }) => {
  const errors = collectErrors(page);
  await openLab(page);
  // SP with 17 physical interfaces: an IOSv node has 16.
  const file = JSON.parse(REFERENCE) as { devices: { name: string; config: string }[] };
  const sp = file.devices.find((d) => d.name === 'SP')!;
  const extra = [2, 3, 4, 5].flatMap((slot) =>
    [0, 1, 2, 3].map((p) => `interface Serial${slot}/${p}\n shutdown\n!`),
  );
  sp.config = sp.config.replace('\nend', `\n${extra.slice(0, 14).join('\n')}\nend`);
  await page.getByLabel('Open scenario file').setInputFiles({
    name: 'too-many-ports.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByRole('combobox', { name: 'Scenario' })).toContainText('File: too-many-ports.json');
  const dialog = await openExport(page);
  let saved = false;
  page.on('download', () => {
    saved = true;
  });
  await dialog.getByRole('button', { name: 'Export to CML (YAML)' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This lab cannot be exported to CML: SP has 17 physical interfaces; an IOSv node has 16.',
  );
  expect(saved).toBe(false);
  await page.screenshot({ path: 'test-results/export-refused.png' });
  // The configs are plain text: they can still be exported.
  const download = await save(page, dialog.getByRole('button', { name: 'Export configs (.zip)' }));
  expect(Object.keys(unzipSync(new Uint8Array(readFileSync((await download.path())!))))).toHaveLength(5);
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  expect(saved).toBe(true);
  expect(errors).toEqual([]);
});
