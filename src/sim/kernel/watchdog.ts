import type { SimTime } from './time';
import type { ProblemRecord, TraceRecorder } from './trace';

/**
 * The kernel's watchdog: the lab's analogue of the IOS process watchdog ("To reduce the impact of runaway
 * processes, Cisco IOS software uses a process watchdog timer ... If a process appears to hang ... the scheduler
 * can force the process to terminate", Cisco, "What Causes %SYS-3-CPUHOG Messages?", Document ID 15093).
 *
 * Three kinds of runaway work are stopped, each for the router it belongs to, and the lab goes on:
 * - an event flood: more than `MAX_EVENTS_PER_INSTANT` events at one simulated instant (a timer re-armed with
 *   a delay of 0 stops simulated time); the owner with the most events queued at that instant loses them;
 * - recursion: packet output nested more than `MAX_NESTING` deep inside one event (a tunnel routed through
 *   itself), or more than `MAX_WORK_PER_EVENT` outputs in one event (the same loop through async crypto);
 * - an exception thrown by an event handler (including the engine's stack overflow).
 * Each is logged once per router and instant as IOS would (`%SYS-3-CPUHOG`, `%SYS-2-WATCHDOG`) and recorded as
 * a typed `problem` trace record the page shows in its Problems panel.
 */
export const MAX_EVENTS_PER_INSTANT = 100_000;
export const MAX_NESTING = 32;
export const MAX_WORK_PER_EVENT = 100_000;

/** Owner name of work that belongs to no router (the lab's own events, tests). */
const LAB_OWNER = 'lab';

export type WatchdogProblem = 'event-flood' | 'recursion' | 'exception';

/** Keeps the per-instant and per-event counters and reports what it stopped. */
export class Watchdog {
  private readonly trace: TraceRecorder;
  private readonly clock: () => SimTime;
  /** Owners stopped at the current instant, with the kinds already reported (one log line each). */
  private readonly reported = new Map<string, Set<WatchdogProblem>>();
  private reportedAt: SimTime = -1;
  /** How many problems the watchdog has reported so far (tests and the fuzzer read it). */
  count = 0;
  /** Told of each problem as it is reported (the lab lists them among its problems, which the page shows). */
  onProblem: ((p: ProblemRecord) => void) | undefined;

  constructor(trace: TraceRecorder, clock: () => SimTime) {
    this.trace = trace;
    this.clock = clock;
  }

  /** Reports a stopped piece of work once per owner, kind and instant: a syslog line and a problem record. */
  report(owner: string | undefined, problem: WatchdogProblem, detail: string): void {
    const t = this.clock();
    if (t !== this.reportedAt) {
      this.reported.clear();
      this.reportedAt = t;
    }
    const device = owner ?? LAB_OWNER;
    let kinds = this.reported.get(device);
    if (!kinds) this.reported.set(device, (kinds = new Set()));
    if (kinds.has(problem)) return;
    kinds.add(problem);
    this.count++;
    this.trace.record({ kind: 'log', t, device, level: 'syslog', text: syslogLine(problem, detail) });
    const record: ProblemRecord = {
      kind: 'problem',
      t,
      device,
      problem,
      message: problemMessage(device, problem, detail),
    };
    this.trace.record(record);
    this.onProblem?.(record);
  }
}

/** The IOS-style line. CPUHOG keeps IOS's "process = …" shape with events in place of milliseconds. */
function syslogLine(problem: WatchdogProblem, detail: string): string {
  switch (problem) {
    case 'event-flood':
      return `%SYS-3-CPUHOG: Task ran for more than ${MAX_EVENTS_PER_INSTANT} events at one instant, process = ${detail}; its work at this instant was stopped`;
    case 'recursion':
    case 'exception':
      return `%SYS-2-WATCHDOG: Process aborted on watchdog timeout, process = ${detail}`;
  }
}

function problemMessage(device: string, problem: WatchdogProblem, detail: string): string {
  switch (problem) {
    case 'event-flood':
      return `${device}: more than ${MAX_EVENTS_PER_INSTANT} events at one simulated instant (${detail}); the lab's watchdog stopped that work and the lab goes on.`;
    case 'recursion':
      return `${device}: packet output looped (${detail}); the lab's watchdog stopped it and the lab goes on.`;
    case 'exception':
      return `${device}: the simulator failed while handling an event (${detail}); that event was abandoned and the lab goes on.`;
  }
}

/** A short, single-line description of something thrown. */
export function describeThrown(e: unknown): string {
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'stack overflow (recursion)';
  if (e instanceof Error) return `${e.name}: ${e.message}`.split('\n')[0]!.slice(0, 200);
  return String(e).slice(0, 200);
}
