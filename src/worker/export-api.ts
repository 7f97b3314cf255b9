// The page's exports for real routers (issue 17, "A bridge to real routers"): the runner's `--export-cml` and
// `--export-configs` (src/runner/export.ts) as plain data for the worker to hand to the page.
import { deviceConfigFiles, exportCml } from '../sim/scenario/cml-export';
import { parseScenario } from '../sim/scenario/schema';
import type { CmlExportView, ConfigsExportView } from './protocol';

/** The runner's answer for a lab that does not parse: nothing is exported. */
const NOT_PARSED = 'The scenario does not parse, so it cannot be exported.';

/** The scenario text as CML 2.x topology YAML, or the reasons it cannot be exported. */
export function cmlExportOf(scenarioText: string): CmlExportView {
  const { scenario } = parseScenario(scenarioText);
  if (!scenario) return { problems: [NOT_PARSED] };
  const { yaml, problems } = exportCml(scenario);
  return yaml !== undefined ? { yaml, problems } : { problems };
}

/** Each device's configuration, exactly as `--export-configs` writes it, in lab order. */
export function configsExportOf(scenarioText: string): ConfigsExportView {
  const { scenario } = parseScenario(scenarioText);
  if (!scenario) return { files: [], problems: [NOT_PARSED] };
  const { files, problems } = deviceConfigFiles(scenario);
  const out: { device: string; config: string }[] = [];
  // deviceConfigFiles names each file `<device>.cfg`; a device whose name cannot be a file name has none.
  for (const d of scenario.devices) {
    const config = files.get(`${d.name}.cfg`);
    if (config !== undefined) out.push({ device: d.name, config });
  }
  return { files: out, problems };
}
