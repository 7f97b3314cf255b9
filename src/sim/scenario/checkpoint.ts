// Checkpoints of a running lab (issue 18: time travel in constant time). A checkpoint is a private copy of the
// whole simulator state between two events; restoring copies it again, so one checkpoint serves any number of
// rewinds. The trace is not copied: the run has one recorder, and a restore rewinds it to the checkpoint's mark.
import type { SimTime } from '../kernel/time';
import { completeCopy, copyGraphInSlices, mapCopy, type SlicedCopy } from '../kernel/snapshot';
import { type TraceMark, TraceRecorder } from '../kernel/trace';
import type { Lab } from './lab';

export interface Checkpoint<X = undefined> {
  /** Simulated time when it was taken (µs). */
  readonly t: SimTime;
  /** Kernel events run when it was taken. */
  readonly events: number;
  readonly mark: TraceMark;
  /** Objects in the copy: what the checkpoint weighs, roughly. */
  readonly objects: number;
  /** The copy: never run it, restore it. `lastFrame` is the copy of the trace's last frame bytes. */
  readonly state: {
    readonly lab: Lab;
    readonly extra: X;
    readonly lastFrame: Uint8Array | undefined;
  };
}

/**
 * Copies `lab` (all but its trace) and `extra` (state outside the lab that points into it, such as console
 * sessions) in one graph, so what they share stays shared. Only between events: throws while an event's
 * asynchronous work is still pending.
 */
export function takeCheckpoint<X>(lab: Lab, extra: X, onto: TraceRecorder = lab.kernel.trace): Checkpoint<X> {
  return completeCopy(takeCheckpointInSlices(lab, extra, onto));
}

/**
 * `takeCheckpoint` a slice at a time (issue 18: the idle worker answers a call between two slices). `lab` must not
 * run until the copy is complete: the checkpoint is of the moment the copy began.
 */
export function takeCheckpointInSlices<X>(
  lab: Lab,
  extra: X,
  onto: TraceRecorder = lab.kernel.trace,
): SlicedCopy<Checkpoint<X>> {
  const at = momentOf(lab);
  const trace = lab.kernel.trace;
  const stats = { objects: 0 };
  // The copy points at `onto`: the run's recorder, also for a checkpoint of a gap filler (`fillerCopyInSlices`), whose
  // own recorder is scratch. Its mark is the filler's: a replay records exactly what the run recorded.
  const replace = new Map<object, unknown>([[trace, onto]]);
  const copy = copyGraphInSlices({ lab, extra, lastFrame: trace.lastFrame }, { replace, stats });
  return mapCopy(copy, (state) => ({ ...at, objects: stats.objects, state }));
}

/** Where `lab` stands, for a checkpoint of it: only between events (an event's asynchronous work is not copied). */
function momentOf(lab: Lab): Pick<Checkpoint, 't' | 'events' | 'mark'> {
  const kernel = lab.kernel;
  if (!kernel.settled) throw new Error('A checkpoint can only be taken between events.');
  return { t: kernel.now, events: kernel.eventsProcessed, mark: kernel.trace.mark() };
}

/**
 * Makes `lab` itself a checkpoint, with no copy, and returns a running copy of it (issue 18: at the first run the
 * worker took a copy as checkpoint and ran a second copy, dropping the booted lab; at 5,000 spokes each copy took
 * ~3 s). `lab` must never run again: the caller runs the copy. `extra` goes into the checkpoint as it is, and the
 * copy's `extra` is a copy of it. The checkpoint's weight is the copy's object count.
 */
export function adoptAsCheckpoint<X>(
  lab: Lab,
  extra: X,
): { checkpoint: Checkpoint<X>; running: { lab: Lab; extra: X } } {
  const trace = lab.kernel.trace;
  // The checkpoint keeps the lab's own last-frame bytes (a packet in flight may be those very bytes: see
  // `TraceRecorder.rewindTo`); the running copy gets copies of both, in one graph.
  const unweighed: Checkpoint<X> = {
    ...momentOf(lab),
    objects: 0,
    state: { lab, extra, lastFrame: trace.lastFrame },
  };
  const stats = { objects: 0 };
  const spare = completeCopy(spareCopyInSlices(unweighed, trace, stats));
  const checkpoint = { ...unweighed, objects: stats.objects };
  return { checkpoint, running: handOver({ ...spare, of: checkpoint }) };
}

/**
 * Hands `cp` itself over as the running lab, with no copy (issue 18: a 1000-spoke copy costs about a second). The
 * caller must forget `cp` first: a checkpoint must never be run. Its lab points at `trace`, the run's recorder,
 * which is rewound to the checkpoint's mark.
 */
export function consumeCheckpoint<X>(cp: Checkpoint<X>, trace: TraceRecorder): { lab: Lab; extra: X } {
  if (cp.state.lab.kernel.trace !== trace) throw new Error('The checkpoint is of another trace.');
  trace.rewindTo(cp.mark, cp.state.lastFrame);
  return { lab: cp.state.lab, extra: cp.state.extra };
}

/**
 * A running copy of `cp` on a scratch recorder of its own, for filling the gap after `cp` with closer checkpoints
 * while the worker is idle (issue 18): the replay must not touch the run's recorder. The scratch recorder keeps
 * nothing (one record, one frame) but counts and hashes as the run's did, so its marks are the run's. Made a slice
 * at a time (`cp` is a checkpoint: nothing runs it meanwhile).
 */
export function fillerCopyInSlices<X>(cp: Checkpoint<X>): SlicedCopy<{ lab: Lab; extra: X }> {
  return mapCopy(spareCopyInSlices(cp, new TraceRecorder(1, 0)), handOver);
}

/**
 * A copy of `cp` made ahead of a restore (issue 18: a rewind costs replay only): not yet running, so it can be
 * made while the worker is idle and taken over later by `handOver`. It points at `trace`, the run's recorder.
 */
export interface SpareCopy<X> {
  readonly of: Checkpoint<X>;
  readonly trace: TraceRecorder;
  readonly state: { readonly lab: Lab; readonly extra: X; readonly lastFrame: Uint8Array | undefined };
}

/** A copy of `cp` on `trace`, for `handOver` to run later. The checkpoint itself is left as it was. */
export function spareCopy<X>(cp: Checkpoint<X>, trace: TraceRecorder): SpareCopy<X> {
  return completeCopy(spareCopyInSlices(cp, trace));
}

/** `spareCopy` a slice at a time (`cp` is a checkpoint: nothing runs it meanwhile); `stats` counts the objects copied. */
export function spareCopyInSlices<X>(
  cp: Checkpoint<X>,
  trace: TraceRecorder,
  stats?: { objects: number },
): SlicedCopy<SpareCopy<X>> {
  const original = cp.state.lab.kernel.trace;
  const copy = copyGraphInSlices(cp.state, {
    replace: new Map<object, unknown>([[original, trace]]),
    ...(stats ? { stats } : {}),
  });
  return mapCopy(copy, (state) => ({ of: cp, trace, state }));
}

/**
 * Makes `spare` the running lab: its trace (the run's recorder) is rewound to the checkpoint's mark. The spare must
 * not be handed over twice: it runs from here on.
 */
export function handOver<X>(spare: SpareCopy<X>): { lab: Lab; extra: X } {
  spare.trace.rewindTo(spare.of.mark, spare.state.lastFrame);
  return { lab: spare.state.lab, extra: spare.state.extra };
}

/**
 * A running copy of `cp` whose trace is `trace` (the run's recorder), rewound to the checkpoint's mark. The
 * checkpoint itself is left as it was.
 */
export function restoreCheckpoint<X>(cp: Checkpoint<X>, trace: TraceRecorder): { lab: Lab; extra: X } {
  return handOver(spareCopy(cp, trace));
}
