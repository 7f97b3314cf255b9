import desjs from 'des.js';
import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import { desCbc } from './des';

/** The straightforward des.js CBC the table-driven code replaced: the reference it must agree with. */
function desjsCbc(
  type: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  const base = key.length === 24 ? desjs.EDE : desjs.DES;
  const c = desjs.CBC.instantiate(base).create({ type, key, iv, padding: false });
  return Uint8Array.from(c.update(data).concat(c.final()));
}

describe('table-driven DES / 3DES-CBC', () => {
  it('encrypts the FIPS 81 ECB example block ("Now is t" under 0123456789abcdef)', () => {
    const key = Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
    const pt = new TextEncoder().encode('Now is t');
    const ct = desCbc('encrypt', key, new Uint8Array(8), pt);
    expect(Buffer.from(ct).toString('hex')).toBe('3fa40e8a984d4815');
  });

  it('agrees with des.js both ways for random keys, IVs and lengths', () => {
    const prng = new Prng(42);
    for (let i = 0; i < 200; i++) {
      const key = prng.bytes(i % 2 === 0 ? 24 : 8);
      const iv = prng.bytes(8);
      const data = prng.bytes(8 * (1 + (i % 13)));
      const ct = desCbc('encrypt', key, iv, data);
      expect(ct).toEqual(desjsCbc('encrypt', key, iv, data));
      expect(desCbc('decrypt', key, iv, ct)).toEqual(data);
      expect(desCbc('decrypt', key, iv, data)).toEqual(desjsCbc('decrypt', key, iv, data));
    }
  });
});
