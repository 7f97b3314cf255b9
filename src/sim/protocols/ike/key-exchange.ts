/**
 * The Diffie-Hellman of an ISAKMP policy's `group`, whichever kind it is: MODP groups 1, 2, 5, 14 with BigInt
 * (dh.ts) and ECP groups 19, 20, 21 through WebCrypto (ecdh.ts). Main mode calls only these three functions.
 */
import { dhKeyPair, dhSharedSecret, type ModpGroup, modpGroup } from './dh';
import { ecdhGroup, ecdhKeyPair, type EcdhGroup, ecdhRandomBytes, ecdhSharedSecret } from './ecdh';

export type KeyExchangeGroup = ({ readonly kind: 'modp' } & ModpGroup) | EcdhGroup;

export type KeyExchangeKeyPair =
  | { readonly kind: 'modp'; readonly privateKey: bigint; readonly publicValue: Uint8Array }
  | { readonly kind: 'ecp'; readonly privateKey: CryptoKey; readonly publicValue: Uint8Array };

/** The group for an IKE group number, or undefined for one GETLab does not implement (15, 16, 24). */
export function keyExchangeGroup(id: number): KeyExchangeGroup | undefined {
  const modp = modpGroup(id);
  if (modp) return { kind: 'modp', ...modp };
  return ecdhGroup(id);
}

/**
 * A key pair from the device PRNG. MODP draws the prime's length (as before ECDH existed, so MODP traces do
 * not change); ECP draws the field length + 8 bytes.
 */
export async function keyExchangePair(
  group: KeyExchangeGroup,
  random: { bytes(length: number): Uint8Array },
): Promise<KeyExchangeKeyPair> {
  if (group.kind === 'modp') return { kind: 'modp', ...dhKeyPair(group, random.bytes(group.bytes)) };
  return { kind: 'ecp', ...(await ecdhKeyPair(group, random.bytes(ecdhRandomBytes(group)))) };
}

/** The shared secret g^xy (MODP) or the x coordinate of d·Q (ECP); undefined for an invalid peer value. */
export async function keyExchangeSecret(
  group: KeyExchangeGroup,
  own: KeyExchangeKeyPair,
  peerPublic: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (group.kind === 'modp' && own.kind === 'modp') return dhSharedSecret(group, own, peerPublic);
  if (group.kind === 'ecp' && own.kind === 'ecp') return ecdhSharedSecret(group, own.privateKey, peerPublic);
  return undefined;
}
