import { createCipheriv, createDecipheriv } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Prng } from '../kernel/prng';
import { aes192Cbc } from './aes-noble';
import { cbcDecrypt, cbcEncrypt } from './cipher';

const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));

function nodeAes192(
  type: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  const c =
    type === 'encrypt' ? createCipheriv('aes-192-cbc', key, iv) : createDecipheriv('aes-192-cbc', key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

describe('AES-192-CBC through @noble/ciphers', () => {
  it('passes NIST SP 800-38A F.2.3/F.2.4 (CBC-AES192)', () => {
    const key = hex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b');
    const iv = hex('000102030405060708090a0b0c0d0e0f');
    const plain = hex(
      '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
        '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
    );
    const cipher = hex(
      '4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a' +
        '571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd',
    );
    expect(aes192Cbc('encrypt', key, iv, plain)).toEqual(cipher);
    expect(aes192Cbc('decrypt', key, iv, cipher)).toEqual(plain);
  });

  it('agrees with node:crypto aes-192-cbc on random keys, IVs and lengths, both ways', () => {
    const prng = new Prng(192);
    for (let blocks = 1; blocks <= 40; blocks += 3) {
      const key = prng.bytes(24);
      const iv = prng.bytes(16);
      const data = prng.bytes(16 * blocks);
      const ours = aes192Cbc('encrypt', key, iv, data);
      expect(ours).toEqual(nodeAes192('encrypt', key, iv, data));
      expect(aes192Cbc('decrypt', key, iv, ours)).toEqual(data);
      expect(aes192Cbc('decrypt', key, iv, data)).toEqual(nodeAes192('decrypt', key, iv, data));
    }
  });
});

describe('cbcEncrypt / cbcDecrypt with a 24-byte AES key', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("works where WebCrypto refuses 192-bit AES keys (as Chromium's does), with node:crypto's bytes", async () => {
    const subtle = globalThis.crypto.subtle;
    const importKey = subtle.importKey.bind(subtle);
    // Chromium: "192-bit AES keys are not supported". 128/256 still go through WebCrypto.
    const spy = vi.spyOn(subtle, 'importKey').mockImplementation(((
      ...args: Parameters<SubtleCrypto['importKey']>
    ) => {
      const alg = args[2] as { name?: string; length?: number };
      if (alg.name === 'AES-CBC' && alg.length === 192)
        return Promise.reject(new DOMException('192-bit AES keys are not supported', 'OperationError'));
      return importKey(...args);
    }) as SubtleCrypto['importKey']);
    const prng = new Prng(24);
    const key = prng.bytes(24);
    const iv = prng.bytes(16);
    const data = prng.bytes(64);
    const ct = await cbcEncrypt('aes', key, iv, data);
    expect(ct).toEqual(nodeAes192('encrypt', key, iv, data));
    expect(await cbcDecrypt('aes', key, iv, ct)).toEqual(data);
    // AES-128 still goes to WebCrypto.
    const key128 = prng.bytes(16);
    const ct128 = await cbcEncrypt('aes', key128, iv, data);
    expect(spy).toHaveBeenCalled();
    expect(await cbcDecrypt('aes', key128, iv, ct128)).toEqual(data);
  });
});
