import { describe, expect, it } from 'vitest';
import type { EigrpMetric } from '../../net/eigrp';
import { makePrefix } from '../../net/prefix';
import {
  feasiblePaths,
  finishActive,
  goActive,
  localComputation,
  repliesComplete,
  successorPaths,
} from './dual';
import { INFINITE_DISTANCE } from './metric';
import { makePath, pathKey, TopologyTable, type TopologyEntry } from './topology';

/** A vector whose composite is exactly `distance` (bandwidth term 0 keeps the arithmetic readable). */
function vec(distance: number): EigrpMetric {
  return {
    delay: distance,
    bandwidth: 0,
    mtu: 1500,
    hopCount: 1,
    reliability: 255,
    load: 1,
    tag: 0,
    flags: 0,
  };
}

function setPath(e: TopologyEntry, nbr: number, distance: number, rd: number): void {
  e.paths.set(
    pathKey('Fa0/0', nbr),
    makePath({
      origin: 'neighbor',
      interface: 'Fa0/0',
      neighbor: nbr,
      nextHop: nbr,
      reported: vec(rd),
      metric: vec(distance),
    }),
  );
}

function entry(): TopologyEntry {
  return new TopologyTable().getOrCreate(makePrefix(0x0a000000, 24), INFINITE_DISTANCE);
}

describe('DUAL on one destination', () => {
  it('picks the lowest distance as successor and RD < FD paths as feasible successors', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    setPath(e, 2, 3000, 900); // RD 900 < FD 1000: feasible successor
    setPath(e, 3, 2000, 1500); // RD 1500 ≥ FD 1000: not feasible, though cheaper than path 2
    expect(localComputation(e)).toEqual({ kind: 'passive', changed: true });
    expect(e.fd).toBe(1000);
    expect(successorPaths(e).map((p) => p.neighbor)).toEqual([1]);
    expect(feasiblePaths(e).map((p) => p.neighbor)).toEqual([1, 2]);
  });

  it('switches to the feasible successor locally when the successor is lost', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    setPath(e, 2, 3000, 900);
    localComputation(e);
    e.paths.delete(pathKey('Fa0/0', 1));
    expect(localComputation(e).kind).toBe('passive');
    expect(successorPaths(e).map((p) => p.neighbor)).toEqual([2]);
    expect(e.fd).toBe(3000);
    expect(e.state).toBe('passive');
  });

  it('goes active when the best remaining path fails the feasibility condition, and settles on all replies', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    setPath(e, 3, 2000, 1500);
    localComputation(e);
    e.paths.delete(pathKey('Fa0/0', 1));
    expect(localComputation(e).kind).toBe('active');
    goActive(e, [pathKey('Fa0/0', 3)]);
    expect(repliesComplete(e)).toBe(false);
    e.pendingReplies?.delete(pathKey('Fa0/0', 3));
    expect(repliesComplete(e)).toBe(true);
    expect(finishActive(e)).toBe(true);
    // After a diffusing computation FD is reset to the new distance, with no feasibility check.
    expect(e.fd).toBe(2000);
    expect(successorPaths(e).map((p) => p.neighbor)).toEqual([3]);
  });

  it('reports a destination gone when nothing reaches it', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    localComputation(e);
    e.paths.delete(pathKey('Fa0/0', 1));
    expect(localComputation(e).kind).toBe('active');
    goActive(e, []);
    expect(finishActive(e)).toBe(false);
    expect(e.fd).toBe(INFINITE_DISTANCE);
    const fresh = entry();
    expect(localComputation(fresh).kind).toBe('gone');
  });

  it('keeps equal-cost successors', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    setPath(e, 2, 1000, 600);
    localComputation(e);
    expect(successorPaths(e).map((p) => p.neighbor)).toEqual([1, 2]);
  });

  it('goes active when the successor’s own distance grows past the FD', () => {
    const e = entry();
    setPath(e, 1, 1000, 500);
    localComputation(e);
    setPath(e, 1, 5000, 4500);
    expect(localComputation(e).kind).toBe('active');
  });
});
