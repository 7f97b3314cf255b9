/**
 * MD5 (RFC 1321) and HMAC-MD5 (RFC 2104) for the per-packet ICV of ESP (RFC 2403 HMAC-MD5-96), written for
 * that one use: an SA's key is absorbed once into an inner and an outer MD5 state (the ipad and opad blocks of
 * RFC 2104 §2), and each packet starts from those two 16-byte states, reads its 32-bit words straight from the
 * packet and allocates nothing but its 16-byte result. @noble/hashes' HMAC, cloned per packet, allocated a
 * hash object, a DataView and buffers each time and was about 5 % of a 1000-spoke steady state (issue 18).
 * hash.ts keeps @noble/hashes for everything else; md5.test.ts checks this file against RFC 1321's and RFC
 * 2202's test vectors and against @noble/hashes on random keys and messages.
 */

/** The MD5 block is 64 bytes; the digest 16 (RFC 1321 §3.4, §3.5). */
const BLOCK = 64;

/** RFC 1321 §3.3: A, B, C, D = 01 23 45 67, 89 ab cd ef, fe dc ba 98, 76 54 32 10 (low-order byte first). */
const INITIAL = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476] as const;

/** The 16 message words of the block being compressed (module scratch: the functions here never yield). */
const w = new Int32Array(16);
/** The last one or two blocks of a message, padded (RFC 1321 §3.1, §3.2). */
const tail = new Uint8Array(2 * BLOCK);

/** Loads `w` with the 16 little-endian words of the block at `bytes[at]` (RFC 1321 §3.4: low-order byte first). */
function loadBlock(bytes: Uint8Array, at: number): void {
  for (let i = 0; i < 16; i++, at += 4)
    w[i] = bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

/**
 * RFC 1321 §3.4: one 64-step compression of `w` into `state` (A, B, C, D as signed 32-bit integers). Each step
 * is a = b + ((a + F(b,c,d) + X[k] + T[i]) <<< s) with F, G, H, I written out: as 64 calls of four helper
 * functions, V8's inlining budget ran out part way and the rest stayed calls (issue 18 profile).
 */
function compress(state: Int32Array): void {
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  // Round 1 (RFC 1321 §3.4).
  a = (a + ((b & c) | (~b & d)) + w[0]! + (0xd76aa478 | 0)) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[1]! + (0xe8c7b756 | 0)) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[2]! + (0x242070db | 0)) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[3]! + (0xc1bdceee | 0)) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[4]! + (0xf57c0faf | 0)) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[5]! + (0x4787c62a | 0)) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[6]! + (0xa8304613 | 0)) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[7]! + (0xfd469501 | 0)) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[8]! + (0x698098d8 | 0)) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[9]! + (0x8b44f7af | 0)) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[10]! + (0xffff5bb1 | 0)) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[11]! + (0x895cd7be | 0)) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  a = (a + ((b & c) | (~b & d)) + w[12]! + (0x6b901122 | 0)) | 0;
  a = (((a << 7) | (a >>> 25)) + b) | 0;
  d = (d + ((a & b) | (~a & c)) + w[13]! + (0xfd987193 | 0)) | 0;
  d = (((d << 12) | (d >>> 20)) + a) | 0;
  c = (c + ((d & a) | (~d & b)) + w[14]! + (0xa679438e | 0)) | 0;
  c = (((c << 17) | (c >>> 15)) + d) | 0;
  b = (b + ((c & d) | (~c & a)) + w[15]! + (0x49b40821 | 0)) | 0;
  b = (((b << 22) | (b >>> 10)) + c) | 0;
  // Round 2 (RFC 1321 §3.4).
  a = (a + ((b & d) | (c & ~d)) + w[1]! + (0xf61e2562 | 0)) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[6]! + (0xc040b340 | 0)) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[11]! + (0x265e5a51 | 0)) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[0]! + (0xe9b6c7aa | 0)) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[5]! + (0xd62f105d | 0)) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[10]! + (0x02441453 | 0)) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[15]! + (0xd8a1e681 | 0)) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[4]! + (0xe7d3fbc8 | 0)) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[9]! + (0x21e1cde6 | 0)) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[14]! + (0xc33707d6 | 0)) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[3]! + (0xf4d50d87 | 0)) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[8]! + (0x455a14ed | 0)) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  a = (a + ((b & d) | (c & ~d)) + w[13]! + (0xa9e3e905 | 0)) | 0;
  a = (((a << 5) | (a >>> 27)) + b) | 0;
  d = (d + ((a & c) | (b & ~c)) + w[2]! + (0xfcefa3f8 | 0)) | 0;
  d = (((d << 9) | (d >>> 23)) + a) | 0;
  c = (c + ((d & b) | (a & ~b)) + w[7]! + (0x676f02d9 | 0)) | 0;
  c = (((c << 14) | (c >>> 18)) + d) | 0;
  b = (b + ((c & a) | (d & ~a)) + w[12]! + (0x8d2a4c8a | 0)) | 0;
  b = (((b << 20) | (b >>> 12)) + c) | 0;
  // Round 3 (RFC 1321 §3.4).
  a = (a + (b ^ c ^ d) + w[5]! + (0xfffa3942 | 0)) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[8]! + (0x8771f681 | 0)) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[11]! + (0x6d9d6122 | 0)) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[14]! + (0xfde5380c | 0)) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[1]! + (0xa4beea44 | 0)) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[4]! + (0x4bdecfa9 | 0)) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[7]! + (0xf6bb4b60 | 0)) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[10]! + (0xbebfbc70 | 0)) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[13]! + (0x289b7ec6 | 0)) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[0]! + (0xeaa127fa | 0)) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[3]! + (0xd4ef3085 | 0)) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[6]! + (0x04881d05 | 0)) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  a = (a + (b ^ c ^ d) + w[9]! + (0xd9d4d039 | 0)) | 0;
  a = (((a << 4) | (a >>> 28)) + b) | 0;
  d = (d + (a ^ b ^ c) + w[12]! + (0xe6db99e5 | 0)) | 0;
  d = (((d << 11) | (d >>> 21)) + a) | 0;
  c = (c + (d ^ a ^ b) + w[15]! + (0x1fa27cf8 | 0)) | 0;
  c = (((c << 16) | (c >>> 16)) + d) | 0;
  b = (b + (c ^ d ^ a) + w[2]! + (0xc4ac5665 | 0)) | 0;
  b = (((b << 23) | (b >>> 9)) + c) | 0;
  // Round 4 (RFC 1321 §3.4).
  a = (a + (c ^ (b | ~d)) + w[0]! + (0xf4292244 | 0)) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[7]! + (0x432aff97 | 0)) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[14]! + (0xab9423a7 | 0)) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[5]! + (0xfc93a039 | 0)) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[12]! + (0x655b59c3 | 0)) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[3]! + (0x8f0ccc92 | 0)) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[10]! + (0xffeff47d | 0)) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[1]! + (0x85845dd1 | 0)) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[8]! + (0x6fa87e4f | 0)) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[15]! + (0xfe2ce6e0 | 0)) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[6]! + (0xa3014314 | 0)) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[13]! + (0x4e0811a1 | 0)) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  a = (a + (c ^ (b | ~d)) + w[4]! + (0xf7537e82 | 0)) | 0;
  a = (((a << 6) | (a >>> 26)) + b) | 0;
  d = (d + (b ^ (a | ~c)) + w[11]! + (0xbd3af235 | 0)) | 0;
  d = (((d << 10) | (d >>> 22)) + a) | 0;
  c = (c + (a ^ (d | ~b)) + w[2]! + (0x2ad7d2bb | 0)) | 0;
  c = (((c << 15) | (c >>> 17)) + d) | 0;
  b = (b + (d ^ (c | ~a)) + w[9]! + (0xeb86d391 | 0)) | 0;
  b = (((b << 21) | (b >>> 11)) + c) | 0;
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
}

/**
 * Runs the rest of a message through `state`: `data` whole, then the padding and the bit length of the whole
 * message, `prefixBytes` (blocks already in `state`) plus `data.length` (RFC 1321 §3.1, §3.2).
 */
function finish(state: Int32Array, prefixBytes: number, data: Uint8Array): void {
  const full = data.length - (data.length % BLOCK);
  for (let at = 0; at < full; at += BLOCK) {
    loadBlock(data, at);
    compress(state);
  }
  const rest = data.length - full;
  const blocks = rest < BLOCK - 8 ? 1 : 2;
  tail.fill(0);
  tail.set(data.subarray(full), 0);
  tail[rest] = 0x80;
  // The length in bits as a 64-bit little-endian integer; messages here are far below 2^32 bytes.
  const bytes = prefixBytes + data.length;
  const end = blocks * BLOCK;
  tail[end - 8] = (bytes << 3) & 0xff;
  tail[end - 7] = (bytes >>> 5) & 0xff;
  tail[end - 6] = (bytes >>> 13) & 0xff;
  tail[end - 5] = (bytes >>> 21) & 0xff;
  tail[end - 4] = Math.floor(bytes / 0x20000000) & 0xff;
  for (let at = 0; at < end; at += BLOCK) {
    loadBlock(tail, at);
    compress(state);
  }
}

/** The first `length` bytes (at most 16) of the digest in `state` written into `out` at `at` (low-order byte first). */
function writeState(state: Int32Array, out: Uint8Array, at: number, length: number): void {
  for (let i = 0; i < length; i++) out[at + i] = state[i >> 2]! >>> (8 * (i & 3));
}

function stateBytes(state: Int32Array): Uint8Array {
  const out = new Uint8Array(16);
  writeState(state, out, 0, 16);
  return out;
}

/** The MD5 digest of `data` (RFC 1321). */
export function md5Digest(data: Uint8Array): Uint8Array {
  const state = Int32Array.from(INITIAL);
  finish(state, 0, data);
  return stateBytes(state);
}

/** An HMAC-MD5 key with both pads absorbed: the states after the first block of the inner and outer hash. */
export interface HmacMd5Key {
  readonly inner: Int32Array;
  readonly outer: Int32Array;
}

/**
 * RFC 2104 §2: a key longer than the 64-byte block is hashed first; the key, zero-padded to the block, XORed
 * with ipad (0x36 repeated) starts the inner hash and with opad (0x5c repeated) the outer one.
 */
export function hmacMd5Key(key: Uint8Array): HmacMd5Key {
  const k = key.length > BLOCK ? md5Digest(key) : key;
  const pad = new Uint8Array(BLOCK);
  const absorb = (byte: number): Int32Array => {
    pad.fill(byte);
    for (let i = 0; i < k.length; i++) pad[i] = k[i]! ^ byte;
    const state = Int32Array.from(INITIAL);
    loadBlock(pad, 0);
    compress(state);
    return state;
  };
  return { inner: absorb(0x36), outer: absorb(0x5c) };
}

/** Scratch state of the packet being authenticated. */
const running = new Int32Array(4);

/** HMAC-MD5 (RFC 2104) of `data`: MD5(K ^ opad, MD5(K ^ ipad, data)), the full 16 bytes. */
export function hmacMd5(key: HmacMd5Key, data: Uint8Array): Uint8Array {
  hmacMd5State(key, data);
  return stateBytes(running);
}

/**
 * The first `length` bytes (at most 16) of HMAC-MD5 written into `out` at `at`: RFC 2403's 96-bit ICV lands in
 * the packet (or a scratch buffer) without a 16-byte array per packet.
 */
export function hmacMd5Into(
  key: HmacMd5Key,
  data: Uint8Array,
  out: Uint8Array,
  at: number,
  length: number,
): void {
  hmacMd5State(key, data);
  writeState(running, out, at, length);
}

/** Leaves HMAC-MD5 of `data` in `running`. */
function hmacMd5State(key: HmacMd5Key, data: Uint8Array): void {
  running.set(key.inner);
  finish(running, BLOCK, data);
  // The outer message is the 16-byte inner digest: its words are the inner state itself, then the padding.
  w.set(running);
  w[4] = 0x80;
  w.fill(0, 5, 14);
  w[14] = (BLOCK + 16) * 8;
  w[15] = 0;
  running.set(key.outer);
  compress(running);
}
