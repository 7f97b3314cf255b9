// The playback clock: realtime frames run the lab by wall time × speed; simulation mode's Next shows one event of
// the filtered protocols at a time and Back returns to the previous one; Step runs one kernel event.
import { describe, expect, it } from 'vitest';
import { createSimStore } from './compose';
import type { ColumnBatch, Marker, PageApi, TraceRecord } from '../../worker/protocol';
import { encodeRecordColumns } from '../../worker/record-columns';
import { SECOND, fakeEnv, replayEnv, settle, smallRecording } from './fake-env.test-support';
import { MAX_INGEST_SLICE } from './playback';
import { replayWorker } from './replay-worker';
import type { TraceDelivery } from './state';

async function loadedStore() {
  const env = replayEnv();
  const store = createSimStore(env);
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  return { env, store };
}

/** A big lab's realtime frame: BIG packets sent, 1 µs apart from 1 s on, then the worker's time at 2 s. */
const BIG = 5000;
function bigPacket(i: number): TraceRecord {
  return {
    kind: 'packet',
    t: SECOND + i,
    event: 'sent',
    device: 'KS',
    iface: 'Ethernet0/0',
    link: 'KS Ethernet0/0--GM-1 Ethernet0/0',
    frameId: i + 1,
    protocols: ['ipv4', 'udp'],
    summary: `datagram ${i}`,
  };
}

/** The big batch's timeline markers: in its first slice, its third, and its last. */
const BIG_MARKERS: readonly Marker[] = [10, 2500, 4999].map((i) => ({
  t: SECOND + i,
  kind: 'rekey',
  device: 'KS',
  text: `rekey ${i}`,
}));

/**
 * A store whose worker answers the first realtime run with one BIG-record batch (the worker's time then 2 s) and
 * every later one with nothing new; the other calls play the small recording. Every delivery to the animation is kept.
 */
async function bigBatchStore() {
  const worker = replayWorker(smallRecording());
  const api = worker.api();
  const records = Array.from({ length: BIG }, (_, i) => bigPacket(i));
  const runs: number[] = [];
  const spied: PageApi = {
    ...api,
    runUntilColumns: async (time: number): Promise<ColumnBatch> => {
      runs.push(time);
      const first = runs.length === 1;
      return {
        now: 2 * SECOND,
        clock: '00:00:02.000',
        total: BIG,
        columns: encodeRecordColumns(first ? records : []),
        markers: first ? BIG_MARKERS : [],
      };
    },
  };
  const env = fakeEnv({ ...worker, api: () => spied });
  const store = createSimStore(env);
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  const delivered: { records: readonly TraceRecord[]; delivery: TraceDelivery }[] = [];
  store.getState().subscribeTrace((r, _now, delivery) => delivered.push({ records: r, delivery }));
  /** One animation frame, and the worker's answer if one was asked for. */
  const frame = async () => {
    env.frames.tick(16);
    await settle();
  };
  return { env, store, records, runs, delivered, frame };
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

  it('takes a 5,000-record batch over several frames, in order, the clock showing what is in so far', async () => {
    const { store, records, runs, delivered, frame } = await bigBatchStore();
    store.getState().play();
    await frame();
    // The batch arrived: one slice is in, the clock stops at its last record, the rest waits for the next frames.
    expect(delivered.map((d) => d.records.length)).toEqual([MAX_INGEST_SLICE]);
    expect(store.getState().now).toBe(records[MAX_INGEST_SLICE - 1]?.t);
    expect(store.getState().traceTotal).toBe(MAX_INGEST_SLICE);
    // A marker shows with the slice that reaches its time.
    expect(store.getState().markers).toEqual(BIG_MARKERS.slice(0, 1));
    let frames = 1;
    while (store.getState().now < 2 * SECOND && frames < 20) {
      await frame();
      frames++;
    }
    // One slice a frame (the frame the batch arrived in took its first already).
    expect(delivered).toHaveLength(BIG / MAX_INGEST_SLICE);
    expect(frames).toBe(BIG / MAX_INGEST_SLICE + 1);
    // Nothing dropped, nothing reordered, each slice numbered where the one before it ended.
    expect(delivered.flatMap((d) => d.records)).toEqual(records);
    expect(delivered.map((d) => d.delivery.firstSeq)).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(store.getState().clock).toBe('00:00:02.000');
    expect(store.getState().traceTotal).toBe(BIG);
    expect(store.getState().trace.at(-1)?.record).toEqual(records[BIG - 1]);
    expect(store.getState().markers).toEqual(BIG_MARKERS);
    // The worker ran once while the batch was being taken in: batches do not queue up behind it.
    expect(runs).toHaveLength(1);
    await frame();
    expect(runs).toHaveLength(2);
    store.getState().pause();
  });

  it('pausing mid-batch animates none of the rest; the list and clock still stop where the worker did', async () => {
    const { store, records, delivered, frame } = await bigBatchStore();
    store.getState().play();
    await frame();
    await frame();
    await frame();
    expect(delivered).toHaveLength(2);
    store.getState().pause();
    await frame();
    await frame();
    expect(delivered).toHaveLength(2);
    const s = store.getState();
    expect(s.now).toBe(2 * SECOND);
    expect(s.traceTotal).toBe(BIG);
    expect(s.trace.at(-1)?.record).toEqual(records[BIG - 1]);
  });

  it('a seek mid-batch drops the rest of the stale batch: neither the list nor the animation gets it', async () => {
    const { store, delivered, frame } = await bigBatchStore();
    store.getState().play();
    await frame();
    await frame();
    const before = delivered.length;
    await store.getState().seek(3 * SECOND);
    await frame();
    await frame();
    const s = store.getState();
    expect(s.now).toBe(3 * SECOND);
    expect(delivered).toHaveLength(before);
    expect(
      s.trace.some((e) => e.record.kind === 'packet' && e.record.summary === `datagram ${BIG - 1}`),
    ).toBe(false);
    // Its markers are moments that happened before the jump: the timeline keeps them (the jump's own follow).
    expect(s.markers.slice(0, BIG_MARKERS.length)).toEqual(BIG_MARKERS);
  });

  it('a step taken mid-batch is the packet animated, not the stale batch’s rest', async () => {
    const { store, delivered, frame } = await bigBatchStore();
    store.getState().play();
    await frame();
    store.getState().setMode('simulation');
    store.getState().toggleProtocol('gdoi');
    const at = delivered.length;
    await store.getState().nextEvent();
    await frame();
    await frame();
    const after = delivered.slice(at);
    expect(after.map((d) => d.delivery.step)).toEqual([true]);
    const stepped = after[0]?.records[0];
    expect(stepped?.kind === 'packet' && stepped.protocols).toEqual(['ipv4', 'esp', 'gre', 'gdoi']);
  });
});
