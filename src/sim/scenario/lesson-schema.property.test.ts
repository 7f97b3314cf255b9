// Issue 17: no lessons in a format-2 file break the loader or the grader. Any JSON in any lesson field gives
// lessons or problems with JSON paths, never an exception; every check that is kept evaluates to a result.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from './checks';
import { loadLab } from './lab';
import { LessonDriver } from './lesson-actions';

const LAB = {
  format: 'getlab-scenario/2',
  devices: [
    { name: 'R1', config: 'interface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\n' },
    { name: 'constructor', config: 'interface FastEthernet0/0\n ip address 10.0.0.2 255.255.255.0\n' },
  ],
  links: [{ a: 'R1 Fa0/0', b: 'constructor Fa0/0' }],
};

/** Mostly names and addresses a check can use, sometimes any JSON at all. */
const text = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('R1', 'constructor', '__proto__', '1.1.1.1', '10.0.0.2', 'x') },
  { weight: 1, arbitrary: fc.oneof(fc.constant(''), fc.jsonValue()) },
);
const check = fc.letrec((tie) => ({
  check: fc.oneof(
    { depthSize: 'small' },
    fc.record(
      {
        kind: fc.oneof(
          fc.constantFrom('rpf', 'gm-current-tek', 'adjacency', 'event-since-step', 'rekey-since-change'),
          fc.constantFrom('show-matches', 'not', 'toString'),
          fc.jsonValue(),
        ),
        label: text,
        device: text,
        member: text,
        source: text,
        interface: fc.oneof(fc.constantFrom('FastEthernet0/0', 'Tunnel10'), fc.jsonValue()),
        neighbor: text,
        protocol: fc.oneof(fc.constantFrom('pim', 'eigrp', 'nhrp', 'ospf'), fc.jsonValue()),
        event: fc.oneof(fc.constantFrom('rpf-drop', 'log', '__proto__'), fc.jsonValue()),
        command: fc.oneof(
          fc.constantFrom('show ip route', 'show clock', 'reload', 'sh ip int brief'),
          fc.jsonValue(),
        ),
        pattern: fc.oneof(fc.constantFrom('10\\.0', '(', '^$', '[a-'), fc.string({ maxLength: 6 })),
        check: tie('check'),
        up: fc.oneof(fc.boolean(), fc.jsonValue()),
      },
      {
        requiredKeys: [
          'kind',
          'device',
          'member',
          'source',
          'neighbor',
          'protocol',
          'event',
          'command',
          'pattern',
        ],
      },
    ),
    fc.jsonValue(),
  ),
})).check;
const action = fc.oneof(
  fc.record(
    {
      kind: fc.oneof(
        fc.constantFrom('run-to', 'run-for', 'cli', 'fault', 'next-rekey', 'until-rekey', 'all'),
        fc.jsonValue(),
      ),
      seconds: fc.oneof(fc.constantFrom(0, 1, 5, -1, 1e9), fc.jsonValue()),
      maxSeconds: fc.oneof(fc.constantFrom(0, 3), fc.jsonValue()),
      device: text,
      member: text,
      ks: text,
      fault: fc.oneof(fc.constantFrom('mroute', 'nbma-mode'), fc.jsonValue()),
      on: fc.jsonValue(),
      lines: fc.oneof(fc.constant(['show clock']), fc.jsonValue()),
      actions: fc.jsonValue(),
    },
    { requiredKeys: ['kind', 'seconds', 'device', 'member', 'ks', 'fault', 'on', 'lines'] },
  ),
  fc.jsonValue(),
);
/** Well-formed lessons and steps around the random buttons and checks, or any JSON in their place. */
const step = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      title: fc.constant('S'),
      text: fc.constant('Some *Markdown*'),
      actions: fc.array(fc.record({ label: fc.constant('b'), action }), { maxLength: 2 }),
      checks: fc.array(check, { maxLength: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);
const lessons = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.array(
      fc.record({
        id: fc.constantFrom('a', 'b', '__proto__'),
        title: text,
        steps: fc.array(step, { maxLength: 2 }),
      }),
      { maxLength: 2 },
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue() },
);

describe('lessons in a scenario file (fast-check)', () => {
  it('any JSON gives lessons or problems with paths, never an exception; kept checks and actions run', async () => {
    let kept = 0;
    await fc.assert(
      fc.asyncProperty(lessons, async (l) => {
        const { lab, problems } = loadLab(JSON.stringify({ ...LAB, lessons: l }));
        expect(lab).toBeDefined();
        for (const p of problems) expect(typeof p.message).toBe('string');
        const driver = new LessonDriver(lab!);
        for (const lesson of lab!.lessons) {
          for (const s of lesson.steps) {
            for (const b of s.actions) await driver.perform(b.action);
            for (const c of s.checks) {
              kept++;
              const r = await evaluateCheck(lab!, c, 0);
              expect(typeof r.pass).toBe('boolean');
              expect(r.detail).not.toBe('');
            }
          }
        }
        expect(lab!.kernel.watchdog.count).toBe(0);
      }),
      { seed: 1717, numRuns: 300 },
    );
    // The generator does reach the evaluator: some random checks are valid ones.
    expect(kept).toBeGreaterThan(10);
  }, 120_000);
});
