import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, bytesEqual, concatBytes, fromHex, readU32, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { parseIpv4 } from './ipv4-address';

describe('ByteWriter', () => {
  it('writes big-endian fields and grows past its initial capacity', () => {
    const w = new ByteWriter(2)
      .u8(0x45)
      .u16(0x0102)
      .u32(0xdeadbeef)
      .ipv4(parseIpv4('1.2.3.4') ?? 0);
    w.zeros(2).bytes(fromHex('ff'));
    expect(toHex(w.finish(), ' ')).toBe('45 01 02 de ad be ef 01 02 03 04 00 00 ff');
    expect(w.length).toBe(14);
  });

  it('finishes exactly `length` bytes whether or not it was sized exactly', () => {
    expect(toHex(new ByteWriter(3).u8(1).u16(0x0203).finish())).toBe('010203');
    expect(toHex(new ByteWriter(8).u8(1).u16(0x0203).finish())).toBe('010203');
  });

  it('patches a length field after the fact', () => {
    const w = new ByteWriter().u16(0).u8(7).setU16(0, 3).setU8(2, 9);
    expect(toHex(w.finish())).toBe('000309');
    expect(() => w.setU16(2, 1)).toThrow(RangeError);
  });
});

describe('ByteReader', () => {
  it('reads fields in order', () => {
    const r = new ByteReader(fromHex('45 0102 deadbeef 01020304 aabb'), 'test');
    expect([r.u8(), r.u16(), r.u32(), r.ipv4()]).toEqual([0x45, 0x0102, 0xdeadbeef, 0x01020304]);
    expect(r.remaining).toBe(2);
    expect(toHex(r.rest())).toBe('aabb');
  });

  it('throws DecodeError with protocol and offset on overrun', () => {
    const r = new ByteReader(fromHex('0001 02'), 'gre');
    r.u16();
    const error = (() => {
      try {
        r.u16();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect(error).toMatchObject({ protocol: 'gre', offset: 2 });
    expect(String((error as Error).message)).toContain('gre: truncated');
  });

  it('bounds a sub-reader to its slice and reports absolute offsets', () => {
    const r = new ByteReader(fromHex('00 11 2233 44'), 'nhrp');
    r.advance(1);
    const tlv = r.sub(3, 'nhrp-ext');
    expect(tlv.u8()).toBe(0x11);
    expect(tlv.u16()).toBe(0x2233);
    expect(() => tlv.u8()).toThrow(expect.objectContaining({ protocol: 'nhrp-ext', offset: 4 }));
    expect(r.u8()).toBe(0x44);
  });

  it('take copies while bytesView aliases', () => {
    const source = fromHex('0102');
    const copy = new ByteReader(source, 't').take(2);
    const view = new ByteReader(source, 't').bytesView(2);
    source[0] = 9;
    expect(copy[0]).toBe(1);
    expect(view[0]).toBe(9);
  });
});

describe('hex helpers', () => {
  it('round-trips and accepts Wireshark-style separators', () => {
    expect(toHex(fromHex('45:00-00 54\n'))).toBe('45000054');
    expect(readU32(fromHex('c0a80001'), 0)).toBe(0xc0a80001);
  });

  it('rejects bad hex with DecodeError', () => {
    expect(() => fromHex('4g')).toThrow(DecodeError);
    expect(() => fromHex('450')).toThrow(/odd number/);
  });

  it('concatenates and compares', () => {
    expect(toHex(concatBytes(fromHex('01'), new Uint8Array(0), fromHex('0203')))).toBe('010203');
    expect(bytesEqual(fromHex('0102'), fromHex('0102'))).toBe(true);
    expect(bytesEqual(fromHex('0102'), fromHex('01'))).toBe(false);
  });
});
