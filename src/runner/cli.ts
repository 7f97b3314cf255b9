// `npm run sim -- …`: the headless runner (DESIGN.md §11). Exit 0 = loaded clean, 2 = scenario errors, 1 = crash.
import { readFileSync, writeFileSync } from 'node:fs';
import { generateHubSpokes, parseGenerateSpec } from '../sim/scenario/generate';
import { parseArgs, USAGE } from './args';
import { runHeadless } from './run';

async function main(argv: string[]): Promise<number> {
  const options = parseArgs(argv);
  if ('error' in options) {
    process.stderr.write(`${options.error}\n${USAGE}\n`);
    return 2;
  }
  let scenarioText: string;
  let scriptText: string | undefined;
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
    if (options.savePath !== undefined) writeFileSync(options.savePath, `${scenarioText}\n`);
    if (options.scriptPath !== undefined) scriptText = readFileSync(options.scriptPath, 'utf8');
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    return 2;
  }
  const result = await runHeadless({ options, scenarioText, scriptText });
  if (result.stderr.length > 0) process.stderr.write(`${result.stderr.join('\n')}\n`);
  if (result.stdout.length > 0) process.stdout.write(`${result.stdout.join('\n')}\n`);
  if (options.pcapPath !== undefined && result.pcap) writeFileSync(options.pcapPath, result.pcap);
  if (options.keylogPath !== undefined && result.keylog !== undefined)
    writeFileSync(options.keylogPath, result.keylog);
  if (options.gdoiPlaintextPath !== undefined && result.gdoiPlaintext)
    writeFileSync(options.gdoiPlaintextPath, result.gdoiPlaintext);
  return result.exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`crash: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
