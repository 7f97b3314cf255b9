import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../kernel/prng';
import { bytesToBigInt, modPow } from './bigint';
import { dhKeyPair, dhSharedSecret, GENERATOR, modpGroup } from './dh';

describe('MODP Diffie-Hellman', () => {
  it.each([1, 2, 5, 14])('group %i: both sides derive one secret, and g^x is right', (id) => {
    const group = modpGroup(id)!;
    const prng = new Prng(id);
    const a = dhKeyPair(group, prng.bytes(group.bytes));
    const b = dhKeyPair(group, prng.bytes(group.bytes));
    expect(a.publicValue).toHaveLength(group.bytes);
    expect(bytesToBigInt(a.publicValue)).toBe(modPow(GENERATOR, a.privateKey, group.prime));
    expect(a.privateKey.toString(2)).toHaveLength(group.exponentBits);
    const s1 = dhSharedSecret(group, a, b.publicValue);
    expect(s1).toEqual(dhSharedSecret(group, b, a.publicValue));
    expect(s1).toHaveLength(group.bytes);
  });

  it("the second end of an exchange is handed the first end's secret only when it is the same g^xy", () => {
    const group = modpGroup(2)!;
    const prng = new Prng(77);
    const [a, b, c] = [0, 1, 2].map(() => dhKeyPair(group, prng.bytes(group.bytes)));
    const direct = (own: typeof a, peer: typeof a): bigint =>
      modPow(bytesToBigInt(peer!.publicValue), own!.privateKey, group.prime);
    const ab = dhSharedSecret(group, a!, b!.publicValue)!;
    // c talks to b too: b's public value is the same, the secret is not.
    const cb = dhSharedSecret(group, c!, b!.publicValue)!;
    expect(bytesToBigInt(cb)).toBe(direct(c, b));
    expect(cb).not.toEqual(ab);
    // b answers a (the kept secret) and c: each is what b computes itself, in its own bytes.
    const ba = dhSharedSecret(group, b!, a!.publicValue)!;
    ab.fill(0);
    expect(bytesToBigInt(ba)).toBe(direct(b, a));
    expect(bytesToBigInt(dhSharedSecret(group, b!, c!.publicValue)!)).toBe(direct(b, c));
    // Asked again after the pair's secret was handed over, b computes it again.
    expect(bytesToBigInt(dhSharedSecret(group, b!, a!.publicValue)!)).toBe(direct(b, a));
  });

  it.each([1, 2, 5, 14])(
    'group %i: the public value from the comb table is g^x mod p for any exponent (RFC 2409 §5)',
    (id) => {
      const group = modpGroup(id)!;
      fc.assert(
        fc.property(fc.uint8Array({ minLength: group.bytes, maxLength: group.bytes }), (random) => {
          const a = dhKeyPair(group, random);
          expect(bytesToBigInt(a.publicValue)).toBe(modPow(GENERATOR, a.privateKey, group.prime));
        }),
        { numRuns: id === 14 ? 40 : 100 },
      );
    },
  );

  it('a peer value that only begins like a kept one gets its own secret', () => {
    const group = modpGroup(2)!;
    const prng = new Prng(78);
    const a = dhKeyPair(group, prng.bytes(group.bytes));
    const b = dhKeyPair(group, prng.bytes(group.bytes));
    dhSharedSecret(group, a, b.publicValue);
    const forged = b.publicValue.slice();
    forged[group.bytes - 1]! ^= 1;
    const s = dhSharedSecret(group, a, forged)!;
    expect(bytesToBigInt(s)).toBe(modPow(bytesToBigInt(forged), a.privateKey, group.prime));
  });

  it('rejects a peer value out of range (1 or p - 1)', () => {
    const group = modpGroup(1)!;
    const a = dhKeyPair(group, new Prng(1).bytes(group.bytes));
    const one = new Uint8Array(group.bytes);
    one[group.bytes - 1] = 1;
    expect(dhSharedSecret(group, a, one)).toBeUndefined();
  });
});

describe('modPow', () => {
  it('agrees with plain square-and-multiply on random operands', () => {
    const naive = (b: bigint, e: bigint, m: bigint): bigint => {
      let r = 1n;
      for (let x = b % m, k = e; k > 0n; k >>= 1n, x = (x * x) % m) if (k & 1n) r = (r * x) % m;
      return r % m;
    };
    const prng = new Prng(9);
    for (let i = 0; i < 200; i++) {
      const m = bytesToBigInt(prng.bytes(1 + (i % 40))) + 2n;
      const b = bytesToBigInt(prng.bytes(1 + (i % 50)));
      const e = bytesToBigInt(prng.bytes(1 + (i % 60))) >> BigInt(i % 7);
      expect(modPow(b, e, m)).toBe(naive(b, e, m));
    }
  });
});
