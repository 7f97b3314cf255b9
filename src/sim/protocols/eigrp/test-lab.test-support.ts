import { CliSession } from '../../cli/cli-session';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logLines, router } from '../../scenario/test-lab.test-support';

export { loadTestLab, logLines, router };
import { servicesOf } from '../services.test-support';
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

export function eigrpOf(lab: Lab, name: string, as = 10): EigrpProcess {
  const p = servicesOf(router(lab, name)).eigrp.process(as);
  if (!p) throw new Error(`${name} has no EIGRP ${as}`);
  return p;
}

/** Runs console lines on `device` in one fresh session; returns the last line's output. */
export async function cli(lab: Lab, device: string, ...lines: string[]): Promise<string> {
  const s = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  let out = '';
  for (const l of lines) out = await s.execute(l);
  return out;
}
