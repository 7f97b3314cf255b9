/**
 * Elliptic-curve Diffie-Hellman for IKEv1 `group 19|20|21` (RFC 5903: NIST P-256, P-384, P-521) through
 * WebCrypto. RFC 5903 §7: the KE payload carries the public point as x ‖ y, each coordinate left-padded to the
 * field length, without SEC 1's 0x04 prefix; the shared secret is the x coordinate of the product point only
 * (which is exactly what WebCrypto's ECDH deriveBits returns).
 *
 * Determinism: WebCrypto's generateKey draws from the host's CSPRNG, so a seed could not reproduce a run
 * (docs/DESIGN.md §4). The private scalar d is therefore derived from the router's seeded PRNG, as FIPS 186-4
 * §B.4.1 does it (field length + 64 extra random bits, reduced into [1, n - 1] so the bias is below 2^-64),
 * and imported as a PKCS#8 ECPrivateKey without its optional public key (RFC 5915 §3): BoringSSL (Chromium)
 * and OpenSSL (Node) compute Q = d·G on import. The public point is read back through a JWK export, so all
 * curve arithmetic stays inside WebCrypto.
 */
import { buffer, subtle } from '../../crypto/webcrypto';
import { bigIntToBytes, bytesToBigInt } from './bigint';

export type EcCurve = 'P-256' | 'P-384' | 'P-521';

export interface EcdhGroup {
  readonly kind: 'ecp';
  readonly id: number;
  readonly curve: EcCurve;
  /** Field (and coordinate) length in bytes: 32, 48, 66. The KE payload is twice this. */
  readonly bytes: number;
  /** Order n of the base point (SEC 2 §2.4.2, §2.5.1, §2.6.1). */
  readonly order: bigint;
  /** DER of the curve's OID (RFC 5480 §2.1.1.1). */
  readonly oid: Uint8Array;
}

const CURVES: Readonly<Record<number, Omit<EcdhGroup, 'kind' | 'id'>>> = {
  19: {
    curve: 'P-256',
    bytes: 32,
    order: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    // 1.2.840.10045.3.1.7 (secp256r1)
    oid: new Uint8Array([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]),
  },
  20: {
    curve: 'P-384',
    bytes: 48,
    order:
      0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    // 1.3.132.0.34 (secp384r1)
    oid: new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22]),
  },
  21: {
    curve: 'P-521',
    bytes: 66,
    order: BigInt(
      '0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff' +
        'fa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409',
    ),
    // 1.3.132.0.35 (secp521r1)
    oid: new Uint8Array([0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23]),
  },
};

/** The ECP group for an IKE group number (19, 20, 21), or undefined. */
export function ecdhGroup(id: number): EcdhGroup | undefined {
  const c = CURVES[id];
  return c ? { kind: 'ecp', id, ...c } : undefined;
}

/** How many PRNG bytes one key pair consumes: the field length plus 8 (FIPS 186-4 §B.4.1). */
export function ecdhRandomBytes(group: EcdhGroup): number {
  return group.bytes + 8;
}

export interface EcdhKeyPair {
  readonly privateKey: CryptoKey;
  /** The scalar d (tests compare it; it never leaves the worker). */
  readonly scalar: bigint;
  /** x ‖ y, each padded to the field length (RFC 5903 §7). */
  readonly publicValue: Uint8Array;
}

/** d in [1, n - 1] from `random` (at least ecdhRandomBytes(group) bytes). */
export function ecdhScalar(group: EcdhGroup, random: Uint8Array): bigint {
  const need = ecdhRandomBytes(group);
  if (random.length < need) throw new RangeError(`ECDH group ${group.id} needs ${need} random bytes`);
  return (bytesToBigInt(random.subarray(0, need)) % (group.order - 1n)) + 1n;
}

/** A key pair whose scalar comes from `random` (the router's seeded PRNG); see the file comment. */
export async function ecdhKeyPair(group: EcdhGroup, random: Uint8Array): Promise<EcdhKeyPair> {
  const scalar = ecdhScalar(group, random);
  const pkcs8 = ecPrivateKeyPkcs8(group, bigIntToBytes(scalar, group.bytes));
  const algorithm = { name: 'ECDH', namedCurve: group.curve };
  const privateKey = await subtle().importKey('pkcs8', buffer(pkcs8), algorithm, true, ['deriveBits']);
  const jwk = await subtle().exportKey('jwk', privateKey);
  if (!jwk.x || !jwk.y) throw new Error(`ECDH ${group.curve}: the exported key has no public point`);
  const publicValue = new Uint8Array(2 * group.bytes);
  publicValue.set(leftPad(base64UrlDecode(jwk.x), group.bytes), 0);
  publicValue.set(leftPad(base64UrlDecode(jwk.y), group.bytes), group.bytes);
  return { privateKey, scalar, publicValue };
}

/**
 * The x coordinate of d·Q for the peer's KE data Q = x ‖ y; undefined when Q has the wrong length or is not
 * a point of the curve (WebCrypto's import validates it, as RFC 5903 §7 / SP 800-56A §5.6.2.3 require).
 */
export async function ecdhSharedSecret(
  group: EcdhGroup,
  privateKey: CryptoKey,
  peerPublic: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (peerPublic.length !== 2 * group.bytes) return undefined;
  const point = new Uint8Array(1 + peerPublic.length);
  point[0] = 0x04;
  point.set(peerPublic, 1);
  let peer: CryptoKey;
  try {
    peer = await subtle().importKey('raw', point, { name: 'ECDH', namedCurve: group.curve }, false, []);
  } catch {
    return undefined;
  }
  const bits = await subtle().deriveBits({ name: 'ECDH', public: peer }, privateKey, group.bytes * 8);
  return new Uint8Array(bits);
}

// ---- DER: PrivateKeyInfo { 0, AlgorithmIdentifier { id-ecPublicKey, curve }, OCTET STRING ECPrivateKey } --

/** 1.2.840.10045.2.1 id-ecPublicKey (RFC 5480 §2.1.1). */
const EC_PUBLIC_KEY_OID = new Uint8Array([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]);

function der(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  const head =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(head.length + length);
  out.set(head);
  let at = head.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** RFC 5208 PrivateKeyInfo around an RFC 5915 ECPrivateKey { version 1, privateKey } (curve in the AlgId). */
function ecPrivateKeyPkcs8(group: EcdhGroup, d: Uint8Array): Uint8Array {
  const ecPrivateKey = der(0x30, new Uint8Array([0x02, 0x01, 0x01]), der(0x04, d));
  return der(
    0x30,
    new Uint8Array([0x02, 0x01, 0x00]),
    der(0x30, EC_PUBLIC_KEY_OID, group.oid),
    der(0x04, ecPrivateKey),
  );
}

function base64UrlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function leftPad(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes.subarray(bytes.length - length);
  const out = new Uint8Array(length);
  out.set(bytes, length - bytes.length);
  return out;
}
