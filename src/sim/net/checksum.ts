import type { Ipv4 } from './ipv4-address';

/**
 * One's-complement sum of 16-bit big-endian words (RFC 1071 §4.1), folded to 16 bits but NOT complemented.
 * An odd trailing byte is padded with a zero octet. `initial` chains partial sums (e.g. a pseudo-header).
 */
export function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) sum += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (even < bytes.length) sum += (bytes[even] ?? 0) << 8;
  // Fold carries back in (end-around carry); at most two folds are needed for < 2^31 bytes.
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/**
 * RFC 1071 internet checksum: the one's complement of the one's-complement sum. Computed over data whose
 * checksum field is zero it gives the value to store; over data that includes a correct checksum it gives 0.
 */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

/**
 * Partial sum of the IPv4 pseudo-header used by UDP (RFC 768) and TCP: source, destination, zero, protocol,
 * transport length. Pass it as `initial` to internetChecksum over the transport header + data.
 */
export function pseudoHeaderSum(source: Ipv4, destination: Ipv4, protocol: number, length: number): number {
  const words =
    (source >>> 16) +
    (source & 0xffff) +
    (destination >>> 16) +
    (destination & 0xffff) +
    (protocol & 0xff) +
    length;
  return onesComplementSum(new Uint8Array(0), words);
}
