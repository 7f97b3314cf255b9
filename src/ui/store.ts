// The page's state: a mirror of what the worker reports, plus selection and playback. Only the actions here
// talk to the worker; components read through narrow selectors.
import { create } from 'zustand';
import { getSimClient } from '../worker/client';
import type {
  FrameView,
  GdoiView,
  LabView,
  LoadResult,
  MulticastView,
  PimView,
  RewindResult,
  ScenarioProblem,
  SimTime,
  TraceBatch,
  TraceRecord,
} from '../worker/protocol';
import { type ApplyResult, type LineAnswer, applyConfigEdit } from './config-diff';
import { type Fault, type FaultAction, mrouteFault } from './faults';
import { appendTranscript, withNewline } from './format';
import {
  type LayerMode,
  type Marker,
  markerOf,
  matchesProtocols,
  protocolName,
  stepDurationMs,
} from './hops';
import { encodeShare, prefsFromStorage, readScenarioFile, savePrefs, withConfigs } from './share';
import { confirmReplace, noteExport, noteKeylog, openFirstLab, sessionParam, watchCall } from './session';

export interface ShippedScenario {
  readonly file: string;
  readonly label: string;
}

export const SHIPPED_SCENARIOS: readonly ShippedScenario[] = [
  { file: 'getvpn-multicast-rekey.json', label: 'Reference lab (completed)' },
  { file: 'getvpn-as-printed.json', label: 'Article as printed' },
];

export const DEFAULT_SCENARIO = 'getvpn-multicast-rekey.json';

export const SPEEDS: readonly number[] = [1, 10, 100, 1000];

/** How many trace records the page keeps for the event list (the worker keeps the full trace). */
export const TRACE_WINDOW = 2000;

/** Markers the timeline keeps (the oldest go first). */
const MAX_MARKERS = 2000;

/** How far "next event" looks ahead before giving up (a lab with nothing scheduled). */
const NEXT_EVENT_HORIZON_US = 3_600_000_000;

/** Steps Back can walk through (each keeps its records). */
const MAX_STEP_HISTORY = 200;

export type PlayMode = 'realtime' | 'simulation';

export type BottomTab = 'inspector' | 'multicast' | 'faults' | 'problems';

export type Theme = 'light' | 'dark';

/** A fault applied from the faults panel (or a lesson), with the moment it was applied. */
export interface AppliedFault {
  readonly fault: Fault;
  readonly at: SimTime;
}

/** Generated hub-and-spoke labs the scenario picker offers: spokes, and hubs (each its own DMVPN cloud). */
export const GENERATED_LABS: readonly { readonly spokes: number; readonly hubs: number }[] = [
  { spokes: 10, hubs: 1 },
  { spokes: 100, hubs: 1 },
  { spokes: 500, hubs: 1 },
  { spokes: 100, hubs: 2 },
];

/** The picker's value for a generated lab: `generated:N` (one hub) or `generated:N:H`. */
export function generatedSource(spokes: number, hubs: number): string {
  return hubs === 1 ? `generated:${spokes}` : `generated:${spokes}:${hubs}`;
}

export function generatedLabel(spokes: number, hubs: number): string {
  return hubs === 1 ? `Hub and ${spokes} spokes` : `${hubs} hubs and ${spokes} spokes`;
}

/** Above this many devices the topology starts with Cytoscape's WebGL renderer. */
export const WEBGL_THRESHOLD = 100;

/** Records a realtime frame or a seek brings over at most (a big lab's long jump would otherwise copy 100k). */
const BATCH_WINDOW = 4000;

/** How often a big lab's panels take the records received (wall ms). */
const BIG_LAB_PANEL_MS = 250;

/** Longest wall-clock gap one realtime frame may cover, so a hidden tab does not jump minutes ahead. */
const MAX_FRAME_WALL_MS = 250;

/** How often the realtime loop refreshes interface and link states from the worker. */
const LAB_REFRESH_WALL_MS = 500;

export interface ConsoleState {
  readonly transcript: string;
  readonly prompt: string;
  /** Lines entered, oldest first (Up/Down walk it, as IOS's `show history`). */
  readonly history: readonly string[];
}

/** A trace record with its position in the page's stream, a stable React key. */
export interface TraceEntry {
  readonly seq: number;
  readonly record: TraceRecord;
}

export interface LoadFailure {
  /** What the user tried to load: a shipped scenario's label or a file name. */
  readonly source: string;
  readonly problems: readonly ScenarioProblem[];
}

export interface SimState {
  readonly lab?: LabView;
  /** Increments on every successful load: the topology rebuilds its graph, panels reset. */
  readonly labSerial: number;
  /** `shipped:<file>`, `file:<name>`, `shared:link` or `saved:local` of the lab now loaded. */
  readonly source?: string;
  /** The scenario file text now loaded (exports and share links start from it). */
  readonly scenarioText?: string;
  readonly sourceLabel?: string;
  /** Problems the last successful load reported (the lab view may repeat them). */
  readonly loadProblems: readonly ScenarioProblem[];
  readonly loadFailure?: LoadFailure;
  /** Set when the worker threw while running the lab (a simulator bug, shown in the problems panel). */
  readonly simError?: string;
  readonly loading: boolean;
  readonly selected?: string;
  readonly consoles: Readonly<Record<string, ConsoleState>>;
  readonly now: SimTime;
  readonly clock: string;
  readonly running: boolean;
  readonly speed: number;
  readonly trace: readonly TraceEntry[];
  /** Records the worker has produced since the lab loaded (the window holds the newest of them). */
  readonly traceTotal: number;
  /** Realtime runs the clock; simulation goes event by event. */
  readonly mode: PlayMode;
  /** The panel shown beside the event list. */
  readonly bottomTab: BottomTab;
  readonly layers: LayerMode;
  /** Protocols the event list and "next event" keep (empty: all). */
  readonly protocols: readonly string[];
  /** Timeline markers since the lab loaded, oldest first (the newest MAX_MARKERS). */
  readonly markers: readonly Marker[];
  /**
   * Moves whenever the routers' configurations may have changed: a configuration marker arrived, a lab
   * loaded, a rewind re-simulated. Panels that show configs re-read on a move. Not a count of `markers`,
   * which is a window: once it is full, a new config marker can push an old one out and leave the count.
   */
  readonly configVersion: number;
  /** The latest simulated time reached: the timeline's extent (a rewind keeps it, to scrub forward again). */
  readonly maxTime: SimTime;
  /** True while the worker re-simulates to an earlier moment. */
  readonly rewinding: boolean;
  /** The event list row (trace seq) selected for the inspector. */
  readonly selectedSeq?: number;
  /** The selected row's frame, fetched from the worker (undefined for records without bytes). */
  readonly frame?: FrameView;
  readonly frameLoading: boolean;
  /** Simulation mode's current event: its simulated time. */
  readonly eventTime?: SimTime;
  /** Simulation mode's current step: the trace seqs of its records (the ones the canvas shows). */
  readonly stepSeqs: readonly number[];
  /** Why Next found nothing (no matching event within the horizon), until the next step. */
  readonly stepNote?: string;
  readonly multicastSource: string;
  readonly multicastGroup: string;
  readonly multicast?: MulticastView;
  /** Draw each router's RPF interface / the group's tree on the topology. */
  readonly showRpf: boolean;
  readonly showTree: boolean;
  /** `ip mroute` lines per device as first seen: what the per-spoke switch puts back. */
  readonly knownMroutes: Readonly<Record<string, readonly string[]>>;
  /** Faults applied and not undone, oldest first. */
  readonly faults: readonly AppliedFault[];
  /** The lessons panel is open, at this step (0-based). */
  readonly lessonOpen: boolean;
  readonly lessonStep: number;
  readonly theme: Theme;
  /** Projector mode: large type for a classroom screen. */
  readonly projector: boolean;
  /** Cytoscape's WebGL renderer (big labs). */
  readonly webgl: boolean;

  loadShipped(file: string): Promise<void>;
  loadFile(file: File): Promise<void>;
  select(device: string): void;
  /** Hides the report of a failed load or a simulator error. */
  dismissFailure(): void;
  /** Runs a console line (shown in the device's console); resolves with what IOS answered. */
  exec(device: string, line: string): Promise<LineAnswer | undefined>;
  /** A `show` command's output, outside the console (live state tabs, lesson checks). */
  show(device: string, line: string): Promise<string>;
  /** A device's GDOI key state (the GDOI tab). */
  gdoiView(device: string): Promise<GdoiView>;
  /** A device's PIM neighbours, RP mappings and nbma-mode interfaces (lesson checks). */
  pimView(device: string): Promise<PimView>;
  /** RPF towards `source` and `group`'s entries on every router, without touching the multicast panel's state. */
  multicastView(source: string, group: string): Promise<MulticastView>;
  /** Applies an edited running-config through the console: the diff as configuration lines. */
  applyConfig(device: string, before: string, after: string): Promise<ApplyResult>;
  /** Applies a fault (or undoes it when a fault with its id is applied). */
  applyFault(fault: Fault): Promise<void>;
  undoFault(id: string): Promise<void>;
  setLessonOpen(open: boolean): void;
  setLessonStep(step: number): void;
  setTheme(theme: Theme): void;
  setProjector(on: boolean): void;
  setWebgl(on: boolean): void;
  /** Loads a generated hub-and-spoke lab of `spokes` spokes. */
  loadGenerated(spokes: number, hubs?: number): Promise<void>;
  help(device: string, partial: string): Promise<void>;
  complete(device: string, partial: string): Promise<string>;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  step(): Promise<void>;
  exportPcap(): Promise<Uint8Array>;
  exportKeylog(): Promise<string>;
  setMode(mode: PlayMode): void;
  setBottomTab(tab: BottomTab): void;
  setLayers(layers: LayerMode): void;
  toggleProtocol(protocol: string): void;
  clearProtocols(): void;
  /** Simulation mode: the next event (of the filtered protocols), skipping quiet periods. */
  nextEvent(): Promise<void>;
  /** Simulation mode: back to the previous event, re-simulated from the start. */
  previousEvent(): Promise<void>;
  /** Moves the lab to simulated time `t`: forward runs on, backward re-simulates from the start. */
  seek(t: SimTime): Promise<void>;
  inspect(seq: number | undefined): Promise<void>;
  /** Fetches the inspected frame again with a GDOI rekey's key material shown (or masked again). */
  revealKeys(on: boolean): Promise<void>;
  setMulticast(source: string, group: string): void;
  refreshMulticast(): Promise<void>;
  setShowRpf(on: boolean): void;
  setShowTree(on: boolean): void;
  /** Enters or removes a device's `ip mroute` lines through its console (configure terminal … end). */
  setMroute(device: string, on: boolean): Promise<void>;
  runningConfig(device: string): Promise<string>;
  /** The scenario with every device's running-config: what the user built. */
  currentScenario(): Promise<string>;
  /** A link that opens this lab (with the user's edits) in any browser. */
  shareLink(): Promise<string>;
  /** Loads a scenario given as text (a shared link, a saved lab). */
  loadText(text: string, source: string, label: string): Promise<void>;
}

/**
 * How a batch is handed to the animation: `flow` plays it as the lab runs (realtime, a console command); `step` is
 * simulation mode's current step and replaces whatever the canvas showed; `firstSeq` numbers the records as the
 * event list does (a packet clicked on the canvas selects its row).
 */
export interface TraceDelivery {
  readonly firstSeq: number;
  readonly step: boolean;
  /** A step's records' seqs (a filtered step skips some). */
  readonly seqs?: readonly number[];
}

/** Listeners for every trace batch as it arrives (the packet animation subscribes here, outside React). */
export type TraceListener = (records: readonly TraceRecord[], now: SimTime, delivery: TraceDelivery) => void;
const traceListeners = new Set<TraceListener>();

/** Subscribes to trace batches; returns the unsubscribe function. A lab load sends an empty batch at time 0. */
export function subscribeTrace(listener: TraceListener): () => void {
  traceListeners.add(listener);
  return () => traceListeners.delete(listener);
}

/** Listeners told when the record stream restarts (a new lab, a rewind): the animation drops its queue. */
const resetListeners = new Set<() => void>();
export function subscribeReset(listener: () => void): () => void {
  resetListeners.add(listener);
  return () => resetListeners.delete(listener);
}
function notifyReset(): void {
  for (const l of resetListeners) l();
}

/** Hands records to the animation as they arrive, or simulation mode's step (again after Back). */
function notifyTrace(
  records: readonly TraceRecord[],
  now: SimTime,
  delivery: TraceDelivery = { firstSeq: 0, step: false },
): void {
  for (const l of traceListeners) l(records, now, delivery);
}

/** A step simulation mode showed: its records, and the trace's length after it (Back re-simulates to there). */
interface ShownStep {
  readonly entries: readonly TraceEntry[];
  readonly end: number;
  readonly t: SimTime;
}

/** Steps taken with Next since the lab last moved otherwise (Back walks them; a seek or Play forgets them). */
let stepHistory: ShownStep[] = [];

// The worker runs one call at a time in practice, but its handlers await (WebCrypto), so two calls could
// interleave: a console command would then run in the middle of a `runUntil`. Chaining every call keeps the
// lab's history the one the user caused.
let queue: Promise<unknown> = Promise.resolve();
function serial<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  // Fails at once if the worker dies; a long call offers Stop (session.ts).
  return watchCall(next);
}

/** A worker call in the page's one queue (session.ts restores faults through it). */
export function serialCall<T>(job: () => Promise<T>): Promise<T> {
  return serial(job);
}

/** Forgets calls queued on a worker that was replaced (a hung or crashed one never answers them). */
export function resetSerialQueue(): void {
  queue = Promise.resolve();
  inFlight = false;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

let seq = 0;
let rafId: number | undefined;
let lastWall = 0;
let lastLabRefresh = 0;
let inFlight = false;
let autoTimer: ReturnType<typeof setTimeout> | undefined;

function newMarkers(records: readonly TraceRecord[]): Marker[] {
  const out: Marker[] = [];
  for (const r of records) {
    const m = markerOf(r);
    if (m) out.push(m);
  }
  return out;
}

function entriesOf(records: readonly TraceRecord[], firstSeq: number): TraceEntry[] {
  return records.slice(-TRACE_WINDOW).map((record, i, all) => ({
    seq: firstSeq + records.length - all.length + i,
    record,
  }));
}

export const useSim = create<SimState>()((set, get) => {
  function appendConsole(device: string, text: string, prompt?: string): void {
    set((s) => {
      const c = s.consoles[device] ?? { transcript: '', prompt: `${device}#`, history: [] };
      const next: ConsoleState = {
        ...c,
        transcript: appendTranscript(c.transcript, text),
        prompt: prompt ?? c.prompt,
      };
      return { consoles: { ...s.consoles, [device]: next } };
    });
  }

  /** IOS prints syslog and debug lines on the console (`logging console`): each device's log goes there. */
  function logToConsoles(records: readonly TraceRecord[]): void {
    const byDevice = new Map<string, string[]>();
    for (const r of records) {
      if (r.kind !== 'log') continue;
      const lines = byDevice.get(r.device) ?? [];
      lines.push(r.text);
      byDevice.set(r.device, lines);
    }
    if (byDevice.size === 0) return;
    set((s) => {
      const consoles = { ...s.consoles };
      for (const [device, lines] of byDevice) {
        const c = consoles[device];
        if (!c) continue;
        consoles[device] = { ...c, transcript: appendTranscript(c.transcript, `${lines.join('\n')}\n`) };
      }
      return { consoles };
    });
  }

  /** Records received and not yet shown by the panels (the event list, timeline markers, consoles). */
  const held: { entries: TraceEntry[]; markers: Marker[]; logs: TraceRecord[]; total: number } = {
    entries: [],
    markers: [],
    logs: [],
    total: 0,
  };
  let flushTimer: ReturnType<typeof setTimeout> | undefined;

  function flushHeld(): void {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    const fresh = held.entries.slice(-TRACE_WINDOW);
    const marks = held.markers;
    const logs = held.logs;
    const total = held.total;
    held.entries = [];
    held.markers = [];
    held.logs = [];
    if (fresh.length === 0 && marks.length === 0) return;
    logToConsoles(logs);
    set((s) => ({
      trace: [...s.trace.slice(-(TRACE_WINDOW - fresh.length)), ...fresh].slice(-TRACE_WINDOW),
      traceTotal: Math.max(total, s.traceTotal),
      ...(marks.length > 0 ? { markers: [...s.markers, ...marks].slice(-MAX_MARKERS) } : {}),
      configVersion: s.configVersion + marks.filter((m) => m.kind === 'config').length,
    }));
  }

  /** Forgets records held for the panels (a new lab, a rewind: the stream restarts). */
  function dropHeld(): void {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    held.entries = [];
    held.markers = [];
    held.logs = [];
  }

  /**
   * Takes records into the panels and the clock. `animate` false: the animation does not play them (a jump in
   * time, a step shown on its own): callouts belong to the moment they happened, not to the end of a jump.
   */
  function ingest(
    records: readonly TraceRecord[],
    now: SimTime,
    total?: number,
    clock?: string,
    animate = true,
  ): void {
    // A windowed batch skips records: number the ones received by their place in the whole trace.
    const first = total !== undefined ? total - records.length : seq;
    if (records.length > 0) {
      const fresh = entriesOf(records, first);
      seq = first + records.length;
      const marks = newMarkers(records);
      held.entries.push(...fresh);
      held.markers.push(...marks);
      held.logs.push(...records.filter((r) => r.kind === 'log'));
      held.total = total ?? Math.max(held.total, get().traceTotal) + records.length;
      // A big lab sends records every frame: the panels re-render at most a few times a second (the
      // animation still gets every batch at once, below).
      const big = (get().lab?.devices.length ?? 0) > WEBGL_THRESHOLD;
      if (!big) flushHeld();
      else if (flushTimer === undefined) flushTimer = setTimeout(flushHeld, BIG_LAB_PANEL_MS);
    }
    // One store update per batch: the clock and the time move together.
    set((s) =>
      s.now === now && (clock === undefined || s.clock === clock)
        ? s
        : { now, maxTime: Math.max(s.maxTime, now), ...(clock !== undefined ? { clock } : {}) },
    );
    if (animate) notifyTrace(records, now, { firstSeq: first, step: false });
  }

  function applyBatch(batch: TraceBatch, animate = true): void {
    ingest(batch.records, batch.now, batch.total, batch.clock, animate);
  }

  /** Shows a simulation step: the canvas plays only its packets, the list marks its rows, its event is selected. */
  function showStep(step: ShownStep): void {
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
  }

  async function refreshLab(): Promise<void> {
    try {
      const lab = await serial(() => getSimClient().lab());
      if (lab) set({ lab, clock: lab.clock, now: lab.now });
      // The multicast view costs the worker a pass over every router: only when something shows it.
      const s = get();
      if (s.bottomTab === 'multicast' || s.showRpf || s.showTree) await s.refreshMulticast();
    } catch (e) {
      set({ simError: errorText(e), bottomTab: 'problems' });
    }
  }

  async function loadText(text: string, source: string, label: string): Promise<void> {
    // Loading pauses the clock: a frame running against the new lab before the page shows it would be lost.
    get().pause();
    set({ loading: true });
    let result: LoadResult;
    try {
      result = await serial(() => getSimClient().load(text));
    } catch (e) {
      result = {
        ok: false,
        problems: [{ severity: 'error', message: `The simulator failed: ${errorText(e)}` }],
      };
    }
    const lab = result.lab;
    if (!result.ok || !lab) {
      const problems: readonly ScenarioProblem[] =
        result.problems.length > 0
          ? result.problems
          : [{ severity: 'error', message: 'The scenario could not be loaded.' }];
      set({ loading: false, loadFailure: { source: label, problems }, bottomTab: 'problems' });
      return;
    }
    const prompts = await Promise.all(
      lab.devices.map((d) => serial(() => getSimClient().prompt(d.name)).catch(() => `${d.name}#`)),
    );
    const consoles: Record<string, ConsoleState> = {};
    lab.devices.forEach((d, i) => {
      consoles[d.name] = { transcript: '', prompt: prompts[i] ?? `${d.name}#`, history: [] };
    });
    const selected = get().selected;
    seq = 0;
    stepHistory = [];
    dropHeld();
    held.total = 0;
    notifyReset();
    set((s) => ({
      lab,
      labSerial: s.labSerial + 1,
      scenarioText: text,
      source,
      sourceLabel: label,
      loadProblems: result.problems,
      loadFailure: undefined,
      simError: undefined,
      loading: false,
      consoles,
      selected: selected && consoles[selected] ? selected : lab.devices[0]?.name,
      now: lab.now,
      clock: lab.clock,
      trace: [],
      traceTotal: 0,
      markers: [],
      configVersion: get().configVersion + 1,
      maxTime: lab.now,
      selectedSeq: undefined,
      frame: undefined,
      eventTime: undefined,
      stepSeqs: [],
      stepNote: undefined,
      multicast: undefined,
      knownMroutes: {},
      faults: [],
      webgl: lab.devices.length > WEBGL_THRESHOLD ? true : s.webgl,
      bottomTab:
        result.problems.length > 0 || lab.problems.length > 0
          ? 'problems'
          : s.bottomTab === 'problems'
            ? 'inspector'
            : s.bottomTab,
    }));
    notifyTrace([], lab.now);
    void get().refreshMulticast();
  }

  /** Replaces the page's view of the lab with a re-simulated one (a rewind). */
  function applyRewind(r: RewindResult): void {
    dropHeld();
    held.total = r.batch.total;
    notifyReset();
    seq = r.batch.total;
    const firstSeq = r.batch.total - r.batch.records.length;
    set((s) => ({
      lab: r.lab,
      now: r.batch.now,
      clock: r.batch.clock,
      trace: entriesOf(r.batch.records, firstSeq),
      traceTotal: r.batch.total,
      markers: s.markers.filter((m) => m.t <= r.batch.now),
      configVersion: s.configVersion + 1,
      // A fault applied after that moment was re-simulated away with the console lines that made it.
      faults: s.faults.filter((f) => f.at <= r.batch.now),
      selectedSeq: undefined,
      frame: undefined,
    }));
  }

  /** Types a fault's console lines and sets its link loss. */
  async function runFaultAction(action: FaultAction): Promise<void> {
    for (const change of action.cli) {
      if (get().consoles[change.device]?.prompt.includes('(config')) await get().exec(change.device, 'end');
      for (const line of change.lines) await get().exec(change.device, line);
    }
    const loss = action.loss;
    if (loss) {
      const lab = await serial(() => getSimClient().setLinkLoss(loss.linkId, loss.fraction));
      if (lab) set({ lab });
    }
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
    rafId = requestAnimationFrame(frame);
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
    serial(() => getSimClient().runUntil(target, BATCH_WINDOW))
      .then(applyBatch)
      .then(() => (refresh ? refreshLab() : undefined))
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

  return {
    labSerial: 0,
    loadProblems: [],
    loading: false,
    consoles: {},
    now: 0,
    clock: '',
    running: false,
    speed: 1,
    trace: [],
    traceTotal: 0,
    mode: 'realtime',
    bottomTab: 'inspector',
    layers: 'both',
    protocols: [],
    markers: [],
    configVersion: 0,
    maxTime: 0,
    rewinding: false,
    frameLoading: false,
    stepSeqs: [],
    multicastSource: '1.1.1.1',
    multicastGroup: '239.10.10.1',
    showRpf: false,
    showTree: false,
    knownMroutes: {},
    faults: [],
    lessonOpen: false,
    lessonStep: 0,
    theme: prefsFromStorage().theme,
    projector: prefsFromStorage().projector,
    webgl: false,

    async loadShipped(file) {
      const label = SHIPPED_SCENARIOS.find((s) => s.file === file)?.label ?? file;
      const url = `${import.meta.env.BASE_URL}scenarios/${file}`;
      let text: string;
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
        text = await res.text();
      } catch (e) {
        set({ loadFailure: { source: label, problems: [{ severity: 'error', message: errorText(e) }] } });
        return;
      }
      // Saved edits of this lab are replaced only when the user says so (issue 13, item 10).
      if (!(await confirmReplace(`shipped:${file}`, label))) return;
      await loadText(text, `shipped:${file}`, label);
    },

    async loadFile(file) {
      let text: string;
      try {
        // Refused above MAX_SCENARIO_BYTES with a message, before any of it is read (issue 13, item 7).
        text = await readScenarioFile(file);
      } catch (e) {
        set({ loadFailure: { source: file.name, problems: [{ severity: 'error', message: errorText(e) }] } });
        return;
      }
      await loadText(text, `file:${file.name}`, file.name);
    },

    dismissFailure() {
      set({ loadFailure: undefined, simError: undefined });
    },

    select(device) {
      if (get().selected !== device) set({ selected: device });
    },

    async exec(device, line) {
      // Back re-simulates to a step's end: a line typed since then would be replayed out of place.
      stepHistory = [];
      set((s) => {
        const c = s.consoles[device];
        if (!c || line.trim() === '' || c.history[c.history.length - 1] === line) return s;
        const history = [...c.history, line].slice(-100);
        return { consoles: { ...s.consoles, [device]: { ...c, history } } };
      });
      const answer = await serial(async (): Promise<LineAnswer | undefined> => {
        appendConsole(device, `${get().consoles[device]?.prompt ?? `${device}#`}${line}\n`);
        try {
          const r = await getSimClient().exec(device, line);
          appendConsole(device, withNewline(r.output), r.prompt);
          ingest(r.records, r.now);
          return { output: r.output, prompt: r.prompt };
        } catch (e) {
          appendConsole(device, `% GETLab could not run the command: ${errorText(e)}\n`);
          return undefined;
        }
      });
      await refreshLab();
      return answer;
    },

    show(device, line) {
      return serial(() => getSimClient().show(device, line));
    },

    gdoiView(device) {
      return serial(() => getSimClient().gdoiView(device));
    },

    pimView(device) {
      return serial(() => getSimClient().pimView(device));
    },

    multicastView(source, group) {
      return serial(() => getSimClient().multicastView(source, group));
    },

    async applyConfig(device, before, after) {
      const prompt = get().consoles[device]?.prompt ?? `${device}#`;
      // The editor's lines go through the console like typed ones: they are in the transcript and the history
      // a rewind replays. A session left in configuration mode is brought back to EXEC first.
      if (prompt.includes('(config')) await get().exec(device, 'end');
      return applyConfigEdit(
        before,
        after,
        async (line) => (await get().exec(device, line)) ?? { output: '% Not sent', prompt },
        get().consoles[device]?.prompt ?? `${device}#`,
      );
    },

    async applyFault(fault) {
      if (get().faults.some((f) => f.fault.id === fault.id)) {
        await get().undoFault(fault.id);
        return;
      }
      const at = get().now;
      await runFaultAction(fault.apply);
      set((s) => ({ faults: [...s.faults, { fault, at }] }));
    },

    async undoFault(id) {
      const applied = get().faults.find((f) => f.fault.id === id);
      if (!applied) return;
      await runFaultAction(applied.fault.undo);
      set((s) => ({ faults: s.faults.filter((f) => f.fault.id !== id) }));
    },

    setLessonOpen(lessonOpen) {
      set({ lessonOpen });
    },

    setLessonStep(lessonStep) {
      set({ lessonStep: Math.max(0, lessonStep), lessonOpen: true });
    },

    setTheme(theme) {
      set({ theme });
      savePrefs({ theme, projector: get().projector });
    },

    setProjector(projector) {
      set({ projector });
      savePrefs({ theme: get().theme, projector });
    },

    setWebgl(webgl) {
      set({ webgl });
    },

    async loadGenerated(spokes, hubs = 1) {
      const label = `Generated: ${generatedLabel(spokes, hubs).toLowerCase()}`;
      let text: string;
      try {
        text = await serial(() => getSimClient().generate(spokes, hubs));
      } catch (e) {
        set({ loadFailure: { source: label, problems: [{ severity: 'error', message: errorText(e) }] } });
        return;
      }
      // As for a shipped lab: saved edits of this generated lab are replaced only when the user says so.
      if (!(await confirmReplace(generatedSource(spokes, hubs), label))) return;
      await loadText(text, generatedSource(spokes, hubs), label);
    },

    async help(device, partial) {
      await serial(async () => {
        appendConsole(device, `${get().consoles[device]?.prompt ?? `${device}#`}${partial}?\n`);
        try {
          appendConsole(device, withNewline(await getSimClient().help(device, partial)));
        } catch (e) {
          appendConsole(device, `% GETLab could not list the help: ${errorText(e)}\n`);
        }
      });
    },

    async complete(device, partial) {
      try {
        return await serial(() => getSimClient().complete(device, partial));
      } catch {
        return partial;
      }
    },

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
      lastWall = performance.now();
      lastLabRefresh = lastWall;
      rafId = requestAnimationFrame(frame);
    },

    pause() {
      if (rafId !== undefined) cancelAnimationFrame(rafId);
      rafId = undefined;
      stopAuto();
      if (get().running) set({ running: false });
    },

    setSpeed(speed) {
      set({ speed });
    },

    async step() {
      if (!get().lab) return;
      get().pause();
      try {
        applyBatch(await serial(() => getSimClient().step()));
        await refreshLab();
      } catch (e) {
        set({ simError: errorText(e), bottomTab: 'problems' });
      }
    },

    async exportPcap() {
      const pcap = await serial(() => getSimClient().exportPcap());
      noteExport(pcap);
      return pcap;
    },

    async exportKeylog() {
      const keylog = await serial(() => getSimClient().exportKeylog());
      noteKeylog(keylog);
      return keylog;
    },

    setMode(mode) {
      if (get().mode === mode) return;
      get().pause();
      stepHistory = [];
      notifyReset();
      set({ mode, eventTime: undefined, stepSeqs: [], stepNote: undefined });
    },

    setBottomTab(bottomTab) {
      set({ bottomTab });
      if (bottomTab === 'multicast') void get().refreshMulticast();
    },

    setLayers(layers) {
      set({ layers });
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

    async nextEvent() {
      if (!get().lab) return;
      try {
        const protocols = get().protocols;
        const limit = get().now + NEXT_EVENT_HORIZON_US;
        const batch = await serial(() => getSimClient().stepMatching(protocols, limit));
        // The records between two steps fill the list; only the step's own packets are drawn.
        applyBatch(batch, false);
        const step = batch.step;
        if (!step) {
          get().pause();
          set({
            eventTime: undefined,
            stepSeqs: [],
            stepNote: `No ${protocols.length > 0 ? protocols.map(protocolName).join(' or ') : ''} event in the next ${NEXT_EVENT_HORIZON_US / 3_600_000_000} h of simulated time.`,
          });
          notifyReset();
          await refreshLab();
          return;
        }
        const firstSeq = batch.total - batch.records.length;
        const entries = batch.records
          .map((record, i) => ({ seq: firstSeq + i, record }))
          .slice(step.from)
          .filter((e) => matchesProtocols(e.record, protocols));
        const shown: ShownStep = { entries, end: step.end, t: entries[0]?.record.t ?? batch.now };
        stepHistory.push(shown);
        if (stepHistory.length > MAX_STEP_HISTORY) stepHistory = stepHistory.slice(-MAX_STEP_HISTORY);
        showStep(shown);
        await refreshLab();
      } catch (e) {
        get().pause();
        set({ simError: errorText(e), bottomTab: 'problems' });
      }
    },

    async previousEvent() {
      if (!get().lab) return;
      get().pause();
      const s = get();
      const current = stepHistory[stepHistory.length - 1];
      const prev = stepHistory[stepHistory.length - 2];
      let target: ShownStep | undefined = prev;
      if (!target) {
        // No step taken here with Next (the lab ran in realtime or was scrubbed): the newest matching record
        // before the current one is the step, shown on its own.
        const before = current?.entries[0]?.seq ?? s.stepSeqs[0] ?? Number.POSITIVE_INFINITY;
        const earlier = s.trace.filter((e) => e.seq < before && matchesProtocols(e.record, s.protocols));
        const last = earlier[earlier.length - 1];
        if (!last) return;
        target = { entries: [last], end: last.seq + 1, t: last.record.t };
      }
      const back = target;
      try {
        set({ rewinding: true });
        const r = await serial(() => getSimClient().rewindToRecord(back.end, back.t, TRACE_WINDOW));
        applyRewind(r);
        stepHistory = prev ? stepHistory.slice(0, -1) : [back];
        showStep(back);
        await refreshLab();
      } catch (e) {
        set({ simError: errorText(e), bottomTab: 'problems' });
      } finally {
        set({ rewinding: false });
      }
    },

    async seek(t) {
      if (!get().lab) return;
      get().pause();
      const target = Math.max(0, Math.round(t));
      // A jump leaves the steps and the packets on the canvas behind: what is drawn is only what happens next.
      stepHistory = [];
      notifyReset();
      set({ stepSeqs: [], eventTime: undefined, stepNote: undefined });
      try {
        if (target >= get().now) {
          applyBatch(await serial(() => getSimClient().runUntil(target, TRACE_WINDOW)), false);
        } else {
          set({ rewinding: true });
          applyRewind(await serial(() => getSimClient().rewind(target, TRACE_WINDOW)));
        }
        await refreshLab();
      } catch (e) {
        set({ simError: errorText(e), bottomTab: 'problems' });
      } finally {
        set({ rewinding: false });
      }
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
        const frame = await serial(() => getSimClient().frame(id));
        if (get().selectedSeq === selectedSeq) set({ frame });
      } catch (e) {
        set({ simError: errorText(e), bottomTab: 'problems' });
      } finally {
        set({ frameLoading: false });
      }
    },

    async revealKeys(on) {
      const id = get().frame?.id;
      if (id === undefined) return;
      const frame = await serial(() => getSimClient().frame(id, { revealKeys: on }));
      if (get().frame?.id === id) set({ frame });
    },

    setMulticast(source, group) {
      set({ multicastSource: source, multicastGroup: group });
      void get().refreshMulticast();
    },

    async refreshMulticast() {
      if (!get().lab) return;
      try {
        const { multicastSource, multicastGroup } = get();
        const view = await serial(() => getSimClient().multicastView(multicastSource, multicastGroup));
        set((s) => {
          const known = { ...s.knownMroutes };
          for (const m of view.mroutes) if (m.lines.length > 0) known[m.device] = m.lines;
          return { multicast: view, knownMroutes: known };
        });
      } catch (e) {
        set({ simError: errorText(e), bottomTab: 'problems' });
      }
    },

    setShowRpf(on) {
      set({ showRpf: on });
      if (on) void get().refreshMulticast();
    },

    setShowTree(on) {
      set({ showTree: on });
      if (on) void get().refreshMulticast();
    },

    async setMroute(device, on) {
      // The switch is the `ip mroute` fault: listed with the others and undone the same way.
      const id = `mroute:${device}`;
      if (on && get().faults.some((f) => f.fault.id === id)) {
        await get().undoFault(id);
        return;
      }
      if (!on) {
        const fault = mrouteFault(device, await get().runningConfig(device));
        if (fault) await get().applyFault(fault);
        return;
      }
      // Switched on without a fault to undo: the lines first seen are entered again.
      const lines = get().knownMroutes[device] ?? [];
      if (lines.length === 0) return;
      const exec = get().exec;
      await exec(device, 'configure terminal');
      for (const line of lines) await exec(device, line);
      await exec(device, 'end');
    },

    runningConfig(device) {
      return serial(() => getSimClient().runningConfig(device));
    },

    async currentScenario() {
      const { lab, scenarioText } = get();
      if (!lab || scenarioText === undefined) throw new Error('No lab is loaded.');
      // A Map: a device named `__proto__` keeps its config (issue 13, item 5).
      const configs = new Map<string, string>();
      for (const d of lab.devices)
        configs.set(d.name, await serial(() => getSimClient().scenarioConfig(d.name)));
      return withConfigs(scenarioText, configs);
    },

    async shareLink() {
      const encoded = await encodeShare(await get().currentScenario());
      const { lessonOpen, lessonStep } = get();
      const lesson = lessonOpen ? `&lesson=${lessonStep + 1}` : '';
      return `${location.origin}${location.pathname}#lab=${encoded}${sessionParam()}${lesson}`;
    },

    loadText(text, source, label) {
      return loadText(text, source, label);
    },
  };
});

/** The lab shown when the page opens; a module-level guard because StrictMode runs mount effects twice. */
let started = false;
export function startDefaultLab(): void {
  if (started) return;
  started = true;
  void openFirstLab();
}
