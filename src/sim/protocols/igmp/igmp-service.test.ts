import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';

function referenceLab(): Lab {
  return loadTestLab(
    JSON.parse(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8')) as object,
  );
}

/** Each spoke's report delays for 239.10.10.1 on Tunnel10, in seconds, as `debug ip igmp` prints them. */
async function reportDelays(): Promise<Map<string, number[]>> {
  const lab = referenceLab();
  for (const name of ['GM-1', 'GM-2'])
    await new CliSession(router(lab, name), { epochMs: lab.epochMs }).execute('debug ip igmp');
  await lab.kernel.runUntil(seconds(400));
  const out = new Map<string, number[]>();
  for (const name of ['GM-1', 'GM-2']) {
    const delays = logRecords(lab, name)
      .map((l) =>
        /^IGMP\(0\): Set report delay time to (\d+\.\d) seconds for 239\.10\.10\.1 on Tunnel10$/.exec(l.text),
      )
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]));
    out.set(name, delays);
  }
  return out;
}

describe('IGMP host side: answering the querier', () => {
  // RFC 2236 §3: on a General Query a member sets a timer to "a random value between 0 and the Max Response
  // Time" (10 s, IOS `IGMP max query response time is 10 seconds`); IOS logs `Set report delay time to 2.4
  // seconds for 239.1.1.1 on FastEthernet1/0` (published IOS `debug ip igmp` output). The draw comes from
  // the lab's seeded PRNG.
  it('each spoke answers the hub’s queries after its own random delay within 10 s, the same in every run', async () => {
    const first = await reportDelays();
    const gm1 = first.get('GM-1') ?? [];
    const gm2 = first.get('GM-2') ?? [];
    // The hub queries every 60 s: about six queries in 400 s.
    expect(gm1.length).toBeGreaterThanOrEqual(5);
    expect(gm2.length).toBe(gm1.length);
    for (const d of [...gm1, ...gm2]) {
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(10);
    }
    // Not in lockstep: the spokes' delays differ, and a spoke's own delays vary from query to query.
    expect(gm1).not.toEqual(gm2);
    expect(new Set(gm1).size).toBeGreaterThan(1);
    expect(await reportDelays()).toEqual(first);
  });
});
