import { createDecipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BlockCipher, HashAlgorithm } from '../crypto';
import { Prng } from '../kernel/prng';
import { fromHex as fromHexString, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { dissect } from './dissectors';
import { decodeEsp, type EspSaKeys, espTrailer, icvLength, ivLength, openEsp, peekEsp, sealEsp } from './esp';
import { encodeIpv4, IP_PROTO, ipv4Header } from './ipv4';
import { parseIpv4 } from './ipv4-address';

function encodeIpv4Esp(esp: Uint8Array): Uint8Array {
  const header = ipv4Header({
    protocol: IP_PROTO.ESP,
    source: parseIpv4('172.17.2.2')!,
    destination: parseIpv4('172.17.1.1')!,
  });
  return encodeIpv4({ header, payload: esp });
}

const prng = new Prng(11);
const KEY_BYTES: Record<string, number> = { des: 8, '3des': 24, aes128: 16, aes192: 24, aes256: 32 };
const CIPHERS: { name: string; cipher: BlockCipher; openssl: string }[] = [
  // OpenSSL 3 has dropped single DES: 3DES with K1 = K2 = K3 is exactly DES (EDE), so it checks DES too.
  { name: 'des', cipher: 'des', openssl: 'des-ede3-cbc' },
  { name: '3des', cipher: '3des', openssl: 'des-ede3-cbc' },
  { name: 'aes128', cipher: 'aes', openssl: 'aes-128-cbc' },
  { name: 'aes192', cipher: 'aes', openssl: 'aes-192-cbc' },
  { name: 'aes256', cipher: 'aes', openssl: 'aes-256-cbc' },
];
const AUTHS: { auth: HashAlgorithm; key: number; openssl: string }[] = [
  { auth: 'md5', key: 16, openssl: 'md5' },
  { auth: 'sha1', key: 20, openssl: 'sha1' },
  { auth: 'sha256', key: 32, openssl: 'sha256' },
];

function sa(c: (typeof CIPHERS)[number], a: (typeof AUTHS)[number]): EspSaKeys {
  return {
    spi: 0x9cae4c22,
    cipher: c.cipher,
    encryptionKey: prng.bytes(KEY_BYTES[c.name] ?? 0),
    auth: a.auth,
    integrityKey: prng.bytes(a.key),
  };
}

describe('ESP padding (RFC 4303 §2.4)', () => {
  it('pads with 1, 2, 3 … so payload + trailer fills whole blocks', () => {
    expect(toHex(espTrailer(5, 8, 4))).toBe('010104'); // 5 + 1 pad + 2 = 8
    expect(toHex(espTrailer(6, 8, 4))).toBe('0004');
    expect(toHex(espTrailer(7, 8, 4))).toBe('01020304050607' + '0704');
    for (let n = 0; n < 40; n++) expect((n + espTrailer(n, 16, 4).length) % 16).toBe(0);
  });
});

describe('peekEsp', () => {
  it('reads SPI and sequence number (RFC 4303 §2.1, §2.2), and reports a header cut short', () => {
    const bytes = fromHexString('9cae4c22 fffffffe 0102');
    expect(peekEsp(bytes)).toEqual({ spi: 0x9cae4c22, sequence: 0xfffffffe });
    expect(() => peekEsp(bytes.subarray(0, 7))).toThrow(DecodeError);
    expect(() => peekEsp(bytes.subarray(0, 7))).toThrow(/truncated/);
  });

  it('decodeEsp splits header, IV, ciphertext and ICV, and reports a packet too short for them', () => {
    const bytes = new Uint8Array(8 + 8 + 16 + 12).map((_, i) => i);
    const p = decodeEsp(bytes, 8, 12);
    expect(p.spi).toBe(0x00010203);
    expect(p.sequence).toBe(0x04050607);
    expect([p.iv[0], p.iv.length, p.ciphertext[0], p.ciphertext.length, p.icv[0], p.icv.length]).toEqual([
      8, 8, 16, 16, 32, 12,
    ]);
    expect(decodeEsp(bytes.subarray(0, 28), 8, 12).ciphertext.length).toBe(0);
    expect(() => decodeEsp(bytes.subarray(0, 27), 8, 12)).toThrow(/no room for the 12-byte ICV/);
    expect(() => decodeEsp(bytes.subarray(0, 12), 8, 12)).toThrow(DecodeError);
  });
});

describe('sealEsp / openEsp with every transform', () => {
  for (const c of CIPHERS) {
    for (const a of AUTHS) {
      it(`${c.name} + hmac-${a.auth}: OpenSSL decrypts and authenticates it; openEsp round-trips it`, async () => {
        const keys = sa(c, a);
        const inner = prng.bytes(37 + KEY_BYTES[c.name]!);
        const iv = prng.bytes(ivLength(keys.cipher));
        const esp = await sealEsp(keys, 42, iv, inner);
        const icvBytes = icvLength(keys.auth);
        expect(icvBytes).toBe(a.auth === 'sha256' ? 16 : 12);
        // Independent check with node:crypto: ICV = truncated HMAC over SPI..ciphertext, CBC with no padding.
        const body = esp.subarray(0, esp.length - icvBytes);
        const mac = createHmac(a.openssl, keys.integrityKey).update(body).digest().subarray(0, icvBytes);
        expect(toHex(esp.subarray(esp.length - icvBytes))).toBe(toHex(mac));
        const p = decodeEsp(esp, iv.length, icvBytes);
        expect(p.spi).toBe(0x9cae4c22);
        expect(p.sequence).toBe(42);
        const k = keys.encryptionKey;
        const opensslKey = c.name === 'des' ? Buffer.concat([k, k, k]) : k;
        const d = createDecipheriv(c.openssl, opensslKey, iv);
        d.setAutoPadding(false);
        const plain = Buffer.concat([d.update(p.ciphertext), d.final()]);
        expect(toHex(plain.subarray(0, inner.length))).toBe(toHex(inner));
        expect(plain[plain.length - 1]).toBe(4); // next header: IPv4 (tunnel mode)
        const opened = await openEsp(keys, esp);
        expect(opened.ok && toHex(opened.payload)).toBe(toHex(inner));
      });
    }
  }

  it('one flipped bit anywhere (header, IV, ciphertext or ICV) fails the ICV check', async () => {
    const keys = sa(CIPHERS[1]!, AUTHS[0]!);
    const esp = await sealEsp(keys, 1, prng.bytes(8), prng.bytes(60));
    for (const at of [0, 5, 9, 30, esp.length - 1]) {
      const bad = new Uint8Array(esp);
      bad[at] = (bad[at] ?? 0) ^ 0x10;
      const r = await openEsp(keys, bad);
      expect(r.ok ? 'ok' : r.reason).toBe('icv');
    }
    const wrongKey = { ...keys, integrityKey: prng.bytes(16) };
    expect((await openEsp(wrongKey, esp)).ok).toBe(false);
  });

  it('sealed with headroom, the packet is the same ESP bytes behind that many free bytes', async () => {
    const keys = sa(CIPHERS[1]!, AUTHS[0]!);
    const iv = prng.bytes(8);
    const inner = prng.bytes(45);
    const plain = await sealEsp(keys, 7, iv, inner);
    const roomy = await sealEsp(keys, 7, iv, inner, undefined, 20);
    expect(roomy.length).toBe(20 + plain.length);
    expect(toHex(roomy.subarray(0, 20))).toBe('00'.repeat(20));
    expect(toHex(roomy.subarray(20))).toBe(toHex(plain));
    const opened = await openEsp(keys, roomy.subarray(20));
    expect(opened.ok && toHex(opened.payload)).toBe(toHex(inner));
  });

  // Issue 18 (steady state): a promise per packet cost more than 3DES itself; only WebCrypto's AES answers later.
  it('DES, 3DES and AES-192 seal and open without a promise; AES-128/256 through WebCrypto with one', async () => {
    for (const c of CIPHERS) {
      const keys = sa(c, AUTHS[0]!);
      const inner = prng.bytes(33);
      const sealed = sealEsp(keys, 3, prng.bytes(ivLength(c.cipher)), inner);
      const webCrypto = c.name === 'aes128' || c.name === 'aes256';
      expect(sealed instanceof Promise).toBe(webCrypto);
      const esp = await sealed;
      const opened = openEsp(keys, esp);
      expect(opened instanceof Promise).toBe(webCrypto);
      const r = await opened;
      expect(r.ok && toHex(r.payload)).toBe(toHex(inner));
      // A failed ICV check answers at once whatever the cipher: nothing was decrypted.
      const bad = new Uint8Array(esp);
      bad[bad.length - 1]! ^= 1;
      const rejected = openEsp(keys, bad);
      expect(rejected instanceof Promise ? 'promise' : rejected.ok || rejected.reason).toBe('icv');
    }
  });

  // RFC 4303 §2: 20 B outer header, 8 B ESP header, 8 B IV, 2-9 B padding and trailer, 12 B ICV.
  it('the overhead of 3DES + HMAC-MD5-96 is 50-57 bytes with the outer header', async () => {
    const keys = sa(CIPHERS[1]!, AUTHS[0]!);
    for (let n = 20; n < 36; n++) {
      const esp = await sealEsp(keys, 1, prng.bytes(8), prng.bytes(n));
      expect(20 + esp.length - n).toBeGreaterThanOrEqual(50);
      expect(20 + esp.length - n).toBeLessThanOrEqual(57);
    }
  });
});

describe('ESP dissector', () => {
  it('shows SPI and sequence in the layer tree and the summary, the rest as encrypted data', async () => {
    const keys = sa(CIPHERS[1]!, AUTHS[0]!);
    const frame = encodeIpv4Esp(await sealEsp(keys, 7, prng.bytes(8), prng.bytes(40)));
    const layers = dissect(frame);
    const esp = layers.find((l) => l.protocol === 'esp');
    expect(esp?.fields.map((f) => `${f.name}=${f.value}`)).toEqual([
      'esp.spi=0x9cae4c22 (2628668450)',
      'esp.sequence=7',
    ]);
    expect(esp?.info?.detail).toMatch(/^SPI=0x9cae4c22 seq=7/);
    expect(layers.at(-1)?.title).toMatch(/^Encrypted Data/);
  });
});
