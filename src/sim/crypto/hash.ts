/**
 * Digests and HMACs. SHA-1/SHA-256 through WebCrypto; MD5 through @noble/hashes (WebCrypto has no MD5,
 * reference §4.1). All return full-length outputs: ESP truncates its ICV itself (RFC 2403/2404: 96 bits).
 */
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { buffer, importSecretKey, subtle } from './webcrypto';

export type HashAlgorithm = 'md5' | 'sha1' | 'sha256';

const WEBCRYPTO_NAME: Readonly<Record<Exclude<HashAlgorithm, 'md5'>, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
};

/** Output length in bytes. */
export function digestLength(alg: HashAlgorithm): number {
  return alg === 'md5' ? 16 : alg === 'sha1' ? 20 : 32;
}

export async function digest(alg: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  if (alg === 'md5') return md5(data);
  return new Uint8Array(await subtle().digest(WEBCRYPTO_NAME[alg], buffer(data)));
}

/** HMAC (RFC 2104) with the full-length output. */
export async function hmac(alg: HashAlgorithm, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  if (alg === 'md5') return nobleHmac(md5, key, data);
  // WebCrypto rejects an empty HMAC key; RFC 2104 allows it (it is zero-padded to the block).
  const k = await importSecretKey(
    key.length > 0 ? key : new Uint8Array(1),
    { name: 'HMAC', hash: WEBCRYPTO_NAME[alg] },
    ['sign'],
  );
  return new Uint8Array(await subtle().sign('HMAC', k, buffer(data)));
}

/** Constant-time comparison, as an ICV check should be. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}
