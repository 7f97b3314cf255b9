import { describe, expect, it } from 'vitest';
import { EIGRP_HELLO } from '../../net/codec-fixtures.test-support';
import { helloPacket, helloVerdict, PEER_TERMINATION_K } from './hello';
import { DEFAULT_K } from './metric';

describe('EIGRP hello', () => {
  it('is the Hello of the reference lab: K1 = K3 = 1, hold 15, software version 12.4 / 1.2', () => {
    expect(helloPacket(10, 15, DEFAULT_K)).toEqual(EIGRP_HELLO);
  });

  // RFC 7868 §5.3.2: K values must match for an adjacency; all 255 is the goodbye (IOS "PEER-TERMINATION").
  it('tells a goodbye and a K-value mismatch from a hello that can form an adjacency', () => {
    expect(helloVerdict(DEFAULT_K)).toBe('ok');
    expect(helloVerdict(PEER_TERMINATION_K)).toBe('peer-termination');
    expect(helloVerdict({ ...DEFAULT_K, k2: 1 })).toBe('k-mismatch');
    expect(helloVerdict({ ...PEER_TERMINATION_K, k6: 0 })).toBe('k-mismatch');
  });
});
