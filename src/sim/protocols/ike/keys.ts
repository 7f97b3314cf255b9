/**
 * IKEv1 phase-1 key material with pre-shared keys (RFC 2409 §5 and Appendix B): SKEYID and its three children,
 * the encryption key expansion, HASH_I/HASH_R and the CBC IVs (phase-1 IV, per-exchange IV for a new M-ID).
 */
import { blockSize, type BlockCipher, digest, type HashAlgorithm, hmac } from '../../crypto';
import { concatBytes } from '../../net/bytes';
import { u32Bytes } from '../../net/isakmp';
import { immutableBytesOf } from '../../kernel/snapshot';

export interface Phase1Keys {
  readonly skeyid: Uint8Array;
  readonly skeyidD: Uint8Array;
  readonly skeyidA: Uint8Array;
  readonly skeyidE: Uint8Array;
  /** SKEYID_e expanded (or truncated) to the cipher's key length. */
  readonly encryptionKey: Uint8Array;
}

export interface Phase1Inputs {
  readonly hash: HashAlgorithm;
  readonly keyBytes: number;
  readonly psk: Uint8Array;
  readonly nonceI: Uint8Array;
  readonly nonceR: Uint8Array;
  readonly sharedSecret: Uint8Array;
  readonly cookieI: Uint8Array;
  readonly cookieR: Uint8Array;
}

/** RFC 2409 §5: SKEYID = prf(pre-shared-key, Ni_b | Nr_b); SKEYID_d/a/e chain from it with 0x00/0x01/0x02. */
export async function derivePhase1Keys(i: Phase1Inputs): Promise<Phase1Keys> {
  const prf = (key: Uint8Array, ...parts: Uint8Array[]): Promise<Uint8Array> =>
    hmac(i.hash, key, concatBytes(...parts));
  const skeyid = await prf(i.psk, i.nonceI, i.nonceR);
  const tail = (n: number): Uint8Array[] => [i.sharedSecret, i.cookieI, i.cookieR, new Uint8Array([n])];
  const skeyidD = await prf(skeyid, ...tail(0));
  const skeyidA = await prf(skeyid, skeyidD, ...tail(1));
  const skeyidE = await prf(skeyid, skeyidA, ...tail(2));
  const encryptionKey = await expandKey(i.hash, skeyidE, i.keyBytes);
  // Never written after derivation: checkpoints share these arrays instead of copying them (issue 18).
  return Object.freeze({
    skeyid: immutableBytesOf(skeyid),
    skeyidD: immutableBytesOf(skeyidD),
    skeyidA: immutableBytesOf(skeyidA),
    skeyidE: immutableBytesOf(skeyidE),
    encryptionKey: immutableBytesOf(encryptionKey),
  });
}

/** RFC 2409 Appendix B: K = K1 | K2 | …, K1 = prf(SKEYID_e, 0), Kn = prf(SKEYID_e, Kn-1), when SKEYID_e is short. */
export async function expandKey(
  hash: HashAlgorithm,
  skeyidE: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  if (skeyidE.length >= length) return skeyidE.slice(0, length);
  let k = await hmac(hash, skeyidE, new Uint8Array([0]));
  let out = k;
  while (out.length < length) {
    k = await hmac(hash, skeyidE, k);
    out = concatBytes(out, k);
  }
  return out.slice(0, length);
}

/** HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b); HASH_R swaps the pairs, with IDir_b. */
export function authHash(
  hash: HashAlgorithm,
  skeyid: Uint8Array,
  ownKe: Uint8Array,
  peerKe: Uint8Array,
  ownCookie: Uint8Array,
  peerCookie: Uint8Array,
  saBody: Uint8Array,
  idBody: Uint8Array,
): Promise<Uint8Array> {
  return hmac(hash, skeyid, concatBytes(ownKe, peerKe, ownCookie, peerCookie, saBody, idBody));
}

/** Phase-1 IV: hash(g^xi | g^xr) truncated to the block size (RFC 2409 Appendix B). */
export async function phase1Iv(
  hash: HashAlgorithm,
  cipher: BlockCipher,
  keI: Uint8Array,
  keR: Uint8Array,
): Promise<Uint8Array> {
  return (await digest(hash, concatBytes(keI, keR))).slice(0, blockSize(cipher));
}

/** IV of a new exchange under the phase-1 SA: hash(last phase-1 CBC block | M-ID) truncated. */
export async function exchangeIv(
  hash: HashAlgorithm,
  cipher: BlockCipher,
  lastPhase1Block: Uint8Array,
  messageId: number,
): Promise<Uint8Array> {
  return (await digest(hash, concatBytes(lastPhase1Block, u32Bytes(messageId)))).slice(0, blockSize(cipher));
}
