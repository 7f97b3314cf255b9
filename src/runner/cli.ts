// `npm run sim -- …`: the headless runner (docs/DESIGN.md §11). Exit 0 = loaded clean (and, with --check, every
// check passed), 1 = a check failed (--check) or a crash, 2 = scenario errors.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { generateHubSpokes, parseGenerateSpec } from '../sim/scenario/generate';
import { parseScenario, scenarioV2Text } from '../sim/scenario/schema';
import { parseArgs, type RunnerOptions, USAGE } from './args';
import { writeExports } from './export';
import { type RunnerSinks, runHeadless } from './run';

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if ('error' in options) {
    process.stderr.write(`${options.error}\n${USAGE}\n`);
    return 2;
  }
  let scenarioText: string;
  let scriptText: string | undefined;
  let outputs: OutputFiles;
  try {
    if (options.generate !== undefined) {
      const spec = parseGenerateSpec(options.generate);
      if ('error' in spec) {
        process.stderr.write(`error: ${spec.error}\n`);
        return 2;
      }
      scenarioText = JSON.stringify(generateHubSpokes({ ...spec, seed: options.seed }), null, 2);
    } else {
      scenarioText = readFileSync(options.scenarioPath!, 'utf8');
    }
    if (options.savePath !== undefined) writeFileSync(options.savePath, savedText(scenarioText));
    const exportProblems = writeExports(options, scenarioText);
    if (exportProblems.length > 0) {
      process.stderr.write(exportProblems.map((p) => `error: ${p}\n`).join(''));
      return 2;
    }
    if (options.scriptPath !== undefined) scriptText = readFileSync(options.scriptPath, 'utf8');
    // Opened before the run: an unwritable path fails at once, not after hours of simulation.
    outputs = openOutputs(options);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  try {
    const result = await runHeadless({ options, scenarioText, scriptText, sinks: outputs.sinks });
    return result.exitCode;
  } finally {
    outputs.close();
  }
}

/** `--save`: the scenario in format 2 (docs/DESIGN.md §10); text that does not load is saved as it is. */
function savedText(scenarioText: string): string {
  const { scenario } = parseScenario(scenarioText);
  return scenario ? scenarioV2Text(scenario) : `${scenarioText}\n`;
}

interface OutputFiles {
  readonly sinks: RunnerSinks;
  close(): void;
}

/** Opens `--pcap`, `--keylog` and `--gdoi-plaintext` for writing; the run streams into them. */
function openOutputs(options: RunnerOptions): OutputFiles {
  const fds: number[] = [];
  const open = (path: string | undefined): ((data: Uint8Array | string) => void) | undefined => {
    if (path === undefined) return undefined;
    const fd = openSync(path, 'w');
    fds.push(fd);
    return (data) => writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  };
  const pcap = open(options.pcapPath);
  const keylog = open(options.keylogPath);
  const gdoiPlaintext = open(options.gdoiPlaintextPath);
  const sinks: RunnerSinks = {
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    ...(pcap ? { pcap } : {}),
    ...(keylog ? { keylog } : {}),
    ...(gdoiPlaintext ? { gdoiPlaintext } : {}),
  };
  return { sinks, close: () => fds.forEach((fd) => closeSync(fd)) };
}

/** writeSync may write part of a buffer: loop until all of it is out. */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
