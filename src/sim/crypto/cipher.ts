/**
 * Raw CBC block ciphers (no padding: ESP and ISAKMP add their own, RFC 4303 §2.4, RFC 2409 Appendix B).
 * AES-128/256 through WebCrypto with the trick below (W3C Web Cryptography API: AES-CBC always PKCS#7-pads);
 * DES and 3DES
 * in des.ts (table-driven, on des.js's primitives), since WebCrypto has neither (W3C Web Cryptography API).
 *
 * AES-192: Chromium's WebCrypto refuses 192-bit AES keys (Node accepts them), so 24-byte keys go to
 * @noble/ciphers (aes-noble.ts) everywhere.
 */
import { aes192Cbc } from './aes-noble';
import { desCbc } from './des';
import { buffer, importSecretKey, subtle } from './webcrypto';

export type BlockCipher = 'des' | '3des' | 'aes';

/** Block (and IV) length in bytes: 8 for DES/3DES, 16 for AES. */
export function blockSize(cipher: BlockCipher): number {
  return cipher === 'aes' ? 16 : 8;
}

/** Valid key lengths in bytes. */
export function keyLengths(cipher: BlockCipher): readonly number[] {
  if (cipher === 'des') return [8];
  if (cipher === '3des') return [24];
  return [16, 24, 32];
}

function check(cipher: BlockCipher, key: Uint8Array, iv: Uint8Array, data: Uint8Array): void {
  const bs = blockSize(cipher);
  if (!keyLengths(cipher).includes(key.length))
    throw new RangeError(`${cipher}: key of ${key.length} bytes (want ${keyLengths(cipher).join('/')})`);
  if (iv.length !== bs) throw new RangeError(`${cipher}: IV of ${iv.length} bytes (want ${bs})`);
  if (data.length % bs !== 0)
    throw new RangeError(`${cipher}-cbc: ${data.length} bytes is not a multiple of the ${bs}-byte block`);
}

/**
 * CBC-encrypts block-aligned `data` without padding. DES and 3DES write into `out` when given (it may be
 * `data` itself: ESP encrypts its plaintext where it lies in the packet); other ciphers return a new array.
 */
export async function cbcEncrypt(
  cipher: BlockCipher,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  out?: Uint8Array,
): Promise<Uint8Array> {
  const done = withoutWebCrypto('encrypt', cipher, key, iv, data, out);
  if (done) return done;
  const k = await aesKey(key);
  // WebCrypto appends one PKCS#7 block to block-aligned input: drop it.
  const sealed = await subtle().encrypt({ name: 'AES-CBC', iv: buffer(iv) }, k, buffer(data));
  return new Uint8Array(sealed, 0, data.length);
}

/** CBC-decrypts block-aligned `data` without removing any padding. */
export async function cbcDecrypt(
  cipher: BlockCipher,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Promise<Uint8Array> {
  const done = withoutWebCrypto('decrypt', cipher, key, iv, data);
  if (done) return done;
  const k = await aesKey(key);
  // WebCrypto insists on valid PKCS#7 padding: encrypting nothing under IV = the last ciphertext block yields
  // exactly the block a padded message would end with; append it and decrypt.
  const last = data.subarray(data.length - 16);
  const extra = new Uint8Array(
    await subtle().encrypt({ name: 'AES-CBC', iv: buffer(new Uint8Array(last)) }, k, new Uint8Array(0)),
  );
  const padded = new Uint8Array(data.length + 16);
  padded.set(data);
  padded.set(extra, data.length);
  return new Uint8Array(await subtle().decrypt({ name: 'AES-CBC', iv: buffer(iv) }, k, padded));
}

/**
 * Checks the lengths, then does the work itself for everything but AES-128/256 (DES, 3DES, AES-192, empty
 * input); undefined means WebCrypto's turn. Exported as `cbcNow` for ESP, which skips the promise (and its
 * microtasks per packet, issue 18) when the answer is already here.
 */
export function withoutWebCrypto(
  type: 'encrypt' | 'decrypt',
  cipher: BlockCipher,
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  out?: Uint8Array,
): Uint8Array | undefined {
  check(cipher, key, iv, data);
  if (cipher !== 'aes') return desCbc(type, key, iv, data, out);
  if (key.length === 24) return aes192Cbc(type, key, iv, data);
  if (data.length === 0) return new Uint8Array(0);
  return undefined;
}

/**
 * Imported AES keys by key array: an ESP SA hands the same Uint8Array to every packet, and importKey is
 * asynchronous and not free. The import reads the bytes when it is called (webcrypto.ts copies them).
 */
const aesKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function aesKey(key: Uint8Array): Promise<CryptoKey> {
  let k = aesKeys.get(key);
  if (!k) {
    k = importSecretKey(key, { name: 'AES-CBC', length: key.length * 8 }, ['encrypt', 'decrypt']).catch(
      (e: unknown) => {
        const why = e instanceof Error ? e.message : String(e);
        throw new Error(`AES-${key.length * 8} is not supported by this browser's WebCrypto (${why})`);
      },
    );
    aesKeys.set(key, k);
  }
  return k;
}
