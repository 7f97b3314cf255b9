// THE editor test (issue 17, "Done when"): the article's lab with a third spoke added through the editor's edits
// (add a spoke, link it to the provider with automatic addressing) boots into a working lab. The new spoke
// registers with the key server, its RPF interface toward the KS is the tunnel via the hub (the static
// `ip mroute` of the article's GM-1), and it receives the multicast rekey and holds the group's current TEK.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { gdoiView } from '../../protocols/gdoi/gdoi-view';
import { evaluateCheck } from '../checks';
import { generateHubSpokes } from '../generate';
import { type Lab, loadLab } from '../lab';
import { applyEdit } from './apply-edit';
import { edited } from './edit.test-support';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

/** Loads text into a lab that must have no error. */
function cleanLab(text: string): Lab {
  const { lab, problems } = loadLab(text);
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  if (!lab) throw new Error('no lab');
  return lab;
}

describe('a third spoke added to the article lab through the editor', () => {
  let lab: Lab;
  let text: string;
  beforeAll(async () => {
    const added = applyEdit(reference, { kind: 'add-router', role: 'spoke', x: 330, y: 300 });
    expect(added.device).toBe('GM-3');
    // Serial1/0 is the template's WAN (the article's spokes'); Serial1/3 is the SP's first free serial port.
    text = edited(added.text!, [
      {
        kind: 'add-link',
        a: { device: 'GM-3', interface: 'Serial1/0' },
        b: { device: 'SP', interface: 'Se1/3' },
        autoAddress: true,
      },
    ]);
    lab = cleanLab(text);
    // The KS rekeys every 300 s (`rekey lifetime seconds 300`); 400 s is past the first rekey.
    await lab.kernel.runUntil(seconds(400));
  }, 60_000);

  it('loads without a config diagnostic on the new spoke, the SP or the KS', () => {
    const touched = lab.problems.filter((p) => ['GM-3', 'SP', 'KS'].includes(p.device ?? ''));
    expect(touched).toEqual([]);
  });

  it('registers GM-3 with the key server (the KS lists its loopback 13.13.13.13 as a member)', () => {
    const ks = gdoiView(lab.router('KS')!).keyServers[0]!;
    expect(ks.members.map((m) => m.address)).toContain('13.13.13.13');
    const gm = gdoiView(lab.router('GM-3')!).members[0]!;
    expect(gm.status).toBe('Registered');
    expect(gm.keyServer).toBe('1.1.1.1');
  });

  it('has its RPF interface toward the KS on Tunnel10 via the hub (RFC 7761 §4.2, the static mroute)', async () => {
    const r = await evaluateCheck(
      lab,
      { kind: 'rpf', device: 'GM-3', source: '1.1.1.1', interface: 'Tunnel10', neighbor: '192.168.100.1' },
      0,
    );
    expect(r).toMatchObject({ pass: true });
  });

  it('receives the multicast rekey and holds the group current TEK', async () => {
    const gm = gdoiView(lab.router('GM-3')!).members[0]!;
    expect(gm.rekeysReceived).toBeGreaterThan(0);
    expect(gm.rekeyTransport).toBe('multicast');
    expect(await evaluateCheck(lab, { kind: 'gm-current-tek', device: 'GM-3' }, 0)).toMatchObject({
      pass: true,
    });
    expect(await evaluateCheck(lab, { kind: 'rekey-since-change', member: 'GM-3' }, 0)).toMatchObject({
      pass: true,
    });
  });

  it('leaves the article spokes working beside it', async () => {
    for (const device of ['GM-1', 'GM-2'])
      expect(await evaluateCheck(lab, { kind: 'gm-current-tek', device }, 0)).toMatchObject({ pass: true });
  });
});

// The follow-ups are what make the lab work: without the KS's pre-shared key for 13.13.13.13 (the article's KS
// has one `crypto isakmp key` per member loopback) or the SP's route to it, GM-3 never registers.
describe('the editor follow-ups the new spoke needs', () => {
  const withSpoke = edited(reference, [
    { kind: 'add-router', role: 'spoke', x: 0, y: 0 },
    {
      kind: 'add-link',
      a: { device: 'GM-3', interface: 'Serial1/0' },
      b: { device: 'SP', interface: 'Serial1/3' },
      autoAddress: true,
    },
  ]);
  const without = (device: string, line: string): string => {
    const s = JSON.parse(withSpoke) as { devices: { name: string; config: string }[] };
    const d = s.devices.find((x) => x.name === device)!;
    expect(d.config).toContain(`${line}\n`);
    d.config = d.config.replace(`${line}\n`, '');
    return JSON.stringify(s);
  };
  it.each([
    ['KS', 'crypto isakmp key cisco address 13.13.13.13'],
    ['SP', 'ip route 13.13.13.13 255.255.255.255 172.47.1.1'],
  ])('without %s "%s" GM-3 stays unregistered', async (device, line) => {
    const lab = cleanLab(without(device, line));
    await lab.kernel.runUntil(seconds(400));
    expect(gdoiView(lab.router('GM-3')!).members[0]!.status).toBe('Registering');
  });
});

describe('a spoke added to a generated hub-and-spoke lab', () => {
  it('joins its cloud: registers, RPF on Tunnel10 via the hub, receives the rekey', async () => {
    const generated = `${JSON.stringify(generateHubSpokes({ spokes: 3 }))}\n`;
    const text = edited(generated, [
      { kind: 'add-router', role: 'spoke', x: 400, y: 0 },
      {
        kind: 'add-link',
        a: { device: 'GM-4', interface: 'Serial1/0' },
        b: { device: 'SP', interface: 'Serial1/3' },
        autoAddress: true,
      },
    ]);
    const lab = cleanLab(text);
    await lab.kernel.runUntil(seconds(400));
    const gm = gdoiView(lab.router('GM-4')!).members[0]!;
    expect(gm).toMatchObject({ status: 'Registered', rekeyTransport: 'multicast' });
    expect(gm.rekeysReceived).toBeGreaterThan(0);
    expect(
      await evaluateCheck(
        lab,
        { kind: 'rpf', device: 'GM-4', source: '1.1.1.1', interface: 'Tunnel10', neighbor: '10.255.0.1' },
        0,
      ),
    ).toMatchObject({ pass: true });
    expect(await evaluateCheck(lab, { kind: 'gm-current-tek', device: 'GM-4' }, 0)).toMatchObject({
      pass: true,
    });
  }, 60_000);
});

describe('a spoke added to the DMVPN phase 2 lab (no multicast, no GET VPN)', () => {
  it('is a DMVPN spoke only, named like the lab spokes, and comes up with the hub', async () => {
    const phase2 = readFileSync('public/scenarios/dmvpn-phase2.json', 'utf8');
    const added = applyEdit(phase2, { kind: 'add-router', role: 'spoke', x: 0, y: 0 });
    expect(added.device).toBe('Spoke-4');
    const text = edited(added.text!, [
      {
        kind: 'add-link',
        a: { device: 'Spoke-4', interface: 'Serial1/0' },
        b: { device: 'SP', interface: 'Serial1/4' },
        autoAddress: true,
      },
    ]);
    const config = (JSON.parse(text) as { devices: { name: string; config: string }[] }).devices.find(
      (d) => d.name === 'Spoke-4',
    )!.config;
    expect(config).not.toMatch(/crypto|multicast-routing|ip pim|ip mroute/);
    const lab = cleanLab(text);
    await lab.kernel.runUntil(seconds(60));
    for (const check of [
      { kind: 'adjacency', device: 'Hub', protocol: 'eigrp', neighbor: '192.168.100.5' },
      { kind: 'adjacency', device: 'Hub', protocol: 'nhrp', neighbor: '192.168.100.5' },
    ] as const)
      expect(await evaluateCheck(lab, check, 0)).toMatchObject({ pass: true });
  }, 60_000);
});

// A second key server in front of the hub, as the article's KS is: linked to Central with automatic addressing,
// it is reachable from the spokes (Central and the SP route its loopback), it leaves the lab's RP where it was,
// and a member pointed at it registers with it.
describe('a second key server linked to the hub', () => {
  it('is reachable for registration and does not take the RP over', async () => {
    const text = edited(reference, [
      { kind: 'add-router', role: 'key-server', x: -430, y: 200 },
      {
        kind: 'add-link',
        a: { device: 'KS-2', interface: 'FastEthernet0/0' },
        b: { device: 'Central', interface: 'FastEthernet0/1' },
        autoAddress: true,
      },
    ]);
    const s = JSON.parse(text) as { devices: { name: string; config: string }[] };
    const gm1 = s.devices.find((d) => d.name === 'GM-1')!;
    gm1.config = gm1.config
      .replace('server address ipv4 1.1.1.1', 'server address ipv4 3.3.3.3')
      .replace('crypto isakmp key 0 cisco address 1.1.1.1', 'crypto isakmp key 0 cisco address 3.3.3.3');
    const lab = cleanLab(JSON.stringify(s));
    await lab.kernel.runUntil(seconds(120));
    const ks2 = gdoiView(lab.router('KS-2')!).keyServers[0]!;
    expect(ks2.members.map((m) => m.address)).toEqual(['11.11.11.11']);
    expect(gdoiView(lab.router('GM-1')!).members[0]).toMatchObject({
      status: 'Registered',
      keyServer: '3.3.3.3',
    });
    expect(
      await evaluateCheck(
        lab,
        { kind: 'rp-mapping', device: 'GM-2', group: '239.10.10.1', rp: '1.1.1.1' },
        0,
      ),
    ).toMatchObject({ pass: true });
  }, 60_000);
});

// Edits in sequence keep the lab working: the routes a link's follow-ups write replace those of a link that is
// gone, and a site re-linked on another interface takes its tunnel and crypto map along.
describe('re-linking', () => {
  const registersAndRekeys = async (text: string, gm: string): Promise<void> => {
    const lab = cleanLab(text);
    await lab.kernel.runUntil(seconds(400));
    const m = gdoiView(lab.router(gm)!).members[0]!;
    expect(m.status).toBe('Registered');
    expect(m.rekeysReceived).toBeGreaterThan(0);
    expect(
      await evaluateCheck(lab, { kind: 'rpf', device: gm, source: '1.1.1.1', interface: 'Tunnel10' }, 0),
    ).toMatchObject({ pass: true });
  };

  it('a spoke deleted and added again on the same SP port works (the SP route to its loopback is replaced)', async () => {
    const text = edited(reference, [
      { kind: 'delete-device', device: 'GM-2' },
      { kind: 'add-router', role: 'spoke', x: 330, y: 140 },
      {
        kind: 'add-link',
        a: { device: 'GM-2', interface: 'Serial1/0' },
        b: { device: 'SP', interface: 'Serial1/2' },
        autoAddress: true,
      },
    ]);
    const sp = (JSON.parse(text) as { devices: { name: string; config: string }[] }).devices.find(
      (d) => d.name === 'SP',
    )!.config;
    expect(sp).toContain('ip route 12.12.12.12 255.255.255.255 172.47.1.1\n');
    expect(sp).not.toContain('ip route 12.12.12.12 255.255.255.255 172.37.1.1');
    await registersAndRekeys(text, 'GM-2');
  }, 60_000);

  it('a spoke re-linked on another interface moves its tunnel source and crypto map there', async () => {
    const text = edited(reference, [
      { kind: 'delete-link', end: { device: 'GM-1', interface: 'Serial1/0' } },
      {
        kind: 'add-link',
        a: { device: 'GM-1', interface: 'Serial1/1' },
        b: { device: 'SP', interface: 'Serial1/3' },
        autoAddress: true,
      },
    ]);
    const gm1 = (JSON.parse(text) as { devices: { name: string; config: string }[] }).devices.find(
      (d) => d.name === 'GM-1',
    )!.config;
    expect(gm1).toContain(' tunnel source Serial1/1\n');
    expect(gm1).toContain('ip route 0.0.0.0 0.0.0.0 172.47.1.2\n');
    expect(gm1).not.toContain('ip route 0.0.0.0 0.0.0.0 172.27.1.2');
    await registersAndRekeys(text, 'GM-1');
  }, 60_000);
});
