import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { loadLab } from '../../scenario/lab';
import { CliSession } from '../cli-session';

async function converged(device: string) {
  const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
  await lab!.kernel.runUntil(seconds(120));
  return new CliSession(lab!.router(device)!, { epochMs: lab!.epochMs });
}

// Layout from Cisco's "show ip route" command reference (IP Routing: Protocol-Independent Command
// Reference) sample output for an EIGRP route:
//   Routing entry for 10.0.0.0/8
//     Known via "eigrp 100", distance 90, metric 409600, type internal
//     Redistributing via eigrp 100
//     Last update from 10.1.1.2 on Ethernet0/0, 00:00:05 ago
//     Routing Descriptor Blocks:
//     * 10.1.1.2, from 10.1.1.2, 00:00:05 ago, via Ethernet0/0
//         Route metric is 409600, traffic share count is 1
//         Total delay is 6000 microseconds, minimum bandwidth is 10000 Kbit
//         Reliability 255/255, minimum MTU 1500 bytes
//         Loading 1/255, Hops 1
describe('show ip route <address>', () => {
  it('names the EIGRP process by its AS number, not the metric (issue 13 item 11)', async () => {
    const cli = await converged('GM-1');
    const out = (await cli.execute('show ip route 192.168.1.1')).split('\n');
    expect(out[0]).toBe('Routing entry for 192.168.1.0/24');
    expect(out[1]).toMatch(/^ {2}Known via "eigrp 10", distance 90, metric \d+, type internal$/);
    expect(out[2]).toBe('  Redistributing via eigrp 10');
    expect(out[3]).toMatch(/^ {2}Last update from 192\.168\.100\.1 on Tunnel10, \d\d:\d\d:\d\d ago$/);
    expect(out[4]).toBe('  Routing Descriptor Blocks:');
    expect(out[5]).toMatch(
      /^ {2}\* 192\.168\.100\.1, from 192\.168\.100\.1, \d\d:\d\d:\d\d ago, via Tunnel10$/,
    );
    const metric = /metric (\d+)/.exec(out[1]!)![1];
    expect(out[6]).toBe(`      Route metric is ${metric}, traffic share count is 1`);
    // Tunnel10 (100 kbit/s, 50000 us) + Central's Loopback1 (5000 us): RFC 7868 classic metric
    expect(out[7]).toBe('      Total delay is 55000 microseconds, minimum bandwidth is 100 Kbit');
    expect(out[8]).toMatch(/^ {6}Reliability 255\/255, minimum MTU \d+ bytes$/);
    expect(out[9]).toMatch(/^ {6}Loading 1\/255, Hops 1$/);
    expect(Number(metric)).toBe(256 * (10_000_000 / 100 + 55000 / 10));
  });

  it('a static route to an interface is "(connected)"', async () => {
    const cli = await converged('GM-1');
    await cli.execute('configure terminal');
    await cli.execute('ip route 10.99.0.0 255.255.0.0 Tunnel10');
    await cli.execute('end');
    expect((await cli.execute('show ip route 10.99.1.1')).split('\n')).toEqual([
      'Routing entry for 10.99.0.0/16',
      '  Known via "static", distance 1, metric 0 (connected)',
      '  Routing Descriptor Blocks:',
      '  * directly connected, via Tunnel10',
      '      Route metric is 0, traffic share count is 1',
    ]);
  });

  it('prints connected and static entries in their IOS layouts', async () => {
    const cli = await converged('GM-1');
    expect((await cli.execute('show ip route 0.0.0.0')).split('\n')).toEqual([
      'Routing entry for 0.0.0.0/0, supernet',
      '  Known via "static", distance 1, metric 0, candidate default path',
      '  Routing Descriptor Blocks:',
      '  * 172.27.1.2',
      '      Route metric is 0, traffic share count is 1',
    ]);
    expect((await cli.execute('show ip route 192.168.100.7')).split('\n')).toEqual([
      'Routing entry for 192.168.100.0/24',
      '  Known via "connected", distance 0, metric 0 (connected, via interface)',
      '  Redistributing via eigrp 10',
      '  Routing Descriptor Blocks:',
      '  * directly connected, via Tunnel10',
      '      Route metric is 0, traffic share count is 1',
    ]);
  });
});
