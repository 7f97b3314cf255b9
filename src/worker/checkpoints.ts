// The worker's checkpoints (issue 18: time travel in constant time). As the lab runs, the worker copies the whole
// simulator state every so often; a rewind restores the latest copy before the moment asked for and replays only
// from there, so its cost no longer follows how far into the run the moment is.
import type { CliSession } from '../sim/cli/cli-session';
import type { SimTime } from '../sim/kernel/time';
import type { TraceRecorder } from '../sim/kernel/trace';
import type { SlicedCopy } from '../sim/kernel/snapshot';
import {
  adoptAsCheckpoint,
  type Checkpoint,
  type SpareCopy,
  consumeCheckpoint,
  fillerCopyInSlices,
  handOver,
  restoreCheckpoint,
  spareCopyInSlices,
  takeCheckpoint,
  takeCheckpointInSlices,
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
/**
 * A lab whose copy costs this much (ms) or more is big (1,000 spokes: ~1 s): a rewind with no spare ready hands the
 * checkpoint itself over rather than copying it, and the idle worker fills the gaps between checkpoints.
 */
const BIG_COPY_MS = 250;
/** Replay work (ms) between the checkpoints the idle worker fills in: a rewind into a filled gap replays at most that. */
const FILL_SPACING_MS = 300;
/**
 * Work (ms) left before the end of a long run at which a big lab takes one more checkpoint: a scrub back from where
 * the run stopped (the commonest one) to anywhere after it then replays at most that much, also straight after the
 * run, before any idle work. 700 ms leaves room under issue 18's 1 s for the rest of a rewind (~150 ms at 1,000
 * spokes); there it covers the last ~10 simulated seconds. One copy more per long run (~1 s there, of a run of 5+).
 */
const TAIL_MS = 700;
/**
 * The most one piece of idle work does before the worker answers a waiting call: objects copied (~30-60 ms at
 * 1,000 spokes, where a whole copy takes 1-2 s) and run work replayed.
 */
const PIECE_OBJECTS = 20_000;
const PIECE_MS = 50;
/**
 * While the page plays a big lab, the worker copies nothing between two frames' runs (a copy of 1,000 spokes held
 * a frame's run 1.5-3 s): after a frame's run that left room (took at most PLAY_ROOM_MS), it does one much smaller
 * piece of shadow work instead (`playWork`): a private copy of the lab's last checkpoint follows the lab and takes
 * the checkpoints the run would have taken.
 */
const PLAY_PIECE_OBJECTS = 5_000;
const PLAY_PIECE_MS = 8;
export const PLAY_ROOM_MS = 8;
/** Run work (ms) in a stretch before its pace (work per simulated µs) is trusted to place the tail checkpoint. */
const PACE_AFTER_MS = 20;

/** How often checkpoints are taken (tests take them densely, to rewind across many). */
export interface CheckpointSpacing {
  /** Run work (ms) between two checkpoints, at least. */
  readonly minMs: number;
  /** ... and at least this many times what the last copy cost. */
  readonly copyFactor: number;
  /** Copies costing this much (ms) or more make a lab big: restores by handing over, idle gap filling. */
  readonly bigCopyMs?: number;
  /** Replay work (ms) between the checkpoints filled in while idle. */
  readonly fillMs?: number;
  /** Work (ms) left at which a long run of a big lab takes its tail checkpoint (`tailDue`); none when unset or 0. */
  readonly tailMs?: number;
}

export const DEFAULT_SPACING: CheckpointSpacing = {
  minMs: MIN_SPACING_MS,
  copyFactor: COPY_FACTOR,
  bigCopyMs: BIG_COPY_MS,
  fillMs: FILL_SPACING_MS,
  tailMs: TAIL_MS,
};

/** Where the running lab stands, for the idle worker. */
export interface Position {
  readonly t: SimTime;
  readonly events: number;
  /** Actions (console lines, faults) so far. */
  readonly actions: number;
}

/** The run between a checkpoint and the next one (or the lab), in events. */
interface Gap {
  readonly from: Checkpoint<WorkerState>;
  readonly width: number;
  /** Simulated time of the gap's end: a replay never runs past it. */
  readonly endT: SimTime;
  /** Whether the lab stands in this gap (at its end when it is the newest). */
  readonly holdsLab: boolean;
}

/** Checkpoints to take in one gap, at these event counts (ascending). */
interface FillPass extends Gap {
  readonly positions: number[];
  readonly shadow?: boolean;
}

/** A private copy of a checkpoint replaying a gap, taking checkpoints at `positions` on the way. */
interface Filler {
  readonly lab: Lab;
  readonly state: WorkerState;
  /** Simulated time it must not replay past (the gap's end; a shadow moves it on with the lab). */
  endT: SimTime;
  readonly trace: TraceRecorder;
  readonly positions: number[];
  /** A shadow of the playing lab (`playWork`): it takes checkpoints at the run's spacing and may thin the list. */
  readonly shadow?: boolean;
  /** The checkpoint of the filler being copied, a piece at a time; the filler does not run until it is complete. */
  taking?: SlicedCopy<Checkpoint<WorkerState>>;
}

/**
 * Checkpoint positions (events, ascending) in the gap from `from` to `end` (where the lab stands): one fill spacing back from it,
 * then 3, 7, 15... spacings back (at most `count`, none within half a spacing of the gap's start). A scrub a
 * little back replays at most a spacing; one further back a span that grows with how far it goes.
 */
export function backFromLab(from: number, end: number, step: number, count: number): number[] {
  const positions: number[] = [];
  for (let back = step; positions.length < count && end - back > from + step / 2; back = 2 * back + step)
    positions.unshift(Math.round(end - back));
  return positions;
}

/**
 * The smallest gap width (events, at least `floor`) such that cutting every wider gap evenly down to it takes at
 * most `room` new checkpoints: the longest replay the budget allows.
 */
export function widthForRoom(widths: readonly number[], room: number, floor: number): number {
  const cuts = (w: number): number => widths.reduce((n, g) => n + Math.max(0, Math.ceil(g / w) - 1), 0);
  let lo = floor;
  let hi = Math.max(floor, ...widths);
  if (cuts(lo) <= room) return lo;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (cuts(mid) <= room) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** How a run call stands, for `tailDue`. All times in ms of run work, simulated times in µs. */
export interface RunPace {
  /** Work in the current stretch (since the run's last checkpoint or its start) and the simulated time it covered. */
  readonly stretchMs: number;
  readonly stretchSimUs: number;
  /** Simulated time from where the lab stands to the run's limit. */
  readonly simLeftUs: number;
  /** Work of this call so far, and since the newest checkpoint (across calls). */
  readonly callMs: number;
  readonly sinceCheckpointMs: number;
}

/**
 * Whether a long run should take its tail checkpoint now: the work left to the limit, at the current stretch's
 * pace, is within `tailMs`; the call as a whole is worth a copy (at least `longMs` of work); and the newest
 * checkpoint is not already that close. A run that will not reach the limit soon, or a short one (a frame of
 * play), takes none.
 */
export function tailDue(pace: RunPace, tailMs: number, longMs: number): boolean {
  if (tailMs <= 0 || pace.stretchMs < Math.min(PACE_AFTER_MS, tailMs) || pace.stretchSimUs <= 0) return false;
  const leftMs = (pace.simLeftUs * pace.stretchMs) / pace.stretchSimUs;
  return (
    leftMs <= tailMs &&
    pace.callMs + leftMs >= longMs &&
    pace.sinceCheckpointMs >= Math.min(tailMs, leftMs + 1)
  );
}

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
  /** Restores that handed a checkpoint itself over (no spare ready, a big lab). */
  private consumed = 0;
  /** Whether the page plays (`setPlaying`): a big lab's runs then copy nothing, a shadow takes their checkpoints. */
  private playing = false;
  /** The piece of shadow work in progress, if one is (a run waits for it). */
  private piece: Promise<unknown> | undefined;
  /** The gap being filled while idle, if one is; any call that changes the timeline stops it. */
  private filler: Filler | undefined;
  /** The filler's copy of the checkpoint before its gap, while it is being made (with the pass it is for). */
  private starting:
    { readonly copy: SlicedCopy<{ lab: Lab; extra: WorkerState }>; readonly pass: FillPass } | undefined;
  /** The spare copy, while it is being made (for the run's recorder `trace`). */
  private making:
    | {
        readonly copy: SlicedCopy<SpareCopy<WorkerState>>;
        readonly of: Checkpoint<WorkerState>;
        readonly trace: TraceRecorder;
      }
    | undefined;
  /** Checkpoints filled in while idle (tests, bench). */
  private filled = 0;
  /** Whether the idle work is all done (nothing to fill, the spare made) since the last change. */
  private quiet = false;
  /** Events run and run work (ms), for how many events a fill spacing is. */
  private runEvents = 0;
  private runMs = 0;
  /** Events run since the last checkpoint (or restore): the run that `workMs` measures. */
  private workEvents = 0;
  /**
   * Events since the run last read its clock, across calls: a frame of play runs a few events of a small lab, so a
   * count kept per call never reached CLOCK_EVERY and a lab played for minutes took no checkpoint (the first scrub
   * back then replayed the whole play: 0.9 s after 3,000 s of the reference lab at 10x).
   */
  private sinceClock = 0;

  constructor(spacing: CheckpointSpacing = DEFAULT_SPACING, budget = OBJECT_BUDGET) {
    this.spacing = spacing;
    this.budget = budget;
  }

  /** Forgets every checkpoint (a new lab). */
  reset(): void {
    this.stopIdleWork();
    this.runEvents = 0;
    this.runMs = 0;
    this.list = [];
    this.forgetSpare();
    this.workMs = 0;
    this.workEvents = 0;
    this.lastCopyMs = 0;
    this.off = undefined;
  }

  /** Forgets the checkpoints but not why they are off (a rewind that re-simulates from t = 0). */
  dropAll(): void {
    this.stopIdleWork();
    this.list = [];
    this.forgetSpare();
    this.workMs = 0;
    this.workEvents = 0;
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
   * (`state` says what goes beside the lab). The first run takes one at the start (t = 0 after boot). A `forward`
   * run (the page's Run, not a rewind's replay) of a big lab also takes one near its end (`tailDue`).
   */
  async run(
    lab: Lab,
    limit: SimTime,
    state: () => WorkerState,
    more?: () => boolean,
    forward = false,
  ): Promise<void> {
    const kernel = lab.kernel;
    // A run on leaves the checkpoints as they were: while the page plays, the shadow goes on between frames, but
    // never during one (a piece waiting on WebCrypto would interleave two kernels' events).
    await this.quiesce();
    if (this.playing) this.quiet = false;
    else this.stopIdleWork();
    if (this.list.length === 0) await this.anchorAfterBoot(lab, state);
    const callStart = performance.now();
    // Playing a big lab, the run copies nothing (it would hold the frame for a whole copy): the shadow takes its
    // checkpoints between frames. Not after a console line since the last checkpoint: a shadow replays the kernel alone.
    const shadowed =
      this.playing && this.big && this.nearest(kernel.now)?.state.extra.actions === state().actions;
    let tail = forward && more === undefined && Number.isFinite(limit);
    for (;;) {
      const start = performance.now();
      const startT = kernel.now;
      const events = kernel.eventsProcessed;
      const deadline = shadowed ? Infinity : start + this.spacingMs - this.workMs;
      let atTail = false;
      const nearEnd = (now: number): boolean =>
        this.big &&
        tailDue(
          {
            stretchMs: now - start,
            stretchSimUs: kernel.now - startT,
            simLeftUs: limit - kernel.now,
            callMs: now - callStart,
            sinceCheckpointMs: this.workMs + now - start,
          },
          this.spacing.tailMs ?? 0,
          this.spacing.copyFactor * this.lastCopyMs,
        );
      const clock = (): boolean => {
        const now = performance.now();
        if (now >= deadline) return true;
        atTail = tail && nearEnd(now);
        return atTail;
      };
      const done = (): boolean =>
        (more !== undefined && !more()) ||
        (this.off === undefined && ++this.sinceClock % CLOCK_EVERY === 0 && clock());
      const stopped = await kernel.runUntilCondition(done, limit);
      const ms = performance.now() - start;
      this.workMs += ms;
      this.runMs += ms;
      this.runEvents += kernel.eventsProcessed - events;
      this.workEvents += kernel.eventsProcessed - events;
      if (!stopped || (more !== undefined && !more())) return;
      if (atTail) tail = false;
      this.take(lab, state(), kernel.eventsProcessed - this.workEvents);
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
    await finishBoot(lab);
    this.anchor(lab, state());
  }

  /**
   * Before a lab's first run: makes the booted lab itself the first checkpoint (boot work finished, no event run)
   * and returns a running copy of it, for the worker to run in place of `lab` (one copy, `adoptAsCheckpoint`). The
   * live lab then has the shapes a restored one has, so the first rewind does not meet objects the compiled
   * simulator code has never seen (V8 gives a copy made by `Object.create` other hidden classes than its
   * constructor's): it cost ~200 ms in the reference lab, later ones ~15 ms. Undefined when checkpoints are off or
   * one is already held; `lab` then runs on.
   */
  async start(lab: Lab, state: () => WorkerState): Promise<{ lab: Lab; state: WorkerState } | undefined> {
    if (this.list.length > 0 || this.off !== undefined) return undefined;
    await finishBoot(lab);
    if (!lab.kernel.settled) return undefined;
    // A copy that fails only read `lab`, which then runs on.
    const adopted = this.copied(
      () => adoptAsCheckpoint(lab, state()),
      (a) => a.checkpoint,
    );
    return adopted && { lab: adopted.running.lab, state: adopted.running.extra };
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
    this.stopIdleWork();
    const trace = lab.kernel.trace;
    const spare = this.spare;
    this.spare = undefined;
    const ready = spare !== undefined && spare.of === cp && spare.trace === trace;
    if (ready) this.taken++;
    const { lab: restored, extra } = ready
      ? handOver(spare)
      : this.consumes(cp, trace)
        ? this.consume(cp, trace)
        : restoreCheckpoint(cp, trace);
    this.workMs = 0;
    this.workEvents = 0;
    return { lab: restored, state: extra };
  }

  /**
   * Whether a restore of `cp` with no spare ready hands `cp` itself over: in a big lab (a copy would cost more than
   * the rewind may), never the first checkpoint (a rewind before every other one must not re-simulate the boot).
   */
  private consumes(cp: Checkpoint<WorkerState>, trace: TraceRecorder): boolean {
    return this.big && cp !== this.list[0] && cp.state.lab.kernel.trace === trace;
  }

  /** Forgets `cp` (a checkpoint must never be run: it is the running lab now) and hands it over. */
  private consume(cp: Checkpoint<WorkerState>, trace: TraceRecorder): { lab: Lab; extra: WorkerState } {
    this.list = this.list.filter((c) => c !== cp);
    this.consumed++;
    return consumeCheckpoint(cp, trace);
  }

  private get big(): boolean {
    return this.off === undefined && this.lastCopyMs >= (this.spacing.bigCopyMs ?? BIG_COPY_MS);
  }

  /** Restores that handed the checkpoint itself over (tests, bench). */
  get consumedCount(): number {
    return this.consumed;
  }

  /** Checkpoints filled in while idle (tests, bench). */
  get filledCount(): number {
    return this.filled;
  }

  /** Whether the idle work is done: every gap that can be filled is, and the spare is made. */
  get idleDone(): boolean {
    return this.quiet;
  }

  /**
   * One piece of the work done while the worker is idle, at most PIECE_OBJECTS copied or PIECE_MS replayed (so a
   * call that comes meanwhile waits at most that): in a big lab, the gaps between checkpoints are filled with closer
   * ones (the gap the lab stands in first, then older ones, while the object budget allows); then the spare copy is
   * made. Resolves to whether there is more to do.
   */
  async idleWork(trace: TraceRecorder, at: Position): Promise<boolean> {
    if (this.piece) return true;
    return this.inFlight(this.idlePiece(trace, at));
  }

  /** Keeps `piece` as the one in progress until it is done (`quiesce` waits for it). */
  private async inFlight(piece: Promise<boolean>): Promise<boolean> {
    this.piece = piece;
    try {
      return await piece;
    } finally {
      this.piece = undefined;
    }
  }

  private async idlePiece(trace: TraceRecorder, at: Position): Promise<boolean> {
    if (this.quiet || this.off !== undefined) return false;
    if (this.big) {
      try {
        if (this.starting) {
          this.startStep(this.starting, trace);
          return true;
        }
        if (this.filler) {
          await this.fillStep(this.filler);
          return true;
        }
        if (this.startFilling(trace, at)) return true;
      } catch {
        // Filling is an optimisation: a failed replay or copy leaves the checkpoints as they were.
        this.filler = undefined;
        this.starting = undefined;
      }
    }
    if (!this.spareStep(trace, at.t, PIECE_OBJECTS)) return true;
    this.quiet = true;
    return false;
  }

  /** Stops the idle work (a call changed the timeline or the lab): it starts again at the next idle moment. */
  private stopIdleWork(): void {
    this.filler = undefined;
    this.starting = undefined;
    this.making = undefined;
    this.quiet = false;
  }

  /** Run work (ms) between two of the run's own checkpoints, at least. */
  private get spacingMs(): number {
    return Math.max(this.spacing.minMs, this.spacing.copyFactor * this.lastCopyMs);
  }

  /** Events the run goes through in `ms` of work, at its pace so far (at least one clock reading's worth). */
  private eventsIn(ms: number): number {
    const perMs = this.runEvents / Math.max(1, this.runMs);
    return Math.max(CLOCK_EVERY, Math.round(ms * perMs));
  }

  /** Waits for the piece of idle or shadow work in progress, if one is waiting on WebCrypto: no two labs interleave. */
  async quiesce(): Promise<void> {
    if (this.piece) await this.piece;
  }

  /** The page plays, or stopped: while it plays, a big lab's runs copy nothing and `playWork` shadows the lab. */
  setPlaying(on: boolean): void {
    this.playing = on;
  }

  /**
   * One small piece of shadow work between two frames of play (a big lab only): copy a piece of the shadow (a
   * private copy of the checkpoint the lab ran on from), or replay it a piece on toward the lab, taking a checkpoint
   * (itself copied in pieces) every run spacing. Resolves to whether there was work to do.
   */
  async playWork(trace: TraceRecorder, at: Position): Promise<boolean> {
    if (!this.playing || !this.big || this.off !== undefined || this.piece) return false;
    return this.inFlight(this.shadowPiece(trace, at));
  }

  private async shadowPiece(trace: TraceRecorder, at: Position): Promise<boolean> {
    try {
      if (this.starting) {
        this.startStep(this.starting, trace, PLAY_PIECE_OBJECTS);
        return true;
      }
      if (this.filler) {
        if (this.filler.shadow) this.follow(this.filler, at);
        await this.fillStep(this.filler, PLAY_PIECE_OBJECTS, PLAY_PIECE_MS);
        return true;
      }
      return this.startShadow(trace, at);
    } catch {
      this.filler = undefined;
      this.starting = undefined;
      return false;
    }
  }

  /** A shadow of the lab from the checkpoint it ran on from, when the run since is a run spacing or more. */
  private startShadow(trace: TraceRecorder, at: Position): boolean {
    const step = this.eventsIn(this.spacingMs);
    const gap = this.fillableGaps(at).find((g) => g.holdsLab && g.width >= step);
    if (!gap || gap.from.state.lab.kernel.trace !== trace) return false;
    const positions: number[] = [];
    for (let e = gap.from.events + step; e <= at.events; e += step) positions.push(e);
    const pass = { ...gap, positions, shadow: true };
    this.starting = { copy: fillerCopyInSlices(gap.from), pass };
    return true;
  }

  /** Moves a shadow's goal on with the lab: the next checkpoints a run spacing apart, up to where the lab stands. */
  private follow(shadow: Filler, at: Position): void {
    if (at.actions !== shadow.state.actions || at.t < shadow.endT) return;
    const step = this.eventsIn(this.spacingMs);
    let e = shadow.positions[shadow.positions.length - 1] ?? shadow.lab.kernel.eventsProcessed;
    for (e += step; e <= at.events; e += step) shadow.positions.push(e);
    shadow.endT = at.t;
  }

  /**
   * A private copy of the checkpoint before the next gap to fill (`nextPass`), replaying toward the checkpoints to
   * take in it. False when no gap needs filling or the object budget holds no more.
   */
  private startFilling(trace: TraceRecorder, at: Position): boolean {
    const pass = this.nextPass(at);
    if (!pass || pass.from.state.lab.kernel.trace !== trace) return false;
    this.starting = { copy: fillerCopyInSlices(pass.from), pass };
    this.startStep(this.starting, trace);
    return true;
  }

  /** One piece of the filler's copy; once it is complete the filler replays from the next piece on. */
  private startStep(
    starting: NonNullable<typeof this.starting>,
    trace: TraceRecorder,
    objects = PIECE_OBJECTS,
  ): void {
    if (!starting.copy.step(objects)) return;
    const { lab, extra } = starting.copy.result();
    const { endT, positions, shadow } = starting.pass;
    this.starting = undefined;
    this.filler = { lab, state: extra, endT, trace, positions, shadow };
  }

  /**
   * Where the next checkpoints go, spending the object budget left so the longest replay shrinks most. First the
   * gap the lab stands in, densest at its end (`backFromLab`, up to two thirds of the room: a scrub mostly goes back
   * a little from where the lab stopped); then the widest gaps, each cut evenly so that no gap stays wider than the
   * width the room allows.
   */
  private nextPass(at: Position): FillPass | undefined {
    const room = this.room();
    const step = this.eventsIn(this.spacing.fillMs ?? FILL_SPACING_MS);
    const gaps = this.fillableGaps(at).filter((g) => g.width >= 1.5 * step);
    if (room === 0 || gaps.length === 0) return undefined;
    const mine = gaps.find((g) => g.holdsLab);
    if (mine)
      return {
        ...mine,
        positions: backFromLab(
          mine.from.events,
          mine.from.events + mine.width,
          step,
          Math.ceil((2 * room) / 3),
        ),
      };
    const width = widthForRoom(
      gaps.map((g) => g.width),
      room,
      1.5 * step,
    );
    const widest = gaps.reduce((a, b) => (b.width > a.width ? b : a));
    if (widest.width <= width) return undefined;
    const cuts = Math.ceil(widest.width / width) - 1;
    const positions = Array.from({ length: cuts }, (_, i) =>
      Math.round(widest.from.events + ((i + 1) * widest.width) / (cuts + 1)),
    );
    return { ...widest, positions };
  }

  /** Gaps after each checkpoint (to the next one, or to the lab) with no action in them: a replay runs the kernel alone. */
  private fillableGaps(at: Position): Gap[] {
    const gaps: Gap[] = [];
    this.list.forEach((from, i) => {
      const next = this.list[i + 1];
      const endEvents = next?.events ?? at.events;
      const endActions = next?.state.extra.actions ?? at.actions;
      if (endEvents <= from.events || endActions !== from.state.extra.actions) return;
      const holdsLab = from.events <= at.events && at.events <= endEvents;
      gaps.push({ from, width: endEvents - from.events, endT: next?.t ?? at.t, holdsLab });
    });
    return gaps;
  }

  /** How many more checkpoints as big as the newest the object budget holds. */
  private room(): number {
    const total = this.list.reduce((n, c) => n + c.objects, 0);
    const each = Math.max(1, this.list[this.list.length - 1]?.objects ?? 1);
    return Math.max(0, Math.floor((this.budget - total) / each));
  }

  /**
   * Replays the filler one piece on, or copies one piece of the checkpoint it stands at: a checkpoint is taken when
   * it reaches the next position, over as many pieces as the copy needs (the filler waits meanwhile).
   */
  private async fillStep(filler: Filler, objects = PIECE_OBJECTS, ms = PIECE_MS): Promise<void> {
    if (filler.taking) {
      if (!filler.taking.step(objects)) return;
      this.insert(filler.taking.result());
      this.filled++;
      filler.positions.shift();
      filler.taking = undefined;
      // A shadow stands for the run's own checkpoints, which make room as the run's do.
      if (filler.shadow) this.thin();
      return;
    }
    const kernel = filler.lab.kernel;
    const next = filler.positions[0];
    // A shadow with nothing to take yet waits for the lab to move on (`follow`).
    if (next === undefined && filler.shadow === true && this.playing) return;
    if (next === undefined || (this.room() === 0 && filler.shadow !== true)) {
      this.filler = undefined;
      return;
    }
    // At most one piece of replay, checkpoint or not (the replay to the first one may be long).
    const target = Math.min(next, kernel.eventsProcessed + this.eventsIn(ms));
    await kernel.runUntilCondition(() => kernel.eventsProcessed >= target, filler.endT);
    // A call meanwhile (an event waiting on WebCrypto yields) may have changed the timeline: the step is void.
    if (this.filler !== filler) return;
    if (kernel.eventsProcessed !== target) {
      this.filler = undefined; // the gap's end was not reached as recorded: leave it
      return;
    }
    if (target !== next || !kernel.settled) return;
    filler.taking = takeCheckpointInSlices(filler.lab, filler.state, filler.trace);
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
   * Copies up to `objects` more of the spare copy: of the latest checkpoint at or before `now` (where the lab
   * stands), the one a scrub back from here restores. True once it is made, or already held.
   */
  private spareStep(trace: TraceRecorder, now: SimTime, objects: number): boolean {
    if (this.off !== undefined) return true;
    const cp = this.nearest(now);
    if (cp === undefined || (this.spare?.of === cp && this.spare.trace === trace)) return true;
    if (this.making?.of !== cp || this.making.trace !== trace) {
      this.spare = undefined; // the old spare is garbage before the new copy is made: one extra copy at most
      this.making = { copy: spareCopyInSlices(cp, trace), of: cp, trace };
    }
    if (!this.making.copy.step(objects)) return false;
    this.spare = this.making.copy.result();
    this.making = undefined;
    return true;
  }

  private forgetSpare(): void {
    this.spare = undefined;
    this.making = undefined;
  }

  /** After checkpoints are dropped: a spare of a dropped one is forgotten, made or being made. */
  private keepSpareValid(): void {
    if (this.spare !== undefined && !this.list.includes(this.spare.of)) this.spare = undefined;
    if (this.making !== undefined && !this.list.includes(this.making.of)) this.making = undefined;
  }

  /** A new action at event `events`: checkpoints after it belong to a future that will not happen now. */
  dropAfterEvent(events: number): void {
    this.stopIdleWork();
    this.list = this.list.filter((c) => c.events <= events);
    this.keepSpareValid();
  }

  /** Only the first `actions` actions remain: checkpoints that had seen more are of another timeline. */
  dropBeyondActions(actions: number): void {
    this.stopIdleWork();
    this.list = this.list.filter((c) => c.state.extra.actions <= actions);
    this.keepSpareValid();
  }

  /**
   * A checkpoint of `lab` where it stands, kept in order of events. A run that passed a checkpoint held since
   * `since` (events; a run on after a rewind goes through the old future again) takes none: that one serves.
   */
  private take(lab: Lab, state: WorkerState, since?: number): void {
    if (this.off !== undefined || !lab.kernel.settled) return;
    const events = lab.kernel.eventsProcessed;
    if (since !== undefined && this.list.some((c) => c.events > since && c.events <= events)) {
      this.workMs = 0;
      this.workEvents = 0;
      return;
    }
    this.copied(
      () => takeCheckpoint(lab, state),
      (cp) => cp,
    );
  }

  /**
   * Makes a checkpoint by a copy (`make`), timed for the run's spacing, and adds it (`checkpointOf` finds it in
   * what `make` returns). A state that cannot be copied turns checkpoints off: undefined then.
   */
  private copied<T>(make: () => T, checkpointOf: (made: T) => Checkpoint<WorkerState>): T | undefined {
    const start = performance.now();
    let made: T;
    try {
      made = make();
    } catch (e) {
      // The rewind falls back to re-simulating from t = 0, as before checkpoints: slower, same result.
      this.off = e instanceof Error ? e.message : String(e);
      this.list = [];
      this.forgetSpare();
      return undefined;
    }
    // A typical copy's cost, not the last one's: one copy caught by a major GC must not space the next ones out
    // by seconds of running.
    const ms = performance.now() - start;
    this.lastCopyMs =
      this.lastCopyMs === 0 ? ms : 0.8 * this.lastCopyMs + 0.2 * Math.min(ms, 3 * this.lastCopyMs);
    this.insert(checkpointOf(made));
    this.workMs = 0;
    this.workEvents = 0;
    this.thin();
    return made;
  }

  /**
   * Adds `cp` in order of events. After a rewind the checkpoints of the old future stay (no action was dropped), so
   * a run on from there takes new ones between them, not after them; `nearest` reads the list in order.
   */
  private insert(cp: Checkpoint<WorkerState>): void {
    const at = this.list.findIndex((c) => c.events > cp.events);
    this.list.splice(at < 0 ? this.list.length : at, 0, cp);
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

/** Finishes the work a lab's boot left pending (no event is run), so that it can be copied. */
async function finishBoot(lab: Lab): Promise<void> {
  await lab.kernel.runUntilCondition(() => true, lab.kernel.now);
}
