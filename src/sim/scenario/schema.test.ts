import { describe, expect, it } from 'vitest';
import { parseScenario } from './schema';

const base = { format: 'getlab-scenario/1', title: 'T', description: '', seed: 3, devices: [], links: [] };

describe('parseScenario', () => {
  it('explains text that is not JSON', () => {
    const r = parseScenario('{ not json');
    expect(r.scenario).toBeUndefined();
    expect(r.problems[0]?.message).toMatch(/not valid JSON/);
  });

  it('rejects an unknown format', () => {
    const r = parseScenario(JSON.stringify({ ...base, format: 'other/2' }));
    expect(r.scenario).toBeUndefined();
    expect(r.problems[0]?.message).toContain('getlab-scenario/1');
  });

  it('reports bad devices and links but keeps the valid ones', () => {
    const r = parseScenario(
      JSON.stringify({
        ...base,
        devices: [
          { name: 'R1', config: 'hostname R1' },
          { name: 'R1', config: '' },
          { config: 'x' },
          { name: 'R 2', config: '' },
        ],
        links: [{ a: 'R1 Fa0/0' }, { a: 'R1 Fa0/0', b: 'R2 Fa0/0', delayMs: -1 }],
      }),
    );
    expect(r.scenario?.devices.map((d) => d.name)).toEqual(['R1']);
    const messages = r.problems.map((p) => p.message).join('\n');
    expect(messages).toContain('Two devices are named "R1"');
    expect(messages).toContain('Device #3 has no "name"');
    expect(messages).toContain('must not contain spaces');
    expect(messages).toContain('Link #1 needs "a" and "b"');
    expect(messages).toContain('"delayMs" must be a number');
  });

  it('keeps seed, clock, roles and positions', () => {
    const r = parseScenario(
      JSON.stringify({
        ...base,
        clock: '2026-07-07T22:55:00Z',
        devices: [{ name: 'SP', role: 'provider', x: 1, y: 2, config: '' }],
      }),
    );
    expect(r.problems).toEqual([]);
    expect(r.scenario).toMatchObject({ seed: 3, clock: '2026-07-07T22:55:00Z' });
    expect(r.scenario?.devices[0]).toMatchObject({ role: 'provider', x: 1, y: 2 });
  });

  // Issue 13 item 9: JSON reads 1e999 as Infinity, and wrong-typed optional fields were dropped silently.
  it('refuses an infinite or absurd link delay in plain language and uses the default', () => {
    const text = JSON.stringify({
      ...base,
      links: [{ a: 'R1 Fa0/0', b: 'R2 Fa0/0', delayMs: 0 }],
    }).replace('"delayMs":0', '"delayMs":1e999');
    const r = parseScenario(text);
    expect(r.scenario?.links[0]?.delayMs).toBeUndefined();
    expect(r.problems.map((p) => p.message)).toEqual([
      'Link #1: "delayMs" must be a number of milliseconds from 0 to 86400000 (one day); using 1.',
    ]);
    const huge = parseScenario(
      JSON.stringify({ ...base, links: [{ a: 'R1 Fa0/0', b: 'R2 Fa0/0', delayMs: 1e12 }] }),
    );
    expect(huge.scenario?.links[0]?.delayMs).toBeUndefined();
    expect(huge.problems).toHaveLength(1);
  });

  it('reports a title, description or clock of the wrong type and loads with the defaults', () => {
    const r = parseScenario(JSON.stringify({ ...base, title: 42, description: ['a'], clock: 1_700_000_000 }));
    expect(r.scenario).toMatchObject({ title: 'Untitled lab', description: '', clock: undefined });
    expect(r.problems).toEqual([
      { severity: 'warning', message: '"title" must be text, not a number; using "Untitled lab".' },
      { severity: 'warning', message: '"description" must be text, not a list; using "".' },
      {
        severity: 'warning',
        message:
          '"clock" must be an ISO date such as "2026-07-07T22:55:00Z", not a number; using the default.',
      },
    ]);
  });

  it("keeps the clock inside the IOS clock's range (1993 to 2035), where no timestamp overflows", () => {
    for (const clock of ['+275760-09-13T00:00:00Z', '2200-01-01T00:00:00Z', '1969-12-31T23:59:59Z']) {
      const r = parseScenario(JSON.stringify({ ...base, clock }));
      expect(r.scenario?.clock, clock).toBeUndefined();
      expect(r.problems[0]?.message, clock).toContain("outside the IOS clock's range (1993 to 2035)");
    }
    expect(parseScenario(JSON.stringify({ ...base, clock: '2035-12-31T23:00:00Z' })).problems).toEqual([]);
  });

  it('reports a seed or a position that is not a finite number', () => {
    const text = JSON.stringify({ ...base, seed: 1, devices: [{ name: 'R1', x: 0, config: '' }] })
      .replace('"seed":1', '"seed":1e999')
      .replace('"x":0', '"x":-1e999');
    const r = parseScenario(text);
    expect(r.scenario?.seed).toBe(1);
    expect(r.scenario?.devices[0]?.x).toBeUndefined();
    expect(r.problems.map((p) => p.message)).toEqual([
      'Device "R1": "x" must be a finite number; the device is placed automatically.',
      '"seed" must be an integer; using 1.',
    ]);
  });
});

// Issue 17, scenario format v2: lessons with steps, buttons and declarative checks; v1 loads as before.
describe('parseScenario, format 2', () => {
  const v2 = { ...base, format: 'getlab-scenario/2' };
  const step = {
    title: 'S',
    text: 'Some **Markdown**',
    actions: [
      {
        label: 'Break it',
        action: { kind: 'fault', fault: 'mroute', device: 'GM-2', on: true },
        breaks: {
          fault: 'mroute:GM-2',
          undo: {
            label: 'Put it back',
            action: { kind: 'fault', fault: 'mroute', device: 'GM-2', on: false },
          },
        },
      },
      { label: 'Run', action: { kind: 'all', actions: [{ kind: 'run-for', seconds: 60 }] } },
    ],
    checks: [
      { kind: 'rpf', label: 'RPF', device: 'GM-2', source: '1.1.1.1', interface: 'Tunnel10' },
      {
        kind: 'not',
        label: 'No drop',
        check: { kind: 'event-since-step', device: 'GM-2', event: 'rpf-drop' },
      },
    ],
  };

  it('keeps valid lessons with their steps, buttons and checks', () => {
    const r = parseScenario(JSON.stringify({ ...v2, lessons: [{ id: 'l1', title: 'L', steps: [step] }] }));
    expect(r.problems).toEqual([]);
    expect(r.scenario?.format).toBe('getlab-scenario/2');
    expect(r.scenario?.lessons).toEqual([{ id: 'l1', title: 'L', steps: [step] }]);
  });

  it('a v1 file loads unchanged, without lessons; lessons in a v1 file are reported and left out', () => {
    expect(parseScenario(JSON.stringify(base)).scenario).toEqual({ ...base, clock: undefined });
    const r = parseScenario(JSON.stringify({ ...base, lessons: [] }));
    expect(r.scenario?.lessons).toBeUndefined();
    expect(r.problems).toEqual([
      {
        severity: 'warning',
        path: '/lessons',
        message: '"lessons" needs format "getlab-scenario/2"; the lessons are left out.',
      },
    ]);
  });

  it('reports every bad part with its JSON path and keeps the rest; user names are never object keys', () => {
    const bad = {
      ...v2,
      lessons: [
        {
          id: 'l1',
          title: 'L',
          steps: [
            {
              ...step,
              actions: [{ label: 'x', action: { kind: 'explode' } }],
              checks: [
                { kind: 'rpf', label: 'a', device: 'GM-2', source: '1.1.1.1' },
                { kind: 'adjacency', label: 'b', device: 'GM-2', protocol: 'ospf', neighbor: 'x' },
                { kind: 'event-since-step', label: 'c', device: 'GM-2', event: 'constructor' },
                { kind: 'show-matches', label: 'd', device: 'GM-2', command: 'reload', pattern: 'x' },
                { kind: 'rpf', label: 'ok', device: 'GM-2', source: '1.1.1.1', neighbor: '192.168.100.1' },
              ],
            },
          ],
        },
        { id: 'l1', title: 'dup', steps: [] },
        { id: '__proto__', steps: 'no' },
      ],
    };
    const r = parseScenario(JSON.stringify(bad));
    const found = r.problems.map((p) => `${p.path} ${p.message}`);
    expect(found).toEqual([
      '/lessons/0/steps/0/actions/0/action/kind Unknown action "explode": expected one of run-to, run-for, next-rekey, until-rekey, cli, fault, all.',
      '/lessons/0/steps/0/checks/0 An "rpf" check needs "interface" or "neighbor" (or both).',
      '/lessons/0/steps/0/checks/1/protocol "protocol" must be one of eigrp, pim, nhrp, not "ospf".',
      '/lessons/0/steps/0/checks/2/event "event" must be one of registration, rekey-sent, rekey-received, key-installed, rpf-drop, drop, config-change, adjacency-up, adjacency-down, packet, log, state, problem, not "constructor".',
      '/lessons/0/steps/0/checks/3/command "reload" is not a show command.',
      '/lessons/1/id Two lessons have the id "l1".',
      '/lessons/2/title "title" must be non-empty text.',
      '/lessons/2/steps "steps" must be a list.',
    ]);
    expect(r.problems.every((p) => p.severity === 'warning')).toBe(true);
    const kept = r.scenario?.lessons ?? [];
    expect(kept.map((l) => l.id)).toEqual(['l1']);
    expect(kept[0]?.steps[0]?.actions).toEqual([]);
    expect(kept[0]?.steps[0]?.checks.map((c) => c.label)).toEqual(['ok']);
  });

  it('never throws on any value in place of lessons', () => {
    for (const lessons of [
      null,
      1,
      'x',
      {},
      [null],
      [[]],
      [{ id: 1 }],
      [{ id: 'a', title: 'b', steps: [1, {}] }],
    ]) {
      const r = parseScenario(JSON.stringify({ ...v2, lessons }));
      expect(r.scenario).toBeDefined();
      expect(r.problems.length).toBeGreaterThan(0);
    }
  });
});
