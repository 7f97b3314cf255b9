import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { parseIpv4 } from './ipv4-address';
import { decodeUdp, encodeUdp } from './udp';

const src = parseIpv4('10.1.1.1') ?? 0;
const dst = parseIpv4('10.1.1.2') ?? 0;
// Checked independently (Python struct + RFC 1071 sum) and by tshark with udp.check_checksum on.
const KNOWN = '1388 829a 000d 0fdb 68656c6c6f';

describe('encodeUdp', () => {
  it('produces the known bytes with the pseudo-header checksum', () => {
    const bytes = encodeUdp(
      { sourcePort: 5000, destinationPort: 33434, payload: fromHex('68656c6c6f') },
      src,
      dst,
    );
    expect(toHex(bytes)).toBe(KNOWN.replace(/ /g, ''));
  });

  it('sends a computed checksum of 0 as 0xffff (RFC 768)', () => {
    // Choose the payload so the one's-complement sum is 0xffff, i.e. the computed checksum is 0.
    const base = encodeUdp({ sourcePort: 1, destinationPort: 2, payload: fromHex('0000') }, src, dst);
    const sum = (base[6] ?? 0) * 256 + (base[7] ?? 0);
    const payload = Uint8Array.of(sum >> 8, sum & 0xff);
    const bytes = encodeUdp({ sourcePort: 1, destinationPort: 2, payload }, src, dst);
    expect(toHex(bytes.subarray(6, 8))).toBe('ffff');
    expect(decodeUdp(bytes, src, dst).checksumValid).toBe(true);
  });
});

describe('decodeUdp', () => {
  it('round-trips and verifies the checksum', () => {
    const d = decodeUdp(fromHex(KNOWN), src, dst);
    expect(d).toMatchObject({ sourcePort: 5000, destinationPort: 33434, length: 13, checksum: 0x0fdb });
    expect(toHex(d.payload)).toBe('68656c6c6f');
    expect(d.checksumValid).toBe(true);
  });

  it('flags a checksum computed for other addresses (the pseudo-header matters)', () => {
    expect(decodeUdp(fromHex(KNOWN), src, parseIpv4('10.1.1.3') ?? 0).checksumValid).toBe(false);
  });

  it('accepts a zero checksum as "not computed"', () => {
    expect(decodeUdp(fromHex('1388 829a 0008 0000'), src, dst).checksumValid).toBe(true);
  });

  it('throws DecodeError on a short header or an inconsistent Length', () => {
    expect(() => decodeUdp(fromHex('1388 829a 00'), src, dst)).toThrow(DecodeError);
    expect(() => decodeUdp(fromHex('1388 829a 0007 0000'), src, dst)).toThrow(/length 7 < 8/);
    expect(() => decodeUdp(fromHex('1388 829a 0010 0000'), src, dst)).toThrow(
      expect.objectContaining({ protocol: 'udp', offset: 4 }),
    );
  });
});
