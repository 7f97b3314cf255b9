// Issue 13 item 4: a six-second disruption on the hub-spoke tunnel (less than the 15 s hold time on one side)
// ends with one side timing the neighbour out and the other seeing "peer restarted". RFC 7868 §5.3.1: an
// Update with the INIT flag from an established neighbour resets it and starts a new adjacency, after which
// both sides send their whole table; the hub must relearn the spoke's LAN and traffic must flow again.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { type Lab, loadLab } from '../../scenario/lab';
import { logLines, router } from '../../scenario/test-lab.test-support';
import { formatIpv4 } from '../../net/ipv4-address';
import { servicesOf } from '../services.test-support';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

function console(lab: Lab, device: string): CliSession {
  return new CliSession(router(lab, device), { epochMs: lab.epochMs });
}

async function configure(s: CliSession, ...lines: string[]): Promise<void> {
  for (const l of ['configure terminal', ...lines, 'end']) await s.execute(l);
}

/** Breaks something at `at` seconds, restores it `gap` seconds later, then runs to 200 s. */
async function disrupt(
  device: string,
  breakLines: string[],
  restoreLines: string[],
  at = 60,
  gap = 6,
): Promise<{ lab: Lab; central: CliSession; gm1: CliSession }> {
  const lab = loadLab(reference).lab!;
  const s = console(lab, device);
  await lab.kernel.runUntil(seconds(at));
  await configure(s, ...breakLines);
  await lab.kernel.runUntil(seconds(at + gap));
  await configure(s, ...restoreLines);
  await lab.kernel.runUntil(seconds(200));
  return { lab, central: console(lab, 'Central'), gm1: console(lab, 'GM-1') };
}

const restarted = (lab: Lab): boolean =>
  logLines(lab, 'GM-1').some((l) => l.includes('is down: peer restarted'));

/**
 * Whether a gap resets the adjacency depends on where it falls between the (jittered) hellos and on its length,
 * so the disruption is tried for 6 s (the issue's case), 10 s and 12 s (under the 15 s hold time: one side times
 * out and the other sees "peer restarted") at every second from 50 s to 59 s: after each, the hub has GM-1's LAN
 * and traffic flows, and at least one went through the "peer restarted" path this issue is about.
 */
async function expectRecoveryAtEveryPhase(device: string, breakLines: string[], restoreLines: string[]) {
  let restarts = 0;
  for (const gap of [6, 10, 12]) {
    for (let at = 50; at < 60; at++) {
      const { lab, central, gm1 } = await disrupt(device, breakLines, restoreLines, at, gap);
      if (restarted(lab)) restarts++;
      await expectSpokeLanReachable(central, gm1);
    }
  }
  expect(restarts).toBeGreaterThan(0);
}

async function expectSpokeLanReachable(central: CliSession, gm1: CliSession): Promise<void> {
  const route = await central.execute('show ip route 192.168.11.0');
  expect(route).toContain('Routing entry for 192.168.11.0/24');
  expect(route).toContain('distance 90');
  expect(await central.execute('ping 192.168.11.1 repeat 5')).toContain('Success rate is 100 percent (5/5)');
  // From GM-1's LAN to the hub's LAN (the spokes do not learn each other's LANs: split horizon on Tunnel10).
  expect(await gm1.execute('ping 192.168.1.1 source Loopback1 repeat 5')).toContain(
    'Success rate is 100 percent (5/5)',
  );
}

describe('EIGRP after a six-second disruption (RFC 7868 §5.3.1 peer restart)', () => {
  it('relearns GM-1 LAN after a wrong tunnel key on Central for 6 s (and 10 s, 12 s)', async () => {
    await expectRecoveryAtEveryPhase(
      'Central',
      ['interface Tunnel10', 'tunnel key 999'],
      ['interface Tunnel10', 'tunnel key 123'],
    );
  });

  it("relearns GM-1 LAN after GM-1's crypto map is removed and re-added 6 s (10 s, 12 s) later", async () => {
    await expectRecoveryAtEveryPhase(
      'GM-1',
      ['interface Serial1/0', 'no crypto map DMVPN'],
      ['interface Serial1/0', 'crypto map DMVPN'],
    );
  });

  it('brings both sides of a restarted adjacency up, each with the other in its neighbour table', async () => {
    const { lab } = await disrupt(
      'Central',
      ['interface Tunnel10', 'tunnel key 999'],
      ['interface Tunnel10', 'tunnel key 123'],
    );
    const gm1 = await console(lab, 'GM-1').execute('show ip eigrp neighbors');
    expect(gm1).toMatch(/192\.168\.100\.1\s+Tu10/);
    const hub = await console(lab, 'Central').execute('show ip eigrp topology');
    expect(hub).toMatch(/192\.168\.11\.0\/24[^\n]*\n\s+via 192\.168\.100\.2 /);
  });

  // Found by the configuration fuzzer (config-fuzz.property.test.ts): the hub's tunnel removed and restored. The
  // spokes' NHRP registrations come back only at their next registration (every 2400 s), so for a while the hub
  // hears the spokes' hellos but cannot answer; at the moment it can, GM-1 finished the INIT handshake with an
  // incarnation of the hub's neighbour that then timed out (retry limit), and the new one waited forever for an
  // INIT GM-1 would not send again.
  it('recovers when the peer finished the handshake with an earlier incarnation of the neighbour', async () => {
    const lab = loadLab(reference).lab!;
    const hub = console(lab, 'Central');
    await lab.kernel.runUntil(seconds(387));
    await configure(hub, 'no interface Tunnel10');
    await lab.kernel.runUntil(seconds(541));
    await configure(
      hub,
      'interface Tunnel10',
      'ip address 192.168.100.1 255.255.255.0',
      'ip pim dr-priority 100',
      'ip pim nbma-mode',
      'ip pim sparse-mode',
      'ip nhrp map multicast dynamic',
      'ip nhrp network-id 123',
      'ip igmp join-group 239.10.10.1',
      'tunnel source Serial2/0',
      'tunnel mode gre multipoint',
      'tunnel key 123',
    );
    await lab.kernel.runUntil(seconds(2500));
    const neighbors = [...servicesOf(router(lab, 'Central')).eigrp.process(10)!.neighbors.values()];
    expect(neighbors.map((n) => `${formatIpv4(n.address)} ${n.state}`).sort()).toEqual([
      '192.168.100.2 up',
      '192.168.100.3 up',
    ]);
    const gm1 = console(lab, 'GM-1');
    expect(await gm1.execute('show ip route 192.168.1.0')).toContain('Routing entry for 192.168.1.0/24');
    expect(await gm1.execute('ping 192.168.1.1 source Loopback1 repeat 5')).toContain(
      'Success rate is 100 percent (5/5)',
    );
  });
});
