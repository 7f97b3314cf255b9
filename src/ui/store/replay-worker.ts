// A fake worker that plays a recorded trace: it implements the worker API (`PageApi`) from a lab view and the kernel
// events recorded one by one, with no simulator behind it. Unit tests drive the store's slices with it, and a
// browser test puts a recording on the page to show that the page needs nothing but the worker API.
import { iosClock, markerOfClass, writePcap, DEFAULT_CLOCK } from '../../worker/page-helpers';
import type {
  LabView,
  LessonRunAction,
  MulticastView,
  PageApi,
  RewindResult,
  SimTime,
  TraceBatch,
  TraceRecord,
} from '../../worker/protocol';
import { encodeRecordColumns } from '../../worker/record-columns';
import { matchesProtocols } from '../hops';
import type { WorkerPort } from './env';

export const RECORDING_FORMAT = 'getlab-trace/1';

/** One kernel event: its time and the records it produced (what `SimApi.step` returned for it). */
export interface RecordedEvent {
  readonly t: SimTime;
  readonly records: readonly TraceRecord[];
}

/** What a console or `show` line answered when the trace was recorded (at its end). */
export interface RecordedAnswer {
  readonly device: string;
  readonly line: string;
  readonly output: string;
}

/** A lab's run as plain JSON: enough for the page to show it without a simulator. */
export interface TraceRecording {
  readonly format: typeof RECORDING_FORMAT;
  /** The scenario file text the run started from. */
  readonly scenario: string;
  /** The lab as it loaded (time 0). */
  readonly lab: LabView;
  /** Every kernel event of the run, in order. */
  readonly events: readonly RecordedEvent[];
  /** Each device's console prompt: [device, prompt]. */
  readonly prompts: readonly (readonly [string, string])[];
  /** Each device's running-config at the end of the run: [device, config]. */
  readonly configs: readonly (readonly [string, string])[];
  /** `show` lines answered at the end of the run. */
  readonly answers: readonly RecordedAnswer[];
}

/** The records of a batch as the worker windows them: the newest `window`, `total` counting all. */
function windowed(records: readonly TraceRecord[], window?: number): readonly TraceRecord[] {
  return window !== undefined && records.length > window ? records.slice(-window) : records;
}

function epochOf(scenario: string): number {
  try {
    const clock = (JSON.parse(scenario) as { clock?: unknown }).clock;
    return Date.parse(typeof clock === 'string' ? clock : DEFAULT_CLOCK);
  } catch {
    return Date.parse(DEFAULT_CLOCK);
  }
}

/** Why a line has no answer: the trace plays what was recorded, nothing more. */
function notRecorded(line: string): string {
  return `% GETLab is playing a recorded trace: "${line}" was not recorded.`;
}

/** Why a lesson check has no answer: a recording keeps records, not the lab the checks look at. */
export const NO_CHECKS_IN_REPLAY =
  'Checks are not available in a recorded trace: it keeps no lab to look at.';

/** The recorded event a lesson's run action stops after (undefined: it runs to its time bound). */
function lessonStop(action: LessonRunAction): ((e: RecordedEvent) => boolean) | undefined {
  const has = (kind: string, device: string) => (e: RecordedEvent) =>
    e.records.some((r) => r.typed?.kind === kind && r.device === device);
  if (action.kind === 'next-rekey') return has('rekey-sent', action.ks);
  if (action.kind === 'until-rekey') return has('rekey-received', action.member);
  return undefined;
}

/** The worker API over a recording: time moves through its events; nothing else changes the lab. */
export function replayApi(recording: TraceRecording): PageApi {
  const epochMs = epochOf(recording.scenario);
  const prompts = new Map(recording.prompts);
  const configs = new Map(recording.configs);
  const events = recording.events;
  let loaded = false;
  let next = 0;
  let now: SimTime = 0;
  let total = 0;
  let lab: LabView = recording.lab;

  const view = (): LabView => ({ ...lab, now, clock: iosClock(epochMs, now) });

  /** Runs recorded events while `more(event)` holds; returns their records. */
  function runWhile(more: (e: RecordedEvent) => boolean): TraceRecord[] {
    const out: TraceRecord[] = [];
    while (next < events.length && more(events[next]!)) {
      const e = events[next++]!;
      now = Math.max(now, e.t);
      out.push(...e.records);
    }
    total += out.length;
    return out;
  }

  /** The batch of `records` (all run since the last one, or from the start for a rewind): markers of every one. */
  function batch(records: readonly TraceRecord[], window?: number): TraceBatch {
    const markers = records.flatMap((r) => (r.typed ? (markerOfClass(r, r.typed) ?? []) : []));
    return { now, clock: iosClock(epochMs, now), records: windowed(records, window), total, markers };
  }

  /** Back to the start, then forward while `more` holds: the same records, as a re-simulation gives. */
  function replayFromStart(more: (e: RecordedEvent, seen: number) => boolean, window?: number): RewindResult {
    next = 0;
    now = 0;
    total = 0;
    const records = runWhile((e) => more(e, total));
    return { lab: view(), batch: batch(records, window), commands: [] };
  }

  function answer(device: string, line: string): string {
    return recording.answers.find((a) => a.device === device && a.line === line)?.output ?? notRecorded(line);
  }

  return {
    async load() {
      loaded = true;
      next = 0;
      now = 0;
      total = 0;
      lab = recording.lab;
      return { ok: true, lab: view(), problems: [] };
    },
    async lab() {
      return loaded ? view() : undefined;
    },
    async labIfChanged() {
      return loaded ? view() : undefined;
    },
    async runUntil(time, window) {
      const records = runWhile((e) => e.t <= time);
      now = Math.max(now, time);
      return batch(records, window);
    },
    async runUntilColumns(time, window) {
      const { records, ...rest } = await this.runUntil(time, window);
      return { ...rest, columns: encodeRecordColumns(records) };
    },
    async setPlaying() {
      // A recording has no idle work to hold back.
    },
    async step() {
      const event = events[next];
      return batch(runWhile((e) => e === event));
    },
    async stepMatching(protocols, limit) {
      const before = total;
      const match = events.findIndex(
        (e, i) => i >= next && e.t <= limit && e.records.some((r) => matchesProtocols(r, protocols)),
      );
      if (match < 0) {
        const records = runWhile((e) => e.t <= limit);
        now = Math.max(now, limit);
        return batch(records);
      }
      const last = events[match]!;
      const records = runWhile((e) => e !== last);
      const from = total - before;
      records.push(...runWhile((e) => e === last));
      return { ...batch(records), step: { from, end: total } };
    },
    async exec(device, line) {
      return { output: answer(device, line), prompt: prompts.get(device) ?? `${device}#`, now, records: [] };
    },
    async prompt(device) {
      return prompts.get(device) ?? `${device}#`;
    },
    async help() {
      return '';
    },
    async complete(_device, partial) {
      return partial;
    },
    async exportPcap() {
      // The recording keeps records, not frames: its capture is empty.
      return writePcap([], Math.floor(epochMs / 1000));
    },
    async exportKeylog() {
      return '';
    },
    async rewind(time, window) {
      return replayFromStart((e) => e.t <= time, window);
    },
    async rewindToRecord(records, time, window) {
      return replayFromStart((e, seen) => seen < records && e.t <= time, window);
    },
    async frame() {
      return undefined;
    },
    async multicastView(source, group): Promise<MulticastView> {
      return { source, group, rpf: [], mroutes: [], tree: [], entries: [] };
    },
    async runningConfig(device) {
      return configs.get(device) ?? '';
    },
    async scenarioConfig(device) {
      return configs.get(device) ?? '';
    },
    async commands() {
      return [];
    },
    async traceHash() {
      return `replay:${total}`;
    },
    async checkpoints() {
      // A recorded trace has no simulator state to copy: every rewind replays the recording.
      return { times: [], disabled: 'a recorded trace is replayed, not simulated' };
    },
    async show(device, line) {
      return answer(device, line);
    },
    async setLinkLoss(linkId, fraction) {
      if (!lab.links.some((l) => l.id === linkId)) return undefined;
      lab = { ...lab, links: lab.links.map((l) => (l.id === linkId ? { ...l, loss: fraction } : l)) };
      return view();
    },
    async generate() {
      throw new Error('A recorded trace plays one lab: it cannot generate another.');
    },
    async gdoiView(device) {
      return { device, now, members: [], keyServers: [] };
    },
    async pimView(device) {
      return { device, neighbors: [], mappingAgent: false, rpMappings: [], nbmaMode: [] };
    },
    async lessons() {
      // The lessons live in the scenario, which only the simulator reads: a recording plays without them.
      return [];
    },
    async evaluateChecks(checks) {
      return checks.map(() => ({ pass: false, detail: NO_CHECKS_IN_REPLAY }));
    },
    async runLesson(action, window) {
      const SECOND = 1_000_000;
      const start = now;
      const bound =
        action.kind === 'run-to'
          ? action.seconds * SECOND
          : start +
            (action.kind === 'run-for'
              ? action.seconds
              : action.kind === 'until-rekey'
                ? action.maxSeconds
                : 3600) *
              SECOND;
      const stop = lessonStop(action);
      let done = false;
      const records = runWhile((e) => {
        if (done || e.t > bound) return false;
        done = stop?.(e) ?? false;
        return true;
      });
      if (!done) now = Math.max(now, bound);
      return batch(records, window);
    },
    async rekeyGroup() {
      return undefined;
    },
    async editScenario() {
      return { error: 'Editing is not available while replaying a recorded trace.' };
    },
    async freeInterfaces() {
      return [];
    },
    async editRoles() {
      return [];
    },
    async exportCml() {
      return { problems: ['Exporting is not available while replaying a recorded trace.'] };
    },
    async exportConfigs() {
      return { files: [], problems: ['Exporting is not available while replaying a recorded trace.'] };
    },
    async saveMoment(): Promise<Uint8Array> {
      throw new Error('Saving a moment is not available while replaying a recorded trace.');
    },
    async openMoment() {
      return {
        ok: false as const,
        problem: 'Opening a moment is not available while replaying a recorded trace.',
      };
    },
  };
}

/** A worker port over a recording: it never crashes; a restart plays the recording from its start again. */
export function replayWorker(recording: TraceRecording): WorkerPort {
  let api = replayApi(recording);
  return {
    api: () => api,
    restart: () => {
      api = replayApi(recording);
    },
    onError: () => () => undefined,
  };
}
