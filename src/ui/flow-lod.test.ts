import { describe, expect, it } from 'vitest';
import {
  detailFor,
  FLOW_ABOVE,
  type FlowCandidate,
  MAX_ABSORB,
  MAX_MARKS,
  MAX_PENDING,
  pickFlows,
  takeBounded,
} from './flow-lod';

/** A hub's fan-out: one copy per spoke link, each link its own path. */
function fanout(spokes: number, look: object, progress: number): FlowCandidate[] {
  return Array.from({ length: spokes }, () => ({ path: {}, look, progress }));
}

describe('level of detail of the packet canvas (issue 18)', () => {
  it('draws every packet up to FLOW_ABOVE in flight (the reference lab), flows above', () => {
    expect(detailFor(0)).toBe('packets');
    expect(detailFor(12)).toBe('packets');
    expect(detailFor(FLOW_ABOVE)).toBe('packets');
    expect(detailFor(FLOW_ABOVE + 1)).toBe('flows');
    expect(detailFor(2189)).toBe('flows');
  });

  it('merges copies on one path and encapsulation into one flow at its most advanced copy', () => {
    const link = {};
    const esp = {};
    const eigrp = {};
    const candidates: FlowCandidate[] = [
      { path: link, look: esp, progress: 0.2 },
      { path: link, look: esp, progress: 0.7 },
      { path: link, look: eigrp, progress: 0.1 },
      { path: link, look: esp, progress: 0.4 },
      { path: {}, look: esp, progress: 0.5 },
    ];
    const pick = pickFlows(candidates);
    expect(pick.drawn).toEqual([1, 2, 4]);
    expect(pick.copies).toEqual([3, 1, 1]);
  });

  it('bounds the marks of a frame by MAX_MARKS however many copies are in flight, spread over the paths', () => {
    const esp = {};
    const gre = {};
    // Two overlapping fan-outs to 5,000 spokes: 10,000 copies on 10,000 distinct paths and looks.
    const candidates = [...fanout(5000, esp, 0.3), ...fanout(5000, gre, 0.6)];
    const pick = pickFlows(candidates);
    expect(pick.drawn.length).toBeLessThanOrEqual(MAX_MARKS);
    expect(pick.drawn.length).toBeGreaterThan(MAX_MARKS / 2);
    // Every k-th flow: both fan-outs keep marks, from the first spoke to the last.
    expect(pick.drawn.some((i) => i < 5000)).toBe(true);
    expect(pick.drawn.some((i) => i >= 5000)).toBe(true);
    expect(Math.max(...pick.drawn)).toBeGreaterThan(9000);
  });

  it('keeps a fan-out below the cap whole: one mark per spoke link', () => {
    const pick = pickFlows(fanout(1000, {}, 0.5));
    expect(pick.drawn).toHaveLength(1000);
    expect(pick.copies.every((n) => n === 1)).toBe(true);
  });

  it('spreads a big worker batch over frames: at most MAX_ABSORB a frame, the oldest skipped past MAX_PENDING', () => {
    const batch = Array.from({ length: 4000 }, (_, i) => i);
    const first = takeBounded(batch);
    expect(first.now).toHaveLength(MAX_ABSORB);
    expect(first.now[0]).toBe(0);
    expect(first.later).toHaveLength(4000 - MAX_ABSORB);
    expect(first.skipped).toBe(0);

    const flood = Array.from({ length: MAX_PENDING + 500 }, (_, i) => i);
    const taken = takeBounded(flood);
    expect(taken.skipped).toBe(500);
    expect(taken.now[0]).toBe(500);
    expect(taken.now.length + taken.later.length).toBe(MAX_PENDING);
    expect(taken.later[taken.later.length - 1]).toBe(MAX_PENDING + 499);
  });
});
