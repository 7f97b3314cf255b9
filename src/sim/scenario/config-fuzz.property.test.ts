// Issue 13: property-based fuzzing of configuration changes on the reference lab. Random sequences of removals
// (`no <line>` in the line's mode, or removing a whole block) of any part of the GDOI, crypto, PIM, EIGRP and
// tunnel configuration, each restored later, applied by console lines at random simulated times, must:
// - never throw (console and kernel),
// - never stop simulated time (the kernel's watchdog reports nothing: no runaway work to stop),
// - after every part is restored, bring the lab back to its baseline within the protocols' own timers:
//   EIGRP adjacencies (hold time 15 s, RFC 7868), routes, Auto-RP RP mappings (RP-discovery every 60 s, mapping
//   hold time 3 × announce interval = 180 s) and GM keys (a GM re-registers when its KEK expires: the lab's
//   `rekey lifetime seconds 300`, GM version 1.0.4 "GETVPN KEK Rekey Behavior Change").
// fast-check prints the seed and the shrunk counterexample on failure; rerun with that seed to reproduce.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { configParts, configure, labState, steps } from './fuzz-lab.test-support';
import { type Lab, loadLab } from './lab';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
/** Converged: adjacencies up, RP mappings learned, every GM registered (the lab's rekeys every 300 s). */
const BASELINE_AT = seconds(120);
/** Changes fall in this window after the baseline; each part stays removed up to `MAX_OUTAGE`. */
const CHANGE_WINDOW_S = 400;
const MAX_OUTAGE_S = 400;
/**
 * After the last restore the lab must be back within the slowest of the protocols' own timers involved: a hub
 * that lost its NHRP cache (its tunnel went down) learns the spokes again at their next registration, sent
 * every third of the NHRP hold time (IOS default 7200 s: every 2400 s, Cisco "ip nhrp registration timeout");
 * then EIGRP (hold 15 s), Auto-RP (discovery every 60 s, mapping hold 180 s) and GDOI (a GM whose KEK expired
 * re-registers: `rekey lifetime seconds 300`) follow.
 */
const RECOVERY_S = 7200 / 3 + 180 + 60;
const POLL_S = 10;

/** Runs to `t` and checks time really got there (nothing stopped it). */
async function runTo(lab: Lab, t: number): Promise<void> {
  await lab.kernel.runUntil(t);
  expect(lab.kernel.now).toBe(t);
}

async function baselineLab(): Promise<{ lab: Lab; baseline: string[] }> {
  const lab = loadLab(reference).lab!;
  await runTo(lab, BASELINE_AT);
  return { lab, baseline: labState(lab) };
}

describe('configuration fuzzing on the reference lab (fast-check)', () => {
  it('the baseline is what the article shows: adjacencies, routes, RP 1.1.1.1, every GM on the current keys', async () => {
    const { baseline } = await baselineLab();
    expect(baseline).toContain('Central eigrp 192.168.100.2 Tunnel10 up');
    expect(baseline).toContain('Central eigrp 192.168.100.3 Tunnel10 up');
    expect(baseline).toContain('GM-2 rp 1.1.1.1');
    expect(baseline).toContain('GM-1 gdoi GDOI_GM Registered tek=current kek=current');
    expect(baseline).toContain('GM-2 gdoi GDOI_GM Registered tek=current kek=current');
    expect(baseline.some((l) => l.startsWith('Central route 192.168.11.0/24 eigrp'))).toBe(true);
  });

  it('random removals and restorations never throw or stop time, and the lab returns to its baseline', async () => {
    const { lab: probe } = await baselineLab();
    const parts = configParts(probe);
    expect(parts.length).toBeGreaterThan(40);
    const change = fc.record({
      part: fc.nat({ max: parts.length - 1 }),
      at: fc.integer({ min: 0, max: CHANGE_WINDOW_S }),
      outage: fc.integer({ min: 1, max: MAX_OUTAGE_S }),
      edit: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 4 }), async (changes) => {
        const { lab, baseline } = await baselineLab();
        const plan = steps(BASELINE_AT, parts, changes);
        for (const s of plan) {
          await runTo(lab, s.t);
          await configure(lab.router(s.device)!, lab, s.lines);
        }
        const restoredAt = plan.at(-1)!.t;
        let state = labState(lab);
        for (let t = restoredAt; t <= restoredAt + seconds(RECOVERY_S); t += seconds(POLL_S)) {
          await runTo(lab, t);
          state = labState(lab);
          if (state.join('\n') === baseline.join('\n')) break;
        }
        expect(lab.kernel.watchdog.count).toBe(0);
        expect(state).toEqual(baseline);
      }),
      { seed: 20261204, numRuns: 60, endOnFailure: true },
    );
    // About 30 s on a loaded 2-core machine; the timeout is a hang guard, not a performance check.
  }, 240_000);
});
