import { describe, expect, it } from 'vitest';
import { setClass } from './topology-sync';

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
