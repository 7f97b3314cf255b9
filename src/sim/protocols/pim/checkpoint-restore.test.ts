// Issue 18 (checkpoints): a PIM lab restored from a checkpoint taken while its short protocol timers run (Register
// suppression, assert states, keepalives) runs on exactly as the straight run, and leaves the original alone.
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { type Checkpoint, restoreCheckpoint, takeCheckpoint } from '../../scenario/checkpoint';
import { lanLab, sptLab } from './labs.test-support';
import { cli } from './test-lab.test-support';

/** Runs `lab` to `untilS` (s), calling `at` at each of `stopsS` on the way. */
async function runWithStops(
  lab: Lab,
  untilS: number,
  stopsS: readonly number[],
  at: () => void,
): Promise<void> {
  for (const s of stopsS) {
    await lab.kernel.runUntil(seconds(s));
    at();
  }
  await lab.kernel.runUntil(seconds(untilS));
}

async function showAll(lab: Lab, lines: readonly (readonly [string, string])[]): Promise<string[]> {
  const out: string[] = [];
  for (const [device, line] of lines) out.push(await cli(lab, device).execute(line));
  return out;
}

/**
 * Runs a PIM lab straight to `untilS`; runs it again taking a checkpoint at each stop; restores each checkpoint
 * and runs it on. Every run must end with the straight run's trace hash, event count and show output, and running
 * a restored copy must leave the lab it was taken from as it was (no callback acts on the original).
 */
async function restoresLikeStraight(
  make: () => Lab,
  prepare: (lab: Lab) => Promise<void>,
  stopsS: readonly number[],
  untilS: number,
  lines: readonly (readonly [string, string])[],
): Promise<void> {
  const straight = make();
  await prepare(straight);
  await straight.kernel.runUntil(seconds(untilS));
  const expected = {
    run: `${straight.kernel.trace.hash()} ${straight.kernel.eventsProcessed}`,
    shows: await showAll(straight, lines),
  };
  const lab = make();
  await prepare(lab);
  const checkpoints: Checkpoint[] = [];
  await runWithStops(lab, untilS, stopsS, () => checkpoints.push(takeCheckpoint(lab, undefined)));
  expect(`${lab.kernel.trace.hash()} ${lab.kernel.eventsProcessed}`).toBe(expected.run);
  const originalShows = await showAll(lab, lines);
  for (const cp of [...checkpoints].reverse()) {
    const { lab: restored } = restoreCheckpoint(cp, lab.kernel.trace);
    await restored.kernel.runUntil(seconds(untilS));
    const at = `restored at ${cp.t} µs`;
    expect(`${restored.kernel.trace.hash()} ${restored.kernel.eventsProcessed}`, at).toBe(expected.run);
    expect(await showAll(restored, lines), at).toEqual(expected.shows);
  }
  expect(await showAll(lab, lines), 'the lab the checkpoints were taken from').toEqual(originalShows);
}

describe('a restored PIM lab runs on as the straight run (issue 18 checkpoints)', () => {
  it('Register, Register-Stop suppression and its null-Register probe, the SPT switch, (S,G) keepalives', async () => {
    // Checkpoints during Register suppression (Register_Suppression_Time 60 s, the probe 5 s before its end,
    // RFC 7761 §4.4.1), one microsecond after a Register-Stop, and while the (S,G) keepalives (3:00) run out.
    const ping = async (lab: Lab): Promise<void> => {
      await lab.kernel.runUntil(seconds(40));
      await cli(lab, 'SRC').execute('ping 239.2.2.2 source Serial1/0 repeat 3');
    };
    await restoresLikeStraight(
      () => sptLab(),
      ping,
      [45.000_1, 60.5, 99.999_9, 100.000_3, 130, 225.25, 240],
      300,
      [
        ['R1', 'show ip mroute'],
        ['RP', 'show ip mroute'],
        ['R3', 'show ip mroute'],
        ['RP', 'show ip pim neighbor'],
        ['R3', 'show ip igmp groups'],
      ],
    );
  }, 120_000);

  it('Assert winner and loser on a multi-access link, through the winner re-asserting and the states ageing out', async () => {
    // The winner re-asserts 3 s before Assert_Time (180 s) runs out; the loser's state ages out (RFC 7761 §4.6).
    const pingTwice = async (lab: Lab): Promise<void> => {
      await lab.kernel.runUntil(seconds(60));
      for (let i = 0; i < 2; i++) await cli(lab, 'SRC').execute('ping 239.1.1.1 source Loopback0 repeat 1');
    };
    await restoresLikeStraight(
      () => lanLab(5),
      pingTwice,
      [62.000_7, 90, 238.5, 241.000_1, 300, 420.5],
      500,
      [
        ['R1', 'show ip mroute 239.1.1.1'],
        ['R2', 'show ip mroute 239.1.1.1'],
        ['R3', 'show ip mroute 239.1.1.1'],
        ['R3', 'show ip pim neighbor'],
      ],
    );
  }, 120_000);
});
