// What the lesson-check tests share: a shipped lab run to a point in simulated time, configuration typed at a
// router's console, and one check wrapped in a lesson file for the hand-written validator and the JSON Schema
// (docs/scenario.schema.json), which must refuse the same mistakes.
import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { expect } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import { type Lab, loadLab } from './lab';

/** The shipped scenario `file` loaded (it must load without problems) and run to `untilSeconds`. */
export async function runShippedLab(file: string, untilSeconds: number): Promise<Lab> {
  const loaded = loadLab(readFileSync(file, 'utf8'));
  expect(loaded.lab?.problems).toEqual([]);
  const lab = loaded.lab!;
  await lab.kernel.runUntil(seconds(untilSeconds));
  return lab;
}

/** Types `lines` in configuration mode at `device`'s console (privileged EXEC, as a console session starts). */
export async function configure(lab: Lab, device: string, lines: readonly string[]): Promise<void> {
  const s = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  for (const l of ['configure terminal', ...lines, 'end']) await s.execute(l);
}

/** A scenario file's `lessons`: one lesson with one step holding the check `c`. */
export function lessonsWith(c: object): unknown {
  return [{ id: 'l', title: 'L', steps: [{ title: 'S', text: 'T', actions: [], checks: [c] }] }];
}

let compiled: ValidateFunction | undefined;

/** The JSON Schema compiled, and the smallest scenario file whose one lesson step holds the check `c`. */
export function scenarioSchema(): { validate: ValidateFunction; file: (c: object) => object } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8')) as object;
    compiled = new Ajv2020({ allErrors: true }).compile(schema);
  }
  const file = (c: object): object => ({
    format: 'getlab-scenario/2',
    title: 'T',
    devices: [{ name: 'R1', config: 'hostname R1' }],
    lessons: lessonsWith(c),
  });
  return { validate: compiled, file };
}
