// Any sequence of edits, hostile names included, never throws and always leaves a scenario the loader takes
// without an error: every link the editor writes resolves to interfaces in both configs, every config it
// writes reads cleanly. And edits are pure functions of the text: the same text and edit give the same text.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { generateHubSpokes } from '../generate';
import { loadLab } from '../lab';
import { parseScenario, SCENARIO_FORMAT_V2 } from '../schema';
import { applyEdit } from './apply-edit';
import { EDIT_ROLES, type EditOp, type EditRole } from './edit-ops';
import { freeInterfaces } from './free-interfaces';

const starts = [
  readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'),
  `${JSON.stringify(generateHubSpokes({ spokes: 2 }))}\n`,
  `${JSON.stringify({ format: SCENARIO_FORMAT_V2, title: 'empty', description: '', seed: 1, devices: [], links: [] })}\n`,
];

const HOSTILE_NAMES = [
  'constructor',
  '__proto__',
  'toString',
  '',
  ' ',
  'GM 1',
  'Ünïcode',
  'a$&b',
  '$1',
  'GM-1\n',
  '!',
];
const HOSTILE_INTERFACES = ['Loopback0', 'Tunnel10', 'Serial99/0', 'Serial1/0.5', 'bogus', '', '__proto__'];

/**
 * A name: mostly one of the lab's devices at the time the edit is made (index `pick`), so that links, renames
 * and deletes are accepted, sometimes a hostile one or any short string.
 */
type NamePick = { readonly pick: number } | { readonly text: string };
const namePick: fc.Arbitrary<NamePick> = fc.oneof(
  { arbitrary: fc.record({ pick: fc.nat() }), weight: 8 },
  { arbitrary: fc.record({ text: fc.constantFrom(...HOSTILE_NAMES, 'x'.repeat(70)) }), weight: 1 },
  { arbitrary: fc.record({ text: fc.string({ maxLength: 6 }) }), weight: 1 },
);
/** An interface: mostly a free one of the device (`pick`), sometimes a used, virtual or made-up one. */
const ifacePick: fc.Arbitrary<NamePick> = fc.oneof(
  { arbitrary: fc.record({ pick: fc.nat() }), weight: 8 },
  {
    arbitrary: fc.record({ text: fc.constantFrom(...HOSTILE_INTERFACES, 'Serial1/0', 'se 1/1') }),
    weight: 1,
  },
  { arbitrary: fc.record({ text: fc.string({ maxLength: 6 }) }), weight: 1 },
);
const coordinate = fc.oneof(
  { arbitrary: fc.integer({ min: -2000, max: 2000 }), weight: 8 },
  { arbitrary: fc.constantFrom(Number.NaN, Infinity, -0, 1e308), weight: 1 },
);
const role = fc.constantFrom<EditRole>(...EDIT_ROLES.map((r) => r.role));

type OpPlan =
  | { kind: 'add-router'; role: EditRole; x: number; y: number; name?: NamePick }
  | { kind: 'add-link'; a: NamePick; ai: NamePick; b: NamePick; bi: NamePick; autoAddress: boolean }
  | { kind: 'delete-device'; device: NamePick }
  | { kind: 'delete-link'; device: NamePick; iface: NamePick }
  | { kind: 'rename'; device: NamePick; to: NamePick }
  | { kind: 'move'; device: NamePick; x: number; y: number };

const plan: fc.Arbitrary<OpPlan> = fc.oneof(
  fc.record({ kind: fc.constant('add-router' as const), role, x: coordinate, y: coordinate }),
  fc.record({ kind: fc.constant('add-router' as const), role, x: coordinate, y: coordinate, name: namePick }),
  fc.record({
    kind: fc.constant('add-link' as const),
    a: namePick,
    ai: ifacePick,
    b: namePick,
    bi: ifacePick,
    autoAddress: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('delete-device' as const), device: namePick }),
  fc.record({ kind: fc.constant('delete-link' as const), device: namePick, iface: ifacePick }),
  fc.record({ kind: fc.constant('rename' as const), device: namePick, to: namePick }),
  fc.record({ kind: fc.constant('move' as const), device: namePick, x: coordinate, y: coordinate }),
);

/** The edit a plan makes on this text: picks resolved against its devices and their free interfaces. */
function resolve(text: string, p: OpPlan): EditOp {
  const names = parseScenario(text).scenario?.devices.map((d) => d.name) ?? [];
  const device = (n: NamePick): string =>
    'text' in n ? n.text : (names[n.pick % Math.max(1, names.length)] ?? 'R1');
  const iface = (d: string, n: NamePick): string => {
    if ('text' in n) return n.text;
    const free = freeInterfaces(text, d);
    return free[n.pick % Math.max(1, free.length)] ?? 'Serial1/0';
  };
  switch (p.kind) {
    case 'add-router':
      return { kind: p.kind, role: p.role, x: p.x, y: p.y, ...(p.name ? { name: device(p.name) } : {}) };
    case 'add-link': {
      const [a, b] = [device(p.a), device(p.b)];
      return {
        kind: p.kind,
        a: { device: a, interface: iface(a, p.ai) },
        b: { device: b, interface: iface(b, p.bi) },
        autoAddress: p.autoAddress,
      };
    }
    case 'delete-device':
      return { kind: p.kind, device: device(p.device) };
    case 'delete-link': {
      // A linked interface: the first link of the device, or a made-up one.
      const d = device(p.device);
      const linked = parseScenario(text).scenario?.links.find((l) => l.a.startsWith(`${d} `));
      return {
        kind: p.kind,
        end: { device: d, interface: linked ? linked.a.slice(d.length + 1) : iface(d, p.iface) },
      };
    }
    case 'rename':
      return {
        kind: p.kind,
        device: device(p.device),
        to: 'text' in p.to ? p.to.text : `N${p.to.pick % 50}`,
      };
    case 'move':
      return { kind: p.kind, device: device(p.device), x: p.x, y: p.y };
  }
}

describe('applyEdit (fast-check)', () => {
  it('never throws, and every accepted edit gives a format 2 scenario that loads without an error and runs', async () => {
    const accepted = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...starts), fc.array(plan, { maxLength: 8 }), async (start, plans) => {
        let text = start;
        for (const p of plans) {
          const op = resolve(text, p);
          const r = applyEdit(text, op);
          expect(applyEdit(text, op)).toEqual(r);
          // Exactly one of text and error; an error is a reason, never a caught exception.
          expect((r.text === undefined) !== (r.error === undefined)).toBe(true);
          if (r.error !== undefined) {
            expect(r.error).not.toMatch(/^The edit failed/);
            continue;
          }
          const { scenario, problems } = parseScenario(r.text!);
          expect(scenario?.format).toBe(SCENARIO_FORMAT_V2);
          expect(problems.filter((q) => q.severity !== 'warning')).toEqual([]);
          const loaded = loadLab(r.text!);
          expect(loaded.problems.filter((q) => q.severity === 'error')).toEqual([]);
          accepted.set(op.kind, (accepted.get(op.kind) ?? 0) + 1);
          text = r.text!;
        }
        // The edited lab runs: no router's work is stopped by the watchdog.
        const { lab } = loadLab(text);
        await lab?.kernel.runUntil(seconds(5));
        expect(lab?.kernel.watchdog.count ?? 0).toBe(0);
      }),
      { seed: 1717, numRuns: 120 },
    );
    // The runs exercised every kind of edit, not only refusals.
    for (const kind of ['add-router', 'add-link', 'delete-device', 'delete-link', 'rename', 'move'])
      expect(accepted.get(kind) ?? 0).toBeGreaterThan(5);
  });
});
