import { describe, expect, it } from 'vitest';
import { seconds } from '../../../kernel/time';
import { parseIpv4 } from '../../../net/ipv4-address';
import { preferredBsr, randOverride } from './bsr-election';

const ip = (t: string): number => parseIpv4(t) ?? 0;

describe('candidate-BSR election (RFC 5059 §3.1.1, §5)', () => {
  it('prefers the higher priority, then the higher address (IOS: equal priorities, 3.3.3.3 beats 2.2.2.2)', () => {
    expect(
      preferredBsr({ priority: 0, address: ip('3.3.3.3') }, { priority: 0, address: ip('2.2.2.2') }),
    ).toBe(true);
    expect(
      preferredBsr({ priority: 0, address: ip('3.3.3.3') }, { priority: 1, address: ip('2.2.2.2') }),
    ).toBe(false);
    expect(
      preferredBsr({ priority: 5, address: ip('1.1.1.1') }, { priority: 5, address: ip('1.1.1.1') }),
    ).toBe(false);
  });

  it('a lone candidate claims after 5 s; a worse one waits longer, the worse the longer', () => {
    const me = { priority: 0, address: ip('1.1.1.1') };
    expect(randOverride(me, undefined)).toBe(seconds(5));
    const lowerAddress = randOverride(me, { priority: 0, address: ip('2.2.2.2') });
    const lowerPriority = randOverride(me, { priority: 10, address: ip('0.0.0.1') });
    expect(lowerAddress).toBeGreaterThan(seconds(5));
    expect(lowerPriority).toBeGreaterThan(lowerAddress);
    expect(randOverride(me, { priority: 100, address: ip('0.0.0.1') })).toBeGreaterThan(lowerPriority);
  });
});
