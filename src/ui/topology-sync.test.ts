import { describe, expect, it } from 'vitest';
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';
import { createSimApi } from '../worker/api';
import type { LabView, MulticastView } from '../worker/protocol';
import { canvasTextScale } from './layout';
import { bundledLinks, rpfMismatches, setClass, viewportFor } from './topology-sync';

type Args = Parameters<typeof setClass>;

/** Elements with classes, recording which ones are touched (Cytoscape restyles every element it is given). */
function fakeGraph(classes: Record<string, string[]>) {
  const touched: string[] = [];
  const els = Object.entries(classes).map(([id, list]) => {
    const set = new Set(list);
    return {
      id: () => id,
      hasClass: (c: string) => set.has(c),
      toggleClass: (c: string, on: boolean) => {
        touched.push(id);
        if (on) set.add(c);
        else set.delete(c);
      },
    };
  });
  const eles = { forEach: (f: (e: (typeof els)[number]) => void) => els.forEach(f) } as unknown as Args[1];
  const cy = { batch: (f: () => void) => f() } as unknown as Args[0];
  return { cy, eles, els, touched };
}

describe('bundledLinks', () => {
  const link = (id: string, a: string, b: string) => ({ id, a: { device: a }, b: { device: b } });
  it('names only the links that join the same two devices as another (either way round)', () => {
    const links = [
      link('l1', 'R1', 'R2'),
      link('l2', 'R2', 'R1'),
      link('l3', 'R1', 'SP'),
      link('l4', 'R3', 'SP'),
    ];
    expect([...bundledLinks(links)].sort()).toEqual(['l1', 'l2']);
  });
  it('finds none in a hub-and-spoke underlay (every spoke one link to the provider)', () => {
    const links = Array.from({ length: 1000 }, (_, i) => link(`s${i}`, `GM-${i + 1}`, 'SP'));
    expect(bundledLinks(links).size).toBe(0);
  });
});

describe('setClass', () => {
  it('sets the class and touches only the elements whose class changes', () => {
    const g = fakeGraph({ a: ['hidden'], b: [], c: ['overlay'] });
    setClass(g.cy, g.eles, 'hidden', true);
    expect(g.touched).toEqual(['b', 'c']);
    expect(g.els.every((e) => e.hasClass('hidden'))).toBe(true);
    g.touched.length = 0;
    setClass(g.cy, g.eles, 'hidden', true);
    expect(g.touched).toEqual([]);
    setClass(g.cy, g.eles, 'hidden', false);
    expect(g.touched).toEqual(['a', 'b', 'c']);
    expect(g.els.some((e) => e.hasClass('hidden'))).toBe(false);
  });
});

describe('rpfMismatches', () => {
  // RFC 7761 §4.2: a router forwards multicast only when it arrives on the RPF interface towards its source. The
  // reference lab's spokes receive the rekey group on Tunnel10; without the article's `ip mroute` their RPF
  // towards the key server is the physical interface, so the check fails there.
  async function viewOf(spokeLines: readonly string[] = []): Promise<[LabView, MulticastView]> {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(40_000_000);
    for (const line of spokeLines) await api.exec('GM-1', line);
    await api.runUntil(60_000_000);
    return [(await api.lab())!, await api.multicastView('1.1.1.1', '239.10.10.1')];
  }

  it('marks a spoke whose ip mroute is removed: the group arrives on the tunnel, RPF is the serial link', async () => {
    const [lab, view] = await viewOf([
      'configure terminal',
      'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
      'end',
    ]);
    const failures = rpfMismatches(lab, view);
    expect(failures.map((f) => f.device)).toEqual(['GM-1']);
    expect(failures[0]!.arrives).toBe('Tunnel10');
    expect(failures[0]!.rpf).toMatch(/^Serial/);
    expect(failures[0]!.reason).toMatch(
      /^239\.10\.10\.1 arrives on Tunnel10, but the RPF interface towards 1\.1\.1\.1 is Serial/,
    );
    expect(failures[0]!.reason).toContain('the RPF check fails');
  }, 60_000);

  it('marks nobody in the completed lab (static mroutes point RPF at the tunnel), nor without a view', async () => {
    const [lab, view] = await viewOf();
    expect(view.tree.length).toBeGreaterThan(0);
    expect(rpfMismatches(lab, view)).toEqual([]);
    expect(rpfMismatches(lab, undefined)).toEqual([]);
  }, 60_000);
});

describe('canvasTextScale', () => {
  it('enlarges text only as much as needed to reach the smallest size on screen', () => {
    expect(canvasTextScale(12, 1, 10)).toBe(1);
    expect(canvasTextScale(12, 0.5, 20)).toBeCloseTo(20 / 6);
    expect(12 * 0.5 * canvasTextScale(12, 0.5, 20)).toBeCloseTo(20);
    expect(canvasTextScale(12, 0.5, 0)).toBe(1);
  });
});

// A big lab is fitted from node centres (issue 18: cy.fit styled and measured every element first).
describe('viewportFor', () => {
  it('fits node centres and a node size around them into the panel, centred, as cy.fit with 24 px padding', () => {
    // Two devices 1,000 units apart: the box is 1,170 × 102 (the provider's size around each centre).
    const view = viewportFor(
      [
        { x: 0, y: 0 },
        { x: 1000, y: 0 },
      ],
      800,
      600,
    );
    expect(view?.zoom).toBeCloseTo((800 - 48) / 1170, 6);
    // The drawing's centre (500, 0) lands on the panel's centre.
    expect(500 * view!.zoom + view!.pan.x).toBeCloseTo(400, 6);
    expect(0 * view!.zoom + view!.pan.y).toBeCloseTo(300, 6);
  });

  it('zooms a 5,000-spoke arc out below the old 0.02 floor, and never past 1.4 for a tiny lab', () => {
    const arc = Array.from({ length: 5000 }, (_, i) => ({
      x: 65_000 * Math.cos(((i / 4999) * 2 - 1) * (Math.PI / 2)),
      y: 65_000 * Math.sin(((i / 4999) * 2 - 1) * (Math.PI / 2)),
    }));
    const big = viewportFor(arc, 780, 500);
    expect(big!.zoom).toBeLessThan(0.02);
    expect(big!.zoom).toBeGreaterThan(0.002);
    expect(viewportFor([{ x: 0, y: 0 }], 800, 600)?.zoom).toBe(1.4);
  });

  it('gives no viewport without devices or without room', () => {
    expect(viewportFor([], 800, 600)).toBeUndefined();
    expect(viewportFor([{ x: 0, y: 0 }], 40, 600)).toBeUndefined();
  });
});
