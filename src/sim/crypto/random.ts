/**
 * Where crypto randomness (IVs, keys, SPIs, nonces) comes from. The simulation passes the kernel's seeded PRNG
 * (kernel/prng.ts, forked per router and protocol) so one scenario and one seed give one trace
 * (docs/DESIGN.md §4);
 * `systemRandom` is for a non-deterministic mode. Nothing here calls Math.random.
 */
export interface RandomSource {
  bytes(length: number): Uint8Array;
}

export const systemRandom: RandomSource = {
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    // getRandomValues fills at most 65536 bytes per call.
    for (let i = 0; i < length; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, i + 65536));
    return out;
  },
};

/** A random non-zero 32-bit value (SPIs 1-255 are reserved by IANA, RFC 4303 §2.1). */
export function randomSpi(source: RandomSource): number {
  for (;;) {
    const b = source.bytes(4);
    const spi = (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
    if (spi > 255) return spi;
  }
}
