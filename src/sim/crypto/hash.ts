/**
 * Digests and HMACs, all through @noble/hashes (WebCrypto has no MD5: W3C Web Cryptography API). SHA-1 and
 * SHA-256 went
 * through WebCrypto before; its async job per call cost more than the hashing itself (see `hmac`), and the
 * crypto tests check every output against OpenSSL. All return full-length outputs: ESP truncates its ICV itself (RFC 2403/2404: 96 bits).
 * HMAC-MD5, ESP's per-packet ICV in the reference lab, runs on md5.ts instead (precomputed pad states).
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { type HmacMd5Key, hmacMd5, hmacMd5Into, hmacMd5Key } from './md5';

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
 * HMAC (RFC 2104) with the full-length output. Computed synchronously (md5.ts for MD5, @noble/hashes else): IKE's PRF calls
 * it a dozen times per exchange with a fresh key each time, and a WebCrypto key import plus an async sign per
 * call cost more than the hashing (bench/RESULTS.md). Same bytes as WebCrypto's HMAC (crypto.test.ts).
 */
export async function hmac(alg: HashAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return hmacNow(alg, key, data);
}

/** `hmac` without the promise: ESP's per-packet ICV, where every await is a microtask per packet (issue 18). */
export function hmacNow(alg: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array {
  if (alg === 'md5') return hmacMd5(keyedMd5(key), data);
  return nobleHmac(alg === 'sha1' ? sha1 : sha256, key, data);
}

/**
 * The first `length` bytes of `hmacNow` written into `out` at `at` (ESP's truncated ICV, RFC 2403/2404/4868):
 * HMAC-MD5 writes them without an array of its own.
 */
export function hmacNowInto(
  alg: HashAlgorithm,
  key: Uint8Array,
  data: Uint8Array,
  out: Uint8Array,
  at: number,
  length: number,
): void {
  if (alg === 'md5') hmacMd5Into(keyedMd5(key), data, out, at, length);
  else out.set(hmacNow(alg, key, data).subarray(0, length), at);
}

/**
 * HMAC-MD5 keys with both pads absorbed (md5.ts), by key bytes: an ESP SA's key serves every packet, so each
 * packet costs only its own blocks plus one outer block (RFC 2104 §2). A pure cache (recomputable from the
 * key bytes), so it may live outside the lab's object graph (issue 18's checkpoint rule).
 */
const md5Keyed = new Map<string, HmacMd5Key>();
const MAX_KEYED = 4096;

/** The same, by key array (an SA hands the same Uint8Array to every packet). */
const md5ByArray = new WeakMap<Uint8Array, HmacMd5Key>();

function keyedMd5(key: Uint8Array): HmacMd5Key {
  let direct = md5ByArray.get(key);
  if (!direct) md5ByArray.set(key, (direct = keyedMd5ByBytes(key)));
  return direct;
}

function keyedMd5ByBytes(key: Uint8Array): HmacMd5Key {
  const id = String.fromCharCode(...key);
  let h = md5Keyed.get(id);
  if (!h) {
    if (md5Keyed.size >= MAX_KEYED) md5Keyed.clear();
    h = hmacMd5Key(key);
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
