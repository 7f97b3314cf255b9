import { describe, expect, it } from 'vitest';
import { fromHex } from './bytes';
import { internetChecksum, onesComplementSum, pseudoHeaderSum } from './checksum';
import { parseIpv4 } from './ipv4-address';

describe('internetChecksum (RFC 1071)', () => {
  it('matches the RFC 1071 §3 worked example', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0 -> ddf2 after the end-around carry; checksum = ~ddf2 = 220d.
    expect(onesComplementSum(fromHex('0001 f203 f4f5 f6f7'))).toBe(0xddf2);
    expect(internetChecksum(fromHex('0001 f203 f4f5 f6f7'))).toBe(0x220d);
  });

  it('gives the header checksum of a well-known IPv4 header, and 0 over a correct one', () => {
    expect(internetChecksum(fromHex('4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7'))).toBe(0xb861);
    expect(internetChecksum(fromHex('4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7'))).toBe(0);
  });

  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(fromHex('01'))).toBe(internetChecksum(fromHex('0100')));
  });

  it('chains a pseudo-header sum the same as checksumming it inline', () => {
    const src = parseIpv4('10.1.1.1') ?? 0;
    const dst = parseIpv4('10.1.1.2') ?? 0;
    const pseudo = fromHex('0a010101 0a010102 00 11 000d');
    const udp = fromHex('1388 829a 000d 0000 68656c6c6f');
    const inline = internetChecksum(Uint8Array.from([...pseudo, ...udp]));
    expect(internetChecksum(udp, pseudoHeaderSum(src, dst, 17, 13))).toBe(inline);
    expect(inline).toBe(0x0fdb);
  });
});
