// Issue 13: no scenario file breaks the loader. Any JSON in any field (wrong types, huge or tiny numbers,
// prototype names as device names) gives a lab or plain-language problems, never an exception, and a lab that
// loads runs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { loadLab } from './lab';
import { SCENARIO_FORMAT } from './schema';

const name = fc.oneof(
  fc.constantFrom('R1', 'R2', 'constructor', '__proto__', 'toString', 'valueOf', ''),
  fc.string({ maxLength: 8 }),
);
const config = fc.oneof(
  fc.constantFrom(
    'interface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\nrouter eigrp 1\n network 10.0.0.0\n',
    'interface FastEthernet0/0\n ip address 10.0.0.2 255.255.255.0\nrouter eigrp 1\n network 10.0.0.0\n',
    'interface FastEthernet 99999999999999999999999\n',
  ),
  fc.jsonValue(),
);
const device = fc.oneof(
  fc.record(
    { name, role: fc.oneof(fc.constantFrom('router', 'provider'), fc.jsonValue()), config },
    { requiredKeys: ['name'] },
  ),
  fc.jsonValue(),
);
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -0, 0.5));
const link = fc.oneof(
  fc.record(
    {
      a: fc.constantFrom('R1 Fa0/0', 'R2 Fa0/0', '__proto__ Fa0/0', 'R1', ''),
      b: fc.constantFrom('R1 Fa0/0', 'R2 Fa0/0', 'constructor Fa0/0'),
      delayMs: fc.oneof(number, fc.jsonValue()),
      loss: fc.oneof(number, fc.jsonValue()),
    },
    { requiredKeys: ['a', 'b'] },
  ),
  fc.jsonValue(),
);
const scenario = fc.record(
  {
    format: fc.oneof(fc.constant(SCENARIO_FORMAT), fc.jsonValue()),
    title: fc.jsonValue(),
    description: fc.jsonValue(),
    seed: fc.oneof(number, fc.jsonValue()),
    clock: fc.oneof(fc.constantFrom('2026-07-07T22:55:00Z', '+275760-09-13T00:00:00Z', 'x'), fc.jsonValue()),
    devices: fc.oneof(fc.array(device, { maxLength: 4 }), fc.jsonValue()),
    links: fc.oneof(fc.array(link, { maxLength: 3 }), fc.jsonValue()),
  },
  { requiredKeys: ['format'] },
);

describe('scenario files (fast-check)', () => {
  it('any JSON gives a lab or problems, never an exception; a lab that loads runs', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        // JSON.stringify turns non-finite numbers into null; 1e999 is covered by schema.test.ts.
        const { lab, problems } = loadLab(JSON.stringify(s));
        for (const p of problems) expect(typeof p.message).toBe('string');
        if (!lab) return;
        await lab.kernel.runUntil(seconds(20));
        expect(lab.kernel.now).toBe(seconds(20));
        expect(lab.kernel.watchdog.count).toBe(0);
      }),
      { seed: 4242, numRuns: 1000 },
    );
  });
});
