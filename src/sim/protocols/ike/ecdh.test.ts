import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../kernel/prng';
import { bigIntToBytes } from './bigint';
import { ecdhGroup, ecdhKeyPair, ecdhRandomBytes, ecdhScalar, ecdhSharedSecret } from './ecdh';

const NODE_CURVE = { 19: 'prime256v1', 20: 'secp384r1', 21: 'secp521r1' } as const;

describe('ECDH groups 19, 20, 21 (RFC 5903) through WebCrypto', () => {
  it.each([19, 20, 21] as const)(
    'group %i: x ‖ y and the x-coordinate secret agree with an independent implementation (node:crypto)',
    async (id) => {
      const group = ecdhGroup(id)!;
      const prng = new Prng(id);
      const a = await ecdhKeyPair(group, prng.bytes(ecdhRandomBytes(group)));
      const b = await ecdhKeyPair(group, prng.bytes(ecdhRandomBytes(group)));
      expect(a.publicValue).toHaveLength(2 * group.bytes);
      // OpenSSL, given the same scalar, computes the same point (uncompressed: 0x04 ‖ x ‖ y).
      const ref = createECDH(NODE_CURVE[id]);
      ref.setPrivateKey(bigIntToBytes(a.scalar, group.bytes));
      const refPublic = new Uint8Array(ref.getPublicKey());
      expect(refPublic[0]).toBe(4);
      expect(a.publicValue).toEqual(refPublic.subarray(1));
      const s1 = await ecdhSharedSecret(group, a.privateKey, b.publicValue);
      const s2 = await ecdhSharedSecret(group, b.privateKey, a.publicValue);
      expect(s1).toHaveLength(group.bytes);
      expect(s1).toEqual(s2);
      const refSecret = ref.computeSecret(new Uint8Array([4, ...b.publicValue]));
      expect(s1).toEqual(new Uint8Array(refSecret));
    },
  );

  it('is deterministic: the same PRNG bytes give the same key pair', async () => {
    const group = ecdhGroup(19)!;
    const r = new Prng(7).bytes(ecdhRandomBytes(group));
    const a = await ecdhKeyPair(group, r);
    const b = await ecdhKeyPair(group, r);
    expect(a.publicValue).toEqual(b.publicValue);
  });

  it('keeps d in [1, n - 1]: all-ones and all-zeros random bytes still give valid keys', async () => {
    for (const id of [19, 21]) {
      const group = ecdhGroup(id)!;
      const ones = new Uint8Array(ecdhRandomBytes(group)).fill(0xff);
      const zeros = new Uint8Array(ecdhRandomBytes(group));
      expect(ecdhScalar(group, zeros)).toBe(1n);
      const d = ecdhScalar(group, ones);
      expect(d >= 1n && d <= group.order - 1n).toBe(true);
      await expect(ecdhKeyPair(group, ones)).resolves.toBeDefined();
      await expect(ecdhKeyPair(group, zeros)).resolves.toBeDefined();
    }
  });

  it('rejects a peer value that is not on the curve or has the wrong length', async () => {
    const group = ecdhGroup(19)!;
    const a = await ecdhKeyPair(group, new Prng(1).bytes(ecdhRandomBytes(group)));
    const bad = new Uint8Array(a.publicValue);
    bad[63] = bad[63]! ^ 1;
    expect(await ecdhSharedSecret(group, a.privateKey, bad)).toBeUndefined();
    expect(await ecdhSharedSecret(group, a.privateKey, a.publicValue.subarray(1))).toBeUndefined();
  });

  it('knows only the RFC 5903 groups', () => {
    expect(ecdhGroup(14)).toBeUndefined();
    expect(ecdhGroup(19)?.curve).toBe('P-256');
    expect(ecdhGroup(20)?.curve).toBe('P-384');
    expect(ecdhGroup(21)?.curve).toBe('P-521');
  });
});
