import { expect } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { type Lab, loadLab } from '../../scenario/lab';

/** Test helpers for the PIM labs: a scenario object loaded without errors, a console, the log lines. */
export function loadTestLab(scenario: object): Lab {
  const { lab, problems } = loadLab(JSON.stringify(scenario));
  expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  return lab!;
}

export function cli(lab: Lab, name: string): CliSession {
  return new CliSession(lab.router(name)!, { epochMs: lab.epochMs });
}

/** The syslog and debug lines `device` printed from `since` on, with their times. */
export function logRecords(lab: Lab, device: string, since = 0): { t: number; text: string }[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device && r.t >= since)
    .map((r) => ({ t: r.t, text: r.kind === 'log' ? r.text : '' }));
}

/** The text of those lines. */
export function logLines(lab: Lab, device: string, since = 0): string[] {
  return logRecords(lab, device, since).map((l) => l.text);
}
