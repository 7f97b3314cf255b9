import { readFileSync } from 'node:fs';
import { CliSession } from '../../cli/cli-session';
import type { Lab } from '../../scenario/lab';

/** Test helpers for the PIM labs: the shared loader and log readers, and a console. */
import { loadTestLab } from '../../scenario/test-lab';
export { loadTestLab, logLines, logRecords } from '../../scenario/test-lab';

export function cli(lab: Lab, name: string): CliSession {
  return new CliSession(lab.router(name)!, { epochMs: lab.epochMs });
}

/** The article's lab (public/scenarios/getvpn-multicast-rekey.json), optionally with its configs edited. */
export function referenceLab(edit: (device: string, config: string) => string = (_d, c) => c): Lab {
  const scenario = JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as {
    devices: { name: string; config: string }[];
  };
  for (const d of scenario.devices) d.config = edit(d.name, d.config);
  return loadTestLab(scenario);
}

/** Runs config lines on `name` and fails the test on any IOS error. */
export async function configure(lab: Lab, name: string, lines: string[]): Promise<void> {
  const c = cli(lab, name);
  for (const l of ['configure terminal', ...lines, 'end']) {
    const out = await c.execute(l);
    if (/^%/m.test(out)) throw new Error(`${name}: ${l}: ${out}`);
  }
}

/** The block of one entry in `show ip mroute` output, from its `(S, G)` line to the blank line. */
export function mrouteBlock(show: string, entry: string): string {
  return show.split('\n\n').find((b) => b.startsWith(entry)) ?? '';
}
