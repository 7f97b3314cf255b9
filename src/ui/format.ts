// Pure helpers for the panels: no React, no DOM, so Vitest runs them under Node.
import type { EventKind, ScenarioProblem, SimTime, TraceRecord } from '../worker/protocol';
import { classOf, matchesProtocols } from './hops';

/** Simulated seconds with microsecond precision, as the event list and clock show them. */
export function formatSeconds(t: SimTime): string {
  return (t / 1_000_000).toFixed(6);
}

/** One row of the event list, whatever the record's kind. */
export interface EventRow {
  readonly time: string;
  readonly device: string;
  readonly event: string;
  readonly protocols: string;
  readonly summary: string;
  readonly reason: string;
}

export function eventRow(r: TraceRecord): EventRow {
  const time = formatSeconds(r.t);
  switch (r.kind) {
    case 'packet':
      return {
        time,
        device: r.iface ? `${r.device} ${r.iface}` : r.device,
        event: r.event,
        protocols: r.protocols.join(' / '),
        summary: r.summary,
        reason: r.reason ?? '',
      };
    case 'log':
      return { time, device: r.device, event: r.level, protocols: '', summary: r.text, reason: '' };
    case 'state':
      return {
        time,
        device: r.device,
        event: 'state',
        protocols: '',
        summary: `${r.what}: ${r.detail}`,
        reason: '',
      };
    case 'problem':
      return { time, device: r.device, event: 'problem', protocols: '', summary: r.message, reason: '' };
  }
}

/** True when a row matches a free-text filter (case-insensitive, every word must match somewhere). */
export function rowMatches(row: EventRow, filter: string): boolean {
  const words = filter
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) return true;
  const hay = `${row.device} ${row.event} ${row.protocols} ${row.summary} ${row.reason}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/** A row of the event list: the record's place in the stream, its time, its layers and its text. */
export interface ListedRow {
  readonly seq: number;
  readonly t: number;
  readonly layers: readonly string[];
  /** The worker's kind for the record (registration, rekey-sent, rpf-drop, …). */
  readonly kind: EventKind;
  readonly row: EventRow;
}

/** Rows already formatted, by record: a busy lab's list is rebuilt a few times a second from mostly the same. */
const formatted = new WeakMap<TraceRecord, { layers: readonly string[]; kind: EventKind; row: EventRow }>();

function formatRecord(r: TraceRecord): { layers: readonly string[]; kind: EventKind; row: EventRow } {
  let f = formatted.get(r);
  if (!f) {
    const c = classOf(r);
    f = { layers: c.layers, kind: c.kind, row: eventRow(r) };
    formatted.set(r, f);
  }
  return f;
}

/** The newest `max` entries passing the protocol and text filters, oldest first (read from the end). */
export function listedRows(
  trace: readonly { readonly seq: number; readonly record: TraceRecord }[],
  protocols: readonly string[],
  filter: string,
  max: number,
): ListedRow[] {
  const out: ListedRow[] = [];
  for (let i = trace.length - 1; i >= 0 && out.length < max; i--) {
    const e = trace[i];
    if (!e || !matchesProtocols(e.record, protocols)) continue;
    const { layers, kind, row } = formatRecord(e.record);
    if (rowMatches(row, filter)) out.push({ seq: e.seq, t: e.record.t, layers, kind, row });
  }
  return out.reverse();
}

/** Longest console transcript kept per device; older text is cut at a line boundary. */
export const MAX_TRANSCRIPT_CHARS = 200_000;

/** Appends console text, keeping the transcript bounded so a long `debug` session cannot exhaust memory. */
export function appendTranscript(transcript: string, text: string, max = MAX_TRANSCRIPT_CHARS): string {
  const joined = transcript + text;
  if (joined.length <= max) return joined;
  const cut = joined.indexOf('\n', joined.length - max);
  return cut < 0 ? joined.slice(joined.length - max) : joined.slice(cut + 1);
}

/** Console output as printed: IOS ends every line, so a missing final newline is added. */
export function withNewline(output: string): string {
  return output === '' || output.endsWith('\n') ? output : `${output}\n`;
}

/** A stable key so the same problem reported by the load result and the lab view is listed once. */
export function problemKey(p: ScenarioProblem): string {
  return `${p.severity}|${p.device ?? ''}|${p.line ?? ''}|${p.message}`;
}

/** Merges problem lists, dropping duplicates and keeping first-seen order. */
export function mergeProblems(...lists: ReadonlyArray<readonly ScenarioProblem[]>): ScenarioProblem[] {
  const seen = new Set<string>();
  const out: ScenarioProblem[] = [];
  for (const list of lists) {
    for (const p of list) {
      const key = problemKey(p);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** Where a problem is: `<device>, line 12`, or nothing for scenario-wide problems. */
export function problemWhere(p: ScenarioProblem): string {
  const parts: string[] = [];
  if (p.device) parts.push(p.device);
  if (p.line !== undefined) parts.push(`line ${p.line}`);
  return parts.join(', ');
}

/**
 * A problem as IOS prints a rejected config line: the line, a `^` under the column it points at, then the
 * message. Without a column the line and message are shown as given.
 */
export function problemText(p: ScenarioProblem): string {
  if (p.text === undefined || p.text === '' || p.message.includes(p.text)) return p.message;
  const caret = p.column !== undefined ? `\n${' '.repeat(Math.max(0, p.column))}^` : '';
  return `${p.text}${caret}\n${p.message}`;
}
