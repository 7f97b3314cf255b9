// The trace window and markers: the records the event list shows (the newest TRACE_WINDOW), the timeline's
// markers, the animation's feed, and the frame the inspector opened.
import type { Marker, SimTime, TraceRecord } from '../../worker/protocol';
import { TRACE_WINDOW, WEBGL_THRESHOLD } from './constants';
import type {
  GetState,
  SetState,
  ShownStep,
  SimState,
  TraceDelivery,
  TraceEntry,
  TraceListener,
  TraceSlice,
} from './state';

/** Markers the timeline keeps (the oldest go first). */
const MAX_MARKERS = 2000;

/** How often a big lab's panels take the records received (wall ms). */
const BIG_LAB_PANEL_MS = 250;

/** The newest TRACE_WINDOW records numbered by their place in the whole trace (`firstSeq` is the first one's). */
function entriesOf(records: readonly TraceRecord[], firstSeq: number): TraceEntry[] {
  return records.slice(-TRACE_WINDOW).map((record, i, all) => ({
    seq: firstSeq + records.length - all.length + i,
    record,
  }));
}

/** Records received and not yet shown by the panels (the event list, timeline markers, consoles). */
interface Held {
  entries: TraceEntry[];
  markers: Marker[];
  logs: TraceRecord[];
  total: number;
}

export function createTraceSlice(set: SetState, get: GetState): TraceSlice {
  const traceListeners = new Set<TraceListener>();
  const resetListeners = new Set<() => void>();
  const held: Held = { entries: [], markers: [], logs: [], total: 0 };
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** The seq the next record received gets when its batch does not say (a console command's records). */
  let seq = 0;

  function notifyTrace(
    records: readonly TraceRecord[],
    now: SimTime,
    delivery: TraceDelivery = { firstSeq: 0, step: false },
  ): void {
    for (const l of traceListeners) l(records, now, delivery);
  }

  function notifyReset(): void {
    for (const l of resetListeners) l();
  }

  /** Takes the held records out as the panels' state update (undefined: nothing to show). */
  function takeHeld(): ((s: SimState) => Partial<SimState>) | undefined {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    const fresh = held.entries.slice(-TRACE_WINDOW);
    const marks = held.markers;
    const logs = held.logs;
    const total = held.total;
    held.entries = [];
    held.markers = [];
    held.logs = [];
    if (fresh.length === 0 && marks.length === 0) return undefined;
    get().logToConsoles(logs);
    return (s) => ({
      trace: [...s.trace.slice(-(TRACE_WINDOW - fresh.length)), ...fresh].slice(-TRACE_WINDOW),
      traceTotal: Math.max(total, s.traceTotal),
      ...(marks.length > 0 ? { markers: [...s.markers, ...marks].slice(-MAX_MARKERS) } : {}),
      configVersion: s.configVersion + marks.filter((m) => m.kind === 'config').length,
    });
  }

  function flushHeld(): void {
    const update = takeHeld();
    if (update) set(update);
  }

  /** Forgets records held for the panels (a new lab, a rewind: the stream restarts). */
  function dropHeld(total: number): void {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    held.entries = [];
    held.markers = [];
    held.logs = [];
    held.total = total;
  }

  /** Holds a batch's records and markers for the panels; true when they are to be shown now (a small lab). */
  function hold(
    records: readonly TraceRecord[],
    markers: readonly Marker[],
    logsLeftOut: readonly TraceRecord[],
    first: number,
    total: number | undefined,
  ): boolean {
    // A big lab at 10× sends thousands of records a frame: only the newest TRACE_WINDOW (and MAX_MARKERS) can be
    // shown, so no more are kept between two panel updates (issue 18: bounded work per batch).
    held.entries.push(...entriesOf(records, first));
    if (held.entries.length > 2 * TRACE_WINDOW) held.entries = held.entries.slice(-TRACE_WINDOW);
    held.markers.push(...markers);
    if (held.markers.length > MAX_MARKERS) held.markers = held.markers.slice(-MAX_MARKERS);
    held.logs.push(...logsLeftOut, ...records.filter((r) => r.kind === 'log'));
    held.total = total ?? Math.max(held.total, get().traceTotal) + records.length;
    // A big lab sends records every frame: the panels re-render at most a few times a second (the animation
    // still gets every batch at once).
    const big = (get().lab?.devices.length ?? 0) > WEBGL_THRESHOLD;
    if (!big) return true;
    if (flushTimer === undefined) flushTimer = setTimeout(flushHeld, BIG_LAB_PANEL_MS);
    return false;
  }

  return {
    trace: [],
    traceTotal: 0,
    protocols: [],
    markers: [],
    configVersion: 0,
    frameLoading: false,

    ingest({ records, now, total, clock, markers = [], logsLeftOut = [] }, animate = true) {
      // A windowed batch skips records: number the ones received by their place in the whole trace.
      const first = total !== undefined ? total - records.length : seq;
      let panels: ((s: SimState) => Partial<SimState>) | undefined;
      if (records.length > 0 || markers.length > 0 || logsLeftOut.length > 0) {
        seq = first + records.length;
        if (hold(records, markers, logsLeftOut, first, total)) panels = takeHeld();
      }
      // One store update per batch (one React render): the list, the clock and the time move together.
      set((s) => {
        const moved = s.now !== now || (clock !== undefined && s.clock !== clock);
        if (!moved && !panels) return s;
        return {
          ...(panels ? panels(s) : {}),
          ...(moved
            ? { now, maxTime: Math.max(s.maxTime, now), ...(clock !== undefined ? { clock } : {}) }
            : {}),
        };
      });
      if (animate) notifyTrace(records, now, { firstSeq: first, step: false });
    },

    applyRewind(r) {
      dropHeld(r.batch.total);
      notifyReset();
      seq = r.batch.total;
      const firstSeq = r.batch.total - r.batch.records.length;
      set((s) => ({
        lab: r.lab,
        now: r.batch.now,
        clock: r.batch.clock,
        trace: entriesOf(r.batch.records, firstSeq),
        traceTotal: r.batch.total,
        // The worker's markers up to that moment: also those of records no batch sent (a jump ahead's window).
        markers: (r.batch.markers ?? []).slice(-MAX_MARKERS),
        configVersion: s.configVersion + 1,
        // A fault applied after that moment was re-simulated away with the console lines that made it.
        faults: s.faults.filter((f) => f.at <= r.batch.now),
        selectedSeq: undefined,
        frame: undefined,
      }));
    },

    resetTrace() {
      seq = 0;
      dropHeld(0);
      notifyReset();
    },

    showStep(step: ShownStep) {
      const entries = step.entries;
      const primary = entries.find((e) => e.record.kind === 'packet') ?? entries[0];
      set({
        eventTime: step.t,
        stepSeqs: entries.map((e) => e.seq),
        stepNote: undefined,
        selectedSeq: primary?.seq,
        frame: undefined,
      });
      notifyTrace(
        entries.map((e) => e.record),
        step.t,
        { firstSeq: entries[0]?.seq ?? 0, step: true, seqs: entries.map((e) => e.seq) },
      );
      // The inspector follows the step when it is the panel shown (Packet Tracer opens the PDU clicked).
      if (primary && get().bottomTab === 'inspector') void get().inspect(primary.seq);
    },

    subscribeTrace(listener) {
      traceListeners.add(listener);
      return () => traceListeners.delete(listener);
    },

    subscribeReset(listener) {
      resetListeners.add(listener);
      return () => resetListeners.delete(listener);
    },

    restartAnimation() {
      notifyReset();
    },

    async inspect(selectedSeq) {
      const entry = get().trace.find((e) => e.seq === selectedSeq);
      set({
        selectedSeq,
        frame: undefined,
        ...(selectedSeq !== undefined ? { bottomTab: 'inspector' as const } : {}),
      });
      if (!entry || entry.record.kind !== 'packet') return;
      const id = entry.record.frameId;
      if (id <= 0) return;
      set({ frameLoading: true });
      try {
        const frame = await get().call((api) => api.frame(id));
        if (get().selectedSeq === selectedSeq) set({ frame });
      } catch (e) {
        get().reportSimError(e);
      } finally {
        set({ frameLoading: false });
      }
    },

    async revealKeys(on) {
      const id = get().frame?.id;
      if (id === undefined) return;
      const frame = await get().call((api) => api.frame(id, { revealKeys: on }));
      if (get().frame?.id === id) set({ frame });
    },

    toggleProtocol(protocol) {
      set((s) => ({
        protocols: s.protocols.includes(protocol)
          ? s.protocols.filter((p) => p !== protocol)
          : [...s.protocols, protocol],
      }));
    },

    clearProtocols() {
      set({ protocols: [] });
    },
  };
}
