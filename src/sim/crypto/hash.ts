/**
 * Digests and HMACs, all through @noble/hashes (WebCrypto has no MD5: W3C Web Cryptography API). SHA-1 and
 * SHA-256 went
 * through WebCrypto before; its async job per call cost more than the hashing itself (see `hmac`), and the
 * crypto tests check every output against OpenSSL. All return full-length outputs: ESP truncates its ICV itself (RFC 2403/2404: 96 bits).
 */
import { hmac as nobleHmac, type _HMAC } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

/** Output length in bytes. */
export function digestLength(alg: HashAlgorithm): number {
  return alg === 'md5' ? 16 : alg === 'sha1' ? 20 : 32;
}

/** A digest, computed with @noble/hashes: synchronous, as cheap as WebCrypto's without an async job per call. */
export async function digest(alg: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return alg === 'md5' ? md5(data) : alg === 'sha1' ? sha1(data) : sha256(data);
}

/**
 * HMAC (RFC 2104) with the full-length output. Computed with @noble/hashes, synchronously: IKE's PRF calls
 * it a dozen times per exchange with a fresh key each time, and a WebCrypto key import plus an async sign per
 * call cost more than the hashing (bench/RESULTS.md). Same bytes as WebCrypto's HMAC (crypto.test.ts).
 */
export async function hmac(alg: HashAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (alg === 'md5') {
    // Copied into one scratch state instead of a fresh clone per packet; nothing awaits in between.
    md5Scratch = keyedMd5(key)._cloneInto(md5Scratch);
    return md5Scratch.update(data).digest();
  }
  return nobleHmac(alg === 'sha1' ? sha1 : sha256, key, data);
}

type Md5Hmac = _HMAC<ReturnType<typeof md5.create>>;

let md5Scratch: Md5Hmac | undefined;

/**
 * HMAC-MD5 states with the key already absorbed (RFC 2104's inner and outer pads), by key: an ESP SA's key
 * serves every packet, and cloning a keyed state skips the two pad blocks per packet.
 */
const md5Keyed = new Map<string, Md5Hmac>();
const MAX_KEYED = 4096;

/** The same, by key array (an SA hands the same Uint8Array to every packet). */
const md5ByArray = new WeakMap<Uint8Array, Md5Hmac>();

function keyedMd5(key: Uint8Array): Md5Hmac {
  let direct = md5ByArray.get(key);
  if (!direct) md5ByArray.set(key, (direct = keyedMd5ByBytes(key)));
  return direct;
}

function keyedMd5ByBytes(key: Uint8Array): Md5Hmac {
  const id = String.fromCharCode(...key);
  let h = md5Keyed.get(id);
  if (!h) {
    if (md5Keyed.size >= MAX_KEYED) md5Keyed.clear();
    h = nobleHmac.create(md5, key);
    md5Keyed.set(id, h);
  }
  return h;
}

/** Constant-time comparison, as an ICV check should be. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
