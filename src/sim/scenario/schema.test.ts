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
});
