import { describe, expect, it } from 'vitest';
import { electDr } from './dr-election';

describe('PIM DR election (RFC 7761 §4.3.2)', () => {
  it('picks the highest priority, then the highest address', () => {
    expect(
      electDr([
        { address: 3, priority: 1 },
        { address: 1, priority: 100 },
        { address: 2, priority: 1 },
      ]),
    ).toBe(1);
    expect(
      electDr([
        { address: 3, priority: 1 },
        { address: 2, priority: 1 },
      ]),
    ).toBe(3);
  });

  it('falls back to the highest address when a router omits its priority', () => {
    expect(electDr([{ address: 1, priority: 100 }, { address: 2 }])).toBe(2);
  });
});
