/**
 * md5.ts against published answers (RFC 1321 Appendix A.5's test suite, RFC 2202 §2's HMAC-MD5 test cases) and
 * against @noble/hashes and OpenSSL (node:crypto) on random keys and messages of every length class: shorter
 * than a block, around the 55/56-byte padding boundary, several blocks, and keys longer than a block.
 */
import { createHmac } from 'node:crypto';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacMd5, hmacMd5Into, hmacMd5Key, md5Digest } from './md5';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);

describe('MD5 (RFC 1321 Appendix A.5 test suite)', () => {
  const suite: [string, string][] = [
    ['', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['a', '0cc175b9c0f1b6a831c399e269772661'],
    ['abc', '900150983cd24fb0d6963f7d28e17f72'],
    ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
    ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
    ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
    [
      '12345678901234567890123456789012345678901234567890123456789012345678901234567890',
      '57edf4a22be3c955ac49da2e2107b67a',
    ],
  ];
  for (const [message, digest] of suite) {
    it(`MD5("${message}") = ${digest}`, () => {
      expect(hex(md5Digest(text(message)))).toBe(digest);
    });
  }
});

describe('HMAC-MD5 (RFC 2202 §2 test cases 1-7)', () => {
  const cases: { key: Uint8Array; data: Uint8Array; digest: string }[] = [
    { key: repeat(0x0b, 16), data: text('Hi There'), digest: '9294727a3638bb1c13f48ef8158bfc9d' },
    {
      key: text('Jefe'),
      data: text('what do ya want for nothing?'),
      digest: '750c783e6ab0b503eaa86e310a5db738',
    },
    { key: repeat(0xaa, 16), data: repeat(0xdd, 50), digest: '56be34521d144c88dbb8c733f0e8b3f6' },
    {
      key: fromHex('0102030405060708090a0b0c0d0e0f10111213141516171819'),
      data: repeat(0xcd, 50),
      digest: '697eaf0aca3a3aea3a75164746ffaa79',
    },
    { key: repeat(0x0c, 16), data: text('Test With Truncation'), digest: '56461ef2342edc00f9bab995690efd4c' },
    {
      key: repeat(0xaa, 80),
      data: text('Test Using Larger Than Block-Size Key - Hash Key First'),
      digest: '6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd',
    },
    {
      key: repeat(0xaa, 80),
      data: text('Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data'),
      digest: '6f630fad67cda0ee1fb1f562db3aa53e',
    },
  ];
  cases.forEach((c, i) => {
    it(`test case ${i + 1}`, () => {
      expect(hex(hmacMd5(hmacMd5Key(c.key), c.data))).toBe(c.digest);
    });
  });

  it('test case 5 truncated to 96 bits is the RFC 2202 digest-96 (the ESP ICV, RFC 2403)', () => {
    const full = hmacMd5(hmacMd5Key(repeat(0x0c, 16)), text('Test With Truncation'));
    expect(hex(full.subarray(0, 12))).toBe('56461ef2342edc00f9bab995');
    // Written in place, as ESP does: only the 12 bytes at the offset change.
    const packet = repeat(0xee, 20);
    hmacMd5Into(hmacMd5Key(repeat(0x0c, 16)), text('Test With Truncation'), packet, 4, 12);
    expect(hex(packet)).toBe(`eeeeeeee56461ef2342edc00f9bab995eeeeeeee`);
  });
});

describe('HMAC-MD5 against @noble/hashes and OpenSSL on random input', () => {
  it('gives the same bytes for any key and message, with one key state reused across messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 150 }),
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        (key, messages) => {
          const k = hmacMd5Key(key);
          for (const m of messages) {
            const mine = hex(hmacMd5(k, m));
            expect(mine).toBe(hex(nobleHmac(md5, key, m)));
            expect(mine).toBe(createHmac('md5', key).update(m).digest('hex'));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hashes every length from 0 to 200 bytes (each padding case) as @noble/hashes does', () => {
    const key = repeat(0x42, 16);
    for (let n = 0; n <= 200; n++) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      expect(hex(md5Digest(data)), `MD5 of ${n} bytes`).toBe(hex(md5(data)));
      expect(hex(hmacMd5(hmacMd5Key(key), data)), `HMAC of ${n} bytes`).toBe(hex(nobleHmac(md5, key, data)));
    }
  });
});
