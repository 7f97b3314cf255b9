import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { sptLab } from './labs.test-support';
import { cli, logLines, logRecords } from './test-lab.test-support';

/** Times the group's data packets left `device` out of `iface` (native, not Register-encapsulated). */
function forwardedOut(lab: Lab, device: string, iface: string, since: number): number {
  return lab.kernel.trace
    .all()
    .filter(
      (r) =>
        r.kind === 'packet' &&
        r.event === 'forwarded' &&
        r.device === device &&
        r.iface === iface &&
        r.t >= since &&
        r.summary.includes('239.2.2.2'),
    ).length;
}

function block(show: string, head: string): string {
  return show.split('\n\n').find((b) => b.startsWith(head)) ?? '';
}

async function ping(lab: Lab, count: number): Promise<string> {
  return cli(lab, 'SRC').execute(`ping 239.2.2.2 source Serial1/0 repeat ${count}`);
}

describe('Register, Register-Stop and null-Register (RFC 7761 §4.4)', () => {
  it('the first-hop DR tunnels the first packets to the RP, which stops it once it joined the SPT', async () => {
    const lab = sptLab();
    for (const d of ['R1', 'RP']) await cli(lab, d).execute('debug ip pim');
    await lab.kernel.runUntil(seconds(40));
    const start = lab.kernel.now;
    const out = await ping(lab, 3);
    expect(out).toMatch(/^Reply to request 0 from 10\.1\.(13|23)\.3, \d+ ms$/m);
    const rp = logLines(lab, 'RP', start);
    const reg = rp.indexOf('PIM(0): Received v2 Register on Serial1/0 from 10.1.12.1');
    expect(reg).toBeGreaterThanOrEqual(0);
    expect(rp[reg + 1]).toBe('     for 10.1.0.1, group 239.2.2.2');
    // The Register carries the data packet itself to the RP (unicast), which sends it down the shared tree.
    const registers = (since: number): string[] =>
      lab.kernel.trace
        .all()
        .filter((r) => r.kind === 'packet' && r.device === 'RP' && r.event === 'received' && r.t >= since)
        .map((r) => (r.kind === 'packet' ? r.summary : ''))
        .filter((x) => x.includes('via pim 10.1.12.1 > 2.2.2.2'));
    expect(registers(start)[0]).toMatch(/^ICMP echo request 10\.1\.0\.1 > 239\.2\.2\.2 .*seq=0 via pim/);
    const r1 = logLines(lab, 'R1', start);
    expect(r1).toContain('PIM(0): Received v2 Register-Stop for (10.1.0.1, 239.2.2.2)');
    // Once stopped, the DR sends the data natively only: no more Registers carrying it.
    const stopAt = logRecords(lab, 'R1', start).find((l) => l.text.includes('Register-Stop'))?.t ?? 0;
    expect(stopAt).toBeGreaterThan(start);
    expect(registers(stopAt + 1)).toEqual([]);
    const sg = block(await cli(lab, 'R1').execute('show ip mroute 239.2.2.2'), '(10.1.0.1, 239.2.2.2)');
    expect(sg).toMatch(/flags: \S*T/);
    expect(sg).not.toContain('Registering');
  });

  it('probes with a null-Register 5 s before each 60-s suppression ends, and the RP stops it again', async () => {
    const lab = sptLab();
    await cli(lab, 'R1').execute('debug ip pim');
    await lab.kernel.runUntil(seconds(40));
    const start = lab.kernel.now;
    // Keep the source sending for four minutes.
    await ping(lab, 120);
    const stops = logRecords(lab, 'R1', start)
      .filter((l) => l.text === 'PIM(0): Received v2 Register-Stop for (10.1.0.1, 239.2.2.2)')
      .map((l) => l.t);
    const nulls = lab.kernel.trace
      .all()
      .filter(
        (r) =>
          r.kind === 'packet' &&
          r.device === 'R1' &&
          r.event === 'sent' &&
          r.t >= start &&
          /Null-Register/i.test(r.summary),
      )
      .map((r) => r.t);
    expect(nulls.length).toBeGreaterThanOrEqual(3);
    // Each null-Register leaves 55 s after the Register-Stop before it, and is answered by a new one.
    for (const n of nulls.slice(0, 3)) {
      const before = stops.filter((t) => t < n).at(-1) ?? -1;
      expect(n - before).toBe(seconds(55));
      expect(stops.some((t) => t > n && t - n < seconds(1))).toBe(true);
    }
  });
});

describe('SPT switchover at the last hop', () => {
  it('switches to the source tree on the first packet and prunes S off the shared tree with (S,G,rpt)', async () => {
    const lab = sptLab();
    for (const d of ['R3', 'RP']) await cli(lab, d).execute('debug ip pim');
    await lab.kernel.runUntil(seconds(40));
    await ping(lab, 5);
    const r3 = logLines(lab, 'R3');
    expect(r3).toContain('PIM(0):  Adding v2 (10.1.0.1/32, 239.2.2.2), RPT-bit, S-bit Prune');
    expect(r3).toContain('PIM(0): Send v2 join/prune to 10.1.23.2 (Serial1/0)');
    expect(logLines(lab, 'RP')).toContain(
      'PIM(0): Prune-list: (10.1.0.1/32, 239.2.2.2) RPT-bit set, S-bit set',
    );
    const show = await cli(lab, 'R3').execute('show ip mroute 239.2.2.2');
    expect(block(show, '(*, 239.2.2.2)')).toMatch(/flags: SJ/);
    const sg = block(show, '(10.1.0.1, 239.2.2.2)');
    expect(sg).toMatch(/flags: \S*JT/);
    expect(sg).toContain('Incoming interface: Serial1/1, RPF nbr 10.1.13.1');
    // After the switchover the RP no longer sends S's packets down the shared tree: no duplicates at R3.
    const later = lab.kernel.now;
    await ping(lab, 3);
    expect(forwardedOut(lab, 'RP', 'Serial1/1', later)).toBe(0);
    expect(forwardedOut(lab, 'R1', 'Serial1/2', later)).toBe(3);
    // R1 counts S's packets on its source line: all forwarded on the source tree, none failed RPF.
    const count = await cli(lab, 'R1').execute('show ip mroute 239.2.2.2 count');
    expect(count).toMatch(/^ {2}Source: 10\.1\.0\.1\/32, Forwarding: (\d+)\/0\/\d+\/0, Other: \1\/0\/0$/m);
    expect(count).toMatch(
      /^IP Multicast Statistics\n\d+ routes using \d+ bytes of memory\n1 groups, 1\.00 average sources per group$/m,
    );
  });

  it('with ip pim spt-threshold infinity the receiver stays on the shared tree', async () => {
    const lab = sptLab(['ip pim spt-threshold infinity']);
    await cli(lab, 'R3').execute('debug ip pim');
    await lab.kernel.runUntil(seconds(40));
    const out = await ping(lab, 5);
    expect(out).toContain('Reply to request 4 from 10.1.23.3');
    const show = await cli(lab, 'R3').execute('show ip mroute 239.2.2.2');
    expect(show).not.toContain('(10.1.0.1, 239.2.2.2)');
    expect(block(show, '(*, 239.2.2.2)')).toContain('Incoming interface: Serial1/0, RPF nbr 10.1.23.2');
    expect(logLines(lab, 'R3').filter((t) => t.includes('RPT-bit, S-bit Prune'))).toEqual([]);
    const later = lab.kernel.now;
    await ping(lab, 3);
    expect(forwardedOut(lab, 'RP', 'Serial1/1', later)).toBe(3);
    expect(forwardedOut(lab, 'R1', 'Serial1/2', later)).toBe(0);
    // Every packet is counted on the shared tree (the transition's one duplicate too), none against a source.
    const count = (await cli(lab, 'R3').execute('show ip mroute 239.2.2.2 count')).split('\n');
    expect(count.slice(5, 7)).toEqual(['', expect.stringMatching(/^Group: 239\.2\.2\.2, Source count: 0, /)]);
    const n = Number(/Packets received: (\d+)/.exec(count[6] ?? '')?.[1]);
    expect(n).toBeGreaterThanOrEqual(8);
    expect(count[7]).toBe(`  RP-tree: Forwarding: 0/0/0/0, Other: ${n}/0/${n}`);
    expect(count).toHaveLength(8);
  });
});
