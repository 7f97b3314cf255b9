// The timeline's markers (issue 18: a jump ahead sends the page only the newest records, so markers read off the
// records the page received missed every registration, rekey and RPF drop before the window). The worker notes
// each one as its record is made, from log lines and dropped packets alone (a listener for those leaves every other
// packet record undescribed), and hands them over with every batch.
import type { LogRecord, TraceRecord, TraceRecorder } from '../sim/kernel/trace';
import { classifyLog, dropCode } from './classify';
import { markerOfClass } from './page-helpers';
import type { EventClass, Marker } from './protocol';

/** Markers kept at most (the oldest go first); the page draws the newest 2,000. */
export const MAX_KEPT_MARKERS = 20_000;
/** Log lines kept at most, and handed over at most for the records a batch's window left out. */
const MAX_KEPT_LOGS = 4_000;
export const MAX_LEFT_OUT_LOGS = 1_000;

/** What a log line or a dropped packet is, as far as markers go (the classifier's answer, without its ESP state). */
function classForMarker(r: TraceRecord): EventClass | undefined {
  if (r.kind === 'log') return classifyLog(r.text, r.level);
  if (r.kind !== 'packet' || r.event !== 'dropped' || r.reason === undefined) return undefined;
  const code = dropCode(r.reason);
  return {
    protocol: 'ipv4',
    layers: [],
    kind: code === 'rpf-failed' ? 'rpf-drop' : 'drop',
    drop: { code, text: r.reason },
  };
}

/** The marker a record makes, if any. */
export function markerOf(r: TraceRecord): Marker | undefined {
  const c = classForMarker(r);
  return c && markerOfClass(r, c);
}

/**
 * The markers of one run's recorder, and its newest log lines, each with its record's place in the whole trace: a
 * jump's batch holds the newest records only, yet the timeline marks the whole run and an open console prints
 * every log line (IOS `logging console` prints each message as it is logged).
 */
export class MarkerLog {
  private trace: TraceRecorder | undefined;
  private stop: (() => void) | undefined;
  private markers: Marker[] = [];
  /** `at[i]`: the trace position of `markers[i]`'s record (ascending). */
  private at: number[] = [];
  private logs: LogRecord[] = [];
  private logAt: number[] = [];

  /**
   * Follows `trace` from now on: a new recorder (a lab loaded, or re-simulated from t = 0) starts a new log from
   * the records it already holds; the same recorder rewound (a checkpoint restored) loses the markers after it.
   */
  follow(trace: TraceRecorder): void {
    if (trace !== this.trace) {
      this.stop?.();
      this.trace = trace;
      this.markers = [];
      this.at = [];
      this.logs = [];
      this.logAt = [];
      const held = trace.all();
      const first = trace.total - held.length;
      held.forEach((r, i) => this.note(r, first + i));
      this.stop = trace.subscribe((r) => this.note(r, trace.total - 1), ['log', 'dropped']);
    }
    const keep = countBefore(this.at, trace.total);
    this.markers.length = keep;
    this.at.length = keep;
    const keepLogs = countBefore(this.logAt, trace.total);
    this.logs.length = keepLogs;
    this.logAt.length = keepLogs;
  }

  /** The markers of records at trace position `from` or later, oldest first. */
  since(from: number): Marker[] {
    return this.markers.slice(countBefore(this.at, from));
  }

  /** The log lines of records at positions from `from` up to `to` (the newest MAX_LEFT_OUT_LOGS of them). */
  logsBetween(from: number, to: number): LogRecord[] {
    const end = countBefore(this.logAt, to);
    return this.logs.slice(Math.max(countBefore(this.logAt, from), end - MAX_LEFT_OUT_LOGS), end);
  }

  /** Every marker kept, oldest first. */
  all(): Marker[] {
    return this.markers.slice();
  }

  private note(r: TraceRecord, position: number): void {
    if (r.kind === 'log') {
      this.logs.push(r);
      this.logAt.push(position);
      if (this.logs.length > 2 * MAX_KEPT_LOGS) {
        this.logs = this.logs.slice(-MAX_KEPT_LOGS);
        this.logAt = this.logAt.slice(-MAX_KEPT_LOGS);
      }
    }
    const m = markerOf(r);
    if (!m) return;
    this.markers.push(m);
    this.at.push(position);
    if (this.markers.length > 2 * MAX_KEPT_MARKERS) {
      this.markers = this.markers.slice(-MAX_KEPT_MARKERS);
      this.at = this.at.slice(-MAX_KEPT_MARKERS);
    }
  }
}

/** How many of the ascending `positions` are below `limit` (searched from the end: callers ask about the newest). */
function countBefore(positions: readonly number[], limit: number): number {
  let i = positions.length;
  while (i > 0 && positions[i - 1]! >= limit) i--;
  return i;
}
