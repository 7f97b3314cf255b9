/** BigInt helpers for Diffie-Hellman (and the key server's deterministic RSA key generation). */

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n;
}

/** Big-endian, left-padded with zeros to `length` bytes (or minimal length when omitted). */
export function bigIntToBytes(n: bigint, length?: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  const size = length ?? hex.length / 2;
  if (hex.length / 2 > size) throw new RangeError(`value does not fit in ${size} bytes`);
  const out = new Uint8Array(size);
  const offset = size - hex.length / 2;
  for (let i = 0; i < hex.length / 2; i++) out[offset + i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
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
