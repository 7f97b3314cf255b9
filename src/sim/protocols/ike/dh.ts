/**
 * Diffie-Hellman over the MODP groups IKEv1 offers (`group 1|2|5|14`): primes from RFC 2409 §6.1–6.2 and
 * RFC 3526 §2–3, generator 2, computed with BigInt. Private exponents come from the caller's PRNG so a seed
 * reproduces a run; public values and the shared secret are left-padded to the prime's length (RFC 2409 §5).
 *
 * Private exponents are short, as IKE implementations commonly make them: twice the group's estimated strength
 * in bits (RFC 3526 §8 gives 240 bits for the 1536-bit group and 320 for the 2048-bit one, the larger of its
 * two estimates; 160 bits for the 768- and 1024-bit groups, whose strength is at most 80). With g = 2 the
 * public value comes from a table of powers of 2 computed once per group (fixed-base comb, HAC 14.109), so a
 * key pair costs a few dozen modular multiplications and the shared secret ~1.2 per exponent bit. On a
 * 1000-spoke lab, full-length exponents made IKE's DH the largest cost of convergence (bench/RESULTS.md).
 */
import { bytesEqual } from '../../net/bytes';
import { bigIntToBytes, bytesToBigInt, hexOf, modPow } from './bigint';

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
  /** Length of the private exponents drawn for this group (see the file comment). */
  readonly exponentBits: number;
}

const EXPONENT_BITS: Readonly<Record<number, number>> = { 1: 160, 2: 160, 5: 240, 14: 320 };

/** The MODP group for an IKE group number, or undefined (ECDH groups are not modelled). */
export function modpGroup(id: number): ModpGroup | undefined {
  const hex = PRIMES[id];
  if (!hex) return undefined;
  return { id, prime: BigInt(`0x${hex}`), bytes: hex.length / 2, exponentBits: EXPONENT_BITS[id] ?? 160 };
}

export const GENERATOR = 2n;

export interface DhKeyPair {
  readonly privateKey: bigint;
  /** g^x mod p, big-endian, padded to the prime's length. */
  readonly publicValue: Uint8Array;
}

/**
 * A key pair from `random` bytes (the device PRNG; callers draw the prime's length so the PRNG stream does not
 * depend on the exponent size). The exponent is the first `exponentBits` bits of `random` with the top bit set:
 * always of full length, far below p - 1.
 */
export function dhKeyPair(group: ModpGroup, random: Uint8Array): DhKeyPair {
  const bytes = group.exponentBits / 8;
  if (random.length < bytes) throw new RangeError(`DH group ${group.id} needs ${bytes} random bytes`);
  const x = bytesToBigInt(random.subarray(0, bytes)) | (1n << BigInt(group.exponentBits - 1));
  return { privateKey: x, publicValue: bigIntToBytes(powerOfGenerator(group, x), group.bytes) };
}

/**
 * g^xy mod p from the peer's public value; undefined when that value is out of range (1 < y < p - 1).
 *
 * Both ends of an exchange compute the same g^xy from the same two public values, and in a lab both ends run in
 * this process: the first end's result is kept (see `secretsAwaitingPeer`) and handed to the second, which
 * then skips its own modPow. The shared secret of a 10,000-spoke lab's IKE was half of its largest cost in
 * GETLab's own code (issue 18). Keyed by the unordered pair of public values: whoever asks with the same pair
 * holds a private key behind one of them (its own public value is always made from its private key), so the
 * secret it would compute is the same one.
 */
export function dhSharedSecret(
  group: ModpGroup,
  own: DhKeyPair,
  peerPublic: Uint8Array,
): Uint8Array | undefined {
  const y = bytesToBigInt(peerPublic);
  if (y <= 1n || y >= group.prime - 1n) return undefined;
  // Keyed by the values' first bytes (building a key of both whole values cost a quarter of the modPow saved);
  // a kept entry is used only when both whole values match.
  const ownHead = hexOf(own.publicValue.subarray(0, KEY_BYTES));
  const peerHead = hexOf(peerPublic.subarray(0, KEY_BYTES));
  const key =
    ownHead < peerHead ? `${group.id} ${ownHead} ${peerHead}` : `${group.id} ${peerHead} ${ownHead}`;
  const kept = secretsAwaitingPeer.get(key);
  if (
    kept &&
    ((bytesEqual(kept.a, own.publicValue) && bytesEqual(kept.b, peerPublic)) ||
      (bytesEqual(kept.a, peerPublic) && bytesEqual(kept.b, own.publicValue)))
  ) {
    secretsAwaitingPeer.delete(key);
    return kept.secret;
  }
  const secret = bigIntToBytes(modPow(y, own.privateKey, group.prime), group.bytes);
  if (secretsAwaitingPeer.size >= SECRETS_AWAITING_PEER_MAX) {
    secretsAwaitingPeer.delete(secretsAwaitingPeer.keys().next().value!);
  }
  // Copies: each end gets its own bytes, and a kept value does not hold a packet's buffer.
  secretsAwaitingPeer.set(key, { a: own.publicValue, b: peerPublic.slice(), secret: secret.slice() });
  return secret;
}

/** Bytes of each public value in a kept secret's key. */
const KEY_BYTES = 8;

/**
 * Secrets one end of an exchange computed that the other end has not asked for yet, oldest first. A pure cache
 * (a value found here is the value the asker would compute), so a run does not depend on what it holds: it is
 * shared by every lab in the process and never copied into a checkpoint. Bounded: the oldest goes first, and
 * an end that finds nothing computes the secret itself. 16,384 covers a 10,000-spoke lab's registrations, all
 * started within a second, at about 600 bytes each for group 2.
 */
const secretsAwaitingPeer = new Map<
  string,
  { readonly a: Uint8Array; readonly b: Uint8Array; readonly secret: Uint8Array }
>();
const SECRETS_AWAITING_PEER_MAX = 16_384;

/**
 * Comb width in bits: 2^COMB - 1 table entries per digit of the exponent. 8 bits: 20 multiplications for a
 * 160-bit exponent where 4 bits took 40 (powerOfGenerator was 2 % of a 10,000-spoke run's CPU; issue 18), for a
 * table of 20 x 255 values made once per group (about 650 KB for group 2, 2.6 MB for group 14).
 */
const COMB = 8;

/** Per prime: table[j][v - 1] = 2^(v * 2^(COMB * j)) mod p, for exponents up to the group's length. */
const combs = new Map<bigint, bigint[][]>();

function comb(group: ModpGroup): bigint[][] {
  let table = combs.get(group.prime);
  if (table) return table;
  const p = group.prime;
  table = [];
  // 2^(2^(COMB * j)): starts at 2 and is raised to the 2^COMB-th power from digit to digit.
  let unit = GENERATOR;
  for (let j = 0; j * COMB < group.exponentBits; j++) {
    const row = [unit];
    for (let v = 2; v < 1 << COMB; v++) row.push((row[v - 2]! * unit) % p);
    table.push(row);
    for (let k = 0; k < COMB; k++) unit = (unit * unit) % p;
  }
  combs.set(p, table);
  return table;
}

/** g^x mod p as a product of one table entry per COMB-bit digit of x (x < 2^exponentBits). */
function powerOfGenerator(group: ModpGroup, x: bigint): bigint {
  const table = comb(group);
  const mask = BigInt((1 << COMB) - 1);
  let result = 1n;
  let rest = x;
  for (let j = 0; rest > 0n; j++, rest >>= BigInt(COMB)) {
    const digit = Number(rest & mask);
    if (digit !== 0) result = (result * table[j]![digit - 1]!) % group.prime;
  }
  return result;
}
