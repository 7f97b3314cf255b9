/**
 * DES and 3DES (EDE) in CBC mode without padding, table-driven and with key schedules kept per key: des.js
 * builds a cipher object, derives the key schedule and runs the round function bit by bit for every packet,
 * which made 3DES the largest cost of a 100-spoke GET VPN run (bench/RESULTS.md).
 *
 * The algorithm is FIPS 46-3 and every table comes from des.js's own primitives (`utils`), evaluated once:
 * S-box output i followed by the P permutation is a 64-entry table per S-box ("SP boxes"), since P only moves
 * bits; the E expansion becomes eight 6-bit slices of R. 3DES is EDE with keying option 1 (RFC 1851, RFC 2451):
 * E(k1) D(k2) E(k3); IP and FP between the three passes cancel out and are applied once per block. Round
 * keys are packed two words a round and the halves kept rotated (libdes's layout), so a round keys its eight
 * S-box inputs with two XORs: 25 % less CPU per 3DES block than eight slice lookups (bench/RESULTS.md).
 */
// The ambient types of des.js must reach every program that compiles this file, including tsconfig.test.json,
// which includes only test files.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./des-js.d.ts" />
import desjs from 'des.js';

const utils = desjs.utils;

/**
 * SP[64 * i + x]: S-box i (0-based) applied to the 6-bit input x, placed in its nibble and permuted by P, then
 * rotated left by one bit (the form cryptBlock keeps its halves in).
 */
const SP = (() => {
  const sp = new Int32Array(8 * 64);
  for (let i = 0; i < 8; i++) {
    for (let x = 0; x < 64; x++) {
      // Feed x to S-box i alone; the other boxes see 0 and their (non-zero) output is masked away.
      const left = i < 4 ? x << (18 - 6 * i) : 0;
      const right = i < 4 ? 0 : x << (18 - 6 * (i - 4));
      const nibble = (utils.substitute(left, right) >>> (28 - 4 * i)) & 0xf;
      const f = utils.permute(nibble << (28 - 4 * i)) | 0;
      // Rotated left by one, as the block function keeps both halves (see cryptBlock).
      sp[64 * i + x] = (f << 1) | (f >>> 31);
    }
  }
  return sp;
})();

const SHIFTS = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/** The 16 round keys of one DES key, each as its eight 6-bit S-box slices (128 entries). */
function roundKeys(key: Uint8Array, offset: number): Int32Array {
  const pair = [0, 0];
  utils.pc1(readU32(key, offset), readU32(key, offset + 4), pair, 0);
  let c = pair[0]!;
  let d = pair[1]!;
  const out = new Int32Array(128);
  for (let round = 0; round < 16; round++) {
    c = utils.r28shl(c, SHIFTS[round]!);
    d = utils.r28shl(d, SHIFTS[round]!);
    utils.pc2(c, d, pair, 0);
    for (let j = 0; j < 4; j++) {
      out[8 * round + j] = (pair[0]! >>> (18 - 6 * j)) & 0x3f;
      out[8 * round + 4 + j] = (pair[1]! >>> (18 - 6 * j)) & 0x3f;
    }
  }
  return out;
}

function readU32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** The same as a signed 32-bit integer (the block function's representation: no heap numbers). */
function readI32(b: Uint8Array, o: number): number {
  return (b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!;
}

function writeI32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/**
 * Round keys as the block function reads them: 128 entries (16 rounds of eight 6-bit slices) per pass, in the
 * order the rounds use them, so a decrypting pass is its key's rounds in reverse and every pass runs forwards.
 */
function passKeys(k: Int32Array, decrypt: boolean): Int32Array {
  if (!decrypt) return k;
  const out = new Int32Array(128);
  for (let round = 0; round < 16; round++) out.set(k.subarray(8 * (15 - round), 8 * (16 - round)), 8 * round);
  return out;
}

/** A DES or 3DES key ready for use: the round keys of its one or three passes, back to back, packed (2 words a round). */
type Schedule = Int32Array;

/** Key schedules by direction and key bytes: SAs reuse their keys for every packet. */
const schedules = new Map<string, Schedule>();
const MAX_SCHEDULES = 4096;

/** The same, by key array: an SA hands the same Uint8Array to every packet, so this is the usual hit. */
const byArray = [new WeakMap<Uint8Array, Schedule>(), new WeakMap<Uint8Array, Schedule>()] as const;

function schedule(key: Uint8Array, decrypt: boolean): Schedule {
  const direct = byArray[decrypt ? 1 : 0];
  let s = direct.get(key);
  if (s) return s;
  s = scheduleByBytes(key, decrypt);
  direct.set(key, s);
  return s;
}

function scheduleByBytes(key: Uint8Array, decrypt: boolean): Schedule {
  const id = `${decrypt ? 'd' : 'e'}${String.fromCharCode(...key)}`;
  let s = schedules.get(id);
  if (s) return s;
  if (key.length === 8) {
    s = passKeys(roundKeys(key, 0), decrypt);
  } else {
    const [k1, k2, k3] = [roundKeys(key, 0), roundKeys(key, 8), roundKeys(key, 16)];
    // Encrypt: E(k1) D(k2) E(k3); decrypt: D(k3) E(k2) D(k1).
    const passes = decrypt
      ? [passKeys(k3, true), passKeys(k2, false), passKeys(k1, true)]
      : [passKeys(k1, false), passKeys(k2, true), passKeys(k3, false)];
    s = new Int32Array(3 * 128);
    passes.forEach((p, i) => s!.set(p, 128 * i));
  }
  s = packRoundKeys(s);
  if (schedules.size >= MAX_SCHEDULES) schedules.clear();
  schedules.set(id, s);
  return s;
}

/**
 * Packs each round's eight 6-bit key slices (S-boxes 1..8) into the two words cryptBlock XORs with the rotated
 * half x = R <<< 1, in whose bits E's slices lie: S8, S6, S4, S2 at bits 0, 8, 16, 24 of x, and S7, S5, S3, S1
 * at bits 0, 8, 16, 24 of x >>> 4 (rotated). One XOR per word keys four S-box inputs at once (the layout
 * libdes/OpenSSL's D_ENCRYPT uses).
 */
function packRoundKeys(slices: Int32Array): Int32Array {
  const out = new Int32Array(slices.length / 4);
  for (let round = 0; 8 * round < slices.length; round++) {
    const k = slices.subarray(8 * round, 8 * round + 8);
    out[2 * round] = k[7]! | (k[5]! << 8) | (k[3]! << 16) | (k[1]! << 24);
    out[2 * round + 1] = k[6]! | (k[4]! << 8) | (k[2]! << 16) | (k[0]! << 24);
  }
  return out;
}

/** The block `cryptBlock` works on, as two signed 32-bit halves (module scratch: no array per block). */
let blockL = 0;
let blockR = 0;

/**
 * The round function f(R, K) of FIPS 46-3 on a half kept rotated left by one: E's eight 6-bit slices are four
 * bytes of `x` keyed by `k0` and four of `x` rotated right by four keyed by `k1` (packRoundKeys), each looked up
 * in its SP box.
 */
function feistel(x: number, k0: number, k1: number): number {
  const u = x ^ k0;
  const v = ((x >>> 4) | (x << 28)) ^ k1;
  return (
    SP[448 + (u & 0x3f)]! |
    SP[320 + ((u >>> 8) & 0x3f)]! |
    SP[192 + ((u >>> 16) & 0x3f)]! |
    SP[64 + ((u >>> 24) & 0x3f)]! |
    SP[384 + (v & 0x3f)]! |
    SP[256 + ((v >>> 8) & 0x3f)]! |
    SP[128 + ((v >>> 16) & 0x3f)]! |
    SP[(v >>> 24) & 0x3f]!
  );
}

/**
 * One block through IP, the passes of `k` and FP. Each pass is sixteen Feistel rounds, two per step with
 * the halves' roles alternating; the swap after a pass leaves the pre-output block R16 L16, which is also the
 * next pass's input in EDE (FP then IP cancel out between passes). The round function f(R, K) is the E
 * expansion as eight 6-bit slices of R, each XORed with its key slice and looked up in its SP box; the halves
 * stay rotated left by one during the rounds so that the slices are four bytes of R and of R rotated by four,
 * keyed by one XOR each (packRoundKeys).
 * Everything stays in signed 32-bit integers.
 */
function cryptBlock(k: Schedule): void {
  let l = blockL;
  let r = blockR;
  let t = ((l >>> 4) ^ r) & 0x0f0f0f0f;
  r ^= t;
  l ^= t << 4;
  t = ((l >>> 16) ^ r) & 0x0000ffff;
  r ^= t;
  l ^= t << 16;
  t = ((r >>> 2) ^ l) & 0x33333333;
  l ^= t;
  r ^= t << 2;
  t = ((r >>> 8) ^ l) & 0x00ff00ff;
  l ^= t;
  r ^= t << 8;
  t = ((l >>> 1) ^ r) & 0x55555555;
  r ^= t;
  l ^= t << 1;
  // Both halves rotated left by one for the rounds: E's slices of R are then byte-aligned in R and R >>> 4.
  l = (l << 1) | (l >>> 31);
  r = (r << 1) | (r >>> 31);
  for (let pass = 0; pass < k.length; pass += 32) {
    for (let at = pass; at < pass + 32; at += 4) {
      l ^= feistel(r, k[at]!, k[at + 1]!);
      r ^= feistel(l, k[at + 2]!, k[at + 3]!);
    }
    t = l;
    l = r;
    r = t;
  }
  l = (l >>> 1) | (l << 31);
  r = (r >>> 1) | (r << 31);
  // FP = IP⁻¹: the same swaps in reverse order.
  t = ((l >>> 1) ^ r) & 0x55555555;
  r ^= t;
  l ^= t << 1;
  t = ((r >>> 8) ^ l) & 0x00ff00ff;
  l ^= t;
  r ^= t << 8;
  t = ((r >>> 2) ^ l) & 0x33333333;
  l ^= t;
  r ^= t << 2;
  t = ((l >>> 16) ^ r) & 0x0000ffff;
  r ^= t;
  l ^= t << 16;
  t = ((l >>> 4) ^ r) & 0x0f0f0f0f;
  r ^= t;
  l ^= t << 4;
  blockL = l;
  blockR = r;
}

/**
 * CBC over block-aligned `data` (the caller checked lengths) with an 8-byte (DES) or 24-byte (3DES) key, into
 * `out` (a new array unless given; `out` may be `data` itself: each block is read before it is written).
 */
export function desCbc(
  type: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
  out: Uint8Array = new Uint8Array(data.length),
): Uint8Array {
  const decrypt = type === 'decrypt';
  const s = schedule(key, decrypt);
  let prevL = readI32(iv, 0);
  let prevR = readI32(iv, 4);
  for (let o = 0; o < data.length; o += 8) {
    const inL = readI32(data, o);
    const inR = readI32(data, o + 4);
    if (decrypt) {
      blockL = inL;
      blockR = inR;
      cryptBlock(s);
      writeI32(out, o, blockL ^ prevL);
      writeI32(out, o + 4, blockR ^ prevR);
      prevL = inL;
      prevR = inR;
    } else {
      blockL = inL ^ prevL;
      blockR = inR ^ prevR;
      cryptBlock(s);
      writeI32(out, o, blockL);
      writeI32(out, o + 4, blockR);
      prevL = blockL;
      prevR = blockR;
    }
  }
  return out;
}
