/**
 * DES and 3DES (EDE) in CBC mode without padding, table-driven and with key schedules kept per key: des.js
 * builds a cipher object, derives the key schedule and runs the round function bit by bit for every packet,
 * which made 3DES the largest cost of a 100-spoke GET VPN run (bench/RESULTS.md).
 *
 * The algorithm is FIPS 46-3 and every table comes from des.js's own primitives (`utils`), evaluated once:
 * S-box output i followed by the P permutation is a 64-entry table per S-box ("SP boxes"), since P only moves
 * bits; the E expansion becomes eight 6-bit slices of R. 3DES is EDE with keying option 1 (RFC 1851, RFC 2451):
 * E(k1) D(k2) E(k3); IP and FP between the three passes cancel out and are applied once per block.
 */
// The ambient types of des.js must reach every program that compiles this file, including tsconfig.test.json,
// which includes only test files.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./des-js.d.ts" />
import desjs from 'des.js';

const utils = desjs.utils;

/** SP[64 * i + x]: S-box i (0-based) applied to the 6-bit input x, placed in its nibble and permuted by P. */
const SP = (() => {
  const sp = new Int32Array(8 * 64);
  for (let i = 0; i < 8; i++) {
    for (let x = 0; x < 64; x++) {
      // Feed x to S-box i alone; the other boxes see 0 and their (non-zero) output is masked away.
      const left = i < 4 ? x << (18 - 6 * i) : 0;
      const right = i < 4 ? 0 : x << (18 - 6 * (i - 4));
      const nibble = (utils.substitute(left, right) >>> (28 - 4 * i)) & 0xf;
      sp[64 * i + x] = utils.permute(nibble << (28 - 4 * i)) | 0;
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

function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** The round function f(R, K): E expansion as eight 6-bit slices of R, then the SP boxes. */
function f(r: number, k: Int32Array, at: number): number {
  return (
    SP[(((r & 1) << 5) | (r >>> 27)) ^ k[at]!]! |
    SP[64 + (((r >>> 23) & 0x3f) ^ k[at + 1]!)]! |
    SP[128 + (((r >>> 19) & 0x3f) ^ k[at + 2]!)]! |
    SP[192 + (((r >>> 15) & 0x3f) ^ k[at + 3]!)]! |
    SP[256 + (((r >>> 11) & 0x3f) ^ k[at + 4]!)]! |
    SP[320 + (((r >>> 7) & 0x3f) ^ k[at + 5]!)]! |
    SP[384 + (((r >>> 3) & 0x3f) ^ k[at + 6]!)]! |
    SP[448 + ((((r & 0x1f) << 1) | (r >>> 31)) ^ k[at + 7]!)]!
  );
}

/**
 * Sixteen Feistel rounds on the IP-permuted halves in `lr`, forwards (encrypt) or with the round keys reversed
 * (decrypt); leaves the pre-output block R16 L16 in `lr`, which is also the next pass's input in EDE.
 */
function rounds(lr: number[], k: Int32Array, decrypt: boolean): void {
  let l = lr[0]!;
  let r = lr[1]!;
  for (let i = 0; i < 16; i++) {
    const t = r;
    r = (l ^ f(r, k, 8 * (decrypt ? 15 - i : i))) >>> 0;
    l = t;
  }
  lr[0] = r;
  lr[1] = l;
}

/** A DES or 3DES key ready for use: one or three round-key sets and the direction of each pass. */
interface Schedule {
  readonly keys: readonly Int32Array[];
  readonly decrypt: readonly boolean[];
}

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
    s = { keys: [roundKeys(key, 0)], decrypt: [decrypt] };
  } else {
    const [k1, k2, k3] = [roundKeys(key, 0), roundKeys(key, 8), roundKeys(key, 16)];
    // Encrypt: E(k1) D(k2) E(k3); decrypt: D(k3) E(k2) D(k1).
    s = decrypt
      ? { keys: [k3, k2, k1], decrypt: [true, false, true] }
      : { keys: [k1, k2, k3], decrypt: [false, true, false] };
  }
  if (schedules.size >= MAX_SCHEDULES) schedules.clear();
  schedules.set(id, s);
  return s;
}

function cryptBlock(s: Schedule, lr: number[]): void {
  initialPermutation(lr);
  for (let p = 0; p < s.keys.length; p++) rounds(lr, s.keys[p]!, s.decrypt[p]!);
  finalPermutation(lr);
}

/**
 * IP as five masked swaps of bit groups between the halves (the classic libdes PERM_OP sequence), equal to
 * des.js's bit-by-bit `utils.ip` (des.test.ts checks whole blocks against des.js) at a fraction of its cost.
 */
function initialPermutation(lr: number[]): void {
  let l = lr[0]!;
  let r = lr[1]!;
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
  lr[0] = l >>> 0;
  lr[1] = r >>> 0;
}

/** FP = IP⁻¹: the same swaps in reverse order (equal to des.js's `utils.rip`). */
function finalPermutation(lr: number[]): void {
  let l = lr[0]!;
  let r = lr[1]!;
  let t = ((l >>> 1) ^ r) & 0x55555555;
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
  lr[0] = l >>> 0;
  lr[1] = r >>> 0;
}

/** CBC over block-aligned `data` (the caller checked lengths) with an 8-byte (DES) or 24-byte (3DES) key. */
export function desCbc(
  type: 'encrypt' | 'decrypt',
  key: Uint8Array,
  iv: Uint8Array,
  data: Uint8Array,
): Uint8Array {
  const decrypt = type === 'decrypt';
  const s = schedule(key, decrypt);
  const out = new Uint8Array(data.length);
  let prevL = readU32(iv, 0);
  let prevR = readU32(iv, 4);
  const lr = [0, 0];
  for (let o = 0; o < data.length; o += 8) {
    const inL = readU32(data, o);
    const inR = readU32(data, o + 4);
    if (decrypt) {
      lr[0] = inL;
      lr[1] = inR;
      cryptBlock(s, lr);
      writeU32(out, o, (lr[0]! ^ prevL) >>> 0);
      writeU32(out, o + 4, (lr[1]! ^ prevR) >>> 0);
      prevL = inL;
      prevR = inR;
    } else {
      lr[0] = (inL ^ prevL) >>> 0;
      lr[1] = (inR ^ prevR) >>> 0;
      cryptBlock(s, lr);
      writeU32(out, o, lr[0]!);
      writeU32(out, o + 4, lr[1]!);
      prevL = lr[0]!;
      prevR = lr[1]!;
    }
  }
  return out;
}
