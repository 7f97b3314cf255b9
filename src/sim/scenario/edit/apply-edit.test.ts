import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/parse';
import { parseScenario, type Scenario, SCENARIO_FORMAT_V2, scenarioV2Text } from '../schema';
import { generateHubSpokes } from '../generate';
import { applyEdit } from './apply-edit';
import { edited } from './edit.test-support';
import type { EditOp, EditRole } from './edit-ops';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

function scenarioOf(text: string): Scenario {
  const { scenario, problems } = parseScenario(text);
  expect(problems.filter((p) => p.severity !== 'warning')).toEqual([]);
  return scenario!;
}

const config = (text: string, device: string): string =>
  scenarioOf(text).devices.find((d) => d.name === device)!.config;

const errorOf = (text: string, op: EditOp): string | undefined => {
  const r = applyEdit(text, op);
  expect(r.text).toBeUndefined();
  return r.error;
};

describe('add-router', () => {
  it.each<[EditRole, string, 'router' | 'provider']>([
    ['spoke', 'GM-3', 'router'],
    ['key-server', 'KS-2', 'router'],
    ['hub', 'Central-2', 'router'],
    ['provider', 'SP-2', 'provider'],
    ['router', 'R1', 'router'],
  ])('adds a %s named %s from its template, a config IOS reads without an error', (role, name, kind) => {
    const r = applyEdit(reference, { kind: 'add-router', role, x: 10, y: 20 });
    expect(r.device).toBe(name);
    const d = scenarioOf(r.text!).devices.find((x) => x.name === name)!;
    expect(d).toMatchObject({ role: kind, x: 10, y: 20 });
    expect(d.config.split('\n')[0]).toBe(`hostname ${name}`);
    expect(parseConfig(d.config, name).diagnostics).toEqual([]);
  });

  it('fills a spoke from the lab: next loopback, site LAN and tunnel address, the hub as NHS, the KS mroute', () => {
    const gm3 = config(applyEdit(reference, { kind: 'add-router', role: 'spoke', x: 0, y: 0 }).text!, 'GM-3');
    for (const line of [
      ' ip address 13.13.13.13 255.255.255.255',
      ' ip address 192.168.13.1 255.255.255.0',
      ' ip address 192.168.100.4 255.255.255.0',
      ' ip nhrp nhs 192.168.100.1',
      ' ip nhrp map 192.168.100.1 172.17.1.1',
      ' ip nhrp map multicast 172.17.1.1',
      ' tunnel key 123',
      ' ip nhrp network-id 123',
      ' ip igmp join-group 239.10.10.1',
      'router eigrp 10',
      ' network 192.168.13.0',
      ' network 192.168.100.0',
      ' server address ipv4 1.1.1.1',
      ' identity number 123',
      'crypto map DMVPN local-address Loopback0',
      'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
    ])
      expect(gm3.split('\n')).toContain(line);
  });

  it("gives the article's KS a pre-shared key for the new member's loopback, beside its others", () => {
    const ks = config(applyEdit(reference, { kind: 'add-router', role: 'spoke', x: 0, y: 0 }).text!, 'KS');
    expect(ks).toContain(
      'crypto isakmp key 0 cisco address 12.12.12.12\ncrypto isakmp key cisco address 13.13.13.13\n',
    );
  });

  it('takes a given name, and refuses one IOS would not take or the lab already has', () => {
    const r = applyEdit(reference, { kind: 'add-router', role: 'spoke', x: 0, y: 0, name: 'Branch-7' });
    expect(r.device).toBe('Branch-7');
    expect(errorOf(reference, { kind: 'add-router', role: 'spoke', x: 0, y: 0, name: 'GM-1' })).toBe(
      'There is already a device named "GM-1".',
    );
    for (const name of ['__proto__', '7up', 'has space', 'trailing-', '', 'x'.repeat(64)])
      expect(errorOf(reference, { kind: 'add-router', role: 'router', x: 0, y: 0, name })).toMatch(
        /is not a valid hostname/,
      );
  });

  it('refuses a spoke in a lab without a DMVPN hub', () => {
    const bare = scenarioV2Text({
      format: SCENARIO_FORMAT_V2,
      title: 't',
      description: '',
      seed: 1,
      devices: [],
      links: [],
    });
    expect(errorOf(bare, { kind: 'add-router', role: 'spoke', x: 0, y: 0 })).toMatch(/no DMVPN hub/);
    expect(applyEdit(bare, { kind: 'add-router', role: 'router', x: 0, y: 0 }).device).toBe('R1');
  });

  it('continues a generated lab numbering (GM-4, loopback 11.0.0.4, LAN 20.0.4.0/24, tunnel 10.255.0.5)', () => {
    const gen = `${JSON.stringify(generateHubSpokes({ spokes: 3 }))}\n`;
    const r = applyEdit(gen, { kind: 'add-router', role: 'spoke', x: 0, y: 0 });
    expect(r.device).toBe('GM-4');
    const gm4 = config(r.text!, 'GM-4');
    expect(gm4).toContain(' ip address 11.0.0.4 255.255.255.255\n');
    expect(gm4).toContain(' ip address 20.0.4.1 255.255.255.0\n');
    expect(gm4).toContain(' ip address 10.255.0.5 255.255.0.0\n');
    expect(gm4).toContain(' network 20.0.4.0 0.0.0.255\n network 10.255.0.0 0.0.255.255\n');
    // The generated KS takes any peer (`address 0.0.0.0 0.0.0.0`): its config is left alone.
    expect(config(r.text!, 'KS')).toBe(config(gen, 'KS'));
  });
});

describe('add-link', () => {
  const gm3 = applyEdit(reference, { kind: 'add-router', role: 'spoke', x: 0, y: 0 }).text!;
  const link = (a: string, ai: string, b: string, bi: string, autoAddress = true): EditOp => ({
    kind: 'add-link',
    a: { device: a, interface: ai },
    b: { device: b, interface: bi },
    autoAddress,
  });

  it('addresses both ends in a free subnet and routes the new site through the provider', () => {
    const t = edited(gm3, [link('SP', 'serial 1/3', 'GM-3', 'Se1/0')]);
    expect(scenarioOf(t).links.at(-1)).toEqual({ a: 'SP Se1/3', b: 'GM-3 Se1/0', delayMs: 5 });
    expect(config(t, 'GM-3')).toContain(
      'interface Serial1/0\n ip address 172.47.1.1 255.255.255.0\n crypto map DMVPN\n',
    );
    expect(config(t, 'GM-3')).toContain('ip route 0.0.0.0 0.0.0.0 172.47.1.2\n');
    expect(config(t, 'SP')).toContain(
      'interface Serial1/3\n description GM-3\n ip address 172.47.1.2 255.255.255.0\n!\n',
    );
    expect(config(t, 'SP')).toContain(
      'ip route 12.12.12.12 255.255.255.255 172.37.1.1\nip route 13.13.13.13 255.255.255.255 172.47.1.1\n',
    );
  });

  it('moves a new spoke tunnel and crypto map onto the interface it is linked by', () => {
    const t = edited(gm3, [link('GM-3', 'Serial1/5', 'SP', 'Serial1/3')]);
    const c = config(t, 'GM-3');
    expect(c).toContain(' tunnel source Serial1/5\n');
    const model = parseConfig(c, 'GM-3').model;
    expect(model.interfaces.find((i) => i.name === 'Serial1/5')).toMatchObject({ cryptoMap: 'DMVPN' });
  });

  it('without automatic addressing only adds the link and the interface', () => {
    const t = edited(reference, [link('KS', 'Fa1/1', 'Central', 'FastEthernet0/1', false)]);
    expect(scenarioOf(t).links.at(-1)).toEqual({ a: 'KS Fa1/1', b: 'Central Fa0/1', delayMs: 1 });
    expect(parseConfig(config(t, 'KS'), 'KS').model.interfaces.map((i) => i.name)).toContain(
      'FastEthernet1/1',
    );
    expect(config(t, 'Central')).not.toContain('10.0.0.');
  });

  it("gives a link away from the provider a /30 from 10.0.0.0; a key server's end is .2 with PIM, as the KS LAN", () => {
    const t = edited(reference, [link('KS', 'Fa1/1', 'Central', 'FastEthernet0/1')]);
    expect(config(t, 'Central')).toContain(
      'interface FastEthernet0/1\n ip address 10.0.0.1 255.255.255.252\n ip pim sparse-mode\n',
    );
    expect(config(t, 'KS')).toContain(
      'interface FastEthernet1/1\n ip address 10.0.0.2 255.255.255.252\n ip pim sparse-mode\n',
    );
    // Central already routes 1.1.1.1 to the KS, and the KS has its default route: no second one.
    expect(config(t, 'Central').match(/ip route 1\.1\.1\.1 /g)).toHaveLength(1);
    expect(config(t, 'KS').match(/ip route 0\.0\.0\.0 /g)).toHaveLength(1);
  });

  it('routes a second key server: its default via the hub, the hub and the provider to its loopback', () => {
    const t = edited(reference, [
      { kind: 'add-router', role: 'key-server', x: 0, y: 0 },
      link('KS-2', 'FastEthernet0/0', 'Central', 'FastEthernet0/1'),
    ]);
    expect(config(t, 'KS-2')).toContain('ip route 0.0.0.0 0.0.0.0 10.0.0.1\n');
    expect(config(t, 'Central')).toContain('ip route 3.3.3.3 255.255.255.255 10.0.0.2\n');
    expect(config(t, 'SP')).toContain(
      'ip route 3.3.3.3 255.255.255.255 172.17.1.1\nip route 10.0.0.0 255.255.255.252 172.17.1.1\n',
    );
    // The lab's KS is its RP already: the second one does not announce itself (Auto-RP elects the highest).
    expect(config(t, 'KS-2')).not.toContain('send-rp-announce');
  });

  it.each([
    [link('SP', 'Serial1/1', 'GM-3', 'Serial1/0'), 'SP Serial1/1 is already linked (GM-1 Se1/0 – SP Se1/1).'],
    [link('GM-3', 'Serial9/0', 'SP', 'Serial1/3'), 'GM-3: Serial9/0 is not an interface this router has.'],
    [
      link('GM-3', 'Loopback0', 'SP', 'Serial1/3'),
      'GM-3: Loopback0 is a virtual interface: a link needs a physical one.',
    ],
    [link('GM-3', 'Bogus0/0', 'SP', 'Serial1/3'), 'GM-3: "Bogus0/0" is not an interface name.'],
    // SP's slot 1 holds a serial adapter: it has no FastEthernet1/0.
    [
      link('GM-3', 'Serial1/0', 'SP', 'FastEthernet1/0'),
      'SP: FastEthernet1/0 is not an interface this router has.',
    ],
    [link('GM-3', 'Serial1/0', 'GM-3', 'Serial1/1'), 'A link joins two different devices.'],
    [link('constructor', 'Serial1/0', 'SP', 'Serial1/3'), 'There is no device named "constructor".'],
  ])('refuses %j: %s', (op, message) => {
    expect(errorOf(gm3, op)).toBe(message);
  });
});

describe('rename, delete, move', () => {
  it('renames the hostname, the links, the descriptions naming it and the lessons device fields', () => {
    const t = edited(reference, [{ kind: 'rename', device: 'GM-2', to: 'Branch-2' }]);
    const s = scenarioOf(t);
    expect(s.devices.map((d) => d.name)).toEqual(['KS', 'Central', 'SP', 'GM-1', 'Branch-2']);
    expect(config(t, 'Branch-2').split('\n')[0]).toBe('hostname Branch-2');
    expect(config(t, 'SP')).toContain(' description Branch-2\n');
    expect(config(t, 'SP')).toContain(' description GM-1\n');
    expect(s.links).toContainEqual({ a: 'Branch-2 Se1/0', b: 'SP Se1/2', delayMs: 5 });
    const lessons = JSON.stringify(s.lessons);
    expect(JSON.stringify(scenarioOf(reference).lessons)).toContain('"GM-2"');
    expect(lessons).not.toContain('"GM-2"');
    expect(lessons).toContain('"Branch-2"');
  });

  it('renames a device named constructor (names are compared, never object keys)', () => {
    const t = edited(reference, [
      { kind: 'add-router', role: 'router', x: 0, y: 0, name: 'constructor' },
      { kind: 'rename', device: 'constructor', to: 'toString' },
      { kind: 'move', device: 'toString', x: 5, y: 6 },
    ]);
    expect(scenarioOf(t).devices.at(-1)).toMatchObject({ name: 'toString', x: 5, y: 6 });
    expect(errorOf(t, { kind: 'rename', device: '__proto__', to: 'X' })).toBe(
      'There is no device named "__proto__".',
    );
  });

  it('refuses a rename to a taken or invalid name', () => {
    expect(errorOf(reference, { kind: 'rename', device: 'GM-1', to: 'KS' })).toBe(
      'There is already a device named "KS".',
    );
    expect(errorOf(reference, { kind: 'rename', device: 'GM-1', to: 'GM 1' })).toMatch(
      /not a valid hostname/,
    );
  });

  it('deletes a device with its links, and a link by one of its ends', () => {
    const t = edited(reference, [{ kind: 'delete-device', device: 'GM-1' }]);
    expect(scenarioOf(t).devices.map((d) => d.name)).not.toContain('GM-1');
    expect(scenarioOf(t).links.map((l) => l.a)).toEqual(['KS Fa1/0', 'Central Se2/0', 'GM-2 Se1/0']);
    const u = edited(reference, [{ kind: 'delete-link', end: { device: 'SP', interface: 'Serial 1/2' } }]);
    expect(scenarioOf(u).links.map((l) => l.a)).toEqual(['KS Fa1/0', 'Central Se2/0', 'GM-1 Se1/0']);
    expect(errorOf(reference, { kind: 'delete-link', end: { device: 'SP', interface: 'Serial1/7' } })).toBe(
      'SP Serial1/7 has no link.',
    );
    expect(errorOf(reference, { kind: 'delete-device', device: 'R9' })).toBe(
      'There is no device named "R9".',
    );
  });

  it('moves positions only, and refuses a position that is not a finite number', () => {
    const t = edited(reference, [{ kind: 'move', device: 'KS', x: -1, y: 2.5 }]);
    const before = scenarioOf(reference);
    const after = scenarioOf(t);
    expect(after.devices[0]).toEqual({ ...before.devices[0], x: -1, y: 2.5 });
    expect({ ...after, devices: after.devices.slice(1) }).toEqual({
      ...before,
      devices: before.devices.slice(1),
    });
    expect(errorOf(reference, { kind: 'move', device: 'KS', x: Number.NaN, y: 0 })).toMatch(/finite/);
  });
});

describe('what crosses the worker boundary', () => {
  it('answers a malformed edit with an error, never an exception', () => {
    for (const op of [
      { kind: 'add-link' },
      { kind: 'rename', device: 'GM-1' },
      { kind: 'delete-link', end: null },
      { kind: 'nonsense' },
      { kind: 'move', device: 'KS', x: 1n, y: 0 },
      null,
    ]) {
      const r = applyEdit(reference, op as unknown as EditOp);
      expect(r.text).toBeUndefined();
      expect(r.error).toMatch(/^Not a valid/);
    }
  });
});

describe('edits are pure functions of the text', () => {
  const ops: EditOp[] = [
    { kind: 'add-router', role: 'spoke', x: 1, y: 2 },
    {
      kind: 'add-link',
      a: { device: 'GM-3', interface: 'Serial1/0' },
      b: { device: 'SP', interface: 'Serial1/3' },
      autoAddress: true,
    },
    { kind: 'rename', device: 'GM-3', to: 'GM-9' },
    { kind: 'delete-device', device: 'GM-1' },
  ];

  it('gives the same text for the same text and edit, and leaves the previous text as it was (undo)', () => {
    let text = reference;
    for (const op of ops) {
      const copy = `${text}`;
      const first = applyEdit(text, op).text!;
      expect(applyEdit(text, op).text).toBe(first);
      expect(text).toBe(copy);
      text = first;
    }
  });

  it('restores a file in format 2 form byte for byte when a move is moved back', () => {
    // The shipped article file is written in this form (scripts/build-scenarios.py), so its undo is exact too.
    const v2 = scenarioV2Text(scenarioOf(reference));
    const ks = scenarioOf(v2).devices[0]!;
    const moved = edited(v2, [{ kind: 'move', device: 'KS', x: 0, y: 0 }]);
    expect(moved).not.toBe(v2);
    expect(edited(moved, [{ kind: 'move', device: 'KS', x: ks.x!, y: ks.y! }])).toBe(v2);
  });

  it('writes format 2, also from a format 1 file', () => {
    const v1 = `${JSON.stringify(generateHubSpokes({ spokes: 2 }))}\n`;
    expect(JSON.parse(v1).format).toBe('getlab-scenario/1');
    expect(JSON.parse(edited(v1, [{ kind: 'move', device: 'KS', x: 0, y: 0 }])).format).toBe(
      SCENARIO_FORMAT_V2,
    );
  });

  it('refuses to edit a file that does not load, or would lose a part the schema left out', () => {
    expect(applyEdit('{', { kind: 'move', device: 'KS', x: 0, y: 0 }).error).toMatch(/does not load/);
    const dup = JSON.stringify({
      ...JSON.parse(reference),
      devices: [...JSON.parse(reference).devices, { name: 'KS', config: '' }],
    });
    expect(applyEdit(dup, { kind: 'move', device: 'KS', x: 0, y: 0 }).error).toBe(
      'Fix the scenario file before editing it: Two devices are named "KS".',
    );
  });
});
