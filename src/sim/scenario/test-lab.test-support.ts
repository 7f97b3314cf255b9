/** Test helpers shared by the protocol tests: load a scenario object, find a router, read its log lines. */
import type { Router } from '../device/router';
import { type Lab, loadLab } from './lab';

/** Loads a scenario object; throws with the loader's errors when it does not load cleanly. */
export function loadTestLab(scenario: object): Lab {
  const { lab, problems } = loadLab(JSON.stringify(scenario));
  const errors = problems.filter((p) => p.severity === 'error');
  if (!lab || errors.length > 0) throw new Error(`lab did not load: ${JSON.stringify(errors)}`);
  return lab;
}

export function router(lab: Lab, name: string): Router {
  const r = lab.router(name);
  if (!r) throw new Error(`no router ${name}`);
  return r;
}

/** The syslog and debug lines `device` printed from `since` on, with their times. */
export function logRecords(lab: Lab, device: string, since = 0): { t: number; text: string }[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device && r.t >= since)
    .map((r) => ({ t: r.t, text: r.kind === 'log' ? r.text : '' }));
}

/** The text of those lines, in order. */
export function logLines(lab: Lab, device: string, since = 0): string[] {
  return logRecords(lab, device, since).map((l) => l.text);
}
