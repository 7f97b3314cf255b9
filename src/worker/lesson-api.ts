// The worker's side of the page's lessons panel: a button's run action performed by the runner's LessonDriver (one
// implementation for the page and `npm run sim -- --check`), and the lab's GDOI multicast rekey that the page's
// multicast panel asks about by default (no address of the article's lab is written in the page).
import { gdoiView } from '../sim/protocols/gdoi/gdoi-view';
import { parseIpv4 } from '../sim/net/ipv4-address';
import type { Lab } from '../sim/scenario/lab';
import { LessonDriver } from '../sim/scenario/lesson-actions';
import { isRunAction, validateAction } from '../sim/scenario/lesson-schema';
import type { RekeyGroupView } from './protocol';

/**
 * Runs `raw` (what crossed the worker boundary: validated as a scenario file's action would be) on `lab`. Refuses,
 * with a plain-language error, anything but a run action: console lines and faults are typed at the page's
 * consoles so that a rewind replays them.
 */
export async function runLessonAction(lab: Lab, raw: unknown): Promise<void> {
  const problems: { path: string; message: string }[] = [];
  const action = validateAction(raw as Parameters<typeof validateAction>[0], '/action', problems);
  if (!action) throw new Error(`Not a valid lesson action: ${problems.map((p) => p.message).join(' ')}`);
  if (!isRunAction(action))
    throw new Error(`A "${action.kind}" action is typed at the page's consoles, not run by the worker.`);
  await new LessonDriver(lab).perform(action);
}

/**
 * The first key server (lab order) with a multicast rekey destination, the address its members register to
 * (`server address ipv4` on a member of its group, RFC 6407 §1: members pull from the KS, which pushes rekeys),
 * and the rekey group. A key server none of whose members is in the lab is skipped.
 */
export function rekeyGroupOf(lab: Lab): RekeyGroupView | undefined {
  for (const router of lab.routers) {
    for (const ks of gdoiView(router).keyServers) {
      if (ks.rekeyDestination === undefined) continue;
      const address = memberKeyServerAddress(lab, router.name, ks.identity);
      if (address !== undefined) return { keyServer: router.name, address, group: ks.rekeyDestination };
    }
  }
  return undefined;
}

function memberKeyServerAddress(lab: Lab, ksName: string, identity: number): string | undefined {
  const ks = lab.router(ksName);
  for (const r of lab.routers) {
    for (const m of gdoiView(r).members) {
      const a = parseIpv4(m.keyServer);
      if (m.identity === identity && a !== undefined && ks?.ownsAddress(a)) return m.keyServer;
    }
  }
  return undefined;
}
