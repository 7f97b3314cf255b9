// `npm run trace-hashes`: the trace hash of each shipped and generated lab after a fixed run, one line each.
// A refactor that must not change behaviour prints the same lines before and after (issue 16); a change that
// alters behaviour on purpose says so by changing a line. Not a test: a hash pinned in a test would fail on
// every intended behaviour change, so the comparison is made by hand in the change's note.
import { readFileSync } from 'node:fs';
import { CliSession } from '../src/sim/cli/cli-session';
import { seconds } from '../src/sim/kernel/time';
import type { TraceRecorder } from '../src/sim/kernel/trace';
import { generateHubSpokes } from '../src/sim/scenario/generate';
import { type Lab, loadLab } from '../src/sim/scenario/lab';
import { MROUTE_STORY } from '../src/sim/scenario/central-story.test-support';

export interface HashCase {
  readonly name: string;
  readonly text: () => string;
  readonly untilS: number;
  /** Console lines typed at a time: `[seconds, device, line]`. */
  readonly script?: readonly (readonly [number, string, string])[];
}

const file = (path: string) => (): string => readFileSync(path, 'utf8');
const hubSpokes = (spokes: number) => (): string => JSON.stringify(generateHubSpokes({ spokes, hubs: 1 }));

export const CASES: readonly HashCase[] = [
  { name: 'reference', text: file('public/scenarios/getvpn-multicast-rekey.json'), untilS: 1300 },
  {
    name: 'reference, mroute removed at 320 s and restored at 1000 s',
    text: file('public/scenarios/getvpn-multicast-rekey.json'),
    untilS: 1400,
    script: MROUTE_STORY,
  },
  { name: 'as-printed', text: file('public/scenarios/getvpn-as-printed.json'), untilS: 1300 },
  { name: 'hub-spokes:30', text: hubSpokes(30), untilS: 400 },
  { name: 'hub-spokes:200', text: hubSpokes(200), untilS: 330 },
  { name: 'hub-spokes:1000', text: hubSpokes(1000), untilS: 310 },
  // The new protocol's own lab (issue 16): not in the refactor baseline, its line is new.
  { name: 'bsr', text: file('public/scenarios/getvpn-bsr.json'), untilS: 1300 },
];

/** Runs a case to its end, recording into `trace` when given (a listener on it sees the lab's first record). */
export async function runCase(c: HashCase, trace?: TraceRecorder): Promise<Lab> {
  const { lab, problems } = loadLab(c.text(), 1, trace);
  if (!lab) throw new Error(`${c.name}: ${problems.map((p) => p.message).join('; ')}`);
  const consoles = new Map<string, CliSession>();
  for (const [at, device, line] of c.script ?? []) {
    await lab.kernel.runUntil(seconds(at));
    let cli = consoles.get(device);
    if (!cli) {
      cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
      consoles.set(device, cli);
    }
    await cli.execute(line);
  }
  await lab.kernel.runUntil(seconds(c.untilS));
  return lab;
}

async function run(c: HashCase): Promise<string> {
  const lab = await runCase(c);
  return `${lab.kernel.trace.hash()}  ${lab.kernel.eventsProcessed} events  ${c.name} to ${c.untilS} s`;
}

// Run as a script, not when trace-instants.ts imports the cases.
if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv[2];
  for (const c of CASES) {
    if (only && !c.name.startsWith(only)) continue;
    console.log(await run(c));
  }
}
