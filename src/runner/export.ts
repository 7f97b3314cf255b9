// `--export-cml` and `--export-configs`: the lab for real routers (issue 17), written before the run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deviceConfigFiles, exportCml } from '../sim/scenario/cml-export';
import { parseScenario } from '../sim/scenario/schema';
import type { RunnerOptions } from './args';

/** Writes the exports the options ask for; returns the problems that stopped one (empty when all were written). */
export function writeExports(options: RunnerOptions, scenarioText: string): string[] {
  if (options.exportCmlPath === undefined && options.exportConfigsDir === undefined) return [];
  const { scenario } = parseScenario(scenarioText);
  // The run that follows reports the scenario's own problems; an export of a lab that does not parse is none.
  if (!scenario) return ['the scenario does not parse, so it cannot be exported'];
  const problems: string[] = [];
  if (options.exportCmlPath !== undefined) {
    const cml = exportCml(scenario);
    if (cml.yaml !== undefined) writeFileSync(options.exportCmlPath, cml.yaml);
    problems.push(...cml.problems.map((p) => `--export-cml: ${p}`));
  }
  if (options.exportConfigsDir !== undefined) {
    const { files, problems: bad } = deviceConfigFiles(scenario);
    mkdirSync(options.exportConfigsDir, { recursive: true });
    for (const [name, text] of files) writeFileSync(join(options.exportConfigsDir, name), text);
    problems.push(...bad.map((p) => `--export-configs: ${p}`));
  }
  return problems;
}
