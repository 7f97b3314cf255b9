import { CliSession } from '../sim/cli/cli-session';
import { iosTimestamp } from '../sim/cli/ios-time';
import { seconds } from '../sim/kernel/time';
import type { LogRecord } from '../sim/kernel/trace';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../sim/net/ipv4';
import { GDOI_PORT } from '../sim/net/isakmp';
import { type PcapFrame, writePcap } from '../sim/net/pcap';
import { encodeUdp } from '../sim/net/udp';
import { servicesOf } from '../sim/protocols/attach';
import { espKeylog } from '../sim/protocols/esp/keylog';
import { type Lab, type LabProblem, labPcap, loadLab } from '../sim/scenario/lab';
import { parseExec, parseScript, type RunnerOptions, type ScriptLine } from './args';

export interface RunnerInput {
  readonly options: RunnerOptions;
  readonly scenarioText: string;
  readonly scriptText?: string;
}

export interface RunnerOutput {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exitCode: 0 | 2;
  readonly pcap?: Uint8Array;
  readonly keylog?: string;
  /** `--gdoi-plaintext`: a pcap of the plaintext copy of every GDOI push (see gdoiPlaintextPcap). */
  readonly gdoiPlaintext?: Uint8Array;
}

/** Runs a scenario headless, as `npm run sim` does, without touching the file system. */
export async function runHeadless(input: RunnerInput): Promise<RunnerOutput> {
  const { options } = input;
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { lab, problems } = loadLab(input.scenarioText, options.seed);
  stderr.push(...problems.map(formatProblem));
  if (!lab) return { stdout, stderr, exitCode: 2 };

  const script = input.scriptText !== undefined ? parseScript(input.scriptText) : { lines: [], errors: [] };
  stderr.push(...script.errors);
  const exec: ScriptLine[] = [];
  for (const [i, e] of options.exec.entries()) {
    const parsed = parseExec(e);
    if (parsed) exec.push({ time: options.until, ...parsed, lineNumber: i + 1 });
    else stderr.push(`--exec "${e}": expected "<device>: <command>"`);
  }

  const sessions = new Map<string, CliSession>();
  const logs = options.log ? new LogPrinter(lab, stdout) : undefined;
  const runCommand = async (l: ScriptLine): Promise<void> => {
    const router = lab.router(l.device);
    if (!router) {
      stderr.push(`no device named "${l.device}" (command "${l.command}")`);
      return;
    }
    let s = sessions.get(l.device);
    if (!s) sessions.set(l.device, (s = new CliSession(router, { epochMs: lab.epochMs })));
    logs?.flush();
    const prompt = s.prompt();
    const output = await s.execute(l.command);
    stdout.push(`${prompt}${l.command}`);
    if (output !== '') stdout.push(output);
    logs?.flush();
  };

  for (const l of script.lines) {
    await runUntilLogged(lab, seconds(l.time), logs);
    await runCommand(l);
  }
  await runUntilLogged(lab, seconds(options.until), logs);
  for (const l of exec) await runCommand(l);
  logs?.flush();

  const hasErrors = lab.hasErrors || script.errors.length > 0 || exec.length !== options.exec.length;
  return {
    stdout,
    stderr,
    exitCode: hasErrors ? 2 : 0,
    pcap: options.pcapPath !== undefined ? labPcap(lab) : undefined,
    keylog: options.keylogPath !== undefined ? espKeylog(lab.routers) : undefined,
    gdoiPlaintext: options.gdoiPlaintextPath !== undefined ? gdoiPlaintextPcap(lab) : undefined,
  };
}

async function runUntilLogged(lab: Lab, time: number, logs: LogPrinter | undefined): Promise<void> {
  if (time <= lab.kernel.now) return;
  await lab.kernel.runUntil(time);
  logs?.flush();
}

/** Prints syslog and debug lines in time order as `<device>: <IOS timestamp>: <message>`. */
class LogPrinter {
  private readonly lab: Lab;
  private readonly out: string[];
  private cursor = 0;

  constructor(lab: Lab, out: string[]) {
    this.lab = lab;
    this.out = out;
  }

  flush(): void {
    const trace = this.lab.kernel.trace;
    for (const r of trace.since(this.cursor)) {
      if (r.kind === 'log') this.out.push(formatLog(this.lab, r));
    }
    this.cursor = trace.total;
  }
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
    for (const ks of servicesOf(router).gdoi.keyServers.values()) {
      const source = ks.sourceAddress;
      for (const push of ks.sent) {
        const udp = encodeUdp(
          { sourcePort: GDOI_PORT, destinationPort: GDOI_PORT, payload: push.plaintextCopy },
          source,
          push.destination,
        );
        const header = ipv4Header({ protocol: IP_PROTO.UDP, source, destination: push.destination });
        frames.push({ timeUs: push.time, bytes: encodeIpv4({ header, payload: udp }) });
      }
    }
  }
  // Stable: pushes of one key server keep their order; several key servers interleave by time.
  frames.sort((a, b) => a.timeUs - b.timeUs);
  return writePcap(frames, Math.floor(lab.epochMs / 1000));
}
