import { CliSession } from '../../cli/cli-session';
import type { Lab } from '../../scenario/lab';

/** Test helpers for the PIM labs: the shared loader and log readers, and a console. */
export { loadTestLab, logLines, logRecords } from '../../scenario/test-lab.test-support';

export function cli(lab: Lab, name: string): CliSession {
  return new CliSession(lab.router(name)!, { epochMs: lab.epochMs });
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
