import { describe, expect, it } from 'vitest';
import type { Hop } from './hops';
import { keepLargest } from './packet-animator';

const hop = (seq: number, kind: Hop['kind'] = 'link'): Hop => ({
  seq,
  t: seq,
  kind,
  from: 'A',
  protocols: ['ipv4'],
  layers: ['ipv4'],
  protocol: 'ipv4',
  eventKind: 'packet',
  summary: '',
});

describe('skipping animation steps in a busy lab', () => {
  it('keeps drops first, then the biggest fan-outs, in their order', () => {
    const fanout = Array.from({ length: 500 }, (_, i) => hop(100 + i));
    const steps = [[hop(1)], fanout, [hop(2)], [hop(3, 'drop')], [hop(4)], [hop(5), hop(6)]];
    const kept = keepLargest(steps, 3);
    expect(kept.map((s) => s.length)).toEqual([500, 1, 2]);
    expect(kept[1]?.[0]?.kind).toBe('drop');
    expect(keepLargest(steps, 10)).toHaveLength(6);
  });
});
