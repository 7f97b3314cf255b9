import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { parseIpv4 } from '../../net/ipv4-address';
import type { Lab } from '../../scenario/lab';
import { assertBetter } from './assert';
import { lanLab } from './labs.test-support';
import { cli, configure, loadTestLab, logLines, logRecords } from './test-lab.test-support';

/** Copies of the group's traffic each router sent out Tunnel5 since `since`. */
function floodedOnTunnel(lab: Lab, device: string, since: number): number {
  return lab.kernel.trace
    .all()
    .filter(
      (r) =>
        r.kind === 'packet' &&
        r.event === 'forwarded' &&
        r.device === device &&
        r.t >= since &&
        r.summary.includes('239.1.1.1'),
    ).length;
}

function sgBlock(show: string): string {
  return show.split('\n\n').find((b) => b.startsWith('(5.5.5.5, 239.1.1.1)')) ?? '';
}

async function pingTwice(lab: Lab): Promise<number> {
  await lab.kernel.runUntil(seconds(60));
  await cli(lab, 'SRC').execute('ping 239.1.1.1 source Loopback0 repeat 1');
  const second = lab.kernel.now;
  await cli(lab, 'SRC').execute('ping 239.1.1.1 source Loopback0 repeat 1');
  return second;
}

describe('PIM Assert on a multi-access link (RFC 7761 §4.6)', () => {
  it('the better metric preference wins even from the lower address; the loser stops forwarding', async () => {
    const lab = lanLab(5);
    await cli(lab, 'R1').execute('debug ip pim');
    await cli(lab, 'R2').execute('debug ip pim');
    const second = await pingTwice(lab);
    const r1 = sgBlock(await cli(lab, 'R1').execute('show ip mroute 239.1.1.1'));
    expect(r1).toMatch(/^ {4}Tunnel5, Forward\/Dense, \d\d:\d\d:\d\d\/\S+, A$/m);
    const r2 = sgBlock(await cli(lab, 'R2').execute('show ip mroute 239.1.1.1'));
    expect(r2).toMatch(/flags: P/);
    expect(r2).toContain('  Outgoing interface list: Null');
    expect(floodedOnTunnel(lab, 'R2', second)).toBe(0);
    expect(floodedOnTunnel(lab, 'R1', second)).toBeGreaterThan(0);
    const r2log = logLines(lab, 'R2');
    expect(r2log).toContain('PIM(0): Received v2 Assert on Tunnel5 from 10.9.9.1');
    expect(r2log).toContain('PIM(0): Assert metric to source 5.5.5.5 is [1/0]');
    expect(r2log).toContain('PIM(0): We lose, our metric [5/0]');
  });

  it('on equal preference and metric the higher address wins', async () => {
    const lab = lanLab(1);
    const second = await pingTwice(lab);
    expect(sgBlock(await cli(lab, 'R2').execute('show ip mroute 239.1.1.1'))).toMatch(/Tunnel5, .*, A$/m);
    expect(sgBlock(await cli(lab, 'R1').execute('show ip mroute 239.1.1.1'))).toContain(
      'Outgoing interface list: Null',
    );
    expect(floodedOnTunnel(lab, 'R1', second)).toBe(0);
  });

  it('the loser forwards again once the winner goes quiet for Assert_Time', async () => {
    const lab = lanLab(5);
    await pingTwice(lab);
    // Stop R1 (the winner): its re-asserts stop, R2's loser state expires after 180 s.
    const c = cli(lab, 'R1');
    for (const l of ['configure terminal', 'interface Tunnel5', 'shutdown', 'end']) await c.execute(l);
    await lab.kernel.runUntil(lab.kernel.now + seconds(185));
    const before = lab.kernel.now;
    await cli(lab, 'SRC').execute('ping 239.1.1.1 source Loopback0 repeat 1');
    expect(floodedOnTunnel(lab, 'R2', before)).toBeGreaterThan(0);
  });
});

describe('assert comparison', () => {
  const a = (rpt: boolean, preference: number, metric: number, address: string) => ({
    rpt,
    preference,
    metric,
    address: parseIpv4(address) ?? 0,
  });
  it('prefers an SPT assert, then lower preference, lower metric, higher address', () => {
    expect(assertBetter(a(false, 120, 9, '10.0.0.1'), a(true, 0, 0, '10.0.0.9'))).toBe(true);
    expect(assertBetter(a(false, 90, 9, '10.0.0.1'), a(false, 110, 2, '10.0.0.9'))).toBe(true);
    expect(assertBetter(a(false, 90, 2, '10.0.0.1'), a(false, 90, 3, '10.0.0.9'))).toBe(true);
    expect(assertBetter(a(false, 90, 2, '10.0.0.1'), a(false, 90, 2, '10.0.0.9'))).toBe(false);
    expect(assertBetter(a(false, 90, 2, '10.0.0.9'), a(false, 90, 2, '10.0.0.1'))).toBe(true);
  });
});

describe('asserts around the reference lab’s RPF failure', () => {
  function referenceLab(): Lab {
    const scenario = JSON.parse(
      readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'),
    ) as object;
    return loadTestLab(scenario);
  }

  // RFC 7761 §4.6.2: only a sparse (*,G) with an RP has an RPT assert (metric toward the RP); RFC 3973 §4.6:
  // a dense group asserts per (S,G). The hub's Tunnel10 is nbma-mode, every spoke its own point-to-point link
  // (Cisco "Enabling PIM NBMA Mode"), so the hub never takes part.
  it('no RPT-bit assert for the dense or RP-less (*,G), no assert storm while GM-2 fails RPF or after', async () => {
    const lab = referenceLab();
    for (const name of ['KS', 'Central', 'GM-1', 'GM-2']) await cli(lab, name).execute('debug ip pim');
    await lab.kernel.runUntil(seconds(180));
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(seconds(180 + 900));
    const restored = lab.kernel.now;
    await configure(lab, 'GM-2', ['ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(restored + seconds(600));

    const sent = ['KS', 'Central', 'GM-1', 'GM-2'].flatMap((name) =>
      logRecords(lab, name)
        .filter((l) => l.text.includes('Send v2 Assert'))
        .map((l) => ({ name, ...l })),
    );
    expect(sent.filter((s) => /source 0\.0\.0\.0|\[Inf\/-1\]/.test(s.text))).toEqual([]);
    // At most one assert per (S,G) per Assert_Time (180 s) over the 15 minutes of failure: no storm.
    const perGroup = new Map<string, number>();
    for (const s of sent) perGroup.set(s.text, (perGroup.get(s.text) ?? 0) + 1);
    for (const [text, n] of perGroup) expect(n, text).toBeLessThanOrEqual(Math.ceil(900 / 177));
    expect(sent.filter((s) => s.name !== 'GM-2')).toEqual([]);
    expect(sent.filter((s) => s.t >= restored)).toEqual([]);
    expect(logLines(lab, 'Central').filter((l) => /We (win|lose)/.test(l))).toEqual([]);
  });
});
