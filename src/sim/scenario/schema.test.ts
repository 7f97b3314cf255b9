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
