import { describe, expect, it } from 'vitest';
import { bound, boundFn, stateless } from './bound';
import { copyGraph, copyGraphInSlices, immutableBytesOf, UncopyableError, uncopyable } from './snapshot';

class Neighbor {
  readonly peers = new Set<Neighbor>();
  expiry: (() => void) | undefined;
  expired = 0;
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
  arm(): void {
    this.expiry = bound(this, this.expire, 'hold');
  }
  private expire(why: string): void {
    this.expired++;
    this.lastWhy = why;
  }
  lastWhy = '';
}

class Table extends Map<string, Neighbor> {
  version = 1;
}

const count = (n: Neighbor, by: number): number => (n.expired += by);

describe('copyGraph', () => {
  it('keeps classes, cycles, sharing, Maps, Sets and Map subclasses', () => {
    const a = new Neighbor('a');
    const b = new Neighbor('b');
    a.peers.add(b);
    b.peers.add(a);
    const table = new Table([
      ['a', a],
      ['b', b],
    ]);
    const root = { table, first: a, list: [a, b, a] };
    const copy = copyGraph(root);
    expect(copy.table).toBeInstanceOf(Table);
    expect(copy.table.version).toBe(1);
    const ca = copy.table.get('a')!;
    expect(ca).toBeInstanceOf(Neighbor);
    expect(ca).not.toBe(a);
    expect(copy.first).toBe(ca);
    expect(copy.list[2]).toBe(ca);
    expect([...[...ca.peers][0]!.peers][0]).toBe(ca);
    ca.peers.clear();
    expect(a.peers.size).toBe(1);
  });

  it('in slices: the same copy whatever the slice, complete only when the last slice says so', () => {
    const a = new Neighbor('a');
    const b = new Neighbor('b');
    a.peers.add(b);
    b.peers.add(a);
    a.arm();
    const root = { table: new Table([['a', a]]), list: [a, b, a], bytes: new Uint8Array([1, 2, 3]) };
    const stats = { objects: 0 };
    const sliced = copyGraphInSlices(root, { stats });
    expect(() => sliced.result()).toThrow(/not complete/);
    let slices = 1;
    while (!sliced.step(1)) slices++;
    expect(slices).toBeGreaterThan(5);
    const copy = sliced.result();
    const ca = copy.table.get('a')!;
    expect(ca).toBeInstanceOf(Neighbor);
    expect(ca).not.toBe(a);
    expect(copy.list).toEqual([ca, [...ca.peers][0], ca]);
    expect([...[...ca.peers][0]!.peers][0]).toBe(ca);
    expect([...copy.bytes]).toEqual([1, 2, 3]);
    const whole = { objects: 0 };
    copyGraph(root, { stats: whole });
    expect(stats.objects).toBe(whole.objects);
    ca.expiry!();
    expect([a.expired, ca.expired]).toEqual([0, 1]);
  });

  it('copies a chain far longer than the call stack is deep (no recursion)', () => {
    interface Link {
      next: Link | undefined;
      n: number;
    }
    let head: Link | undefined;
    for (let n = 0; n < 200_000; n++) head = { next: head, n };
    let copy = copyGraph(head);
    let length = 0;
    for (; copy; copy = copy.next) length++;
    expect(length).toBe(200_000);
  });

  it('rebinds bound callbacks to the copied target, through a cycle', () => {
    const a = new Neighbor('a');
    a.arm();
    const c = copyGraph(a);
    c.expiry!();
    expect([a.expired, c.expired, c.lastWhy]).toEqual([0, 1, 'hold']);
    const f = boundFn(count, a);
    const [cf, cn] = copyGraph([f, a] as const);
    cf(5);
    expect([a.expired, cn.expired]).toEqual([0, 5]);
  });

  it('copies typed arrays, keeping views of one buffer on one copied buffer', () => {
    const buf = new Uint8Array([1, 2, 3, 4]);
    const view = buf.subarray(2);
    const [cb, cv, again] = copyGraph([buf, view, buf] as const);
    expect(again).toBe(cb);
    cb[2] = 9;
    expect(cv[0]).toBe(9);
    expect(buf[2]).toBe(3);
  });

  it('shares frozen objects, stateless functions, promises and what the caller shares or replaces', () => {
    const frozen = Object.freeze({ x: 1 });
    const fmt = stateless(function fmt(x: number): string {
      return String(x);
    });
    const p = Promise.resolve(1);
    const trace = { records: [1] };
    const other = { y: 2 };
    const root = { frozen, fmt, p, trace, other };
    const copy = copyGraph(root, { share: (o) => o === trace, replace: new Map([[other, 'replaced']]) });
    expect(copy.frozen).toBe(frozen);
    expect(copy.fmt).toBe(fmt);
    expect(copy.p).toBe(p);
    expect(copy.trace).toBe(trace);
    expect(copy.other).toBe('replaced');
  });

  it('a frozen object costs a copy nothing: not counted, met twice still one object; copyFrozen copies it', () => {
    const stamp = Object.freeze({ sentAt: 5 });
    const root = { queue: [stamp, stamp], byKey: new Map([[7, stamp]]) };
    const stats = { objects: 0 };
    const copy = copyGraph(root, { stats });
    expect(copy.queue[0]).toBe(stamp);
    expect(copy.byKey.get(7)).toBe(stamp);
    // The root, its array and its Map: the stamp is not one of the objects the copy made.
    expect(stats.objects).toBe(3);
    const deep = copyGraph(root, { stats, copyFrozen: true });
    expect(deep.queue[0]).not.toBe(stamp);
    expect(deep.queue[1]).toBe(deep.queue[0]);
    expect(deep.byKey.get(7)).toBe(deep.queue[0]);
    expect(deep.queue[0]).toEqual({ sentAt: 5 });
    expect(stats.objects).toBe(4);
  });

  it('shares byte arrays marked immutable and still copies every other one', () => {
    const key = immutableBytesOf(Uint8Array.of(1, 2, 3));
    const scratch = Uint8Array.of(4, 5);
    const root = { sa: { key, scratch }, again: key };
    const stats = { objects: 0 };
    const copy = copyGraph(root, { stats });
    expect(copy.sa.key).toBe(key);
    expect(copy.again).toBe(key);
    expect(copy.sa.scratch).not.toBe(scratch);
    expect([...copy.sa.scratch]).toEqual([4, 5]);
    // The root, the SA object, the scratch view and its buffer: the key is none of them.
    expect(stats.objects).toBe(4);
    expect(uncopyable(root)).toEqual([]);
  });

  it('refuses a closure and names where it is', () => {
    const root = { routers: new Map([['R1', { handlers: [() => 1] }]]) };
    expect(() => copyGraph(root)).toThrow(UncopyableError);
    expect(uncopyable(root)).toEqual(['.routers.get("R1").handlers[0]: () => 1']);
    // The error itself names the path (a try/catch here would pass if nothing were thrown).
    expect(() => copyGraph(root)).toThrow('.routers.get("R1").handlers[0]');
  });

  it('copies a WeakSet as an empty one', () => {
    const ws = new WeakSet<object>();
    ws.add({});
    const copy = copyGraph({ ws });
    expect(copy.ws).toBeInstanceOf(WeakSet);
    expect(copy.ws).not.toBe(ws);
  });
});
