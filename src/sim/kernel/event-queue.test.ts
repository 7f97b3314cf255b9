import { describe, expect, it } from 'vitest';
import { EventQueue } from './event-queue';
import { Prng } from './prng';

describe('EventQueue', () => {
  it('pops in time order and breaks ties by insertion order', () => {
    const q = new EventQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a1');
    q.push(20, 'b');
    q.push(10, 'a2');
    q.push(10, 'a3');
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.payload);
    expect(out).toEqual(['a1', 'a2', 'a3', 'b', 'c']);
  });

  it('stays ordered over many random pushes and pops', () => {
    const q = new EventQueue<number>();
    const prng = new Prng(7);
    for (let i = 0; i < 2000; i++) q.push(prng.nextInt(0, 500), i);
    let last = { time: -1, seq: -1 };
    for (let e = q.pop(); e; e = q.pop()) {
      expect(e.time > last.time || (e.time === last.time && e.seq > last.seq)).toBe(true);
      last = e;
    }
    expect(q.size).toBe(0);
  });
});

describe('EventQueue cancellation', () => {
  it('drops cancelled events when they pile up and still pops the rest in (time, insertion) order', () => {
    const q = new EventQueue<number>();
    const events = Array.from({ length: 6000 }, (_, i) => q.push(i % 7, i));
    // Cancel two thirds: enough to trigger the rebuild of the heap.
    for (const e of events) if (e.payload % 3 !== 0) q.cancel(e);
    expect(q.size).toBeLessThan(6000);
    const order: number[] = [];
    for (let e = q.pop(); e; e = q.pop()) if (!e.cancelled) order.push(e.payload);
    const expected = events
      .filter((e) => e.payload % 3 === 0)
      .sort((a, b) => a.time - b.time || a.seq - b.seq)
      .map((e) => e.payload);
    expect(order).toEqual(expected);
  });

  it('ignores cancelling an event that already ran', () => {
    const q = new EventQueue<string>();
    const a = q.push(1, 'a');
    q.push(2, 'b');
    expect(q.pop()).toBe(a);
    q.cancel(a);
    expect(a.cancelled).toBe(false);
    expect(q.pop()?.payload).toBe('b');
  });
});

describe('Prng', () => {
  it('is reproducible per seed and differs across seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('forks independent streams by label, unaffected by draws on the parent', () => {
    const p1 = new Prng(1);
    const p2 = new Prng(1);
    p2.nextU32();
    expect(p1.fork('GM-1').nextU32()).toBe(p2.fork('GM-1').nextU32());
    expect(p1.fork('GM-1').nextU32()).not.toBe(p1.fork('GM-2').nextU32());
  });

  it('draws integers within bounds and bytes of the asked length', () => {
    const p = new Prng(3);
    for (let i = 0; i < 1000; i++) {
      const n = p.nextInt(5, 9);
      expect(n).toBeGreaterThanOrEqual(5);
      expect(n).toBeLessThanOrEqual(9);
    }
    expect(p.bytes(13)).toHaveLength(13);
  });
});
