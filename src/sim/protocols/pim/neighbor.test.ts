import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Router } from '../../device/router';
import { Kernel } from '../../kernel/kernel';
import type { PimHelloOption } from '../../net/pim';
import { electDr } from './dr-election';
import { type NeighborEvent, NeighborTable } from './neighbor';

// A neighbour coming up is elected against the sitting DR alone (issue 18: a hub's tunnel gains one per spoke).
// RFC 7761 §4.3.2 ranks every candidate in one order (priority then address when all sent a DR Priority, else
// address alone), so this must pick exactly the DR that a full election among all of them picks.

const IFACE = 'Tunnel10';
const OWN = 0xc0a86401;

/** The router stand-in: an address and a DR priority on Tunnel10, a clock, and logs collected. */
function fakeRouter(ownPriority: number): { router: Router; logs: string[] } {
  const logs: string[] = [];
  const router = {
    kernel: new Kernel(1),
    interfaceAddress: (ifName: string) => (ifName === IFACE ? OWN : undefined),
    interfaceConfig: () => ({ pim: { drPriority: ownPriority } }),
    log: (_kind: string, text: string) => logs.push(text),
    debugLog: () => undefined,
  };
  return { router: router as unknown as Router, logs };
}

type Hello = { readonly neighbor: number; readonly priority: number | undefined; readonly goodbye: boolean };

function options(h: Hello): PimHelloOption[] {
  const out: PimHelloOption[] = [{ kind: 'holdtime', holdtime: h.goodbye ? 0 : 105 }];
  if (h.priority !== undefined) out.push({ kind: 'dr-priority', priority: h.priority });
  return out;
}

const hello: fc.Arbitrary<Hello> = fc.record({
  neighbor: fc.integer({ min: 2, max: 40 }),
  priority: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined, freq: 6 }),
  // One hello in five is a goodbye (holdtime 0): the neighbour leaves and the full election runs.
  goodbye: fc.integer({ min: 0, max: 4 }).map((x) => x === 0),
});

describe('PIM DR election as neighbours come and go (RFC 7761 §4.3.2)', () => {
  it('elects what a full election among all routers on the link elects, after every hello', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3 }),
        fc.array(hello, { maxLength: 60 }),
        (ownPriority, hellos) => {
          const { router } = fakeRouter(ownPriority);
          const events: NeighborEvent[] = [];
          const table = new NeighborTable(router, (e) => events.push(e));
          table.elect(IFACE);
          for (const h of hellos) {
            table.hello(IFACE, OWN + h.neighbor, options(h));
            const all = [
              { address: OWN, priority: ownPriority },
              ...table.on(IFACE).map((n) => ({ address: n.address, priority: n.drPriority })),
            ];
            expect(table.dr(IFACE)).toBe(electDr(all));
          }
        },
      ),
      { numRuns: 300, seed: 18 },
    );
  });

  it('logs the DR change when a newcomer with a higher priority comes up', () => {
    const { router, logs } = fakeRouter(1);
    const table = new NeighborTable(router, () => undefined);
    table.elect(IFACE);
    table.hello(IFACE, OWN + 5, [{ kind: 'dr-priority', priority: 1 }]);
    table.hello(IFACE, OWN + 2, [{ kind: 'dr-priority', priority: 7 }]);
    table.hello(IFACE, OWN + 9, [{ kind: 'dr-priority', priority: 1 }]);
    expect(logs.filter((l) => l.startsWith('%PIM-5-DRCHG'))).toEqual([
      '%PIM-5-DRCHG: DR change from neighbor 192.168.100.1 to 192.168.100.6 on interface Tunnel10',
      '%PIM-5-DRCHG: DR change from neighbor 192.168.100.6 to 192.168.100.3 on interface Tunnel10',
    ]);
    expect(table.dr(IFACE)).toBe(OWN + 2);
  });
});
