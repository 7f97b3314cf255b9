/**
 * RSA through WebCrypto: RSASSA-PKCS1-v1_5 (EMSA-PKCS1-v1_5 with DigestInfo, RFC 8017 §8.2), SHA-1 by default as
 * GDOI's `SIG_HASH_SHA1` needs (RFC 6407, SIG_HASH_ALGORITHM). Public keys travel as SubjectPublicKeyInfo
 * DER (162 bytes for
 * a 1024-bit key: the GDOI KD "KEK Sig Key"), private keys as PKCS#8 DER (scenario import, reproducible runs).
 */
import { buffer, subtle } from './webcrypto';

export type RsaHash = 'SHA-1' | 'SHA-256';

export interface RsaKeyPair {
  readonly publicKey: CryptoKey;
  readonly privateKey: CryptoKey;
  /** SubjectPublicKeyInfo DER. */
  readonly spki: Uint8Array;
  readonly modulusBits: number;
}

const F4 = new Uint8Array([1, 0, 1]);

function algorithm(hash: RsaHash): RsaHashedImportParams {
  return { name: 'RSASSA-PKCS1-v1_5', hash };
}

/**
 * Generates a key pair (e = 65537). WebCrypto draws its own randomness: RSA keys are the one thing the seeded
 * PRNG cannot reproduce, so reproducible runs import a PKCS#8 key instead (docs/DESIGN.md §4).
 */
export async function generateRsaKeyPair(modulusBits = 1024, hash: RsaHash = 'SHA-1'): Promise<RsaKeyPair> {
  const pair = await subtle().generateKey(
    { ...algorithm(hash), modulusLength: modulusBits, publicExponent: F4 },
    true,
    ['sign', 'verify'],
  );
  const spki = await exportSpki(pair.publicKey);
  return { publicKey: pair.publicKey, privateKey: pair.privateKey, spki, modulusBits };
}

export async function exportSpki(publicKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('spki', publicKey));
}

/** PKCS#8 DER of an extractable private key (IOS `exportable` keys). */
export async function exportPkcs8(privateKey: CryptoKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('pkcs8', privateKey));
}

/**
 * Imports an SPKI public key. Imports are kept by key bytes: every member of a group imports the same KEK
 * signature key, and a thousand WebCrypto imports of one key cost half a second (bench/RESULTS.md). A
 * CryptoKey is immutable, so sharing one is safe.
 */
export function importRsaPublicKey(spki: Uint8Array, hash: RsaHash = 'SHA-1'): Promise<CryptoKey> {
  const id = `${hash} ${String.fromCharCode(...spki)}`;
  let key = publicKeys.get(id);
  if (!key) {
    if (publicKeys.size >= MAX_PUBLIC_KEYS) publicKeys.clear();
    key = subtle().importKey('spki', buffer(spki), algorithm(hash), true, ['verify']);
    publicKeys.set(id, key);
    // A failed import is not kept: the next caller gets the error afresh.
    key.catch(() => publicKeys.delete(id));
  }
  return key;
}

const publicKeys = new Map<string, Promise<CryptoKey>>();
const MAX_PUBLIC_KEYS = 256;

/** Imports a PKCS#8 private key; `extractable` mirrors IOS's `exportable` keyword. */
export function importRsaPrivateKey(
  pkcs8: Uint8Array,
  hash: RsaHash = 'SHA-1',
  extractable = true,
): Promise<CryptoKey> {
  return subtle().importKey('pkcs8', buffer(pkcs8), algorithm(hash), extractable, ['sign']);
}

/**
 * The public half of an imported private key: WebCrypto cannot derive it directly, so the key is exported as
 * JWK and re-imported with only n and e.
 */
export async function rsaPublicFromPrivate(
  privateKey: CryptoKey,
  hash: RsaHash = 'SHA-1',
): Promise<CryptoKey> {
  const jwk = await subtle().exportKey('jwk', privateKey);
  const pub: JsonWebKey = { kty: 'RSA', n: jwk.n, e: jwk.e, ext: true };
  return subtle().importKey('jwk', pub, algorithm(hash), true, ['verify']);
}

/** Signature length in bytes = modulus length (128 for RSA-1024). */
export async function rsaSign(privateKey: CryptoKey, data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle().sign('RSASSA-PKCS1-v1_5', privateKey, buffer(data)));
}

export function rsaVerify(publicKey: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  return subtle().verify('RSASSA-PKCS1-v1_5', publicKey, buffer(signature), buffer(data));
}
