/** Options of `npm run sim -- <scenario.json> …` (docs/DESIGN.md §11, a public contract). */
export interface RunnerOptions {
  /** The scenario file; absent when `--generate` builds one. */
  readonly scenarioPath?: string;
  /** `hub-spokes:<N>[:<hubs>]`: a generated lab of the reference design instead of a file. */
  readonly generate?: string;
  /** Writes the (generated) scenario to this file. */
  readonly savePath?: string;
  readonly until: number;
  readonly seed?: number;
  readonly scriptPath?: string;
  readonly exec: readonly string[];
  readonly log: boolean;
  readonly pcapPath?: string;
  readonly keylogPath?: string;
  /** A pcap of the plaintext copy of every GDOI push the key servers sent (Wireshark cannot open the KEK). */
  readonly gdoiPlaintextPath?: string;
  /** Writes the lab as a Cisco Modeling Labs 2.x topology (YAML, IOSv nodes) to this file. */
  readonly exportCmlPath?: string;
  /** Writes one `<hostname>.cfg` per device into this directory. */
  readonly exportConfigsDir?: string;
  /** `--check`: runs every lesson's steps and grades their checks (exit 1 when one fails). */
  readonly check?: boolean;
  /** `--json`: with `--check`, the grade as one JSON document on stdout. */
  readonly json?: boolean;
}

export const USAGE = `usage: npm run sim -- (<scenario.json> | --generate hub-spokes:<N>[:<hubs>] [--save <file>])
                    [--until <sim-seconds>] [--seed <n>]
                    [--script <file>] [--exec "<device>: <command>"]...
                    [--log] [--pcap <file>] [--keylog <file>] [--gdoi-plaintext <file>]
                    [--export-cml <file.yaml>] [--export-configs <dir>]
                    [--check [--json]]`;

/** The options that take a file, and the field each one sets. */
const FILE_OPTIONS = {
  '--script': 'scriptPath',
  '--save': 'savePath',
  '--pcap': 'pcapPath',
  '--keylog': 'keylogPath',
  '--gdoi-plaintext': 'gdoiPlaintextPath',
  '--export-cml': 'exportCmlPath',
  // A directory, not a file; it takes one path all the same.
  '--export-configs': 'exportConfigsDir',
} as const;

type FileOption = keyof typeof FILE_OPTIONS;

const isFileOption = (arg: string): arg is FileOption => Object.hasOwn(FILE_OPTIONS, arg);

/** Parses argv (after the script name); returns an error message for bad usage. */
export function parseArgs(argv: readonly string[]): RunnerOptions | { error: string } {
  let scenarioPath: string | undefined;
  let until = 0;
  let seed: number | undefined;
  let generate: string | undefined;
  let log = false;
  let check = false;
  let json = false;
  const exec: string[] = [];
  const files: { -readonly [K in (typeof FILE_OPTIONS)[FileOption]]?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string | undefined => argv[++i];
    if (isFileOption(arg)) {
      const file = value();
      if (!file) return { error: `${arg} takes a ${arg === '--export-configs' ? 'directory' : 'file'}` };
      files[FILE_OPTIONS[arg]] = file;
      continue;
    }
    switch (arg) {
      case '--until': {
        const v = Number(value());
        if (!Number.isFinite(v) || v < 0)
          return { error: '--until takes a number of simulated seconds >= 0' };
        until = v;
        break;
      }
      case '--seed': {
        const v = Number(value());
        if (!Number.isInteger(v)) return { error: '--seed takes an integer' };
        seed = v;
        break;
      }
      case '--exec': {
        const v = value();
        if (!v) return { error: '--exec takes "<device>: <command>"' };
        exec.push(v);
        break;
      }
      case '--log':
        log = true;
        break;
      case '--check':
        check = true;
        break;
      case '--json':
        json = true;
        break;
      case '--generate':
        generate = value();
        if (!generate) return { error: '--generate takes hub-spokes:<N>[:<hubs>]' };
        break;
      default:
        if (arg.startsWith('--')) return { error: `unknown option ${arg}` };
        if (scenarioPath !== undefined) return { error: `unexpected argument ${arg}` };
        scenarioPath = arg;
    }
  }
  if (scenarioPath === undefined && generate === undefined) return { error: 'no scenario file given' };
  if (scenarioPath !== undefined && generate !== undefined)
    return { error: 'give a scenario file or --generate, not both' };
  if (json && !check) return { error: '--json goes with --check' };
  return { scenarioPath, generate, until, seed, exec, log, ...(check ? { check, json } : {}), ...files };
}

export interface ScriptLine {
  readonly time: number;
  readonly device: string;
  readonly command: string;
  readonly lineNumber: number;
}

/** Parses `@<seconds> <device>: <command line>` lines; `#` comments and blank lines are skipped. */
export function parseScript(text: string): { lines: ScriptLine[]; errors: string[] } {
  const lines: ScriptLine[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^@(\d+(?:\.\d+)?)\s+([^:\s]+):\s?(.*)$/.exec(line);
    if (!m) {
      errors.push(`script line ${i + 1}: expected "@<seconds> <device>: <command>", got "${line}"`);
      return;
    }
    lines.push({ time: Number(m[1]), device: m[2]!, command: m[3]!, lineNumber: i + 1 });
  });
  // Time order, ties in file order (Array.prototype.sort is stable).
  lines.sort((a, b) => a.time - b.time);
  return { lines, errors };
}

/** Splits `--exec "GM-1: ping 1.1.1.1"` into device and command. */
export function parseExec(text: string): { device: string; command: string } | undefined {
  const m = /^\s*([^:\s]+):\s?(.*)$/.exec(text);
  return m ? { device: m[1]!, command: m[2]! } : undefined;
}
