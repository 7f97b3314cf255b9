/**
 * Known-answer checks of the crypto module against node:crypto (OpenSSL), which is independent of both
 * WebCrypto's wrappers here and des.js / @noble/hashes.
 */
import {
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  createSign,
  createVerify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Prng } from '../kernel/prng';
import {
  cbcDecrypt,
  cbcEncrypt,
  cbcNow,
  digest,
  exportPkcs8,
  generateRsaKeyPair,
  hmac,
  hmacNow,
  hmacNowInto,
  importRsaPrivateKey,
  importRsaPublicKey,
  randomSpi,
  rsaPublicFromPrivate,
  rsaSign,
  rsaVerify,
} from './index';

const prng = new Prng(7);
const message = prng.bytes(64); // block-aligned for every cipher

function openssl(name: string, key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(name, key, iv);
  c.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

describe('raw CBC ciphers', () => {
  const cases = [
    { cipher: '3des', openssl: 'des-ede3-cbc', key: 24, iv: 8 },
    { cipher: 'aes', openssl: 'aes-128-cbc', key: 16, iv: 16 },
    { cipher: 'aes', openssl: 'aes-192-cbc', key: 24, iv: 16 },
    { cipher: 'aes', openssl: 'aes-256-cbc', key: 32, iv: 16 },
  ] as const;
  for (const c of cases) {
    it(`${c.openssl} matches OpenSSL bit for bit, both ways, with no padding block`, async () => {
      const key = prng.bytes(c.key);
      const iv = prng.bytes(c.iv);
      const ct = await cbcEncrypt(c.cipher, key, iv, message);
      expect(ct.length).toBe(message.length);
      expect(Buffer.from(ct).toString('hex')).toBe(
        Buffer.from(openssl(c.openssl, key, iv, message)).toString('hex'),
      );
      expect(await cbcDecrypt(c.cipher, key, iv, ct)).toEqual(message);
    });
  }

  it('DES-CBC matches the FIPS 81 CBC example', async () => {
    // FIPS 81 Appendix C: key 0123456789abcdef, IV 1234567890abcdef, "Now is the time for all " -> e5c7cdde…
    const key = Buffer.from('0123456789abcdef', 'hex');
    const iv = Buffer.from('1234567890abcdef', 'hex');
    const pt = new TextEncoder().encode('Now is the time for all ');
    const ct = await cbcEncrypt('des', key, iv, pt);
    expect(Buffer.from(ct).toString('hex')).toBe('e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6');
    expect(await cbcDecrypt('des', key, iv, ct)).toEqual(pt);
  });

  it('rejects unaligned data and wrong key sizes instead of padding silently', async () => {
    await expect(cbcEncrypt('3des', prng.bytes(24), prng.bytes(8), prng.bytes(9))).rejects.toThrow(
      /multiple/,
    );
    await expect(cbcEncrypt('aes', prng.bytes(20), prng.bytes(16), message)).rejects.toThrow(/key of 20/);
  });
});

describe('digests and HMAC', () => {
  const key = prng.bytes(20);
  for (const alg of ['md5', 'sha1', 'sha256'] as const) {
    it(`${alg} and HMAC-${alg} match OpenSSL`, async () => {
      const node = alg === 'sha1' ? 'sha1' : alg;
      expect(Buffer.from(await digest(alg, message)).toString('hex')).toBe(
        createHash(node).update(message).digest('hex'),
      );
      expect(Buffer.from(await hmac(alg, key, message)).toString('hex')).toBe(
        createHmac(node, key).update(message).digest('hex'),
      );
    });
  }

  it('HMAC-MD5 matches RFC 2202 test case 2', async () => {
    const mac = await hmac(
      'md5',
      new TextEncoder().encode('Jefe'),
      new TextEncoder().encode('what do ya want for nothing?'),
    );
    expect(Buffer.from(mac).toString('hex')).toBe('750c783e6ab0b503eaa86e310a5db738');
  });
});

describe('synchronous forms for ESP (cbcNow, hmacNow)', () => {
  it("give the async functions' bytes, and leave WebCrypto's AES-128/256 to them (undefined)", async () => {
    const iv = prng.bytes(16);
    for (const [cipher, keyBytes] of [
      ['des', 8],
      ['3des', 24],
      ['aes', 24],
    ] as const) {
      const k = prng.bytes(keyBytes);
      const bsIv = iv.subarray(0, cipher === 'aes' ? 16 : 8);
      const now = cbcNow('encrypt', cipher, k, bsIv, message);
      expect(now && Buffer.from(now).toString('hex')).toBe(
        Buffer.from(await cbcEncrypt(cipher, k, bsIv, message)).toString('hex'),
      );
      expect(cbcNow('decrypt', cipher, k, bsIv, now!)).toEqual(message);
    }
    expect(cbcNow('encrypt', 'aes', prng.bytes(16), iv, message)).toBeUndefined();
    expect(() => cbcNow('encrypt', '3des', prng.bytes(16), iv.subarray(0, 8), message)).toThrow(RangeError);
    for (const alg of ['md5', 'sha1', 'sha256'] as const) {
      const key = prng.bytes(20);
      expect(hmacNow(alg, key, message)).toEqual(await hmac(alg, key, message));
      const out = new Uint8Array(30).fill(0xee);
      hmacNowInto(alg, key, message, out, 3, 12);
      expect(out.subarray(3, 15)).toEqual(hmacNow(alg, key, message).subarray(0, 12));
      expect([...out.subarray(0, 3), ...out.subarray(15)].every((b) => b === 0xee)).toBe(true);
    }
  });
});

describe('RSA (RSASSA-PKCS1-v1_5, SHA-1)', () => {
  it('a 1024-bit key has a 162-byte SPKI and 128-byte signatures that OpenSSL verifies', async () => {
    const pair = await generateRsaKeyPair(1024);
    expect(pair.spki.length).toBe(162);
    const data = new TextEncoder().encode('rekey');
    const sig = await rsaSign(pair.privateKey, data);
    expect(sig.length).toBe(128);
    expect(await rsaVerify(pair.publicKey, sig, data)).toBe(true);
    const pem = createPublicKey({ key: Buffer.from(pair.spki), format: 'der', type: 'spki' });
    expect(createVerify('sha1').update(data).verify(pem, sig)).toBe(true);
  });

  it('verifies an OpenSSL signature after a PKCS#8 round trip and rejects a flipped bit or another key', async () => {
    const pair = await generateRsaKeyPair(1024);
    const pkcs8 = await exportPkcs8(pair.privateKey);
    const priv = await importRsaPrivateKey(pkcs8);
    const pub = await rsaPublicFromPrivate(priv);
    const data = prng.bytes(100);
    const osslSig = createSign('sha1')
      .update(data)
      .sign({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
    expect(await rsaVerify(pub, osslSig, data)).toBe(true);
    expect(await rsaVerify(await importRsaPublicKey(pair.spki), osslSig, data)).toBe(true);
    const tampered = new Uint8Array(osslSig);
    tampered[5] = (tampered[5] ?? 0) ^ 1;
    expect(await rsaVerify(pub, tampered, data)).toBe(false);
    const other = await generateRsaKeyPair(1024);
    expect(await rsaVerify(other.publicKey, osslSig, data)).toBe(false);
  });
});

describe('randomness', () => {
  it('SPIs come from the passed-in PRNG: same seed, same SPI; never a reserved value', () => {
    expect(randomSpi(new Prng(3))).toBe(randomSpi(new Prng(3)));
    expect(randomSpi(new Prng(3))).toBeGreaterThan(255);
  });
});
