import { CliSession } from '../../cli/cli-session';
import type { Lab } from '../../scenario/lab';

/** Test helpers for the PIM labs: the shared loader and log readers, and a console. */
export { loadTestLab, logLines, logRecords } from '../../scenario/test-lab';

export function cli(lab: Lab, name: string): CliSession {
  return new CliSession(lab.router(name)!, { epochMs: lab.epochMs });
}
