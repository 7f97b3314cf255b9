// Plain-data types that cross the worker boundary (structured clone): no classes, no functions.
import type { SimTime } from '../sim/kernel/time';
import type { TraceRecord } from '../sim/kernel/trace';

export type { SimTime, TraceRecord };

export interface InterfaceView {
  /** Canonical IOS name, e.g. `FastEthernet1/0`. */
  readonly name: string;
  /** IOS short form, e.g. `Fa1/0`. */
  readonly short: string;
  /** `a.b.c.d/len` when addressed. */
  readonly address?: string;
  /** IOS `Status` column: `up`, `down` or `administratively down`. */
  readonly status: string;
  /** IOS `Protocol` column. */
  readonly protocol: 'up' | 'down';
}

export interface DeviceView {
  readonly name: string;
  /** Only changes the drawing: `provider` is drawn as a cloud. */
  readonly role: 'router' | 'provider';
  readonly x?: number;
  readonly y?: number;
  readonly interfaces: readonly InterfaceView[];
}

export interface LinkEndView {
  readonly device: string;
  readonly iface: string;
}

export interface LinkView {
  /** `<device> <iface>--<device> <iface>` */
  readonly id: string;
  readonly a: LinkEndView;
  readonly b: LinkEndView;
  readonly delayMs: number;
  readonly up: boolean;
}

/** A problem in a scenario: names the device and line where there is one. */
export interface ScenarioProblem {
  readonly severity: 'error' | 'warning';
  readonly device?: string;
  readonly line?: number;
  readonly text?: string;
  /** 0-based column in `text` the message points at: draw IOS's `^` under it. */
  readonly column?: number;
  /** Plain-language or IOS-style message (e.g. `% Invalid input detected at '^' marker.`). */
  readonly message: string;
}

export interface LabView {
  readonly title: string;
  readonly description: string;
  readonly devices: readonly DeviceView[];
  readonly links: readonly LinkView[];
  readonly problems: readonly ScenarioProblem[];
  /** Simulated time now, microseconds. */
  readonly now: SimTime;
  /** The IOS clock at `now`, e.g. `*22:57:13.167 UTC Tue Jul 7 2026`. */
  readonly clock: string;
}

export interface LoadResult {
  /** False when the scenario could not be loaded at all (not JSON, wrong format). */
  readonly ok: boolean;
  readonly lab?: LabView;
  readonly problems: readonly ScenarioProblem[];
}

export interface TraceBatch {
  readonly now: SimTime;
  readonly clock: string;
  /** Records since the previous batch. */
  readonly records: readonly TraceRecord[];
  /** How many records exist in all. */
  readonly total: number;
}

export interface ExecResult {
  /** What the console prints after the command line (may be empty). */
  readonly output: string;
  /** The prompt after the command, e.g. `GM-1(config-if)#`. */
  readonly prompt: string;
  readonly now: SimTime;
  /** Records produced while the command ran (a ping advances the simulation). */
  readonly records: readonly TraceRecord[];
}

/**
 * The one API the page (through comlink) and tests (directly) use. Every method is async so the same
 * interface works across the worker boundary.
 */
export interface SimApi {
  /** Loads a scenario from its JSON text. A broken file yields ok=false with problems; the previous lab stays. */
  load(scenarioText: string): Promise<LoadResult>;
  /** The current lab's view (interface states change as the lab runs). */
  lab(): Promise<LabView | undefined>;
  /** Runs the simulation up to `time` (microseconds) and returns the records produced. */
  runUntil(time: SimTime): Promise<TraceBatch>;
  /** Runs the next event only. */
  step(): Promise<TraceBatch>;
  /** Runs one console line on a device (privileged EXEC session per device, as the runner's). */
  exec(device: string, line: string): Promise<ExecResult>;
  /** The console prompt of a device's session, e.g. `GM-1#`. */
  prompt(device: string): Promise<string>;
  /** What IOS prints for `?` typed after `partial`. */
  help(device: string, partial: string): Promise<string>;
  /** Tab completion of `partial` (returned unchanged when not unique). */
  complete(device: string, partial: string): Promise<string>;
  /** Every frame sent on every link so far, as a pcap file (LINKTYPE_RAW). */
  exportPcap(): Promise<Uint8Array>;
}
