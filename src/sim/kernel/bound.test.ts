import { describe, expect, it } from 'vitest';
import { bound, boundFn, boundParts, isStateless, rebind, stateless } from './bound';

class Counter {
  count = 0;
  private add(by: number, times: number): number {
    this.count += by * times;
    return this.count;
  }
  adder(by: number): (times: number) => number {
    return bound(this, this.add, by);
  }
  tick(): () => number {
    return bound(this, this.add, 1, 1);
  }
}

const sum = (a: number, b: number): number => a + b;

describe('bound callbacks', () => {
  it('call the method on the target with the bound arguments first', () => {
    const c = new Counter();
    expect(c.adder(2)(3)).toBe(6);
    expect(c.tick()()).toBe(7);
    expect(boundFn(sum, 4)(5)).toBe(9);
  });

  it('expose their parts, and rebinding them to another target calls that target', () => {
    const a = new Counter();
    const f = a.adder(10);
    const parts = boundParts(f)!;
    expect(parts.target).toBe(a);
    expect(parts.args).toEqual([10]);
    const b = new Counter();
    rebind({ ...parts, target: b })(1);
    expect([a.count, b.count]).toEqual([0, 10]);
  });

  it('tell plain closures and stateless functions apart', () => {
    expect(boundParts(() => 1)).toBeUndefined();
    expect(isStateless(sum)).toBe(false);
    const f = stateless(function fmt(x: number): string {
      return String(x);
    });
    expect(isStateless(f)).toBe(true);
  });
});
