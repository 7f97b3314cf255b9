/** BigInt helpers for Diffie-Hellman (and the key server's deterministic RSA key generation). */

/**
 * Big-endian bytes to a BigInt, through one hex string: a shift-and-or per byte makes a new, ever longer BigInt
 * each time (quadratic in the length; a 128-byte DH value made 128 of them), a top allocation site of IKE in a
 * 10,000-spoke lab (issue 18, bench/RESULTS.md).
 */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${hexOf(bytes)}`);
}

/** Lower-case hex, two digits per byte. */
export function hexOf(bytes: Uint8Array): string {
  let hex = '';
  for (let i = 0; i < bytes.length; i++) hex += HEX_BYTE[bytes[i]!]!;
  return hex;
}

/** Two hex digits per byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Big-endian, left-padded with zeros to `length` bytes (or minimal length when omitted). */
export function bigIntToBytes(n: bigint, length?: number): Uint8Array {
  const hex = n.toString(16);
  const minimal = (hex.length + 1) >> 1;
  const size = length ?? minimal;
  if (minimal > size) throw new RangeError(`value does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  // From the last hex digit back, two per byte (no substring and parseInt per byte: issue 18).
  for (let d = hex.length - 1, at = size - 1; d >= 0; d -= 2, at--) {
    out[at] = hexDigit(hex.charCodeAt(d)) | (d > 0 ? hexDigit(hex.charCodeAt(d - 1)) << 4 : 0);
  }
  return out;
}

/** The value of one lower-case hex digit's character code (as `toString(16)` writes them). */
function hexDigit(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/**
 * base^exp mod m, left to right with a sliding window of up to WINDOW bits (HAC 14.85): one modular
 * multiplication per window instead of one per set bit, on top of one squaring per bit.
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  const b = base % m;
  if (exp === 0n) return 1n;
  // odd[i] = b^(2i+1): the window values, which are always odd.
  const b2 = (b * b) % m;
  const odd: bigint[] = [b];
  for (let i = 1; i < 1 << (WINDOW - 1); i++) odd.push((odd[i - 1]! * b2) % m);
  const bits = exp.toString(2);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = (result * result) % m;
      i++;
      continue;
    }
    // The longest window [i, j) of at most WINDOW bits that ends in a 1.
    let j = Math.min(i + WINDOW, bits.length);
    while (bits[j - 1] === '0') j--;
    for (let k = i; k < j; k++) result = (result * result) % m;
    result = (result * odd[(parseInt(bits.slice(i, j), 2) - 1) >> 1]!) % m;
    i = j;
  }
  return result;
}

const WINDOW = 5;

/** Modular inverse by the extended Euclidean algorithm; throws when gcd(a, m) != 1. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('not invertible');
  return ((oldS % m) + m) % m;
}
