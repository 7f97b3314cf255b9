import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bigIntToBytes, bytesToBigInt, modPow } from './bigint';

// The definitions these replaced (issue 18): a shift-and-or per byte, and a substring + parseInt per byte.
function bytesToBigIntByShifts(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

function bigIntToBytesByParse(n: bigint, length?: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const size = length ?? hex.length / 2;
  if (hex.length / 2 > size) throw new RangeError(`value does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  const offset = size - hex.length / 2;
  for (let i = 0; i < hex.length / 2; i++) out[offset + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

describe('bigint byte conversions (big-endian, as IKE carries KE and nonce values: RFC 2409 §5)', () => {
  it('reads any byte string as the shift-and-or definition does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(bytesToBigInt(bytes)).toBe(bytesToBigIntByShifts(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('writes any non-negative value, minimal or padded, as the parse definition does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 2100n) - 1n }), fc.nat(300), (n, pad) => {
        expect(bigIntToBytes(n)).toEqual(bigIntToBytesByParse(n));
        const minimal = bigIntToBytesByParse(n).length;
        expect(bigIntToBytes(n, minimal + pad)).toEqual(bigIntToBytesByParse(n, minimal + pad));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips, and keeps the edge cases: zero, one odd digit, and a value too big for its length', () => {
    expect([...bigIntToBytes(0n)]).toEqual([0]);
    expect([...bigIntToBytes(0x1abn)]).toEqual([0x01, 0xab]);
    expect([...bigIntToBytes(0xffn, 3)]).toEqual([0, 0, 0xff]);
    expect(bytesToBigInt(new Uint8Array())).toBe(0n);
    expect(() => bigIntToBytes(0x10000n, 2)).toThrow(RangeError);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 256 }), (bytes) => {
        expect(bigIntToBytes(bytesToBigInt(bytes), bytes.length)).toEqual(bytes);
      }),
    );
  });

  it('modPow agrees with square-and-multiply (RFC 2409 §5: g^xy mod p)', () => {
    const plain = (b: bigint, e: bigint, m: bigint): bigint => {
      let r = 1n % m;
      let x = b % m;
      for (let k = e; k > 0n; k >>= 1n) {
        if (k & 1n) r = (r * x) % m;
        x = (x * x) % m;
      }
      return r;
    };
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 1n << 300n }),
        fc.bigInt({ min: 0n, max: 1n << 200n }),
        fc.bigInt({ min: 1n, max: 1n << 256n }),
        (b, e, m) => {
          expect(modPow(b, e, m)).toBe(plain(b, e, m));
        },
      ),
      { numRuns: 200 },
    );
  });
});
