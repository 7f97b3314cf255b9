// EIGRP hellos leave a little before the hello interval is up, never after it. Published `debug eigrp packets`
// on IOS shows 5 s hellos 4 to 5 s apart ("00:01:05: EIGRP: Sending HELLO on FastEthernet0/0" then "00:01:09"),
// and `show ip eigrp neighbors` shows holds of 10 to 13 s against 15 s (itcertnotes.blogspot.com "EIGRP debug
// commands"; labs4ccnp.blogspot.com "EIGRP protocol messages").
import { describe, expect, it } from 'vitest';
import { Prng } from '../../kernel/prng';
import { seconds } from '../../kernel/time';
import { jitteredHello } from './hello';

describe('EIGRP hello jitter', () => {
  it('is never later than the interval, at most 15 % earlier, varies, and is the same for the same seed', () => {
    const draw = (seed: number): number[] => {
      const prng = new Prng(seed);
      return Array.from({ length: 200 }, () => jitteredHello(5, prng));
    };
    const delays = draw(7);
    for (const d of delays) {
      expect(d).toBeLessThanOrEqual(seconds(5));
      expect(d).toBeGreaterThanOrEqual(seconds(4.25));
    }
    expect(new Set(delays).size).toBeGreaterThan(100);
    expect(draw(7)).toEqual(delays);
    expect(jitteredHello(60, new Prng(1))).toBeGreaterThanOrEqual(seconds(51));
  });
});
