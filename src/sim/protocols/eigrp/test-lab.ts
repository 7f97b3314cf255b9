import { CliSession } from '../../cli/cli-session';
import { type Lab, loadLab } from '../../scenario/lab';
import type { Router } from '../../device/router';
import { servicesOf } from '../attach';
import type { EigrpProcess } from './eigrp-process';

/** Test helpers: a lab from IOS configs and links, without a scenario file. */
export interface TestDevice {
  readonly name: string;
  readonly config: string;
}

export function buildLab(
  devices: TestDevice[],
  links: { a: string; b: string; delayMs?: number }[],
  seed = 1,
): Lab {
  return loadTestLab({
    format: 'getlab-scenario/1',
    title: 'eigrp test',
    description: '',
    seed,
    devices: devices.map((d) => ({ name: d.name, role: 'router', config: d.config })),
    links: links.map((l) => ({ a: l.a, b: l.b, delayMs: l.delayMs ?? 1 })),
  });
}

/** Loads a scenario object; throws with the loader's errors when it does not load. */
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

export function eigrpOf(lab: Lab, name: string, as = 10): EigrpProcess {
  const p = servicesOf(router(lab, name)).eigrp.process(as);
  if (!p) throw new Error(`${name} has no EIGRP ${as}`);
  return p;
}

/** The syslog and debug lines a router printed, in order. */
export function logLines(lab: Lab, device: string): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device)
    .map((r) => (r.kind === 'log' ? r.text : ''));
}

/** Runs console lines on `device` in one fresh session; returns the last line's output. */
export async function cli(lab: Lab, device: string, ...lines: string[]): Promise<string> {
  const s = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  let out = '';
  for (const l of lines) out = await s.execute(l);
  return out;
}
