/**
 * GROUPKEY-PUSH (RFC 6407 §4, exchange 33): HDR*, SEQ, SA, KD, SIG — built, signed and KEK-encrypted by the key
 * server, opened and verified by members. The procedure follows RFC 6407 §4 and the Cisco GDOI reference
 * implementation:
 *   1. plaintext chain SEQ | SA | KD (KD's Next Payload = SIG);
 *   2. HDR with the E flag, cookies = KEK SPI, M-ID 0 and Length = the final on-wire length;
 *   3. signature = RSASSA-PKCS1-v1_5-SHA1(KS key, "rekey" ‖ HDR ‖ SEQ ‖ SA ‖ KD), appended as SIG;
 *   4. zero padding to the cipher block;
 *   5. CBC encryption of everything after HDR with the KEK and its static IV.
 */
import { blockSize, cbcDecrypt, cbcEncrypt, rsaSign, rsaVerify } from '../../crypto';
import { concatBytes } from '../../net/bytes';
import {
  decodePayload,
  encodeIsakmpHeader,
  encodePayloads,
  EXCHANGE,
  ISAKMP_FLAG_ENCRYPTION,
  ISAKMP_HEADER_LENGTH,
  ISAKMP_VERSION,
  type IsakmpHeader,
  type IsakmpPayload,
  decodeIsakmpHeader,
  PAYLOAD,
  type RawPayload,
  walkPayloads,
} from '../../net/isakmp';
import type { KekMaterial } from './material';

const REKEY = new TextEncoder().encode('rekey');

export interface BuiltPush {
  /** The message as sent. */
  readonly bytes: Uint8Array;
  /** The same message unencrypted (flags 0), for a debugging capture Wireshark can decode. */
  readonly plaintextCopy: Uint8Array;
}

function pushHeader(kek: KekMaterial, length: number, flags: number): IsakmpHeader {
  return {
    initiatorCookie: kek.spi.slice(0, 8),
    responderCookie: kek.spi.slice(8, 16),
    nextPayload: PAYLOAD.SEQ,
    version: ISAKMP_VERSION,
    exchangeType: EXCHANGE.GROUPKEY_PUSH,
    flags,
    messageId: 0,
    length,
  };
}

/** Builds one push under `kek` (the KEK members hold now), signed with the KS's private key. */
export async function buildPush(
  kek: KekMaterial,
  signer: CryptoKey,
  modulusBytes: number,
  payloads: readonly IsakmpPayload[],
): Promise<BuiltPush> {
  const chain = encodePayloads(payloads, PAYLOAD.SIG);
  const bs = blockSize(kek.cipher);
  const unpadded = chain.length + 4 + modulusBytes;
  const pad = (bs - (unpadded % bs)) % bs;
  const header = encodeIsakmpHeader(
    pushHeader(kek, ISAKMP_HEADER_LENGTH + unpadded + pad, ISAKMP_FLAG_ENCRYPTION),
  );
  const signature = await rsaSign(signer, concatBytes(REKEY, header, chain));
  const sig = concatBytes(
    new Uint8Array([0, 0, (4 + signature.length) >> 8, (4 + signature.length) & 0xff]),
    signature,
  );
  const plaintext = concatBytes(chain, sig, new Uint8Array(pad));
  const ciphertext = await cbcEncrypt(kek.cipher, kek.key, kek.iv, plaintext);
  const clearHeader = encodeIsakmpHeader(
    pushHeader(kek, ISAKMP_HEADER_LENGTH + chain.length + sig.length, 0),
  );
  return { bytes: concatBytes(header, ciphertext), plaintextCopy: concatBytes(clearHeader, chain, sig) };
}

export type OpenedPush =
  | {
      readonly ok: true;
      readonly header: IsakmpHeader;
      readonly payloads: IsakmpPayload[];
      readonly raw: RawPayload[];
    }
  | { readonly ok: false; readonly reason: 'malformed' | 'signature'; readonly detail: string };

/**
 * Decrypts a push with the KEK its cookies name and checks its signature with the KS's public key from the last
 * key download. Nothing is installed here: the caller checks SEQ and installs only after this succeeds.
 */
export async function openPush(
  bytes: Uint8Array,
  kek: KekMaterial,
  verifier: CryptoKey,
): Promise<OpenedPush> {
  let header: IsakmpHeader;
  let plaintext: Uint8Array;
  try {
    header = decodeIsakmpHeader(bytes);
    const ciphertext = bytes.subarray(ISAKMP_HEADER_LENGTH, header.length);
    plaintext = await cbcDecrypt(kek.cipher, kek.key, kek.iv, ciphertext);
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : String(e) };
  }
  let raw: RawPayload[];
  try {
    raw = walkPayloads(plaintext, header.nextPayload);
  } catch {
    // Garbage after decryption: a wrong KEK or a tampered ciphertext. The signature cannot be checked.
    return { ok: false, reason: 'signature', detail: 'the decrypted payloads do not parse' };
  }
  const sig = raw.find((p) => p.type === PAYLOAD.SIG);
  if (!sig) return { ok: false, reason: 'signature', detail: 'no SIG payload' };
  const signed = concatBytes(
    REKEY,
    bytes.subarray(0, ISAKMP_HEADER_LENGTH),
    plaintext.subarray(0, sig.offset),
  );
  if (!(await rsaVerify(verifier, sig.body, signed))) {
    return { ok: false, reason: 'signature', detail: 'signature does not verify' };
  }
  try {
    const payloads = raw.map((p) => decodePayload(p.type, p.body, EXCHANGE.GROUPKEY_PUSH));
    return { ok: true, header, payloads, raw };
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : String(e) };
  }
}
