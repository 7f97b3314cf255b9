/**
 * ESP (RFC 4303): the packet layout, the RFC 4303 §2.4 padding and trailer, and sealing/opening with a CBC
 * cipher plus a truncated HMAC ICV (RFC 2403 HMAC-MD5-96, RFC 2404 HMAC-SHA1-96, RFC 4868 HMAC-SHA-256-128).
 *
 *   SPI(4) | Sequence(4) | IV | E( payload | padding 1,2,3… | Pad Length(1) | Next Header(1) ) | ICV
 *
 * The ICV covers SPI through ciphertext (RFC 4303 §3.3.4: encrypt-then-MAC).
 */
import {
  blockSize,
  type BlockCipher,
  cbcDecrypt,
  cbcEncrypt,
  cbcNow,
  type HashAlgorithm,
  hmacNowInto,
} from '../crypto';
import { ByteReader, ByteWriter, readU32, writeU32 } from './bytes';
import { DecodeError } from './decode-error';

/** Next Header of tunnel mode: the payload is a whole IPv4 packet (IANA protocol 4, IP-in-IP). */
export const ESP_NEXT_HEADER_IPV4 = 4;
export const ESP_HEADER_LENGTH = 8;

export interface EspSaKeys {
  readonly spi: number;
  readonly cipher: BlockCipher;
  readonly encryptionKey: Uint8Array;
  readonly auth: HashAlgorithm;
  readonly integrityKey: Uint8Array;
}

/** ICV length in bytes: 12 (96 bits) for MD5 and SHA-1, 16 (128 bits) for SHA-256 (RFC 4868 §2.1.1). */
export function icvLength(auth: HashAlgorithm): number {
  return auth === 'sha256' ? 16 : 12;
}

/** The IV is one cipher block (RFC 2451 §3 for 3DES, RFC 3602 §3 for AES). */
export function ivLength(cipher: BlockCipher): number {
  return blockSize(cipher);
}

/**
 * Padding plus trailer for `payloadLength` bytes: pad bytes 1, 2, 3 … (RFC 4303 §2.4, the default a receiver
 * may check), then Pad Length and Next Header, so that the whole is a multiple of the block size.
 */
export function espTrailer(payloadLength: number, block: number, nextHeader: number): Uint8Array {
  const padLength = (block - ((payloadLength + 2) % block)) % block;
  const out = new Uint8Array(padLength + 2);
  for (let i = 0; i < padLength; i++) out[i] = i + 1;
  out[padLength] = padLength;
  out[padLength + 1] = nextHeader;
  return out;
}

/** The cleartext fields of an ESP packet, split by the SA's IV and ICV lengths. */
export interface EspPacket {
  readonly spi: number;
  readonly sequence: number;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly icv: Uint8Array;
}

export function encodeEsp(p: EspPacket): Uint8Array {
  return new ByteWriter(ESP_HEADER_LENGTH + p.iv.length + p.ciphertext.length + p.icv.length)
    .u32(p.spi)
    .u32(p.sequence)
    .bytes(p.iv)
    .bytes(p.ciphertext)
    .bytes(p.icv)
    .finish();
}

/** SPI and sequence number: all a receiver can read before it knows the SA. */
export function peekEsp(bytes: Uint8Array): { spi: number; sequence: number } {
  // Read straight from the bytes (every ESP packet received is peeked); the reader only reports a short one.
  if (bytes.length >= ESP_HEADER_LENGTH) return { spi: readU32(bytes, 0), sequence: readU32(bytes, 4) };
  const r = new ByteReader(bytes, 'esp');
  return { spi: r.u32(), sequence: r.u32() };
}

/** Splits an ESP packet given the SA's IV and ICV lengths (known from the SPI). */
export function decodeEsp(bytes: Uint8Array, ivBytes: number, icvBytes: number): EspPacket {
  // Every ESP packet received is split here: straight from the bytes when they hold header, IV and ICV; the
  // reader below only reports a packet cut short.
  const cipherAt = ESP_HEADER_LENGTH + ivBytes;
  const icvAt = bytes.length - icvBytes;
  if (icvAt >= cipherAt) {
    return {
      spi: readU32(bytes, 0),
      sequence: readU32(bytes, 4),
      iv: bytes.subarray(ESP_HEADER_LENGTH, cipherAt),
      ciphertext: bytes.subarray(cipherAt, icvAt),
      icv: bytes.subarray(icvAt),
    };
  }
  const r = new ByteReader(bytes, 'esp');
  const spi = r.u32();
  const sequence = r.u32();
  const iv = r.bytesView(ivBytes);
  const cipherLength = r.remaining - icvBytes;
  if (cipherLength < 0)
    throw new DecodeError('esp', r.offset, `truncated: no room for the ${icvBytes}-byte ICV`);
  const ciphertext = r.bytesView(cipherLength);
  const icv = r.bytesView(icvBytes);
  return { spi, sequence, iv, ciphertext, icv };
}

/**
 * The truncated HMAC (RFC 2403/2404/4868) of `authenticated`, written into `out` at `at`, computed
 * synchronously: every HMAC here is (crypto/hash.ts), and a promise per packet cost more than the hashing of
 * a small packet (issue 18).
 */
function writeIcv(sa: EspSaKeys, authenticated: Uint8Array, out: Uint8Array, at: number): void {
  hmacNowInto(sa.auth, sa.integrityKey, authenticated, out, at, icvLength(sa.auth));
}

/** The expected ICV of a received packet (RFC 4303 §3.4.4), computed here: 16 bytes at most (RFC 4868). */
const expectedIcv = new Uint8Array(16);

/** Constant-time comparison of `icv` with the first `icv.length` bytes of `expectedIcv`. */
function icvMatches(icv: Uint8Array): boolean {
  let diff = 0;
  for (let i = 0; i < icv.length; i++) diff |= icv[i]! ^ expectedIcv[i]!;
  return diff === 0;
}

/**
 * Builds a complete ESP packet (the IP payload) carrying `payload` under `sa`, in one array: header, IV,
 * payload and trailer are written where they belong, the cipher encrypts the plaintext in place (DES/3DES;
 * AES results are copied in) and the ICV lands at the end. `headroom` bytes are left free in front, where the
 * caller writes the outer IP header (tunnel mode: encodeIpv4Header), so the packet is never copied again.
 */
export function sealEsp(
  sa: EspSaKeys,
  sequence: number,
  iv: Uint8Array,
  payload: Uint8Array,
  nextHeader = ESP_NEXT_HEADER_IPV4,
  headroom = 0,
): Uint8Array | Promise<Uint8Array> {
  const block = blockSize(sa.cipher);
  const padLength = (block - ((payload.length + 2) % block)) % block;
  const plainAt = headroom + ESP_HEADER_LENGTH + iv.length;
  const icvAt = plainAt + payload.length + padLength + 2;
  const out = new Uint8Array(icvAt + icvLength(sa.auth));
  writeU32(out, headroom, sa.spi);
  writeU32(out, headroom + 4, sequence);
  out.set(iv, headroom + ESP_HEADER_LENGTH);
  out.set(payload, plainAt);
  // RFC 4303 §2.4 trailer, as espTrailer builds it: pad bytes 1, 2, 3 …, Pad Length, Next Header.
  const padAt = plainAt + payload.length;
  for (let i = 0; i < padLength; i++) out[padAt + i] = i + 1;
  out[icvAt - 2] = padLength;
  out[icvAt - 1] = nextHeader;
  const plain = out.subarray(plainAt, icvAt);
  // DES/3DES/AES-192 encrypt here and now, and the packet is returned as is, not in a promise (no microtask per
  // packet, issue 18); only WebCrypto's AES-128/256 needs the promise.
  const ciphertext = cbcNow('encrypt', sa.cipher, sa.encryptionKey, iv, plain, plain);
  if (!ciphertext) return sealWithWebCrypto(sa, iv, out, headroom, plainAt, icvAt);
  if (ciphertext !== plain) plain.set(ciphertext);
  writeIcv(sa, out.subarray(headroom, icvAt), out, icvAt);
  return out;
}

/** The end of `sealEsp` for a cipher only WebCrypto has (AES-128/256). */
async function sealWithWebCrypto(
  sa: EspSaKeys,
  iv: Uint8Array,
  out: Uint8Array,
  headroom: number,
  plainAt: number,
  icvAt: number,
): Promise<Uint8Array> {
  const plain = out.subarray(plainAt, icvAt);
  plain.set(await cbcEncrypt(sa.cipher, sa.encryptionKey, iv, plain, plain));
  writeIcv(sa, out.subarray(headroom, icvAt), out, icvAt);
  return out;
}

export type EspOpenResult =
  | {
      readonly ok: true;
      readonly packet: EspPacket;
      readonly payload: Uint8Array;
      readonly nextHeader: number;
    }
  | { readonly ok: false; readonly reason: 'malformed' | 'icv' | 'padding'; readonly detail: string };

/**
 * Checks the ICV, then decrypts and strips the trailer (RFC 4303 §3.4.4: integrity before decryption). The
 * receiver's anti-replay check is the caller's: it needs the sender and the SA's replay state.
 */
export function openEsp(sa: EspSaKeys, bytes: Uint8Array): EspOpenResult | Promise<EspOpenResult> {
  const icvBytes = icvLength(sa.auth);
  let packet: EspPacket;
  try {
    packet = decodeEsp(bytes, ivLength(sa.cipher), icvBytes);
  } catch (e) {
    return { ok: false, reason: 'malformed', detail: e instanceof Error ? e.message : String(e) };
  }
  writeIcv(sa, bytes.subarray(0, bytes.length - icvBytes), expectedIcv, 0);
  if (!icvMatches(packet.icv)) return { ok: false, reason: 'icv', detail: 'ICV mismatch' };
  const bs = blockSize(sa.cipher);
  if (packet.ciphertext.length < bs || packet.ciphertext.length % bs !== 0)
    return { ok: false, reason: 'malformed', detail: `ciphertext of ${packet.ciphertext.length} bytes` };
  // Synchronous for DES/3DES/AES-192 (no promise per packet, issue 18); WebCrypto's AES-128/256 awaits.
  const plain = cbcNow('decrypt', sa.cipher, sa.encryptionKey, packet.iv, packet.ciphertext);
  if (!plain) return openWithWebCrypto(sa, packet);
  return stripTrailer(packet, plain);
}

/** The end of `openEsp` for a cipher only WebCrypto has (AES-128/256). */
async function openWithWebCrypto(sa: EspSaKeys, packet: EspPacket): Promise<EspOpenResult> {
  return stripTrailer(packet, await cbcDecrypt(sa.cipher, sa.encryptionKey, packet.iv, packet.ciphertext));
}

/** Reads and checks the RFC 4303 §2.4 trailer of the decrypted `plain`. */
function stripTrailer(packet: EspPacket, plain: Uint8Array): EspOpenResult {
  const padLength = plain[plain.length - 2] ?? 0;
  const nextHeader = plain[plain.length - 1] ?? 0;
  const end = plain.length - 2 - padLength;
  if (end < 0) return { ok: false, reason: 'padding', detail: `pad length ${padLength} too long` };
  // RFC 4303 §2.4: the default padding is 1, 2, 3 …; a receiver checks it.
  for (let i = 0; i < padLength; i++) {
    if (plain[end + i] !== i + 1)
      return { ok: false, reason: 'padding', detail: 'padding bytes are not 1, 2, 3 …' };
  }
  return { ok: true, packet, payload: plain.subarray(0, end), nextHeader };
}
