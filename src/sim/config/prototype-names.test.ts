// Issue 13 item 5: names a user types are keys of Maps, never of plain objects, so a list called `constructor`,
// `toString`, `valueOf` or `__proto__` (each an Object.prototype member) is an ordinary name: it is created,
// rendered, re-parsed and used by the protocols like any other (IOS list names are free-form words: "Named
// access lists ... the name can be any alphanumeric string", Cisco IOS Security Configuration Guide, "IP
// Access List Overview").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import { loadLab } from '../scenario/lab';
import { logLines, router } from '../scenario/test-lab.test-support';
import { parseConfig } from './parse';
import { renderRunningConfig } from './render';

const PROTOTYPE_NAMES = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'];
const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

/** The reference scenario with `edit` applied to one device's config (and optionally renamed devices). */
function referenceWith(device: string, edit: (config: string) => string): string {
  const s = JSON.parse(reference) as { devices: { name: string; config: string }[] };
  for (const d of s.devices) if (d.name === device) d.config = edit(d.config);
  return JSON.stringify(s);
}

describe('access lists named like Object.prototype members', () => {
  it.each(PROTOTYPE_NAMES)(
    'ip access-list extended %s is a new, empty list that renders and re-parses',
    (name) => {
      const { model, diagnostics } = parseConfig(
        `ip access-list extended ${name}\n permit gre any any\naccess-list 1 permit 239.0.0.0 0.255.255.255\n`,
      );
      expect(diagnostics).toEqual([]);
      expect(model.accessLists.get(name)).toMatchObject({ name, type: 'extended', numbered: false });
      expect(model.accessLists.get(name)?.entries).toHaveLength(1);
      const text = renderRunningConfig(model);
      expect(text).toContain(`ip access-list extended ${name}\n permit gre any any`);
      expect(renderRunningConfig(parseConfig(text).model)).toBe(text);
    },
  );

  it('a standard and an extended list cannot share a prototype name: IOS names the existing type', async () => {
    const ks = new CliSession(router(loadLab(reference).lab!, 'KS'), { epochMs: 0 });
    await ks.execute('configure terminal');
    expect(await ks.execute('ip access-list extended toString')).toBe('');
    await ks.execute('exit');
    // Before the fix the lookup found Object.prototype.toString: "% A named undefined IP access list ...".
    expect(await ks.execute('ip access-list standard toString')).toBe(
      '% A named extended IP access list with this name already exists',
    );
  });

  it('no ip access-list removes only that list', () => {
    const { model } = parseConfig(
      'ip access-list extended constructor\n permit ip any any\nno ip access-list extended constructor\n',
    );
    expect(model.accessLists.has('constructor')).toBe(false);
    expect(renderRunningConfig(model)).not.toContain('constructor');
  });
});

describe('protocols reading lists by a prototype name', () => {
  it('GDOI: match address and rekey address naming lists called __proto__ and constructor work as ACL and MULTICAST_REKEY did', async () => {
    const text = referenceWith('KS', (c) =>
      c
        .replace(/\bMULTICAST_REKEY\b/g, 'constructor')
        .replace(/ip access-list extended ACL\b/, 'ip access-list extended __proto__')
        .replace('match address ipv4 ACL', 'match address ipv4 __proto__'),
    );
    const { lab, problems } = loadLab(text);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    await lab!.kernel.runUntil(seconds(330));
    // The multicast rekey (addressed by the `constructor` list) reaches the members.
    expect(logLines(lab!, 'GM-1').some((l) => l.includes('%GDOI-5-GM_RECV_REKEY'))).toBe(true);
    const ks = new CliSession(router(lab!, 'KS'), { epochMs: lab!.epochMs });
    expect(await ks.execute('show running-config')).toMatch(/match address ipv4 __proto__/);
  });

  it.each(['constructor', 'toString', 'valueOf', '__proto__'])(
    "KS with a missing list 'match address ipv4 %s' keeps running and says it has no valid policy",
    async (name) => {
      const { lab } = loadLab(reference);
      const ks = new CliSession(router(lab!, 'KS'), { epochMs: lab!.epochMs });
      await lab!.kernel.runUntil(seconds(30));
      for (const l of ['configure terminal', 'crypto gdoi group GDOI_GROUP', 'server local', 'sa ipsec 1']) {
        await ks.execute(l);
      }
      await ks.execute(`match address ipv4 ${name}`);
      await ks.execute(`rekey address ipv4 ${name}`);
      await ks.execute('end');
      await ks.execute('crypto gdoi ks rekey');
      await lab!.kernel.runUntil(seconds(400));
      expect(lab!.kernel.now).toBe(seconds(400));
      expect(await ks.execute('show running-config')).toContain(`match address ipv4 ${name}`);
    },
  );

  it.each(['toString', 'valueOf', '__proto__', 'constructor'])(
    'PIM: group-list %s on send-rp-announce and rp-address reads the named standard list',
    async (name) => {
      const text = referenceWith('KS', (c) =>
        c
          .replace('group-list 1', `group-list ${name}`)
          .replace(
            'access-list 1 permit 239.0.0.0 0.255.255.255',
            `ip access-list standard ${name}\n permit 239.0.0.0 0.255.255.255`,
          ),
      );
      const { lab } = loadLab(text);
      await lab!.kernel.runUntil(seconds(70));
      const central = new CliSession(router(lab!, 'Central'), { epochMs: lab!.epochMs });
      const mapping = await central.execute('show ip pim rp mapping');
      expect(mapping).toContain('Group(s) 239.0.0.0/8');
      expect(mapping).toContain('RP 1.1.1.1 (?), v2v1');
      await central.execute('configure terminal');
      await central.execute(`ip pim rp-address 9.9.9.9 ${name}`);
      await central.execute('end');
      await lab!.kernel.runUntil(seconds(80));
      expect(lab!.kernel.now).toBe(seconds(80));
    },
  );
});

describe('devices named like Object.prototype members', () => {
  it.each(PROTOTYPE_NAMES)('a device named %s loads with its own config', (name) => {
    const s = JSON.parse(reference) as {
      devices: { name: string; config: string }[];
      links: { a: string; b: string }[];
    };
    const gm2 = s.devices.find((d) => d.name === 'GM-2')!;
    gm2.name = name;
    for (const l of s.links) {
      l.a = l.a.replace(/^GM-2 /, `${name} `);
      l.b = l.b.replace(/^GM-2 /, `${name} `);
    }
    const { lab, problems } = loadLab(JSON.stringify(s));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(lab!.router(name)?.config.hostname).toBe('GM-2');
    expect(lab!.links.some((l) => l.a.device === name || l.b.device === name)).toBe(true);
  });
});
