// Issue 18 (the page stays fluid at scale): while the page plays in realtime it asks for a run every frame, and a
// frame can take longer than the worker's idle delay (a loaded machine). The worker then must not start its idle
// work between two runs (a checkpoint's spare copy: 1-2 s at 1,000 spokes, which held the next run back and
// starved the page's compositing); stopped, the idle work comes back.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE } from './reference-lab.test-support';

const S = 1_000_000;

/** One macrotask: an idle worker (idle delay 0 ms) makes its spare copy then. */
const idle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Only the checkpoint at t = 0: the spare made while idle is a copy of that one. */
const ANCHOR_ONLY = { minMs: 1e12, copyFactor: 0 };

/** A worker with the reference lab loaded, told that the page plays. */
async function playingWorker(): Promise<ReturnType<typeof createSimApi>> {
  const api = createSimApi({ checkpoints: ANCHOR_ONLY, spareAfterMs: 0 });
  await api.load(REFERENCE);
  await api.setPlaying(true);
  return api;
}

/** Two quiet moments pass with no spare copy while playing; once the page stops, the next one makes it. */
async function expectSpareOnlyOnceStopped(api: ReturnType<typeof createSimApi>): Promise<void> {
  await idle();
  await idle();
  expect((await api.checkpoints()).spareAt).toBeUndefined();
  await api.setPlaying(false);
  await idle();
  expect((await api.checkpoints()).spareAt).toBe(0);
}

describe('the worker while the page plays (setPlaying)', () => {
  it('makes no spare copy in a quiet moment between two runs while playing, and makes it once stopped', async () => {
    const api = await playingWorker();
    for (const s of [10, 20]) {
      await api.runUntil(s * S);
      await idle();
      await idle();
    }
    await api.runUntil(30 * S);
    await expectSpareOnlyOnceStopped(api);
  }, 60_000);

  it('makes no spare copy after a rewind while playing (a scrub during play)', async () => {
    const api = await playingWorker();
    await api.runUntil(30 * S);
    await api.rewind(20 * S);
    await expectSpareOnlyOnceStopped(api);
  }, 60_000);

  it('cancels idle work a run scheduled just before the page started playing', async () => {
    const api = createSimApi({ checkpoints: ANCHOR_ONLY, spareAfterMs: 0 });
    await api.load(REFERENCE);
    await api.runUntil(10 * S);
    await api.setPlaying(true);
    await idle();
    await idle();
    expect((await api.checkpoints()).spareAt).toBeUndefined();
  }, 60_000);
});
