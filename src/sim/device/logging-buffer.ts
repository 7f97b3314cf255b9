import type { SimTime } from '../kernel/time';

/** IOS's default `logging buffered` size on the 7200 (`show logging`: "Log Buffer (8192 bytes):"). */
export const LOG_BUFFER_BYTES = 8192;

export interface BufferedLogLine {
  readonly t: SimTime;
  readonly text: string;
}

/**
 * The router's logging buffer, as `logging buffered` keeps it: a circular buffer of the most recent messages
 * that fit in its size (older ones are overwritten), and the count of every message logged. The byte size of
 * a line is its text with timestamp and newline, as IOS stores the formatted message.
 */
export class LoggingBuffer {
  private readonly lines: BufferedLogLine[] = [];
  private head = 0;
  private bytes = 0;
  /** Messages logged since boot (the "N messages logged" of `show logging`). */
  logged = 0;
  /** Of those, syslog messages: the trap (syslog server) level, informational, leaves debug lines out. */
  loggedSyslog = 0;

  private readonly capacity: number;

  constructor(capacity = LOG_BUFFER_BYTES) {
    this.capacity = capacity;
  }

  add(t: SimTime, text: string, level: 'syslog' | 'debug' = 'syslog'): void {
    this.logged++;
    if (level === 'syslog') this.loggedSyslog++;
    this.lines.push({ t, text });
    this.bytes += lineBytes(text);
    while (this.bytes > this.capacity && this.head < this.lines.length - 1) {
      this.bytes -= lineBytes(this.lines[this.head]!.text);
      this.head++;
    }
    // Compact once the overwritten lines are the majority, so the array holds at most about twice what the
    // buffer shows: with a 1,024-line threshold, a 1,000-router lab kept a thousand dead lines per router
    // after a simulated day (issue 18: memory that does not grow with simulated time).
    if (this.head > 64 && this.head * 2 > this.lines.length) {
      this.lines.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Lines kept in memory: those the buffer holds plus overwritten ones awaiting compaction. */
  get retained(): number {
    return this.lines.length;
  }

  /** The lines the buffer holds, oldest first. */
  contents(): readonly BufferedLogLine[] {
    return this.lines.slice(this.head);
  }
}

/** `*Jul  7 22:57:13.167: ` (22 bytes) + message + newline. */
function lineBytes(text: string): number {
  return 22 + text.length + 1;
}
