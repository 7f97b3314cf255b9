// The worker's checkpoints (issue 18: time travel in constant time). As the lab runs, the worker copies the whole
// simulator state every so often; a rewind restores the latest copy before the moment asked for and replays only
// from there, so its cost no longer follows how far into the run the moment is.
import type { CliSession } from '../sim/cli/cli-session';
import type { SimTime } from '../sim/kernel/time';
import type { TraceRecorder } from '../sim/kernel/trace';
import {
  type Checkpoint,
  type SpareCopy,
  handOver,
  restoreCheckpoint,
  spareCopy,
  takeCheckpoint,
} from '../sim/scenario/checkpoint';
import type { Lab } from '../sim/scenario/lab';

/** What a checkpoint keeps beside the lab: the consoles (they point into it) and how many actions it had seen. */
export interface WorkerState {
  readonly sessions: Map<string, CliSession>;
  readonly actions: number;
}

/**
 * Run work (ms) between two checkpoints, at least, and as a multiple of what the last copy cost: a small lab is
 * copied every 50 ms of running (a rewind replays at most that), a big one at most a fifth of the time.
 */
const MIN_SPACING_MS = 50;
const COPY_FACTOR = 5;
/**
 * Objects all checkpoints may hold together (roughly 80 bytes each: ~640 MB). Past it the checkpoint whose
 * neighbours are closest is dropped, so they stay spread over the run.
 */
const OBJECT_BUDGET = 8_000_000;
/** The deadline is read every this many events (reading the clock per event would cost more than the event). */
const CLOCK_EVERY = 64;

/** How often checkpoints are taken (tests take them densely, to rewind across many). */
export interface CheckpointSpacing {
  /** Run work (ms) between two checkpoints, at least. */
  readonly minMs: number;
  /** ... and at least this many times what the last copy cost. */
  readonly copyFactor: number;
}

export const DEFAULT_SPACING: CheckpointSpacing = { minMs: MIN_SPACING_MS, copyFactor: COPY_FACTOR };

export class CheckpointTimeline {
  private list: Checkpoint<WorkerState>[] = [];
  private workMs = 0;
  private lastCopyMs = 0;
  /** Why checkpoints are off for this lab (a state that cannot be copied), if they are. */
  private off: string | undefined;
  private readonly budget: number;
  private readonly spacing: CheckpointSpacing;
  /**
   * One copy of a checkpoint made ahead (while the worker is idle), taken over by the next restore of that
   * checkpoint in place of copying it then: a rewind costs replay only (issue 18). At most one is held.
   */
  private spare: SpareCopy<WorkerState> | undefined;
  private taken = 0;

  constructor(spacing: CheckpointSpacing = DEFAULT_SPACING, budget = OBJECT_BUDGET) {
    this.spacing = spacing;
    this.budget = budget;
  }

  /** Forgets every checkpoint (a new lab). */
  reset(): void {
    this.list = [];
    this.forgetSpare();
    this.workMs = 0;
    this.lastCopyMs = 0;
    this.off = undefined;
  }

  /** Forgets the checkpoints but not why they are off (a rewind that re-simulates from t = 0). */
  dropAll(): void {
    this.list = [];
    this.forgetSpare();
    this.workMs = 0;
  }

  get size(): number {
    return this.list.length;
  }

  get disabled(): string | undefined {
    return this.off;
  }

  /** Times (µs) of the checkpoints held, oldest first. */
  get times(): readonly SimTime[] {
    return this.list.map((c) => c.t);
  }

  /**
   * Runs `lab` to `limit`, or until `more` fails, taking checkpoints as the work since the last one adds up
   * (`state` says what goes beside the lab). The first run takes one at the start (t = 0 after boot).
   */
  async run(lab: Lab, limit: SimTime, state: () => WorkerState, more?: () => boolean): Promise<void> {
    const kernel = lab.kernel;
    if (this.list.length === 0) await this.anchorAfterBoot(lab, state);
    for (;;) {
      const start = performance.now();
      const deadline =
        start + Math.max(this.spacing.minMs, this.spacing.copyFactor * this.lastCopyMs) - this.workMs;
      let n = 0;
      const done = (): boolean =>
        (more !== undefined && !more()) ||
        (this.off === undefined && ++n % CLOCK_EVERY === 0 && performance.now() >= deadline);
      const stopped = await kernel.runUntilCondition(done, limit);
      this.workMs += performance.now() - start;
      if (!stopped || (more !== undefined && !more())) return;
      this.take(lab, state());
    }
  }

  /**
   * A checkpoint where the lab is now, when none is held: the start of a run, or a moment opened from a file (so a
   * rewind after it restores from it rather than re-simulating from t = 0).
   */
  anchor(lab: Lab, state: WorkerState): void {
    if (this.list.length === 0) this.take(lab, state);
  }

  /** The first checkpoint, once the work left from boot is finished (no event is run). */
  private async anchorAfterBoot(lab: Lab, state: () => WorkerState): Promise<void> {
    await lab.kernel.runUntilCondition(() => true, lab.kernel.now);
    this.anchor(lab, state());
  }

  /**
   * Before a lab's first run: takes the first checkpoint (boot work finished, no event run) and returns a running
   * copy of it, for the worker to run in place of `lab`. The live lab then has the shapes a restored one has, so
   * the first rewind does not meet objects the compiled simulator code has never seen (V8 gives a copy made by
   * `Object.create` other hidden classes than its constructor's): it cost ~200 ms in the reference lab, later
   * ones ~15 ms. Undefined when checkpoints are off or one is already held.
   */
  async start(lab: Lab, state: () => WorkerState): Promise<{ lab: Lab; state: WorkerState } | undefined> {
    if (this.list.length > 0 || this.off !== undefined) return undefined;
    await this.anchorAfterBoot(lab, state);
    const first = this.list[0];
    return first && this.restore(first, lab);
  }

  /** The latest checkpoint at or before `time` (and before trace record `records`, when given). */
  nearest(time: SimTime, records?: number): Checkpoint<WorkerState> | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const cp = this.list[i]!;
      if (cp.t <= time && (records === undefined || cp.mark.total <= records)) return cp;
    }
    return undefined;
  }

  /**
   * A running copy of `cp` on `lab`'s trace recorder: the spare made ahead when it is of `cp` (no copy now), else a
   * copy made now. Either way `cp` itself stays as it was, for the next rewind.
   */
  restore(cp: Checkpoint<WorkerState>, lab: Lab): { lab: Lab; state: WorkerState } {
    const trace = lab.kernel.trace;
    const spare = this.spare;
    this.spare = undefined;
    const ready = spare !== undefined && spare.of === cp && spare.trace === trace;
    if (ready) this.taken++;
    const { lab: restored, extra } = ready ? handOver(spare) : restoreCheckpoint(cp, trace);
    this.workMs = 0;
    return { lab: restored, state: extra };
  }

  /** How many restores took over a spare copy rather than copying (tests, bench). */
  get handovers(): number {
    return this.taken;
  }

  /** Time (µs) of the checkpoint the spare copies, if one is held. */
  get spareAt(): SimTime | undefined {
    return this.spare?.of.t;
  }

  /**
   * Makes the spare copy, when the worker is idle: of the latest checkpoint at or before `now` (where the lab
   * stands), the one a scrub back from here restores. Copies nothing when that spare is already held.
   */
  prepareSpare(trace: TraceRecorder, now: SimTime): void {
    if (this.off !== undefined) return;
    const cp = this.nearest(now);
    if (cp === undefined || (this.spare?.of === cp && this.spare.trace === trace)) return;
    this.spare = undefined; // the old spare is garbage before the new copy is made: one extra copy at most
    this.spare = spareCopy(cp, trace);
  }

  private forgetSpare(): void {
    this.spare = undefined;
  }

  /** After checkpoints are dropped: a spare of a dropped one is forgotten. */
  private keepSpareValid(): void {
    if (this.spare !== undefined && !this.list.includes(this.spare.of)) this.spare = undefined;
  }

  /** A new action at event `events`: checkpoints after it belong to a future that will not happen now. */
  dropAfterEvent(events: number): void {
    this.list = this.list.filter((c) => c.events <= events);
    this.keepSpareValid();
  }

  /** Only the first `actions` actions remain: checkpoints that had seen more are of another timeline. */
  dropBeyondActions(actions: number): void {
    this.list = this.list.filter((c) => c.state.extra.actions <= actions);
    this.keepSpareValid();
  }

  private take(lab: Lab, state: WorkerState): void {
    if (this.off !== undefined || !lab.kernel.settled) return;
    const start = performance.now();
    try {
      this.list.push(takeCheckpoint(lab, state));
    } catch (e) {
      // The rewind falls back to re-simulating from t = 0, as before checkpoints: slower, same result.
      this.off = e instanceof Error ? e.message : String(e);
      this.list = [];
      this.forgetSpare();
      return;
    }
    // A typical copy's cost, not the last one's: one copy caught by a major GC must not space the next ones out
    // by seconds of running.
    const ms = performance.now() - start;
    this.lastCopyMs =
      this.lastCopyMs === 0 ? ms : 0.8 * this.lastCopyMs + 0.2 * Math.min(ms, 3 * this.lastCopyMs);
    this.workMs = 0;
    this.thin();
  }

  /** Over budget: drops the checkpoint (never the first or the newest) whose neighbours are closest in events. */
  private thin(): void {
    let total = this.list.reduce((n, c) => n + c.objects, 0);
    while (total > this.budget && this.list.length > 2) {
      let drop = 1;
      let gap = Infinity;
      for (let i = 1; i < this.list.length - 1; i++) {
        const g = this.list[i + 1]!.events - this.list[i - 1]!.events;
        if (g < gap) {
          gap = g;
          drop = i;
        }
      }
      total -= this.list[drop]!.objects;
      this.list.splice(drop, 1);
    }
    this.keepSpareValid();
  }
}
