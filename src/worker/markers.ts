// The timeline's markers (issue 18: a jump ahead sends the page only the newest records, so markers read off the
// records the page received missed every registration, rekey and RPF drop before the window). The worker notes
// each one as its record is made, from log lines and dropped packets alone (a listener for those leaves every other
// packet record undescribed), and hands them over with every batch.
import type { TraceRecord, TraceRecorder } from '../sim/kernel/trace';
import { classifyLog, dropCode } from './classify';
import { markerOfClass } from './page-helpers';
import type { EventClass, Marker } from './protocol';

/** Markers kept at most (the oldest go first); the page draws the newest 2,000. */
export const MAX_KEPT_MARKERS = 20_000;

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

/** The markers of one run's recorder, each with its record's place in the whole trace. */
export class MarkerLog {
  private trace: TraceRecorder | undefined;
  private stop: (() => void) | undefined;
  private markers: Marker[] = [];
  /** `at[i]`: the trace position of `markers[i]`'s record (ascending). */
  private at: number[] = [];

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
      const held = trace.all();
      const first = trace.total - held.length;
      held.forEach((r, i) => this.note(r, first + i));
      this.stop = trace.subscribe((r) => this.note(r, trace.total - 1), ['log', 'dropped']);
    }
    let keep = this.at.length;
    while (keep > 0 && this.at[keep - 1]! >= trace.total) keep--;
    this.markers.length = keep;
    this.at.length = keep;
  }

  /** The markers of records at trace position `from` or later, oldest first. */
  since(from: number): Marker[] {
    let i = this.at.length;
    while (i > 0 && this.at[i - 1]! >= from) i--;
    return this.markers.slice(i);
  }

  /** Every marker kept, oldest first. */
  all(): Marker[] {
    return this.markers.slice();
  }

  private note(r: TraceRecord, position: number): void {
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
