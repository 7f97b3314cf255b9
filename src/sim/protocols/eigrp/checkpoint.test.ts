// Issue 18 (checkpoints): a checkpoint copies the simulator's object graph, and a closure cannot be copied. Every
// callback EIGRP, NHRP, the GRE tunnels and ICMP keep in state (hello/hold/retransmit timers, the update flush,
// NHRP registration and expiry timers, the tunnel driver and its line-state reconciles, ICMP's error hooks and
// packet handlers) must be a `bound`/`boundFn` callback or `stateless` (kernel/bound.ts). This walks those services
// in the shipped DMVPN phase 2 lab as it boots, converges and loses a spoke's WAN link (DUAL goes active), and
// lists what `copyGraph` could not copy.
import { describe, expect, it } from 'vitest';
import { closuresIn, shippedLab } from '../../scenario/checkpoint.test-support';
import { CliSession } from '../../cli/cli-session';
import type { Router } from '../../device/router';
import { seconds, type SimTime } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { icmpOf } from '../icmp/icmp-service';
import { nhrpOf } from '../nhrp/nhrp-service';
import { tunnelsOf } from '../tunnel/gre-tunnel';
import { eigrpOf } from './eigrp-service';

/** `router`'s EIGRP, NHRP, tunnel and ICMP state. */
function routingState(router: Router): object {
  return { eigrp: eigrpOf(router), nhrp: nhrpOf(router), tunnels: tunnelsOf(router), icmp: icmpOf(router) };
}

async function walk(lab: Lab, moments: readonly SimTime[]): Promise<{ found: string[]; neighbors: number }> {
  const found = new Set<string>();
  let neighbors = 0;
  for (const t of moments) {
    await lab.kernel.runUntil(t);
    for (const r of lab.routers) for (const p of closuresIn(lab, r, routingState(r))) found.add(p);
    neighbors = Math.max(
      neighbors,
      lab.routers
        .flatMap((r) => [...(eigrpOf(r)?.processes.values() ?? [])])
        .reduce((n, p) => n + p.neighbors.size, 0),
    );
  }
  return { found: [...found], neighbors };
}

describe('EIGRP, NHRP, GRE and ICMP keep no closures in state (issue 18 checkpoints)', () => {
  it('the DMVPN phase 2 lab: boot, convergence, and a spoke losing its WAN link keep only bound callbacks', async () => {
    const lab = shippedLab('dmvpn-phase2');
    const boot = await walk(
      lab,
      Array.from({ length: 40 }, (_, i) => seconds(i + 1)),
    );
    // The walk saw live EIGRP adjacencies over the mGRE tunnel (hub and spokes both count theirs).
    expect(boot.neighbors).toBeGreaterThan(0);
    const spoke = lab.routers.find((r) => r.name === 'Spoke-1')!;
    const cli = new CliSession(spoke, { epochMs: lab.epochMs });
    await cli.execute('configure terminal');
    await cli.execute('interface Tunnel10');
    await cli.execute('shutdown');
    await cli.execute('end');
    const after = await walk(
      lab,
      Array.from({ length: 60 }, (_, i) => seconds(40.25 + 0.25 * i)),
    );
    // Spoke-1's tunnel went down: it and the hub dropped their adjacency (the hub on hold expiry) and the routes
    // behind it were withdrawn through DUAL while the walk ran.
    const spokeNeighbors = [...(eigrpOf(spoke)?.processes.values() ?? [])].reduce(
      (n, p) => n + p.neighbors.size,
      0,
    );
    expect(spokeNeighbors).toBe(0);
    expect([...boot.found, ...after.found]).toEqual([]);
  }, 120_000);
});
