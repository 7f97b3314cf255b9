/**
 * Access to WebCrypto (`globalThis.crypto.subtle`), present in dedicated Workers (secure contexts) and in
 * Node >= 19. Everything it offers goes through here: RSA, AES, HMAC-SHA, SHA digests (W3C Web Cryptography
 * API).
 */

/** The SubtleCrypto of this realm; throws a readable error where WebCrypto is missing (http:// pages). */
export function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available: the page must be served over https');
  if (serialized?.raw !== s) serialized = { raw: s, lane: serialize(s) };
  return serialized.lane;
}

let serialized: { raw: SubtleCrypto; lane: SubtleCrypto } | undefined;
let tail: Promise<unknown> = Promise.resolve();

/**
 * WebCrypto completes on the host's threads, in whatever order they finish: two operations in flight at once
 * could resume their callers in either order and make a run depend on host timing. Every operation therefore
 * waits for the previous one to settle (one lane for the whole realm), so callers resume in the order they
 * called and one seed gives one trace (docs/DESIGN.md §4).
 */
function serialize(s: SubtleCrypto): SubtleCrypto {
  return new Proxy(s, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): Promise<unknown> => {
        // Byte arguments are read when the operation starts: copy them now, as WebCrypto itself would.
        const copies = args.map((a) => (a instanceof Uint8Array ? new Uint8Array(a) : a));
        const run = tail.then(() => (value as (...a: unknown[]) => Promise<unknown>).apply(target, copies));
        tail = run.then(
          () => undefined,
          () => undefined,
        );
        return run;
      };
    },
  });
}

/**
 * WebCrypto's BufferSource wants an ArrayBuffer-backed view; a Uint8Array over a SharedArrayBuffer (or typed as
 * ArrayBufferLike) is copied into one.
 */
export function buffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

/** Imports a raw AES or HMAC key (not extractable). */
export function importSecretKey(
  raw: Uint8Array,
  algorithm: AesKeyAlgorithm | HmacImportParams,
  usages: readonly KeyUsage[],
): Promise<CryptoKey> {
  return subtle().importKey('raw', buffer(raw), algorithm, false, [...usages]);
}
