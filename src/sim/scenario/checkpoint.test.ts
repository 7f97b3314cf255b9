// Issue 18, "time travel in constant time": restoring a checkpoint and running on gives the same trace hash as
// running straight through, tested at many points of every shipped lab, including instants with frames in
// flight, console lines before and after the checkpoint, and a generated two-hub lab.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../cli/cli-session';
import { copyGraph } from '../kernel/snapshot';
import { seconds } from '../kernel/time';
import { MROUTE_STORY } from './central-story.test-support';
import {
  adoptAsCheckpoint,
  type Checkpoint,
  fillerCopyInSlices,
  handOver,
  restoreCheckpoint,
  spareCopyInSlices,
  takeCheckpoint,
  takeCheckpointInSlices,
} from './checkpoint';
import { generateHubSpokes } from './generate';
import { type Lab, loadLab } from './lab';

type Script = readonly (readonly [number, string, string])[];
type Consoles = Map<string, CliSession>;

const scenario = (name: string): string => readFileSync(`public/scenarios/${name}.json`, 'utf8');

function load(text: string): Lab {
  const { lab, problems } = loadLab(text, 1);
  if (!lab) throw new Error(problems.map((p) => p.message).join('; '));
  return lab;
}

async function type(lab: Lab, consoles: Consoles, device: string, line: string): Promise<void> {
  let cli = consoles.get(device);
  if (!cli) consoles.set(device, (cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs })));
  await cli.execute(line);
}

/** Runs to `untilS`, typing the script's lines at their times; stops at each of `stops` (s) to call `at`. */
async function run(
  lab: Lab,
  consoles: Consoles,
  script: Script,
  untilS: number,
  stops: readonly number[] = [],
  at: (lab: Lab, consoles: Consoles) => void = () => undefined,
  fromS = 0,
): Promise<void> {
  const steps = [
    ...script.filter(([t]) => t > fromS).map(([t, d, l]) => ({ t, d, l })),
    ...stops.map((t) => ({ t, d: '', l: '' })),
  ].sort((a, b) => a.t - b.t || (a.d === '' ? 1 : 0) - (b.d === '' ? 1 : 0));
  for (const s of steps) {
    await lab.kernel.runUntil(seconds(s.t));
    if (s.d) await type(lab, consoles, s.d, s.l);
    else at(lab, consoles);
  }
  await lab.kernel.runUntil(seconds(untilS));
}

interface Straight {
  readonly hash: string;
  readonly events: number;
  readonly shows: readonly string[];
}

const SHOWS: readonly (readonly [string, string])[] = [
  ['GM-2', 'show ip mroute'],
  ['GM-2', 'show crypto gdoi'],
  ['Central', 'show ip pim neighbor'],
  ['KS', 'show crypto gdoi ks members'],
];

async function shows(lab: Lab, devices: readonly (readonly [string, string])[]): Promise<string[]> {
  const out: string[] = [];
  for (const [device, line] of devices) {
    const r = lab.router(device);
    if (!r) continue;
    const cli = new CliSession(r, { epochMs: lab.epochMs });
    out.push(await cli.execute(line));
  }
  return out;
}

async function straight(text: string, script: Script, untilS: number): Promise<Straight> {
  const lab = load(text);
  await run(lab, new Map(), script, untilS);
  return {
    hash: lab.kernel.trace.hash(),
    events: lab.kernel.eventsProcessed,
    shows: await shows(lab, SHOWS),
  };
}

/**
 * Runs once, taking a checkpoint at each stop; the run itself must still end as the straight run. Then restores
 * every checkpoint (newest first, then oldest: the run's one trace recorder is rewound each time) and runs on.
 */
async function checkEveryStop(
  text: string,
  script: Script,
  untilS: number,
  stopsS: readonly number[],
): Promise<void> {
  const expected = await straight(text, script, untilS);
  const lab = load(text);
  const checkpoints: { s: number; cp: Checkpoint<Consoles> }[] = [];
  let i = 0;
  await run(lab, new Map(), script, untilS, stopsS, (l, consoles) => {
    checkpoints.push({ s: stopsS[i++]!, cp: takeCheckpoint(l, consoles) });
  });
  expect(lab.kernel.trace.hash(), 'the run that took the checkpoints').toBe(expected.hash);
  const trace = lab.kernel.trace;
  for (const { s, cp } of [...checkpoints].reverse()) {
    const { lab: restored, extra: consoles } = restoreCheckpoint(cp, trace);
    expect(restored.kernel.now).toBe(seconds(s));
    await run(restored, consoles, script, untilS, [], undefined, s);
    expect(`${restored.kernel.trace.hash()} ${restored.kernel.eventsProcessed}`, `restored at ${s} s`).toBe(
      `${expected.hash} ${expected.events}`,
    );
    expect(await shows(restored, SHOWS), `show output after restoring at ${s} s`).toEqual(expected.shows);
  }
}

// Instants chosen to land between a frame's departure and its arrival (odd microseconds), on protocol timers,
// around the first registration, rekeys and the console lines.
const STOPS = [
  0, 0.5, 1.000_13, 7.3, 30, 59.999_9, 60.000_37, 120, 200.001_7, 301, 320, 500.25, 777, 1000, 1234,
];

describe('checkpoints (issue 18)', () => {
  it('the reference lab: restore at 15 points and run to 1,300 s, same hash and show output', async () => {
    await checkEveryStop(scenario('getvpn-multicast-rekey'), [], 1300, STOPS);
  }, 120_000);

  it('the central story with console lines before and after each checkpoint', async () => {
    await checkEveryStop(scenario('getvpn-multicast-rekey'), MROUTE_STORY, 1400, STOPS);
  }, 120_000);

  it.each(['getvpn-bsr', 'getvpn-unicast-rekey', 'dmvpn-phase2', 'autorp-sparse-mode', 'getvpn-as-printed'])(
    '%s: restore at several points, same hash',
    async (name) => {
      await checkEveryStop(scenario(name), [], 700, [0, 1.000_13, 45.5, 200.001_7, 333, 650]);
    },
    120_000,
  );

  it('a generated lab of 2 hubs and 12 spokes (EIGRP, NHRP, PIM at scale)', async () => {
    const text = JSON.stringify(generateHubSpokes({ spokes: 12, hubs: 2 }));
    await checkEveryStop(text, [], 400, [2.000_31, 40, 150.000_9, 305]);
  }, 120_000);

  it('a checkpoint restored twice runs the same twice, and restoring leaves it intact', async () => {
    const lab = load(scenario('getvpn-multicast-rekey'));
    await lab.kernel.runUntil(seconds(250));
    const cp = takeCheckpoint(lab, undefined);
    await lab.kernel.runUntil(seconds(600));
    const first = lab.kernel.trace.hash();
    for (let k = 0; k < 2; k++) {
      const { lab: again } = restoreCheckpoint(cp, lab.kernel.trace);
      await again.kernel.runUntil(seconds(600));
      expect(again.kernel.trace.hash()).toBe(first);
    }
  }, 60_000);

  // Issue 18: a lab's first run makes the booted lab itself the first checkpoint and runs one copy of it (the worker
  // made two copies there and dropped the booted lab). The copy must run as the lab would have, and the checkpoint,
  // never run, must still restore to the same run after the copy has run on.
  it('the booted lab adopted as the first checkpoint: its running copy and later restores run as the lab would', async () => {
    const text = scenario('getvpn-multicast-rekey');
    const straight = load(text);
    await straight.kernel.runUntil(seconds(400));
    const straightRun = `${straight.kernel.trace.hash()} ${straight.kernel.eventsProcessed}`;

    const lab = load(text);
    await lab.kernel.runUntilCondition(() => true, lab.kernel.now); // the boot's pending work, as the worker does
    const { checkpoint, running } = adoptAsCheckpoint(lab, 'extra');
    expect(checkpoint.state.lab).toBe(lab);
    expect(running.lab).not.toBe(lab);
    expect(running.extra).toBe('extra');
    expect(checkpoint.objects).toBeGreaterThan(1000);
    await running.lab.kernel.runUntil(seconds(400));
    expect(`${running.lab.kernel.trace.hash()} ${running.lab.kernel.eventsProcessed}`).toBe(straightRun);
    expect(lab.kernel.now).toBe(0);
    const { lab: again } = restoreCheckpoint(checkpoint, running.lab.kernel.trace);
    await again.kernel.runUntil(seconds(400));
    expect(`${again.kernel.trace.hash()} ${again.kernel.eventsProcessed}`).toBe(straightRun);
  }, 60_000);

  // Issue 18: the idle worker copies a piece at a time (src/worker/checkpoints.ts); whatever the pieces, the
  // checkpoint and the copies made of it must run on exactly as the straight run.
  it('a checkpoint, a spare and a filler copied in small slices run on as the straight run', async () => {
    const lab = load(scenario('getvpn-multicast-rekey'));
    await lab.kernel.runUntil(seconds(60.000_37)); // frames in flight
    const slicing = takeCheckpointInSlices(lab, undefined);
    let slices = 1;
    while (!slicing.step(97)) slices++;
    expect(slices).toBeGreaterThan(10);
    const cp = slicing.result();
    expect(cp.objects).toBe(takeCheckpoint(lab, undefined).objects);
    await lab.kernel.runUntil(seconds(700));
    const straightRun = `${lab.kernel.trace.hash()} ${lab.kernel.eventsProcessed}`;

    const spare = spareCopyInSlices(cp, lab.kernel.trace);
    expect(() => spare.result()).toThrow(/not complete/);
    while (!spare.step(101));
    const { lab: restored } = handOver(spare.result());
    await restored.kernel.runUntil(seconds(700));
    expect(`${restored.kernel.trace.hash()} ${restored.kernel.eventsProcessed}`).toBe(straightRun);

    // A filler runs on a scratch recorder of its own, which counts and hashes as the run's did.
    const filler = fillerCopyInSlices(cp);
    while (!filler.step(1_000));
    const { lab: replay } = filler.result();
    expect(replay.kernel.trace).not.toBe(lab.kernel.trace);
    await replay.kernel.runUntil(seconds(700));
    expect(`${replay.kernel.trace.hash()} ${replay.kernel.eventsProcessed}`).toBe(straightRun);
  }, 60_000);

  // Issue 18: pseudotime stamps (esp/anti-replay.ts) and RIB routes (device/rib.ts) are frozen when made, so a
  // checkpoint shares them with the running lab instead of copying them. Were one of them changed after all, a
  // restored lab would see the running lab's change and its trace would part from the straight run's.
  it('a checkpoint sharing frozen objects runs on as one copying them (fast-check over the shipped labs)', async () => {
    const labs = [
      ['getvpn-multicast-rekey', scenario('getvpn-multicast-rekey')],
      ['getvpn-as-printed', scenario('getvpn-as-printed')],
      ['getvpn-bsr', scenario('getvpn-bsr')],
      ['hub-spokes:12', JSON.stringify(generateHubSpokes({ spokes: 12, hubs: 1 }))],
    ] as const;
    const untilS = 400;
    const expected = new Map<string, string>();
    for (const [name, text] of labs) expected.set(name, (await straight(text, [], untilS)).hash);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...labs),
        fc.integer({ min: 60_000_000, max: 399_999_999 }),
        async ([name, text], us) => {
          const lab = load(text);
          await lab.kernel.runUntil(us);
          const trace = lab.kernel.trace;
          const shared = takeCheckpoint(lab, undefined);
          const stats = { objects: 0 };
          const replace = new Map<object, unknown>([[trace, trace]]);
          const state = copyGraph(shared.state, { copyFrozen: true, replace, stats });
          const unshared: Checkpoint = { ...shared, state, objects: stats.objects };
          // Something was shared: the routes at least (every lab has converged by 60 s).
          expect(shared.objects).toBeLessThan(unshared.objects);
          await lab.kernel.runUntil(seconds(untilS));
          for (const cp of [shared, unshared]) {
            const { lab: restored } = restoreCheckpoint(cp, trace);
            await restored.kernel.runUntil(seconds(untilS));
            expect(restored.kernel.trace.hash(), `${name} at ${us} us`).toBe(expected.get(name));
          }
        },
      ),
      { numRuns: 8, seed: 18 },
    );
  }, 180_000);

  it('random checkpoint instants (fast-check, 8 runs) give the straight run hash', async () => {
    const text = scenario('getvpn-multicast-rekey');
    const expected = await straight(text, [], 500);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 499_999_999 }), async (us) => {
        const lab = load(text);
        await lab.kernel.runUntil(us);
        const cp = takeCheckpoint(lab, undefined);
        const { lab: restored } = restoreCheckpoint(cp, lab.kernel.trace);
        await restored.kernel.runUntil(seconds(500));
        expect(restored.kernel.trace.hash()).toBe(expected.hash);
      }),
      { numRuns: 8, seed: 18 },
    );
  }, 120_000);
});
