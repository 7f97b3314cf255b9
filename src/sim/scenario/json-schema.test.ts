// docs/scenario.schema.json (JSON Schema draft 2020-12) checked with a real validator (ajv) against every
// shipped scenario and a v1 fixture, and against the hand-written validator on broken files: both must refuse.
import { readdirSync, readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { parseScenario } from './schema';

const schema = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true }).compile(schema);

const shipped = readdirSync('public/scenarios')
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => `public/scenarios/${f}`);
const V1_FIXTURE = 'src/sim/scenario/fixtures/v1-two-routers.json';

const step = { title: 'S', text: 'T', actions: [], checks: [] };
const v2 = (lessons: unknown): object => ({
  format: 'getlab-scenario/2',
  title: 'T',
  seed: 1,
  devices: [{ name: 'R1', config: 'hostname R1' }],
  links: [],
  lessons,
});
const check = (c: object): object => v2([{ id: 'l', title: 'L', steps: [{ ...step, checks: [c] }] }]);
const action = (a: object): object =>
  v2([{ id: 'l', title: 'L', steps: [{ ...step, actions: [{ label: 'b', action: a }] }] }]);

/** Broken files: each must be refused by the schema and reported by parseScenario. */
const BROKEN: readonly [string, object][] = [
  ['unknown format', { format: 'getlab-scenario/3', devices: [] }],
  ['no devices', { format: 'getlab-scenario/1' }],
  ['device without config', { format: 'getlab-scenario/1', devices: [{ name: 'R1' }] }],
  ['device name with a space', { format: 'getlab-scenario/1', devices: [{ name: 'R 1', config: '' }] }],
  ['bad role', { format: 'getlab-scenario/1', devices: [{ name: 'R1', role: 'switch', config: '' }] }],
  ['link without b', { format: 'getlab-scenario/1', devices: [], links: [{ a: 'R1 Fa0/0' }] }],
  ['negative delay', { format: 'getlab-scenario/1', devices: [], links: [{ a: 'x', b: 'y', delayMs: -1 }] }],
  ['loss above 1', { format: 'getlab-scenario/1', devices: [], links: [{ a: 'x', b: 'y', loss: 2 }] }],
  ['seed not an integer', { format: 'getlab-scenario/1', seed: 1.5, devices: [] }],
  ['lessons in a v1 file', { format: 'getlab-scenario/1', devices: [], lessons: [] }],
  ['lessons not a list', v2({})],
  ['lesson without id', v2([{ title: 'L', steps: [] }])],
  ['step without text', v2([{ id: 'l', title: 'L', steps: [{ title: 'S' }] }])],
  ['unknown action', action({ kind: 'explode' })],
  ['run-to without seconds', action({ kind: 'run-to' })],
  ['run-for too long', action({ kind: 'run-for', seconds: 1e6 })],
  ['cli lines not text', action({ kind: 'cli', device: 'R1', lines: [1] })],
  ['unknown fault', action({ kind: 'fault', fault: 'reload', device: 'R1', on: true })],
  ['unknown check', check({ kind: 'ospf-full', device: 'R1' })],
  ['rpf without interface or neighbor', check({ kind: 'rpf', device: 'R1', source: '1.1.1.1' })],
  [
    'adjacency of an unknown protocol',
    check({ kind: 'adjacency', device: 'R1', protocol: 'ospf', neighbor: 'x' }),
  ],
  ['unknown event kind', check({ kind: 'event-since-step', device: 'R1', event: '__proto__' })],
  [
    'show-matches on a non-show command',
    check({ kind: 'show-matches', device: 'R1', command: 'reload', pattern: 'x' }),
  ],
  ['not without check', check({ kind: 'not' })],
  ['empty label', check({ kind: 'rekey-since-change', member: 'R1', label: ' ' })],
];

describe('docs/scenario.schema.json', () => {
  it.each([...shipped, V1_FIXTURE])('validates %s, which parseScenario loads without a problem', (file) => {
    const text = readFileSync(file, 'utf8');
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(parseScenario(text).problems).toEqual([]);
  });

  it('the v1 fixture loads unchanged (format 1 is still read as it was)', () => {
    const text = readFileSync(V1_FIXTURE, 'utf8');
    const file = JSON.parse(text) as { devices: object[] };
    // Only the documented default fills in: a device without "role" is a router.
    const devices = [file.devices[0], { ...file.devices[1], role: 'router' }];
    expect(parseScenario(text).scenario).toEqual({ ...file, devices });
  });

  it.each(BROKEN)('refuses a broken file, as parseScenario does: %s', (_name, file) => {
    expect(validate(file)).toBe(false);
    expect(parseScenario(JSON.stringify(file)).problems.length).toBeGreaterThan(0);
  });
});
