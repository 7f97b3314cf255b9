import { describe, expect, it } from 'vitest';
import type { Lab } from '../../scenario/lab';
import { seconds } from '../../kernel/time';
import { decodeEigrp, EIGRP_OPCODE } from '../../net/eigrp';
import { decodeIpv4 } from '../../net/ipv4';
import { formatIpv4, parseIpv4 } from '../../net/ipv4-address';
import { formatPrefix, makePrefix } from '../../net/prefix';
import { buildLab, cli, eigrpOf, logLines, router } from './test-lab.test-support';

const R1 = `hostname R1
interface Loopback0
 ip address 1.1.1.1 255.255.255.255
interface FastEthernet0/0
 ip address 10.0.12.1 255.255.255.0
router eigrp 10
 no auto-summary
 network 10.0.0.0
 network 1.1.1.1 0.0.0.0
`;
const R2 = `hostname R2
interface Loopback0
 ip address 2.2.2.2 255.255.255.255
interface FastEthernet0/0
 ip address 10.0.12.2 255.255.255.0
router eigrp 10
 no auto-summary
 network 10.0.0.0
 network 2.2.2.2 0.0.0.0
`;

function pair(): Lab {
  return buildLab(
    [
      { name: 'R1', config: R1 },
      { name: 'R2', config: R2 },
    ],
    [{ a: 'R1 Fa0/0', b: 'R2 Fa0/0' }],
  );
}

/** Triangle: R1–R2 and R2–R3 FastEthernet, R1–R3 a T1 serial line; R3 and R2 have loopbacks. */
function triangle(): Lab {
  return buildLab(
    [
      {
        name: 'R1',
        config: `hostname R1
interface FastEthernet0/0
 ip address 10.0.12.1 255.255.255.0
interface Serial1/0
 ip address 10.0.13.1 255.255.255.0
router eigrp 10
 network 10.0.0.0
`,
      },
      {
        name: 'R2',
        config: `hostname R2
interface Loopback0
 ip address 2.2.2.2 255.255.255.255
interface FastEthernet0/0
 ip address 10.0.12.2 255.255.255.0
interface FastEthernet0/1
 ip address 10.0.23.2 255.255.255.0
router eigrp 10
 network 10.0.0.0
 network 2.2.2.2 0.0.0.0
`,
      },
      {
        name: 'R3',
        config: `hostname R3
interface Loopback0
 ip address 3.3.3.3 255.255.255.255
interface FastEthernet0/1
 ip address 10.0.23.3 255.255.255.0
interface Serial1/0
 ip address 10.0.13.3 255.255.255.0
router eigrp 10
 network 10.0.0.0
 network 3.3.3.3 0.0.0.0
`,
      },
    ],
    [
      { a: 'R1 Fa0/0', b: 'R2 Fa0/0' },
      { a: 'R2 Fa0/1', b: 'R3 Fa0/1' },
      { a: 'R1 Se1/0', b: 'R3 Se1/0' },
    ],
  );
}

function route(lab: Lab, device: string, prefix: string, length = 32) {
  const r = router(lab, device)
    .rib.installed()
    .find((x) => formatIpv4(x.prefix.network) === prefix && x.prefix.length === length);
  return (
    r && {
      source: r.source,
      distance: r.distance,
      metric: r.metric,
      via: r.nextHops.map((h) => `${formatIpv4(h.address ?? 0)} ${h.interface}`),
    }
  );
}

/** Destinations carried by each EIGRP packet of `opcode` that `device` sent after frame index `from`. */
function eigrpSent(lab: Lab, device: string, from: number, opcode: number): string[][] {
  return lab.kernel.trace
    .allFrames()
    .slice(from)
    .filter((f) => f.from === device)
    .map((f) => decodeIpv4(f.bytes))
    .filter((d) => d.header.protocol === 88)
    .map((d) => decodeEigrp(d.payload))
    .filter((p) => p.opcode === opcode)
    .map((p) =>
      p.tlvs.flatMap((t) =>
        t.kind === 'ipv4-internal' ? [formatPrefix(makePrefix(t.destination, t.prefixLength))] : [],
      ),
    );
}

describe('EIGRP adjacency and routes on Ethernet', () => {
  it('forms a neighbour within 15 s and logs the new adjacency', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    const n = [...eigrpOf(lab, 'R1').neighbors.values()];
    expect(n.map((x) => [formatIpv4(x.address), x.interface, x.state])).toEqual([
      ['10.0.12.2', 'FastEthernet0/0', 'up'],
    ]);
    expect(logLines(lab, 'R1')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 10.0.12.2 (FastEthernet0/0) is up: new adjacency',
    );
  });

  it('installs the peer’s loopback with IOS’s composite metric and distance 90', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    // 256 × (10^7/100000 + (100 + 5000)/10) = 156160
    expect(route(lab, 'R1', '2.2.2.2')).toEqual({
      source: 'eigrp',
      distance: 90,
      metric: 156160,
      via: ['10.0.12.2 FastEthernet0/0'],
    });
    expect(route(lab, 'R2', '1.1.1.1')).toEqual({
      source: 'eigrp',
      distance: 90,
      metric: 156160,
      via: ['10.0.12.1 FastEthernet0/0'],
    });
    // The shared subnet stays connected (split horizon: neither side advertises it back).
    expect(route(lab, 'R1', '10.0.12.0', 24)?.source).toBe('connected');
  });

  it('forwards traffic over the learned route', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    const out = await cli(lab, 'R1', 'ping 2.2.2.2 source Loopback0');
    expect(out).toContain('Success rate is 100 percent (5/5)');
  });

  it('loses the neighbour after the hold time when the far end goes silent, and the route with it', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    const link = lab.links[0]!;
    link.loss = 1; // the line stays up, nothing gets through: only the hold timer can notice
    const cut = lab.kernel.now;
    await lab.kernel.runUntil(cut + seconds(9));
    expect(eigrpOf(lab, 'R1').neighbors.size).toBe(1);
    await lab.kernel.runUntil(cut + seconds(16));
    expect(eigrpOf(lab, 'R1').neighbors.size).toBe(0);
    expect(logLines(lab, 'R1')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 10.0.12.2 (FastEthernet0/0) is down: holding time expired',
    );
    expect(route(lab, 'R1', '2.2.2.2')).toBeUndefined();
    link.loss = 0;
    await lab.kernel.runUntil(cut + seconds(30));
    expect(route(lab, 'R1', '2.2.2.2')?.metric).toBe(156160);
  });

  it('drops the neighbour at once when its interface goes down, and re-forms it on no shutdown', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    await cli(lab, 'R2', 'configure terminal', 'interface FastEthernet0/0', 'shutdown', 'end');
    await lab.kernel.runUntil(lab.kernel.now + seconds(0.01));
    expect(eigrpOf(lab, 'R1').neighbors.size).toBe(0);
    expect(logLines(lab, 'R1')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 10.0.12.2 (FastEthernet0/0) is down: interface down',
    );
    expect(route(lab, 'R1', '2.2.2.2')).toBeUndefined();
    await cli(lab, 'R2', 'configure terminal', 'interface FastEthernet0/0', 'no shutdown', 'end');
    await lab.kernel.runUntil(lab.kernel.now + seconds(15));
    expect(route(lab, 'R1', '2.2.2.2')?.metric).toBe(156160);
  });

  it('passive-interface stops hellos (neighbour gone) but still advertises the subnet', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    await cli(lab, 'R2', 'configure terminal', 'router eigrp 10', 'passive-interface Loopback0', 'end');
    await cli(lab, 'R1', 'configure terminal', 'router eigrp 10', 'passive-interface FastEthernet0/0', 'end');
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(logLines(lab, 'R1')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 10.0.12.2 (FastEthernet0/0) is down: interface passive',
    );
    // R2 hears R1's goodbye at once rather than waiting for the hold time.
    expect(logLines(lab, 'R2')).toContain(
      '%DUAL-5-NBRCHANGE: EIGRP-IPv4 10: Neighbor 10.0.12.1 (FastEthernet0/0) is down: Interface PEER-TERMINATION received',
    );
    await lab.kernel.runUntil(lab.kernel.now + seconds(20));
    expect(eigrpOf(lab, 'R1').neighbors.size).toBe(0);
    const topo = await cli(lab, 'R1', 'show ip eigrp topology');
    expect(topo).toContain(
      'P 10.0.12.0/24, 1 successors, FD is 28160\n        via Connected, FastEthernet0/0',
    );
  });

  it('stops running on an interface whose network statement is removed', async () => {
    const lab = pair();
    await lab.kernel.runUntil(seconds(15));
    await cli(lab, 'R2', 'configure terminal', 'router eigrp 10', 'no network 2.2.2.2 0.0.0.0', 'end');
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(route(lab, 'R1', '2.2.2.2')).toBeUndefined();
    expect(eigrpOf(lab, 'R1').neighbors.size).toBe(1);
  });
});

describe('EIGRP convergence in a triangle', () => {
  it('keeps a feasible successor and switches to it without queries when the successor fails', async () => {
    const lab = triangle();
    await lab.kernel.runUntil(seconds(20));
    // Via R2: 256 × (100 + 10 + 10 + 500) = 158720; via R3 over the T1: 256 × (6476 + 2000 + 500) = 2297856,
    // whose RD (128256) is below the FD: a feasible successor.
    expect(route(lab, 'R1', '3.3.3.3')).toEqual({
      source: 'eigrp',
      distance: 90,
      metric: 158720,
      via: ['10.0.12.2 FastEthernet0/0'],
    });
    const topo = await cli(lab, 'R1', 'show ip eigrp topology');
    expect(topo).toContain(
      'P 3.3.3.3/32, 1 successors, FD is 158720\n        via 10.0.12.2 (158720/156160), FastEthernet0/0\n        via 10.0.13.3 (2297856/128256), Serial1/0',
    );
    const framesBefore = lab.kernel.trace.allFrames().length;
    await cli(lab, 'R1', 'configure terminal', 'interface FastEthernet0/0', 'shutdown', 'end');
    // The switch is immediate: no simulated time has to pass for the new route to be in the RIB.
    await lab.kernel.runUntil(lab.kernel.now);
    expect(route(lab, 'R1', '3.3.3.3')).toEqual({
      source: 'eigrp',
      distance: 90,
      metric: 2297856,
      via: ['10.0.13.3 Serial1/0'],
    });
    await lab.kernel.runUntil(lab.kernel.now + seconds(2));
    // R1 queried R3, in one packet, only for what had no feasible successor: R2's loopback and the subnet it
    // lost (R3's RD for it, via R2, is above R1's connected FD). 3.3.3.3 and 10.0.23.0/24 switched locally.
    const queried = eigrpSent(lab, 'R1', framesBefore, EIGRP_OPCODE.QUERY);
    expect(queried).toEqual([['2.2.2.2/32', '10.0.12.0/24']]);
    expect(route(lab, 'R1', '10.0.12.0', 24)).toBeUndefined();
    expect(route(lab, 'R3', '10.0.12.0', 24)).toBeUndefined();
  });

  it('goes active when there is no feasible successor, queries, and re-converges on the replies', async () => {
    const lab = triangle();
    await lab.kernel.runUntil(seconds(20));
    // Via R3 the RD of 2.2.2.2 (156160) equals R1's FD: not feasible.
    expect(route(lab, 'R1', '2.2.2.2')?.metric).toBe(156160);
    const all = await cli(lab, 'R1', 'show ip eigrp topology all-links');
    expect(all).toContain(
      'P 2.2.2.2/32, 1 successors, FD is 156160\n        via 10.0.12.2 (156160/128256), FastEthernet0/0\n        via 10.0.13.3 (2300416/156160), Serial1/0',
    );
    await cli(lab, 'R1', 'configure terminal', 'interface FastEthernet0/0', 'shutdown', 'end');
    await lab.kernel.runUntil(lab.kernel.now);
    const e = eigrpOf(lab, 'R1').topology.get({ network: parseIpv4('2.2.2.2')!, length: 32 });
    expect(e?.state).toBe('active');
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(e?.state).toBe('passive');
    expect(route(lab, 'R1', '2.2.2.2')).toEqual({
      source: 'eigrp',
      distance: 90,
      metric: 2300416,
      via: ['10.0.13.3 Serial1/0'],
    });
    // R2 and R3 have re-converged too: R2 reaches R1's serial subnet through R3.
    expect(route(lab, 'R2', '10.0.13.0', 24)?.via).toEqual(['10.0.23.3 FastEthernet0/1']);
  });

  it('is deterministic: two runs give the same trace', async () => {
    const run = async () => {
      const lab = triangle();
      await lab.kernel.runUntil(seconds(30));
      return lab.kernel.trace.hash();
    };
    expect(await run()).toBe(await run());
  });
});
