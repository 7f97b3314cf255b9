import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { logRecords } from '../../scenario/test-lab.test-support';
import { RECURSION_HOLD_DOWN } from './gre-tunnel';

// Cisco, "The %TUN-5-RECURDOWN Error Message and Flapping EIGRP/OSPF/BGP Neighbors Over a GRE Tunnel"
// (Document ID 22327): "%TUN-5-RECURDOWN: Tunnel0 temporarily disabled due to recursive routing" … "it shuts
// the tunnel interface down for a few minutes … If the problem is caused by misconfiguration, the link may
// oscillate indefinitely."
describe('recursive routing of the tunnel destination through the tunnel (issue 13 item 2)', () => {
  it('logs %TUN-5-RECURDOWN, takes Tunnel10 down, retries after the hold-down, and never overflows', async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    const gm1 = lab!.router('GM-1')!;
    const cli = new CliSession(gm1, { epochMs: lab!.epochMs });
    await lab!.kernel.runUntil(seconds(60));
    expect(gm1.isUp('Tunnel10')).toBe(true);
    const t0 = lab!.kernel.now;
    await cli.execute('configure terminal');
    await cli.execute('ip route 172.17.1.1 255.255.255.255 Tunnel10');
    await cli.execute('end');
    // Before the fix this recursed sendIp → output → GRE output until "Maximum call stack size exceeded".
    await lab!.kernel.runUntil(t0 + seconds(30));
    const logs = logRecords(lab!, 'GM-1', t0).map((l) => l.text);
    expect(logs).toContain('%TUN-5-RECURDOWN: Tunnel10 temporarily disabled due to recursive routing');
    expect(logs).toContain('%LINEPROTO-5-UPDOWN: Line protocol on Interface Tunnel10, changed state to down');
    expect(gm1.isUp('Tunnel10')).toBe(false);
    expect(await cli.execute('show ip interface brief | include Tunnel10')).toMatch(/ up +down$/);
    const shown = await cli.execute('show interfaces Tunnel10');
    expect(shown).toContain('Tunnel10 is up, line protocol is down');
    expect(shown).toContain('temporarily disabled due to recursive routing');
    // The hold-down ends, the line comes back, the static route returns and the loop is found again.
    const down = logRecords(lab!, 'GM-1', t0).find((l) => l.text.startsWith('%TUN-5-RECURDOWN'))!.t;
    await lab!.kernel.runUntil(down + RECURSION_HOLD_DOWN + seconds(30));
    const after = logRecords(lab!, 'GM-1', down + 1).map((l) => l.text);
    expect(after).toContain('%LINEPROTO-5-UPDOWN: Line protocol on Interface Tunnel10, changed state to up');
    expect(after.filter((l) => l.startsWith('%TUN-5-RECURDOWN'))).toHaveLength(1);
    // Remove the route: the tunnel recovers for good once the hold-down runs out.
    await cli.execute('configure terminal');
    await cli.execute('no ip route 172.17.1.1 255.255.255.255 Tunnel10');
    await cli.execute('end');
    await lab!.kernel.runUntil(lab!.kernel.now + RECURSION_HOLD_DOWN + seconds(10));
    expect(gm1.isUp('Tunnel10')).toBe(true);
    expect(await cli.execute('ping 192.168.1.1 source Loopback1')).toContain('Success rate is 100 percent');
  });
});
