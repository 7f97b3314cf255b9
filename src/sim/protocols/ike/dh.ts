/**
 * Diffie-Hellman over the MODP groups IKEv1 offers (`group 1|2|5|14`): primes from RFC 2409 §6.1–6.2 and
 * RFC 3526 §2–3, generator 2, computed with BigInt. Private exponents come from the caller's PRNG so a seed
 * reproduces a run; public values and the shared secret are left-padded to the prime's length (RFC 2409 §5).
 */
import { bigIntToBytes, bytesToBigInt, modPow } from './bigint';

const PRIMES: Readonly<Record<number, string>> = {
  1:
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a63a3620ffffffffffffffff',
  2:
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece65381ffffffffffffffff',
  5:
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
    '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca237327ffffffffffffffff',
  14:
    'ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404dd' +
    'ef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7ed' +
    'ee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f' +
    '83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3b' +
    'e39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa0510' +
    '15728e5a8aacaa68ffffffffffffffff',
};

export interface ModpGroup {
  readonly id: number;
  readonly prime: bigint;
  readonly bytes: number;
}

/** The MODP group for an IKE group number, or undefined (ECDH groups are not modelled). */
export function modpGroup(id: number): ModpGroup | undefined {
  const hex = PRIMES[id];
  if (!hex) return undefined;
  return { id, prime: BigInt(`0x${hex}`), bytes: hex.length / 2 };
}

export const GENERATOR = 2n;

export interface DhKeyPair {
  readonly privateKey: bigint;
  /** g^x mod p, big-endian, padded to the prime's length. */
  readonly publicValue: Uint8Array;
}

/** A key pair from `random` bytes (the device PRNG); the exponent is reduced below p - 1 and never 0 or 1. */
export function dhKeyPair(group: ModpGroup, random: Uint8Array): DhKeyPair {
  const x = (bytesToBigInt(random) % (group.prime - 3n)) + 2n;
  return { privateKey: x, publicValue: bigIntToBytes(modPow(GENERATOR, x, group.prime), group.bytes) };
}

/** g^xy mod p from the peer's public value; undefined when that value is out of range (1 < y < p - 1). */
export function dhSharedSecret(
  group: ModpGroup,
  privateKey: bigint,
  peerPublic: Uint8Array,
): Uint8Array | undefined {
  const y = bytesToBigInt(peerPublic);
  if (y <= 1n || y >= group.prime - 1n) return undefined;
  return bigIntToBytes(modPow(y, privateKey, group.prime), group.bytes);
}
