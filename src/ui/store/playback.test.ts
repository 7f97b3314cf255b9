// The playback clock: realtime frames run the lab by wall time × speed; simulation mode's Next shows one event of
// the filtered protocols at a time and Back returns to the previous one; Step runs one kernel event.
import { describe, expect, it } from 'vitest';
import { createSimStore } from './compose';
import type { PageApi } from '../../worker/protocol';
import { SECOND, fakeEnv, replayEnv, settle, smallRecording } from './fake-env.test-support';
import { replayWorker } from './replay-worker';

async function loadedStore() {
  const env = replayEnv();
  const store = createSimStore(env);
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  return { env, store };
}

describe('the playback slice', () => {
  it('plays in realtime: each frame runs the lab for the wall time since the last one, times the speed', async () => {
    const { env, store } = await loadedStore();
    store.getState().setSpeed(10);
    store.getState().play();
    expect(store.getState().running).toBe(true);
    env.frames.tick(100);
    await settle();
    // 100 ms of wall time at 10× is one simulated second.
    expect(store.getState().now).toBe(SECOND);
    expect(store.getState().trace).toHaveLength(1);
    // A long gap (a hidden tab) counts as 250 ms at most: 2.5 s at 10×.
    env.frames.tick(60_000);
    await settle();
    expect(store.getState().now).toBe(3.5 * SECOND);
    store.getState().pause();
    expect(store.getState().running).toBe(false);
    expect(env.frames.pending).toBe(0);
  });

  it('tells the worker it plays in realtime and when it stops (no idle work between two frames’ runs)', async () => {
    const worker = replayWorker(smallRecording());
    const told: boolean[] = [];
    const api = worker.api();
    const spied: PageApi = {
      ...api,
      setPlaying: async (on: boolean) => {
        told.push(on);
      },
    };
    const env = fakeEnv({ ...worker, api: () => spied });
    const store = createSimStore(env);
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    store.getState().pause();
    await settle();
    // Not playing yet: nothing to say.
    expect(told).toEqual([]);
    store.getState().play();
    env.frames.tick(100);
    await settle();
    env.frames.tick(100);
    await settle();
    expect(told).toEqual([true]);
    store.getState().pause();
    await settle();
    expect(told).toEqual([true, false]);
    // Simulation mode's Play steps event by event (no run per frame): the worker is not told.
    store.getState().setMode('simulation');
    store.getState().play();
    store.getState().pause();
    await settle();
    expect(told).toEqual([true, false]);
  });

  it('does nothing on Play without a lab', () => {
    const store = createSimStore(replayEnv());
    store.getState().play();
    expect(store.getState().running).toBe(false);
  });

  it('steps one event at a time', async () => {
    const { store } = await loadedStore();
    await store.getState().step();
    expect(store.getState().now).toBe(SECOND);
    await store.getState().step();
    expect(store.getState().now).toBe(2 * SECOND);
    await store.getState().step();
    expect(store.getState().trace.map((e) => e.record.kind)).toEqual(['packet', 'packet', 'log']);
  });

  it('simulation mode: Next finds the next event of the filtered protocol and shows it alone; Back returns', async () => {
    const { store } = await loadedStore();
    store.getState().setMode('simulation');
    store.getState().toggleProtocol('gdoi');
    await store.getState().nextEvent();
    let s = store.getState();
    // The GDOI rekey at 3 s: the EIGRP hellos before it are in the list, only the step's packet is drawn.
    expect(s.eventTime).toBe(3 * SECOND + 1);
    expect(s.stepSeqs).toHaveLength(1);
    const rekey = s.trace.find((e) => e.seq === s.stepSeqs[0]);
    expect(rekey?.record.kind === 'packet' && rekey.record.protocols).toEqual(['ipv4', 'esp', 'gre', 'gdoi']);
    expect(s.selectedSeq).toBe(s.stepSeqs[0]);
    store.getState().toggleProtocol('gdoi');
    store.getState().toggleProtocol('pim');
    await store.getState().nextEvent();
    s = store.getState();
    expect(s.eventTime).toBe(5 * SECOND + 1);
    await store.getState().previousEvent();
    s = store.getState();
    expect(s.eventTime).toBe(3 * SECOND + 1);
    expect(s.now).toBe(3 * SECOND + 1);
    expect(s.rewinding).toBe(false);
  });

  it('Next with nothing of the protocol ahead says so and stops', async () => {
    const { store } = await loadedStore();
    store.getState().setMode('simulation');
    store.getState().toggleProtocol('bsr');
    await store.getState().nextEvent();
    const s = store.getState();
    expect(s.stepNote).toBe('No BSR event in the next 1 h of simulated time.');
    expect(s.stepSeqs).toEqual([]);
    expect(s.running).toBe(false);
  });

  it('seeks forward by running on and backward by re-simulating; a console line forgets the steps Back walks', async () => {
    const { store } = await loadedStore();
    await store.getState().seek(12 * SECOND);
    expect(store.getState().now).toBe(12 * SECOND);
    await store.getState().seek(-5);
    expect(store.getState().now).toBe(0);
    expect(store.getState().trace).toEqual([]);
    store.getState().setMode('simulation');
    await store.getState().nextEvent();
    await store.getState().nextEvent();
    await store.getState().exec('KS', 'show clock');
    // Back without steps goes to the matching record before the current step.
    await store.getState().previousEvent();
    expect(store.getState().eventTime).toBe(SECOND);
  });
});
