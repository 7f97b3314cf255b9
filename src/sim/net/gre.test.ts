import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { decodeGre, encodeGre, GRE_PROTOCOL, greHeaderLength } from './gre';

const inner = fromHex('4500001c00000000ff01f9e90b0b0b0b010101010800f7ff00000000');

describe('GRE', () => {
  it('encodes `tunnel key 123` as flags 0x2000, type 0x0800, key 0x0000007b (28 bytes of overhead with IP)', () => {
    const bytes = encodeGre({ protocolType: GRE_PROTOCOL.IPV4, key: 123, payload: inner });
    expect(toHex(bytes.subarray(0, 8))).toBe('200008000000007b');
    expect(greHeaderLength({ key: 123 })).toBe(8);
    expect(decodeGre(bytes)).toEqual({
      protocolType: 0x0800,
      key: 123,
      payload: inner,
      headerLength: 8,
      checksumValid: true,
    });
  });

  it('carries NHRP as protocol type 0x2001 and round-trips a plain header', () => {
    const bytes = encodeGre({ protocolType: GRE_PROTOCOL.NHRP, payload: fromHex('0001') });
    expect(toHex(bytes)).toBe('000020010001');
    expect(decodeGre(bytes)).toMatchObject({
      protocolType: 0x2001,
      headerLength: 4,
      payload: fromHex('0001'),
    });
  });

  it('orders checksum, key and sequence as RFC 2890 says and verifies the checksum', () => {
    const bytes = encodeGre({
      protocolType: 0x0800,
      withChecksum: true,
      key: 1,
      sequence: 7,
      payload: inner,
    });
    expect(toHex(bytes.subarray(0, 2))).toBe('b000');
    expect(toHex(bytes.subarray(8, 16))).toBe('0000000100000007');
    const decoded = decodeGre(bytes);
    expect(decoded).toMatchObject({
      withChecksum: true,
      key: 1,
      sequence: 7,
      headerLength: 16,
      checksumValid: true,
    });
    bytes[20] = 0xff;
    expect(decodeGre(bytes).checksumValid).toBe(false);
  });

  it('rejects other versions and RFC 1701 routing bits, and truncated headers', () => {
    expect(() => decodeGre(fromHex('0001 0800'))).toThrow(/version 1/);
    expect(() => decodeGre(fromHex('4000 0800'))).toThrow(/reserved flag bits 0x4000/);
    expect(() => decodeGre(fromHex('2000 08'))).toThrow(DecodeError);
    expect(() => decodeGre(fromHex('2000 0800 0000'))).toThrow(
      expect.objectContaining({ protocol: 'gre', offset: 4 }),
    );
  });
});
