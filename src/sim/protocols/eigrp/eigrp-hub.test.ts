import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { formatIpv4 } from '../../net/ipv4-address';
import type { Lab } from '../../scenario/lab';
import { buildLab, cli, logLines, router } from './test-lab.test-support';

/**
 * The article's overlay on a real mGRE/NHRP tunnel: Central (hub) and two spokes on Tunnel10
 * 192.168.100.0/24, each with a LAN (Loopback0) and an NBMA address (Loopback99) reached over serial links.
 */
function tunnelRouter(name: string, tunnelIp: string, lan: string, nbma: string, underlay: string): string {
  const hub = name === 'Central';
  const nhrp = hub
    ? ' ip nhrp network-id 1\n ip nhrp map multicast dynamic\n'
    : ' ip nhrp network-id 1\n ip nhrp nhs 192.168.100.1\n ip nhrp map 192.168.100.1 10.0.0.1\n ip nhrp map multicast 10.0.0.1\n';
  return `hostname ${name}
interface Loopback0
 ip address ${lan} 255.255.255.0
interface Loopback99
 ip address ${nbma} 255.255.255.255
${underlay}
interface Tunnel10
 ip address ${tunnelIp} 255.255.255.0
 tunnel source Loopback99
 tunnel mode gre multipoint
${nhrp}router eigrp 10
 no auto-summary
 network ${lan.replace(/\.1$/, '.0')}
 network 192.168.100.0
`;
}

async function hubAndSpokes(): Promise<Lab> {
  const hubUnderlay = `interface Serial0/0
 ip address 10.1.1.1 255.255.255.0
interface Serial0/1
 ip address 10.1.2.1 255.255.255.0
ip route 10.0.0.2 255.255.255.255 10.1.1.2
ip route 10.0.0.3 255.255.255.255 10.1.2.2`;
  const spokeUnderlay = (n: number): string => `interface Serial0/0
 ip address 10.1.${n}.2 255.255.255.0
ip route 0.0.0.0 0.0.0.0 10.1.${n}.1`;
  const lab = buildLab(
    [
      {
        name: 'Central',
        config: tunnelRouter('Central', '192.168.100.1', '192.168.1.1', '10.0.0.1', hubUnderlay),
      },
      {
        name: 'GM-1',
        config: tunnelRouter('GM-1', '192.168.100.2', '192.168.11.1', '10.0.0.2', spokeUnderlay(1)),
      },
      {
        name: 'GM-2',
        config: tunnelRouter('GM-2', '192.168.100.3', '192.168.12.1', '10.0.0.3', spokeUnderlay(2)),
      },
    ],
    [
      { a: 'Central Se0/0', b: 'GM-1 Se0/0' },
      { a: 'Central Se0/1', b: 'GM-2 Se0/0' },
    ],
  );
  await lab.kernel.runUntil(seconds(20));
  return lab;
}

function eigrpRoutes(lab: Lab, device: string): string[] {
  return router(lab, device)
    .rib.installed()
    .filter((r) => r.source === 'eigrp')
    .map(
      (r) =>
        `${formatIpv4(r.prefix.network)}/${r.prefix.length} [${r.distance}/${r.metric}] via ${formatIpv4(r.nextHops[0]?.address ?? 0)}`,
    );
}

/** Configures the hub's Tunnel10 and lets the change settle for 2 s. */
async function configureHubTunnel(lab: Lab, ...lines: string[]): Promise<void> {
  await cli(lab, 'Central', 'configure terminal', 'interface Tunnel10', ...lines, 'end');
  await lab.kernel.runUntil(lab.kernel.now + seconds(2));
}

describe('EIGRP on a hub-and-spoke multipoint interface', () => {
  it('the hub peers with both spokes on Tunnel10 and learns their LANs at the DMVPN metric', async () => {
    const lab = await hubAndSpokes();
    expect(logLines(lab, 'Central')).toEqual(
      expect.arrayContaining([
        '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.2 (Tunnel10) is up: new adjacency',
        '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.3 (Tunnel10) is up: new adjacency',
      ]),
    );
    expect(eigrpRoutes(lab, 'Central')).toEqual([
      '192.168.11.0/24 [90/27008000] via 192.168.100.2',
      '192.168.12.0/24 [90/27008000] via 192.168.100.3',
    ]);
    const topo = await cli(lab, 'Central', 'show ip eigrp topology');
    expect(topo).toContain(
      'P 192.168.11.0/24, 1 successors, FD is 27008000\n        via 192.168.100.2 (27008000/128256), Tunnel10',
    );
  });

  it('with split horizon on (the default), spokes do not learn each other’s LANs through the hub', async () => {
    const lab = await hubAndSpokes();
    expect(eigrpRoutes(lab, 'GM-1')).toEqual(['192.168.1.0/24 [90/27008000] via 192.168.100.1']);
    expect(eigrpRoutes(lab, 'GM-2')).toEqual(['192.168.1.0/24 [90/27008000] via 192.168.100.1']);
  });

  it('no ip split-horizon resyncs the spokes, which then learn each other’s LANs via the hub', async () => {
    const lab = await hubAndSpokes();
    await configureHubTunnel(lab, 'no ip split-horizon eigrp 10');
    expect(logLines(lab, 'Central')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.2 (Tunnel10) is resync: split horizon changed',
    );
    // 256 × (10^7/100 + (5000 + 50000 + 50000)/10): two tunnel hops and the far loopback.
    expect(eigrpRoutes(lab, 'GM-1')).toContain('192.168.12.0/24 [90/28288000] via 192.168.100.1');
    expect(eigrpRoutes(lab, 'GM-2')).toContain('192.168.11.0/24 [90/28288000] via 192.168.100.1');
    // Turning it back on withdraws them again.
    await configureHubTunnel(lab, 'ip split-horizon eigrp 10');
    expect(eigrpRoutes(lab, 'GM-1')).toEqual(['192.168.1.0/24 [90/27008000] via 192.168.100.1']);
    // A LAN GM-2 adds meanwhile reaches GM-1 once split horizon is off again: the hub's outbound state for
    // the returning setting is computed afresh, not left as it was when the setting went away.
    await cli(
      lab,
      'GM-2',
      'configure terminal',
      'interface Loopback1',
      'ip address 192.168.22.1 255.255.255.0',
      'router eigrp 10',
      'network 192.168.22.0',
      'end',
    );
    await configureHubTunnel(lab, 'no ip split-horizon eigrp 10');
    expect(eigrpRoutes(lab, 'GM-1')).toContain('192.168.12.0/24 [90/28288000] via 192.168.100.1');
    expect(eigrpRoutes(lab, 'GM-1')).toContain('192.168.22.0/24 [90/28288000] via 192.168.100.1');
    expect(eigrpRoutes(lab, 'GM-2')).toContain('192.168.11.0/24 [90/28288000] via 192.168.100.1');
  });

  it('no ip next-hop-self makes the hub pass on the other spoke as next hop (spoke-to-spoke goes direct)', async () => {
    const lab = await hubAndSpokes();
    await configureHubTunnel(lab, 'no ip split-horizon eigrp 10', 'no ip next-hop-self eigrp 10');
    expect(eigrpRoutes(lab, 'GM-1')).toContain('192.168.12.0/24 [90/28288000] via 192.168.100.3');
    expect(eigrpRoutes(lab, 'GM-2')).toContain('192.168.11.0/24 [90/28288000] via 192.168.100.2');
    const resolved = router(lab, 'GM-1').rib.resolve(0xc0a80c01);
    expect(resolved && [resolved.interface, formatIpv4(resolved.gateway)]).toEqual([
      'Tunnel10',
      '192.168.100.3',
    ]);
  });

  it('the hub loses a spoke after the hold time when the spoke falls silent', async () => {
    const lab = await hubAndSpokes();
    const t = lab.kernel.now;
    // The spoke's tunnel goes down (its WAN is shut in the real lab); the hub's Tunnel10 stays up.
    await cli(lab, 'GM-2', 'configure terminal', 'interface Loopback99', 'shutdown', 'end');
    await lab.kernel.runUntil(t + seconds(16));
    expect(logLines(lab, 'Central')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 192.168.100.3 (Tunnel10) is down: holding time expired',
    );
    expect(eigrpRoutes(lab, 'Central')).toEqual(['192.168.11.0/24 [90/27008000] via 192.168.100.2']);
  });
});
