import { describe, expect, it } from 'vitest';
import { createSimApi } from '../worker/api';
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';
import { LESSONS, rekeysReceived, secondsToRekey } from './lessons';

const SECOND = 1_000_000;

/** The checks of a step that read `show` output, evaluated on the lab. */
async function showChecks(api: ReturnType<typeof createSimApi>, step: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (const c of LESSONS[step]?.checks ?? []) {
    if (c.kind === 'show') out.push(c.test(await api.show(c.device, c.command)));
  }
  return out;
}

describe('lesson checks read the lab', () => {
  it('are green on the reference lab once it has run to the first rekey', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    expect(await showChecks(api, 0)).toContain(false);
    await api.runUntil(310 * SECOND);
    expect(await showChecks(api, 0)).toEqual([true, true, true]);
    expect(await showChecks(api, 2)).toEqual([true, true]);
    expect(await showChecks(api, 3)).toEqual([true, true, true]);
    expect(await showChecks(api, 4)).toEqual([true, true, true]);
    // The RPF failure's own check is red while the static mroute is in place.
    expect(await showChecks(api, 1)).toEqual([false]);
  });

  it('read the rekey counters and the time to the next rekey', async () => {
    expect(rekeysReceived('Rekeys received\n         Cumulative          : 3\n')).toBe(3);
    expect(rekeysReceived('nothing')).toBe(0);
    expect(secondsToRekey('    Group Rekey\n        Remaining Lifetime   : 282 secs\n')).toBe(282);
  });
});
