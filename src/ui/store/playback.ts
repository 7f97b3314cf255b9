// The playback clock: realtime runs one `runUntil` per animation frame; simulation mode goes event by event with
// Next and Back; a seek runs on or re-simulates. Loop state (frame id, wall times, steps taken) is per store.
import type { ColumnBatch, Marker, TraceBatch, TraceRecord } from '../../worker/protocol';
import { RecordColumnsReader } from '../../worker/record-columns';
import { matchesProtocols, stepDurationMs } from '../hops';
import { TRACE_WINDOW, WEBGL_THRESHOLD, errorText } from './constants';
import type { StoreEnv } from './env';
import type { GetState, PlaybackSlice, SetState, ShownStep } from './state';

/** How far "next event" looks ahead before giving up (a lab with nothing scheduled). */
const NEXT_EVENT_HORIZON_US = 3_600_000_000;

/** Steps Back can walk through (each keeps its records). */
const MAX_STEP_HISTORY = 200;

/** Records a realtime frame or a seek brings over at most (a big lab's long jump would otherwise copy 100k). */
const BATCH_WINDOW = 4000;

/**
 * A big lab's realtime frame brings over at most the event list's window: a 1,000-spoke lab at 10× makes
 * more records a frame than the page can show or animate, and copying them into the page is a long task
 * (issue 18: a worker batch must not block a frame).
 */
const BIG_LAB_BATCH_WINDOW = TRACE_WINDOW;

/**
 * Wall ms one animation frame may spend taking a received realtime batch into the page (decoding its records, the
 * panels' update, the animation's feed): a big batch is taken over several frames, the rest waiting for the next
 * ones (issue 18: a worker batch took up to 477 ms of one frame at 5,000 spokes).
 */
export const INGEST_BUDGET_MS = 8;

/** Records one frame takes at most: the first slice (no cost measured yet) and a clock too coarse to measure one. */
export const MAX_INGEST_SLICE = 1000;

/** Records one frame takes at least (a slow slice would otherwise shrink the next ones to nothing). */
const MIN_INGEST_SLICE = 50;

/** Longest wall-clock gap one realtime frame may cover, so a hidden tab does not jump minutes ahead. */
const MAX_FRAME_WALL_MS = 250;

/** How often the realtime loop refreshes interface and link states from the worker. */
const LAB_REFRESH_WALL_MS = 500;

/** A realtime batch taken into the page slice by slice: its columns, and how far the page has read them. */
interface Draining {
  readonly reader: RecordColumnsReader;
  readonly count: number;
  readonly now: TraceBatch['now'];
  readonly clock: string;
  /** The trace's length after the batch's last record (its first is at `total - count`). */
  readonly total: number;
  next: number;
  /** The batch's timeline markers (`TraceBatch.markers`); each goes in with the slice that reaches its time. */
  readonly markers: readonly Marker[];
  nextMarker: number;
  /** Log lines of records the worker's window left out: printed with the first slice, before its own. */
  readonly logsLeftOut: readonly TraceRecord[];
  /** Called once the batch is all in, or dropped: the realtime loop asks for the next one. */
  readonly finish: () => void;
}

function batchFields({
  columns,
  now,
  clock,
  total,
  markers = [],
  logsLeftOut = [],
}: ColumnBatch): Omit<Draining, 'next' | 'nextMarker' | 'finish'> {
  const reader = new RecordColumnsReader(columns);
  return { reader, count: columns.count, now, clock, total, markers, logsLeftOut };
}

export function createPlaybackSlice(set: SetState, get: GetState, env: StoreEnv): PlaybackSlice {
  /** Steps taken with Next since the lab last moved otherwise (Back walks them; a seek or Play forgets them). */
  let stepHistory: ShownStep[] = [];
  let rafId: number | undefined;
  let lastWall = 0;
  let lastLabRefresh = 0;
  let inFlight = false;
  let autoTimer: ReturnType<typeof setTimeout> | undefined;
  /** The worker was told the page plays in realtime (it then holds its idle work back). */
  let toldPlaying = false;
  /** The realtime batch being taken into the page, slice by slice (the next run waits until it is all in). */
  let draining: Draining | undefined;
  /** Wall ms a record took to take in, measured on the last slice (0: not measured yet). */
  let msPerRecord = 0;
  /** A slice ran since the last animation frame (a batch's first slice runs when it arrives). */
  let slicedThisFrame = false;

  /**
   * Tells the worker the page plays in realtime, or stopped. Between two frames' runs the worker would otherwise
   * start its idle work (a checkpoint's spare copy: 1-2 s at 1,000 spokes), holding the next run back and taking
   * the CPU the compositor needs: at 1× the 1,000-spoke lab played 1.3-2.5 simulated s in 10 s (issue 18).
   */
  function tellPlaying(on: boolean): void {
    if (toldPlaying === on) return;
    toldPlaying = on;
    // A worker that died answers nothing: the page recovers on its own (bridge), playing or not.
    get()
      .call((api) => api.setPlaying(on))
      .catch(() => undefined);
  }

  /** How many records the next slice takes: what fits the budget at the last slice's cost. */
  function sliceSize(): number {
    if (msPerRecord <= 0) return MAX_INGEST_SLICE;
    const fit = Math.floor(INGEST_BUDGET_MS / msPerRecord);
    return Math.max(MIN_INGEST_SLICE, Math.min(MAX_INGEST_SLICE, fit));
  }

  /**
   * Takes the next slice of the batch being drained into the panels, the clock and the animation (one store update,
   * so one React render). The clock shows the last record taken until the batch's end, which shows the worker's time.
   * Returns true when the batch is all in.
   */
  function takeSlice(animate = true, all = false): boolean {
    const d = draining;
    if (!d) return true;
    const started = env.frames.now();
    const end = all ? d.count : Math.min(d.count, d.next + sliceSize());
    const records: TraceRecord[] = [];
    for (let i = d.next; i < end; i++) records.push(d.reader.recordAt(i));
    const done = end === d.count;
    const first = d.next === 0;
    const taken = end - d.next;
    d.next = end;
    slicedThisFrame = true;
    if (done) draining = undefined;
    const lastT = records[records.length - 1]?.t ?? get().now;
    const firstMarker = d.nextMarker;
    while (d.nextMarker < d.markers.length && (done || d.markers[d.nextMarker]!.t <= lastT)) d.nextMarker++;
    get().ingest(
      {
        records,
        now: done ? d.now : lastT,
        total: d.total - d.count + end,
        markers: d.markers.slice(firstMarker, d.nextMarker),
        ...(first ? { logsLeftOut: d.logsLeftOut } : {}),
        ...(done ? { clock: d.clock } : {}),
      },
      animate,
    );
    const spent = env.frames.now() - started;
    if (taken > 0 && spent > 0) msPerRecord = spent / taken;
    if (done) d.finish();
    return done;
  }

  /**
   * The batch being drained is stale (a seek, a new lab): its rest goes nowhere. Pause instead takes the rest into
   * the panels without animating it, so the clock and the event list stop where the worker stopped.
   */
  function stopDraining(keepRest: boolean): void {
    if (!draining) return;
    if (keepRest) takeSlice(false, true);
    else {
      const d = draining;
      draining = undefined;
      // Its records are not shown, but its markers are moments that happened: the timeline keeps them.
      const markers = d.markers.slice(d.nextMarker);
      if (markers.length > 0) get().ingest({ records: [], now: get().now, markers }, false);
      d.finish();
    }
  }

  function applyBatch(batch: TraceBatch, animate = true): void {
    get().ingest(batch, animate);
  }

  function stopAuto(): void {
    if (autoTimer !== undefined) clearTimeout(autoTimer);
    autoTimer = undefined;
  }

  /** Simulation mode's Play: one event per animation step, until paused. */
  function autoStep(): void {
    if (!get().running || get().mode !== 'simulation') return;
    void get()
      .nextEvent()
      .then(() => {
        if (!get().running) return;
        autoTimer = setTimeout(autoStep, stepDurationMs(get().speed) + 100);
      });
  }

  function frame(wall: number): void {
    if (!get().running) return;
    rafId = env.frames.request(frame);
    // One slice of a big batch per frame: a batch's first slice ran when it arrived, in this frame.
    if (draining && !slicedThisFrame) takeSlice();
    slicedThisFrame = false;
    if (inFlight) return;
    const elapsedMs = Math.min(wall - lastWall, MAX_FRAME_WALL_MS);
    lastWall = wall;
    if (elapsedMs <= 0) return;
    const target = get().now + Math.round(get().speed * elapsedMs * 1000);
    inFlight = true;
    // A big lab's view is large to copy: refreshed less often (its links change state rarely).
    const period =
      (get().lab?.devices.length ?? 0) > WEBGL_THRESHOLD ? 4 * LAB_REFRESH_WALL_MS : LAB_REFRESH_WALL_MS;
    const refresh = wall - lastLabRefresh >= period;
    if (refresh) lastLabRefresh = wall;
    const big = (get().lab?.devices.length ?? 0) > WEBGL_THRESHOLD;
    get()
      .call((api) => api.runUntilColumns(target, big ? BIG_LAB_BATCH_WINDOW : BATCH_WINDOW))
      .then(
        (batch) =>
          // The next run is asked for once the batch is all in (or dropped): batches never queue up.
          new Promise<void>((finish) => {
            // Paused while the worker ran: the batch is the worker's time all the same (nothing to animate).
            const playing = get().running;
            draining = { ...batchFields(batch), next: 0, nextMarker: 0, finish };
            takeSlice(playing, !playing);
          }),
      )
      .then(() => (refresh ? get().refreshLab(true) : undefined))
      .catch((e: unknown) => {
        get().pause();
        set((s) => ({
          loadFailure: {
            source: s.sourceLabel ?? 'the lab',
            problems: [{ severity: 'error', message: errorText(e) }],
          },
        }));
      })
      .finally(() => {
        inFlight = false;
      });
  }

  /** The step Back goes to: the one before the current, else the newest matching record before it. */
  function previousStep(): { target: ShownStep; walked: boolean } | undefined {
    const s = get();
    const current = stepHistory[stepHistory.length - 1];
    const prev = stepHistory[stepHistory.length - 2];
    if (prev) return { target: prev, walked: true };
    // No step taken here with Next (the lab ran in realtime or was scrubbed): the newest matching record before
    // the current one is the step, shown on its own.
    const before = current?.entries[0]?.seq ?? s.stepSeqs[0] ?? Number.POSITIVE_INFINITY;
    const earlier = s.trace.filter((e) => e.seq < before && matchesProtocols(e.record, s.protocols));
    const last = earlier[earlier.length - 1];
    if (!last) return undefined;
    return { target: { entries: [last], end: last.seq + 1, t: last.record.t }, walked: false };
  }

  /** Nothing matched within the horizon: the step is cleared and the note says why. */
  function noStep(protocols: readonly string[]): void {
    get().pause();
    const names = protocols.length > 0 ? protocols.map(get().wire.name).join(' or ') : '';
    set({
      eventTime: undefined,
      stepSeqs: [],
      stepNote: `No ${names} event in the next ${NEXT_EVENT_HORIZON_US / 3_600_000_000} h of simulated time.`,
    });
    get().restartAnimation();
  }

  return {
    now: 0,
    clock: '',
    running: false,
    speed: 1,
    mode: 'realtime',
    maxTime: 0,
    rewinding: false,
    stepSeqs: [],

    play() {
      if (get().running || !get().lab) return;
      set({ running: true });
      if (get().mode === 'simulation') {
        autoStep();
        return;
      }
      // Realtime leaves simulation's steps: the canvas shows the flow again.
      stepHistory = [];
      if (get().stepSeqs.length > 0) set({ stepSeqs: [], eventTime: undefined });
      lastWall = env.frames.now();
      lastLabRefresh = lastWall;
      tellPlaying(true);
      rafId = env.frames.request(frame);
    },

    pause() {
      stopDraining(true);
      if (rafId !== undefined) env.frames.cancel(rafId);
      rafId = undefined;
      stopAuto();
      if (get().running) set({ running: false });
      tellPlaying(false);
    },

    setSpeed(speed) {
      set({ speed });
    },

    async step() {
      if (!get().lab) return;
      get().pause();
      try {
        applyBatch(await get().call((api) => api.step()));
        await get().refreshLab();
      } catch (e) {
        get().reportSimError(e);
      }
    },

    setMode(mode) {
      if (get().mode === mode) return;
      get().pause();
      stepHistory = [];
      get().restartAnimation();
      set({ mode, eventTime: undefined, stepSeqs: [], stepNote: undefined });
    },

    forgetSteps() {
      stepHistory = [];
    },

    async nextEvent() {
      if (!get().lab) return;
      try {
        const protocols = get().protocols;
        const limit = get().now + NEXT_EVENT_HORIZON_US;
        const batch = await get().call((api) => api.stepMatching(protocols, limit));
        // The records between two steps fill the list; only the step's own packets are drawn.
        applyBatch(batch, false);
        const step = batch.step;
        if (!step) {
          noStep(protocols);
          await get().refreshLab();
          return;
        }
        const firstSeq = batch.total - batch.records.length;
        const entries = batch.records
          .map((record, i) => ({ seq: firstSeq + i, record }))
          .slice(step.from)
          .filter((e) => matchesProtocols(e.record, protocols));
        const shown: ShownStep = { entries, end: step.end, t: entries[0]?.record.t ?? batch.now };
        stepHistory = [...stepHistory, shown].slice(-MAX_STEP_HISTORY);
        get().showStep(shown);
        await get().refreshLab();
      } catch (e) {
        get().pause();
        get().reportSimError(e);
      }
    },

    async previousEvent() {
      if (!get().lab) return;
      get().pause();
      const back = previousStep();
      if (!back) return;
      const { target, walked } = back;
      try {
        set({ rewinding: true });
        const r = await get().call((api) => api.rewindToRecord(target.end, target.t, TRACE_WINDOW));
        get().applyRewind(r);
        stepHistory = walked ? stepHistory.slice(0, -1) : [target];
        get().showStep(target);
        await get().refreshLab();
      } catch (e) {
        get().reportSimError(e);
      } finally {
        set({ rewinding: false });
      }
    },

    async seek(t) {
      if (!get().lab) return;
      // The batch still being taken in is behind the jump: none of its rest is shown.
      stopDraining(false);
      get().pause();
      const target = Math.max(0, Math.round(t));
      // A jump leaves the steps and the packets on the canvas behind: what is drawn is only what happens next.
      stepHistory = [];
      get().restartAnimation();
      set({ stepSeqs: [], eventTime: undefined, stepNote: undefined });
      try {
        if (target >= get().now) {
          applyBatch(await get().call((api) => api.runUntil(target, TRACE_WINDOW)), false);
        } else {
          set({ rewinding: true });
          get().applyRewind(await get().call((api) => api.rewind(target, TRACE_WINDOW)));
        }
        await get().refreshLab();
      } catch (e) {
        get().reportSimError(e);
      } finally {
        set({ rewinding: false });
      }
    },
  };
}
