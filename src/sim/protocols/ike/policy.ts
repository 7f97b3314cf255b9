/**
 * ISAKMP policies and pre-shared keys from the running-config, with IOS defaults (`crypto isakmp policy N` with
 * nothing else is DES, SHA, RSA signatures, group 1, 86400 s), their phase-1 transform attributes (RFC 2409
 * Appendix A) and the matching the responder does on them.
 */
import type { IsakmpKey, IsakmpPolicy, RouterConfig } from '../../config/model';
import type { BlockCipher, HashAlgorithm } from '../../crypto';
import { type Attribute, attrNumber, attrU32, findAttr, IKE_ATTR, type Transform } from '../../net/isakmp';
import type { Ipv4 } from '../../net/ipv4-address';

export interface EffectivePolicy {
  readonly priority: number;
  readonly cipher: BlockCipher;
  /** Key length in bytes (8 DES, 24 3DES, 16/24/32 AES). */
  readonly keyBytes: number;
  readonly hash: HashAlgorithm;
  readonly authentication: 'pre-share' | 'rsa-sig';
  readonly group: number;
  readonly lifetime: number;
}

export const DEFAULT_POLICY: EffectivePolicy = {
  priority: 65507,
  cipher: 'des',
  keyBytes: 8,
  hash: 'sha1',
  authentication: 'rsa-sig',
  group: 1,
  lifetime: 86400,
};

const ENC_ID: Readonly<Record<BlockCipher, number>> = { des: 1, '3des': 5, aes: 7 };
const HASH_ID: Readonly<Record<HashAlgorithm, number>> = { md5: 1, sha1: 2, sha256: 4 };
const AUTH_ID = { 'pre-share': 1, 'rsa-sig': 3 } as const;

export function effectivePolicy(p: IsakmpPolicy): EffectivePolicy {
  const enc = p.encryption ?? 'des';
  const cipher: BlockCipher = enc === 'des' ? 'des' : enc === '3des' ? '3des' : 'aes';
  const keyBytes =
    enc === 'des' ? 8 : enc === '3des' ? 24 : enc === 'aes 192' ? 24 : enc === 'aes 256' ? 32 : 16;
  const hash: HashAlgorithm = p.hash === 'md5' ? 'md5' : p.hash === 'sha256' ? 'sha256' : 'sha1';
  return {
    priority: p.priority,
    cipher,
    keyBytes,
    hash,
    authentication: p.authentication ?? 'rsa-sig',
    group: p.group ?? 1,
    lifetime: p.lifetime ?? 86400,
  };
}

/** The configured policies by priority; IOS falls back to its default suite when none is configured. */
export function policiesOf(config: RouterConfig): EffectivePolicy[] {
  const list = [...config.crypto.isakmpPolicies].sort((a, b) => a.priority - b.priority);
  return list.length > 0 ? list.map(effectivePolicy) : [DEFAULT_POLICY];
}

export function transformAttributes(p: EffectivePolicy): Attribute[] {
  const attrs: Attribute[] = [{ type: IKE_ATTR.ENCRYPTION, value: ENC_ID[p.cipher] }];
  if (p.cipher === 'aes') attrs.push({ type: IKE_ATTR.KEY_LENGTH, value: p.keyBytes * 8 });
  attrs.push(
    { type: IKE_ATTR.HASH, value: HASH_ID[p.hash] },
    { type: IKE_ATTR.AUTH_METHOD, value: AUTH_ID[p.authentication] },
    { type: IKE_ATTR.GROUP, value: p.group },
    { type: IKE_ATTR.LIFE_TYPE, value: 1 },
    // IOS sends the life duration as a 4-byte variable attribute (0x00015180 for 86400).
    attrU32(IKE_ATTR.LIFE_DURATION, p.lifetime),
  );
  return attrs;
}

/** Reads a peer's transform back into a policy; undefined for algorithms GETLab does not model. */
export function policyFromTransform(t: Transform): EffectivePolicy | undefined {
  const num = (type: number): number | undefined => {
    const a = findAttr(t.attributes, type);
    return a ? attrNumber(a) : undefined;
  };
  const enc = num(IKE_ATTR.ENCRYPTION);
  const cipher = (Object.keys(ENC_ID) as BlockCipher[]).find((c) => ENC_ID[c] === enc);
  const hash = (Object.keys(HASH_ID) as HashAlgorithm[]).find((h) => HASH_ID[h] === num(IKE_ATTR.HASH));
  const authId = num(IKE_ATTR.AUTH_METHOD);
  const authentication = authId === 1 ? 'pre-share' : authId === 3 ? 'rsa-sig' : undefined;
  if (!cipher || !hash || !authentication) return undefined;
  const keyBytes = cipher === 'des' ? 8 : cipher === '3des' ? 24 : (num(IKE_ATTR.KEY_LENGTH) ?? 128) / 8;
  return {
    priority: t.number,
    cipher,
    keyBytes,
    hash,
    authentication,
    group: num(IKE_ATTR.GROUP) ?? 1,
    lifetime: num(IKE_ATTR.LIFE_DURATION) ?? 86400,
  };
}

/**
 * IOS's responder check: the first local policy (by priority) equal to an offered transform in encryption,
 * hash, authentication and group, whose lifetime is not shorter than the offer's (the shorter one is used).
 */
export function chooseTransform(
  local: readonly EffectivePolicy[],
  offered: readonly Transform[],
): { transform: Transform; policy: EffectivePolicy } | undefined {
  for (const mine of local) {
    for (const t of offered) {
      const theirs = policyFromTransform(t);
      if (!theirs) continue;
      if (
        theirs.cipher === mine.cipher &&
        theirs.keyBytes === mine.keyBytes &&
        theirs.hash === mine.hash &&
        theirs.authentication === mine.authentication &&
        theirs.group === mine.group
      ) {
        return { transform: t, policy: { ...mine, lifetime: Math.min(mine.lifetime, theirs.lifetime) } };
      }
    }
  }
  return undefined;
}

/** The pre-shared key for `peer`: the most specific `crypto isakmp key … address A [mask]` (0.0.0.0 0.0.0.0 last). */
export function preSharedKeyFor(config: RouterConfig, peer: Ipv4): IsakmpKey | undefined {
  let best: IsakmpKey | undefined;
  let bestLen = -1;
  for (const k of config.crypto.isakmpKeys) {
    const mask = k.mask ?? 0xffffffff;
    if (((k.address ^ peer) & mask) >>> 0 !== 0) continue;
    const len = popCount(mask);
    if (len > bestLen) {
      best = k;
      bestLen = len;
    }
  }
  return best;
}

function popCount(n: number): number {
  let c = 0;
  for (let v = n >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

export function cipherName(p: EffectivePolicy): string {
  if (p.cipher === 'aes') return `AES-CBC`;
  return p.cipher === '3des' ? '3DES-CBC' : 'DES-CBC';
}
