import { CliSession } from '../sim/cli/cli-session';
import { iosTimestamp } from '../sim/cli/ios-time';
import { seconds } from '../sim/kernel/time';
import type { LogRecord, TraceRecorder } from '../sim/kernel/trace';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../sim/net/ipv4';
import { GDOI_PORT } from '../sim/net/isakmp';
import { type PcapFrame, writePcap } from '../sim/net/pcap';
import { encodeUdp } from '../sim/net/udp';
import { espOf } from '../sim/protocols/esp/esp-service';
import { gdoiOf } from '../sim/protocols/gdoi/gdoi-service';
import { ESP_SA_HEADER, espSaRecord } from '../sim/protocols/esp/keylog';
import type { KeyServerGroup, SentPush } from '../sim/protocols/gdoi/ks';
import { type Lab, type LabProblem, loadLab } from '../sim/scenario/lab';
import { formatGrade, gradeLessons } from './check';
import { parseExec, parseScript, type RunnerOptions, type ScriptLine } from './args';

/**
 * Where a run's output goes as it is produced. The records a long run makes outgrow the trace's window (200 k
 * records, 64 MB of frames), so `--log`, `--pcap`, `--keylog` and `--gdoi-plaintext` are written as the run
 * goes rather than read from the window at the end: complete for any run length (issue 13, item 6).
 */
export interface RunnerSinks {
  /** One line of the transcript (no trailing newline). */
  stdout(line: string): void;
  stderr(line: string): void;
  /** `--pcap`: the file header first, then one record per frame, in send order. */
  pcap?(chunk: Uint8Array): void;
  /** `--keylog`: the esp_sa header first, then one line per SA as it is first installed. */
  keylog?(text: string): void;
  /** `--gdoi-plaintext`: the file header first, then each push's record. */
  gdoiPlaintext?(chunk: Uint8Array): void;
}

export interface RunnerInput {
  readonly options: RunnerOptions;
  readonly scenarioText: string;
  readonly scriptText?: string;
  /** Streams output here; without it the output is collected and returned (tests, the page's callers). */
  readonly sinks?: RunnerSinks;
  /** Replaces the lab's trace recorder (tests use a small window to show the exports outlive it). */
  readonly trace?: TraceRecorder;
}

export interface RunnerOutput {
  /** The collected transcript; empty when `sinks` were given (it went there). */
  readonly stdout: string[];
  readonly stderr: string[];
  /** 0: loaded clean (and, with `--check`, every check passed); 1: a check failed; 2: scenario errors. */
  readonly exitCode: 0 | 1 | 2;
  readonly pcap?: Uint8Array;
  readonly keylog?: string;
  /** `--gdoi-plaintext`: a pcap of the plaintext copy of every GDOI push (see gdoiPlaintextPcap). */
  readonly gdoiPlaintext?: Uint8Array;
}

/** How far (simulated) the run goes between polls of the installed SAs and the key servers' pushes. */
const STREAM_CHUNK_US = seconds(60);

/** Runs a scenario headless, as `npm run sim` does, writing to `input.sinks` or collecting the output. */
export async function runHeadless(input: RunnerInput): Promise<RunnerOutput> {
  const collected = input.sinks ? undefined : collectingSinks(input.options);
  const out = input.sinks ?? collected!.sinks;
  const exitCode = await runInto(input, out);
  return { exitCode, ...(collected?.result() ?? { stdout: [], stderr: [] }) };
}

async function runInto(input: RunnerInput, out: RunnerSinks): Promise<0 | 1 | 2> {
  const { options } = input;
  const { lab, problems } = loadLab(input.scenarioText, options.seed, input.trace);
  // One line at a time: a spread of 130 k problems into push() overflows the stack (issue 13, item 9).
  for (const p of problems) out.stderr(formatProblem(p));
  if (!lab) return 2;

  const script = input.scriptText !== undefined ? parseScript(input.scriptText) : { lines: [], errors: [] };
  for (const e of script.errors) out.stderr(e);
  const exec = parseExecLines(options, out);
  // A device that does not exist is reported before the run, not after hours of it (issue 13, item 9).
  const unknown = [...script.lines, ...exec.lines].filter((l) => !lab.router(l.device));
  for (const l of unknown) out.stderr(`no device named "${l.device}" (command "${l.command}")`);
  if (unknown.length > 0) return 2;

  const streams = new OutputStreams(lab, out, options);
  const sessions = new Map<string, CliSession>();
  const runCommand = async (l: ScriptLine): Promise<void> => {
    let s = sessions.get(l.device);
    if (!s) sessions.set(l.device, (s = new CliSession(lab.router(l.device)!, { epochMs: lab.epochMs })));
    // Lines logged while the command runs follow its output, as before the log went to a stream.
    streams.holdLogs();
    const prompt = s.prompt();
    const output = await s.execute(l.command);
    out.stdout(`${prompt}${l.command}`);
    if (output !== '') out.stdout(output);
    streams.releaseLogs();
  };

  for (const l of script.lines) {
    await streams.runUntil(seconds(l.time));
    await runCommand(l);
  }
  await streams.runUntil(seconds(options.until));
  for (const l of exec.lines) await runCommand(l);
  const graded = options.check ? await grade(lab, options, out) : true;
  streams.close();

  const hasErrors = lab.hasErrors || script.errors.length > 0 || exec.bad > 0;
  return hasErrors ? 2 : graded ? 0 : 1;
}

/** `--check`: runs the lessons after the script and `--until`, prints the grade; true when every check passed. */
async function grade(lab: Lab, options: RunnerOptions, out: RunnerSinks): Promise<boolean> {
  const report = await gradeLessons(lab, lab.lessons);
  if (options.json) out.stdout(JSON.stringify(report, null, 2));
  else for (const line of formatGrade(report)) out.stdout(line);
  if (report.passed + report.failed === 0) out.stderr('--check: the scenario has no lesson checks');
  return report.pass;
}

/** `--exec` lines as commands run at `--until`; a malformed one is reported and counted. */
function parseExecLines(options: RunnerOptions, out: RunnerSinks): { lines: ScriptLine[]; bad: number } {
  const lines: ScriptLine[] = [];
  let bad = 0;
  for (const [i, e] of options.exec.entries()) {
    const parsed = parseExec(e);
    if (parsed) lines.push({ time: options.until, ...parsed, lineNumber: i + 1 });
    else {
      out.stderr(`--exec "${e}": expected "<device>: <command>"`);
      bad++;
    }
  }
  return { lines, bad };
}

/**
 * The run's streamed outputs: log lines and frames from trace listeners (every one, whatever the window keeps),
 * installed SAs and GDOI pushes polled every STREAM_CHUNK_US of simulated time.
 */
class OutputStreams {
  private readonly lab: Lab;
  private readonly out: RunnerSinks;
  private readonly epochSeconds: number;
  private readonly unsubscribe: (() => void)[] = [];
  /** Log lines held while a command runs (null: write at once). */
  private heldLogs: string[] | null = null;
  private readonly keylogLines = new Set<string>();
  /** Per key server, how many of its pushes were written. */
  private readonly pushesWritten = new Map<KeyServerGroup, number>();

  constructor(lab: Lab, out: RunnerSinks, options: RunnerOptions) {
    this.lab = lab;
    this.out = out;
    this.epochSeconds = Math.floor(lab.epochMs / 1000);
    const trace = lab.kernel.trace;
    if (options.log) {
      // What booting the lab logged is still in the window; from here on the listener sees every line.
      for (const r of trace.since(0)) if (r.kind === 'log') this.log(r);
      this.unsubscribe.push(trace.subscribe((r) => r.kind === 'log' && this.log(r), ['log']));
    }
    const pcap = out.pcap?.bind(out);
    if (pcap) {
      pcap(writePcap([], this.epochSeconds));
      for (const f of trace.allFrames()) pcap(this.pcapRecord(f.t, f.bytes));
      this.unsubscribe.push(trace.subscribeFrames((f) => pcap(this.pcapRecord(f.t, f.bytes))));
    }
    out.keylog?.(ESP_SA_HEADER);
    out.gdoiPlaintext?.(writePcap([], this.epochSeconds));
    this.poll();
  }

  /** Runs the kernel to `time`, polling the SAs and pushes along the way when they are wanted. */
  async runUntil(time: number): Promise<void> {
    const kernel = this.lab.kernel;
    const polled = this.out.keylog !== undefined || this.out.gdoiPlaintext !== undefined;
    while (time > kernel.now) {
      await kernel.runUntil(polled ? Math.min(time, kernel.now + STREAM_CHUNK_US) : time);
      this.poll();
    }
  }

  holdLogs(): void {
    this.heldLogs = [];
  }

  releaseLogs(): void {
    const held = this.heldLogs ?? [];
    this.heldLogs = null;
    for (const line of held) this.out.stdout(line);
  }

  close(): void {
    this.poll();
    for (const u of this.unsubscribe) u();
  }

  private log(r: LogRecord): void {
    const line = formatLog(this.lab, r);
    if (this.heldLogs) this.heldLogs.push(line);
    else this.out.stdout(line);
  }

  /** One pcap record: writePcap's output without its 24-byte file header. */
  private pcapRecord(timeUs: number, bytes: Uint8Array): Uint8Array {
    return writePcap([{ timeUs, bytes }], this.epochSeconds).subarray(PCAP_FILE_HEADER_LENGTH);
  }

  private poll(): void {
    const keylog = this.out.keylog?.bind(this.out);
    if (keylog) {
      for (const router of this.lab.routers) {
        for (const tek of espOf(router)?.knownTeks() ?? []) {
          const line = espSaRecord(tek);
          if (this.keylogLines.has(line)) continue;
          this.keylogLines.add(line);
          keylog(`${line}\n`);
        }
      }
    }
    const gdoi = this.out.gdoiPlaintext?.bind(this.out);
    if (gdoi) for (const f of this.newPushFrames()) gdoi(this.pcapRecord(f.timeUs, f.bytes));
  }

  /** The pushes sent since the last poll, every key server's, in time order. */
  private newPushFrames(): PcapFrame[] {
    const frames: PcapFrame[] = [];
    for (const router of this.lab.routers) {
      for (const ks of gdoiOf(router)?.keyServers.values() ?? []) {
        const from = this.pushesWritten.get(ks) ?? 0;
        for (const push of ks.sent.slice(from)) frames.push(pushFrame(ks, push));
        this.pushesWritten.set(ks, ks.sent.length);
      }
    }
    return frames.sort((a, b) => a.timeUs - b.timeUs);
  }
}

const PCAP_FILE_HEADER_LENGTH = 24;

/** Sinks that keep everything in memory, and the RunnerOutput fields they fill. */
function collectingSinks(options: RunnerOptions): {
  sinks: RunnerSinks;
  result: () => Omit<RunnerOutput, 'exitCode'>;
} {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const pcap: Uint8Array[] = [];
  const keylog: string[] = [];
  const gdoi: Uint8Array[] = [];
  const sinks: RunnerSinks = {
    stdout: (l) => stdout.push(l),
    stderr: (l) => stderr.push(l),
    ...(options.pcapPath !== undefined ? { pcap: (c: Uint8Array) => pcap.push(c) } : {}),
    ...(options.keylogPath !== undefined ? { keylog: (t: string) => keylog.push(t) } : {}),
    ...(options.gdoiPlaintextPath !== undefined ? { gdoiPlaintext: (c: Uint8Array) => gdoi.push(c) } : {}),
  };
  return {
    sinks,
    result: () => ({
      stdout,
      stderr,
      pcap: options.pcapPath !== undefined ? concat(pcap) : undefined,
      keylog: options.keylogPath !== undefined ? keylog.join('') : undefined,
      gdoiPlaintext: options.gdoiPlaintextPath !== undefined ? concat(gdoi) : undefined,
    }),
  };
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function formatLog(lab: Lab, r: LogRecord): string {
  return `${r.device}: ${iosTimestamp(lab.epochMs, r.t)}: ${r.text}`;
}

/** `error: GM-1 line 23: <text>`, IOS's caret under the bad word, then the message. */
function formatProblem(p: LabProblem): string {
  if (p.line === undefined || p.text === undefined)
    return `${p.severity}: ${p.device ? `${p.device}: ` : ''}${p.message}`;
  const head = `${p.severity}: ${p.device ?? '?'} line ${p.line}: `;
  const caret = p.column !== undefined ? [`${' '.repeat(head.length + p.column)}^`] : [];
  return [`${head}${p.text}`, ...caret, p.message].join('\n');
}

/**
 * Every GDOI push the lab's key servers sent, as its plaintext copy (ISAKMP flags 0: SEQ, SA, KD and SIG in
 * clear) in the IPv4/UDP 848 packet the KS sent, at the time it sent it. Wireshark cannot decrypt a push (it
 * would need the KEK), so this capture is how one inspects a rekey's TEK and KEK payloads. Decode with
 * `tshark -d udp.port==848,isakmp`.
 */
export function gdoiPlaintextPcap(lab: Lab): Uint8Array {
  const frames: PcapFrame[] = [];
  for (const router of lab.routers) {
    for (const ks of gdoiOf(router)?.keyServers.values() ?? []) {
      for (const push of ks.sent) frames.push(pushFrame(ks, push));
    }
  }
  // Stable: pushes of one key server keep their order; several key servers interleave by time.
  frames.sort((a, b) => a.timeUs - b.timeUs);
  return writePcap(frames, Math.floor(lab.epochMs / 1000));
}

/** A push's plaintext copy in the IPv4/UDP 848 packet the key server sent, at the time it sent it. */
function pushFrame(ks: KeyServerGroup, push: SentPush): PcapFrame {
  const source = ks.sourceAddress;
  const udp = encodeUdp(
    { sourcePort: GDOI_PORT, destinationPort: GDOI_PORT, payload: push.plaintextCopy },
    source,
    push.destination,
  );
  const header = ipv4Header({ protocol: IP_PROTO.UDP, source, destination: push.destination });
  return { timeUs: push.time, bytes: encodeIpv4({ header, payload: udp }) };
}
