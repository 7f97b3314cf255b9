// Issue 18 (checkpoints): a checkpoint copies the simulator's object graph, and a closure cannot be copied. Every
// callback PIM (with Auto-RP, BSR, Register, Assert, RP-Reachable), and IGMP keep in state (timers, neighbour
// events, the multicast input and output, the Auto-RP UDP handler, the IGMP hooks) must be a `bound`/`boundFn`
// callback or `stateless` (kernel/bound.ts). This walks those services in the shipped multicast labs as they run,
// at moments when their short timers are pending too, and lists what `copyGraph` could not copy.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Router } from '../../device/router';
import { uncopyable } from '../../kernel/snapshot';
import { seconds } from '../../kernel/time';
import { AUTORP_PORT } from '../../net/autorp';
import { type Lab, loadLab } from '../../scenario/lab';
import { igmpOf } from '../igmp/igmp-service';
import { bsrServiceOf } from './bsr/bsr-service';
import { pimOf } from './pim-service';

function shippedLab(file: string): Lab {
  const { lab, problems } = loadLab(readFileSync(`public/scenarios/${file}.json`, 'utf8'), 1);
  if (!lab) throw new Error(problems.map((p) => p.message).join('; '));
  return lab;
}

/** What a copy of `router`'s multicast state could not take: the router and kernel themselves are not walked. */
function closuresIn(lab: Lab, router: Router): string[] {
  const share = (o: object): boolean => o === router || o === lab.kernel;
  const state = {
    pim: pimOf(router),
    igmp: igmpOf(router),
    bsr: bsrServiceOf(router),
    multicastInput: router.multicastInput,
    multicastOutput: router.multicastOutput,
    autoRpHandler: router.udpHandler(AUTORP_PORT),
  };
  return uncopyable(state, { share }).map((p) => `${router.name}${p}`);
}

/** Every 0.5 s for the first minute (hellos, first joins, queries, report delays), then every 10 s. */
const MOMENTS = [
  ...Array.from({ length: 120 }, (_, i) => seconds(0.5 * (i + 1))),
  ...Array.from({ length: 60 }, (_, i) => seconds(70 + 10 * i)),
];

describe('PIM, BSR and IGMP keep no closures in state (issue 18 checkpoints)', () => {
  it.each(['getvpn-multicast-rekey', 'getvpn-bsr', 'autorp-sparse-mode'])(
    '%s: every callback kept is bound or stateless, from boot to 660 s',
    async (file) => {
      const lab = shippedLab(file);
      const found = new Set<string>();
      let pimRouters = 0;
      for (const t of MOMENTS) {
        await lab.kernel.runUntil(t);
        for (const r of lab.routers) for (const p of closuresIn(lab, r)) found.add(p);
        pimRouters = lab.routers.filter((r) => pimOf(r).neighbors.all().length > 0).length;
      }
      // The walk saw live PIM state: routers with neighbours (and with them their holdtime timers).
      expect(pimRouters).toBeGreaterThan(1);
      expect([...found]).toEqual([]);
    },
  );
});
