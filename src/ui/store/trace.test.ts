// The trace window and markers: records numbered by their place in the whole trace, the window, the timeline's
// markers, the animation's feed, the inspector's selection and the protocol filter.
import { describe, expect, it, vi } from 'vitest';
import type { TraceRecord } from '../../worker/protocol';
import { createSimStore } from './compose';
import { TRACE_WINDOW } from './constants';
import { SECOND, replayEnv, smallRecording } from './fake-env.test-support';
import type { TraceDelivery } from './state';

async function loadedStore() {
  const store = createSimStore(replayEnv());
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  return store;
}

function fakeLog(i: number): TraceRecord {
  return { kind: 'log', t: i, device: 'KS', level: 'debug', text: `line ${i}` };
}

describe('the trace slice', () => {
  it('takes the records up to a moment into the list, numbered from 0, with the timeline’s markers', async () => {
    const store = await loadedStore();
    await store.getState().seek(10 * SECOND);
    const s = store.getState();
    expect(s.now).toBe(10 * SECOND);
    expect(s.trace.map((e) => e.seq)).toEqual(s.trace.map((_, i) => i));
    expect(s.traceTotal).toBe(s.trace.length);
    // One marker per registration, rekey sent, configuration change and RPF drop in the recording.
    expect(s.markers.map((m) => [m.kind, m.device])).toEqual([
      ['registration', 'GM-1'],
      ['rekey', 'KS'],
      ['config', 'constructor'],
      ['rpf-drop', 'GM-1'],
    ]);
    // A configuration marker tells the config panels to re-read (load: 1, the marker: 1 more).
    expect(s.configVersion).toBe(2);
  });

  it('keeps the newest TRACE_WINDOW records, numbered by their place in the whole trace', async () => {
    const store = await loadedStore();
    const many = Array.from({ length: TRACE_WINDOW + 500 }, (_, i) => fakeLog(i));
    store.getState().ingest({ records: many, now: 1, total: many.length });
    const s = store.getState();
    expect(s.trace).toHaveLength(TRACE_WINDOW);
    expect(s.trace[0]?.seq).toBe(500);
    expect(s.trace[TRACE_WINDOW - 1]?.seq).toBe(TRACE_WINDOW + 499);
    expect(s.traceTotal).toBe(TRACE_WINDOW + 500);
  });

  it('takes a batch into the list and the clock in one store update (one render of the page a batch)', async () => {
    const store = await loadedStore();
    let updates = 0;
    const off = store.subscribe(() => updates++);
    // Packets, as most of a realtime batch is (console lines also update the consoles, a slice of their own).
    const packets = [1, 2].map((i): TraceRecord => ({
      kind: 'packet',
      t: i,
      event: 'sent',
      device: 'KS',
      frameId: i,
      protocols: ['ipv4'],
      summary: `packet ${i}`,
    }));
    store.getState().ingest({ records: packets, now: 5, total: 2, clock: '00:00:00.000' });
    off();
    expect(updates).toBe(1);
    expect(store.getState().now).toBe(5);
    expect(store.getState().trace.map((e) => e.seq)).toEqual([0, 1]);
  });

  it('hands every batch to the animation with the seq of its first record; a jump in time restarts it', async () => {
    const store = await loadedStore();
    const batches: [number, TraceDelivery][] = [];
    let resets = 0;
    const off = store.getState().subscribeTrace((records, _now, d) => batches.push([records.length, d]));
    store.getState().subscribeReset(() => resets++);
    await store.getState().step();
    await store.getState().step();
    expect(batches).toEqual([
      [1, { firstSeq: 0, step: false }],
      [1, { firstSeq: 1, step: false }],
    ]);
    await store.getState().seek(20 * SECOND);
    expect(resets).toBe(1);
    off();
    await store.getState().step();
    expect(batches).toHaveLength(2);
  });

  it('a rewind replaces the list with the re-simulated records and drops later markers', async () => {
    const store = await loadedStore();
    await store.getState().seek(10 * SECOND);
    await store.getState().seek(3 * SECOND);
    const s = store.getState();
    expect(s.now).toBe(3 * SECOND);
    expect(s.trace.every((e) => e.record.t <= 3 * SECOND)).toBe(true);
    expect(s.markers.map((m) => m.kind)).toEqual(['registration']);
    // The timeline keeps its extent: the student can scrub forward again.
    expect(s.maxTime).toBe(10 * SECOND);
  });

  it('selecting a row opens the inspector; the filter keeps the protocols chosen', async () => {
    const store = await loadedStore();
    await store.getState().seek(4 * SECOND);
    const rekey = store
      .getState()
      .trace.find((e) => e.record.kind === 'packet' && e.record.typed?.protocol === 'gdoi');
    await store.getState().inspect(rekey?.seq);
    expect(store.getState().selectedSeq).toBe(rekey?.seq);
    expect(store.getState().bottomTab).toBe('inspector');
    // The recording holds records, not frames: the inspector has no bytes to show.
    expect(store.getState().frame).toBeUndefined();
    expect(store.getState().frameLoading).toBe(false);
    store.getState().toggleProtocol('gdoi');
    store.getState().toggleProtocol('pim');
    store.getState().toggleProtocol('gdoi');
    expect(store.getState().protocols).toEqual(['pim']);
    store.getState().clearProtocols();
    expect(store.getState().protocols).toEqual([]);
  });
});

describe('the trace slice in a big lab', () => {
  it('hands records to the panels a few times a second, and to the animation at once', async () => {
    const recording = smallRecording();
    const devices = Array.from({ length: 120 }, (_, i) => ({ ...recording.lab.devices[0]!, name: `R${i}` }));
    const store = createSimStore(replayEnv({ ...recording, lab: { ...recording.lab, devices } }));
    await store.getState().loadText(recording.scenario, 'file:big.json', 'big.json');
    let animated = 0;
    store.getState().subscribeTrace((records) => (animated += records.length));
    await store.getState().step();
    expect(animated).toBe(1);
    // Held for the panels until the next refresh (BIG_LAB_PANEL_MS).
    expect(store.getState().trace).toHaveLength(0);
    await vi.waitFor(() => expect(store.getState().trace).toHaveLength(1));
    expect(store.getState().traceTotal).toBe(1);
  });
});
