// Issue 18 (checkpoints): a checkpoint copies the simulator's object graph, and a closure cannot be copied. Every
// callback PIM (with Auto-RP, BSR, Register, Assert, RP-Reachable), and IGMP keep in state (timers, neighbour
// events, the multicast input and output, the Auto-RP UDP handler, the IGMP hooks) must be a `bound`/`boundFn`
// callback or `stateless` (kernel/bound.ts). This walks those services in the shipped multicast labs as they run,
// at moments when their short timers are pending too, and lists what `copyGraph` could not copy.
import { describe, expect, it } from 'vitest';
import { closuresIn, savedAndRead, shippedLab } from '../../scenario/checkpoint.test-support';
import type { Router } from '../../device/router';
import { seconds } from '../../kernel/time';
import { AUTORP_PORT } from '../../net/autorp';
import { parseIpv4 } from '../../net/ipv4-address';
import { igmpOf } from '../igmp/igmp-service';
import { bsrServiceOf } from './bsr/bsr-service';
import { sptLab } from './labs.test-support';
import { PimService, pimOf } from './pim-service';
import { cli, configure } from './test-lab.test-support';

/** `router`'s multicast state: its PIM, IGMP and BSR services and the hooks they set on the router. */
function multicastState(router: Router) {
  return {
    pim: pimOf(router),
    igmp: igmpOf(router),
    bsr: bsrServiceOf(router),
    multicastInput: router.multicastInput,
    multicastOutput: router.multicastOutput,
    autoRpHandler: router.udpHandler(AUTORP_PORT),
  };
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
        for (const r of lab.routers) for (const p of closuresIn(lab, r, multicastState(r))) found.add(p);
        pimRouters = lab.routers.filter((r) => pimOf(r).neighbors.all().length > 0).length;
      }
      // The walk saw live PIM state: routers with neighbours (and with them their holdtime timers).
      expect(pimRouters).toBeGreaterThan(1);
      expect([...found]).toEqual([]);
    },
  );

  it('a saved checkpoint can name every class and function they keep (kernel/snapshot-codec.ts)', async () => {
    const lab = shippedLab('getvpn-bsr');
    await lab.kernel.runUntil(seconds(200));
    const neighbors = (s: ReturnType<typeof multicastState>): string[] =>
      s.pim.neighbors.all().map((n) => `${n.interface} ${n.address}`);
    for (const r of lab.routers) {
      const state = multicastState(r);
      const back = await savedAndRead(lab, r, multicastState(r));
      expect(back.pim).toBeInstanceOf(PimService);
      expect(back.pim).not.toBe(state.pim);
      expect(neighbors(back), r.name).toEqual(neighbors(state));
      expect(back.igmp.routerMemberships(), r.name).toEqual(state.igmp.routerMemberships());
      expect(back.bsr?.bsrAddress(), r.name).toBe(state.bsr?.bsrAddress());
    }
  });

  it('an `ip igmp static-group` and Register suppression are saved too', async () => {
    const lab = sptLab();
    await configure(lab, 'R3', ['interface Serial1/0', 'ip igmp static-group 239.3.3.3']);
    await lab.kernel.runUntil(seconds(40));
    await cli(lab, 'SRC').execute('ping 239.2.2.2 source Serial1/0 repeat 3');
    const r3 = (
      await savedAndRead(lab, lab.router('R3')!, multicastState(lab.router('R3')!))
    ).igmp.routerMemberships();
    expect(r3.filter((m) => m.static).map((m) => `${m.interface} ${m.group}`)).toEqual([
      `Serial1/0 ${parseIpv4('239.3.3.3')!}`,
    ]);
    const r1 = await savedAndRead(lab, lab.router('R1')!, multicastState(lab.router('R1')!));
    expect(r1.pim.mroutes.get(parseIpv4('10.1.0.1'), parseIpv4('239.2.2.2')!)?.registering).toBe(false);
  });
});
