// Persistence and share: the first lab a page opens, saved work a reload brings back (time, faults, positions,
// panels), another tab's save, asking before shipped labs replace edits, share links, recovery after a crash.
import { describe, expect, it, vi } from 'vitest';
import { type SavedLab, labKey, readLast, readSaved, sessionFromHash, writeSaved } from '../persistence';
import { lossFault } from '../faults';
import { decodeShare } from '../share';
import { createSimStore } from './compose';
import { createSimApi } from '../../worker/api';
import { DEFAULT_SCENARIO, generatedSource } from './constants';
import {
  type FakeEnv,
  SECOND,
  SMALL_LAB,
  fakeEnv,
  portOver,
  replayEnv,
  settle,
  smallRecording,
} from './fake-env.test-support';
import { type TraceRecording, replayApi } from './replay-worker';

const SHIPPED_KEY = labKey(`shipped:${DEFAULT_SCENARIO}`);
const LINK = SMALL_LAB.links[0]!.id;

/** A page's environment with the default lab served. */
function pageEnv(recording: TraceRecording = smallRecording()): FakeEnv {
  const env = replayEnv(recording);
  env.files.set(`/scenarios/${DEFAULT_SCENARIO}`, recording.scenario);
  return env;
}

/** A page opened over `env`: its store, once the first lab loaded and its save was written. */
async function openPage(env: FakeEnv) {
  const store = createSimStore(env);
  await store.getState().start();
  // The lab is saved once its configs were read back from the worker.
  await vi.waitFor(() => expect(readLast(env.storage)).toBeDefined());
  return store;
}

describe('the session slice (persistence and share)', () => {
  it('opens the default lab on a first visit and saves it as the lab open last', async () => {
    const env = pageEnv();
    const store = await openPage(env);
    expect(store.getState().source).toBe(`shipped:${DEFAULT_SCENARIO}`);
    expect(readLast(env.storage)?.key).toBe(SHIPPED_KEY);
    expect(readLast(env.storage)?.edited).toBe(false);
  });

  it('a reload brings back the moment, the faults’ loss, the dragged devices, the panels and the lesson step', async () => {
    const env = pageEnv();
    const first = await openPage(env);
    await first.getState().seek(12 * SECOND);
    await first.getState().applyFault(lossFault(LINK, 0.3, 0));
    first.getState().setPosition('constructor', 120.4, -33.6);
    first.getState().setBottomTab('faults');
    first.getState().setLessonStep(2);
    first.getState().select('GM-1');
    first.getState().persistNow();
    expect(readLast(env.storage)?.edited).toBe(true);

    const reloaded = createSimStore({ ...pageEnv(), storage: env.storage });
    await reloaded.getState().start();
    const s = reloaded.getState();
    expect(s.source).toBe(`saved:${SHIPPED_KEY}`);
    expect(s.now).toBe(12 * SECOND);
    expect(s.positions).toEqual([['constructor', 120, -34]]);
    expect(s.bottomTab).toBe('faults');
    expect([s.lessonOpen, s.lessonStep]).toEqual([true, 2]);
    expect(s.selected).toBe('GM-1');
    // The loss is not in the configs: it is set on the link again.
    expect(s.faults.map((f) => f.fault.id)).toEqual([`loss:${LINK}`]);
    expect(s.lab?.links[0]?.loss).toBe(0.3);
  });

  it('another tab’s save of other configs is announced instead of overwritten; “keep mine” saves over it', async () => {
    const env = pageEnv();
    const store = await openPage(env);
    const mine = readSaved(env.storage, SHIPPED_KEY)!;
    const theirs: Omit<SavedLab, 'format' | 'rev'> = {
      ...mine,
      scenario: '{"edited":"elsewhere"}',
      writer: 'tab-other',
    };
    writeSaved(env.storage, theirs, mine.rev + 5);
    store.getState().persistNow();
    expect(store.getState().conflict).toEqual({ key: SHIPPED_KEY, label: mine.label });
    expect(readSaved(env.storage, SHIPPED_KEY)?.writer).toBe('tab-other');
    await store.getState().resolveConflict('mine');
    expect(store.getState().conflict).toBeUndefined();
    expect(readSaved(env.storage, SHIPPED_KEY)?.writer).toBe('tab-test');
    expect(store.getState().notice?.text).toBe('Kept this tab’s lab; it replaced the other tab’s save.');
  });

  it('asks before a shipped lab replaces saved edits of it; Cancel opens the edits', async () => {
    const env = pageEnv();
    const store = await openPage(env);
    store.getState().setPosition('KS', 1, 2);
    store.getState().persistNow();
    env.answer = false;
    await store.getState().loadShipped(DEFAULT_SCENARIO);
    expect(env.asked).toHaveLength(1);
    expect(env.asked[0]).toContain('You have saved edits of “Reference lab (completed)”.');
    expect(store.getState().source).toBe(`saved:${SHIPPED_KEY}`);
    expect(store.getState().positions).toEqual([['KS', 1, 2]]);
    env.answer = true;
    await store.getState().loadShipped(DEFAULT_SCENARIO);
    expect(store.getState().source).toBe(`shipped:${DEFAULT_SCENARIO}`);
    expect(store.getState().positions).toEqual([]);
  });

  it('a share link carries the lab with its running-configs, the moment and the lesson step', async () => {
    const env = pageEnv();
    const store = await openPage(env);
    await store.getState().seek(7 * SECOND);
    store.getState().setLessonStep(1);
    const link = await store.getState().shareLink();
    const hash = link.slice(link.indexOf('#'));
    const lab = new URLSearchParams(hash.slice(1)).get('lab')!;
    const scenario = JSON.parse(await decodeShare(lab)) as { devices: { name: string; config: string }[] };
    expect(scenario.devices.map((d) => d.name)).toEqual(['KS', 'GM-1', 'constructor']);
    expect(scenario.devices[0]?.config).toContain('ip mroute');
    expect(sessionFromHash(hash)?.time).toBe(7 * SECOND);
    expect(hash).toContain('&lesson=2');
  });

  it('after a crash, one click gives a fresh worker with the lab and its session back', async () => {
    const port = portOver(() => replayApi(smallRecording()));
    const env = fakeEnv(port);
    env.files.set(`/scenarios/${DEFAULT_SCENARIO}`, smallRecording().scenario);
    const store = await openPage(env);
    await store.getState().seek(9 * SECOND);
    port.crash('out of memory');
    expect(store.getState().failure).toBe('The simulator crashed: out of memory');
    await store.getState().recover();
    expect(port.restarts).toBe(1);
    expect(store.getState().failure).toBeUndefined();
    expect(store.getState().now).toBe(9 * SECOND);
    expect(store.getState().notice?.text).toBe('The simulator was restarted with your lab (edits kept).');
  });

  it('lists what the kernel’s watchdog stopped and says so in the status line', async () => {
    const recording = smallRecording();
    const problem = {
      kind: 'problem' as const,
      t: 8 * SECOND,
      device: 'GM-1',
      problem: 'event-flood' as const,
      message: 'GM-1 queued too many events at one instant: its work was stopped.',
    };
    const env = pageEnv({
      ...recording,
      events: [...recording.events, { t: 8 * SECOND, records: [problem] }].sort((a, b) => a.t - b.t),
    });
    const store = await openPage(env);
    // As the lab runs (the records the animation gets): play in realtime past 8 s.
    store.getState().setSpeed(100);
    store.getState().play();
    while (store.getState().now < 10 * SECOND) {
      env.frames.tick(50);
      await settle(2);
    }
    store.getState().pause();
    expect(store.getState().watchdog).toEqual([{ t: 8 * SECOND, device: 'GM-1', message: problem.message }]);
    expect(store.getState().notice).toMatchObject({
      tone: 'warning',
      text: `GM-1: ${problem.message} (listed under Problems)`,
    });
    // A rewind before it undoes it.
    await store.getState().seek(5 * SECOND);
    expect(store.getState().watchdog).toEqual([]);
  });
});

/** A page over the worker API itself (it can generate labs), with a small lab as the default. */
function liveEnv(): FakeEnv {
  const env = fakeEnv(portOver(() => createSimApi()));
  env.files.set(`/scenarios/${DEFAULT_SCENARIO}`, smallRecording().scenario);
  return env;
}

describe('saved work of shipped and generated labs', () => {
  it('an unedited shipped lab keeps no configs; a reload opens the shipped file at the saved moment', async () => {
    const env = pageEnv();
    const first = await openPage(env);
    await first.getState().seek(6 * SECOND);
    first.getState().setBottomTab('faults');
    first.getState().persistNow();
    const saved = readSaved(env.storage, SHIPPED_KEY)!;
    expect([saved.edited, saved.scenario]).toEqual([false, '']);

    const reloaded = createSimStore({ ...pageEnv(), storage: env.storage });
    await reloaded.getState().start();
    const s = reloaded.getState();
    // Opened as the shipped lab itself, not as "your edits".
    expect(s.source).toBe(`shipped:${DEFAULT_SCENARIO}`);
    expect(s.now).toBe(6 * SECOND);
    expect(s.bottomTab).toBe('faults');
    expect(s.lab?.devices.map((d) => d.name)).toEqual(['KS', 'GM-1', 'constructor']);
  });

  it('once edited, the save keeps the configs again and a reload opens the edits', async () => {
    const env = pageEnv();
    const store = await openPage(env);
    store.getState().setPosition('KS', 5, 6);
    store.getState().persistNow();
    const saved = readSaved(env.storage, SHIPPED_KEY)!;
    expect(saved.edited).toBe(true);
    expect(JSON.parse(saved.scenario)).toMatchObject({ devices: expect.any(Array) });
  });

  it('a shipped file gone since the save falls back to the default lab instead of failing', async () => {
    const env = pageEnv();
    await openPage(env);
    const other = createSimStore({ ...replayEnv(smallRecording()), storage: env.storage });
    // The reloaded page serves no shipped file: the saved lab cannot be opened from its source.
    await other.getState().start();
    expect(other.getState().lab).toBeUndefined();
    expect(other.getState().loadFailure?.source).toBe('Reference lab (completed)');
  });

  it('a generated lab is saved as its size and a reload generates it again (7 MB at 5,000 spokes: over the quota)', async () => {
    const env = liveEnv();
    const store = await openPage(env);
    await store.getState().loadGenerated(3);
    await vi.waitFor(() => expect(readLast(env.storage)?.key).toBe(generatedSource(3, 1)));
    await store.getState().seek(4 * SECOND);
    store.getState().persistNow();
    const saved = readLast(env.storage)!;
    expect([saved.edited, saved.scenario]).toEqual([false, '']);

    const reloaded = createSimStore({ ...liveEnv(), storage: env.storage });
    await reloaded.getState().start();
    const s = reloaded.getState();
    expect(s.source).toBe(generatedSource(3, 1));
    expect(s.now).toBe(4 * SECOND);
    expect(s.lab?.devices.map((d) => d.name)).toContain('GM-3');
  });

  it('a rewind in a big generated lab with no edit saves no configs (they are not read back as an edit)', async () => {
    const env = liveEnv();
    const store = await openPage(env);
    // 100 spokes: over the page's big-lab threshold, whose configs are not normalised at load.
    await store.getState().loadGenerated(100);
    await vi.waitFor(() => expect(readLast(env.storage)?.key).toBe(generatedSource(100, 1)));
    await store.getState().seek(3 * SECOND);
    await store.getState().seek(1 * SECOND);
    await settle();
    store.getState().persistNow();
    const saved = readLast(env.storage)!;
    expect([saved.edited, saved.scenario, saved.session.time]).toEqual([false, '', 1 * SECOND]);
  });
});
