/**
 * A key server group's policy as the running-config states it (`crypto gdoi group … / server local`):
 * identity, rekey destination from the `rekey address ipv4 <acl>` ACL, KEK algorithm and lifetime, retransmit,
 * signing key label, and each `sa ipsec N` (profile → transform set, `match address` ACL, replay).
 */
import type { AccessList, ExtendedAce, GdoiGroup, RouterConfig } from '../../config/model';
import type { BlockCipher } from '../../crypto';
import type { Ipv4 } from '../../net/ipv4-address';
import type { EspTransform, ReplayPolicy } from '../esp/group-policy';

/**
 * IOS defaults: `rekey lifetime` 86400 s, retransmit 10 s × 2, IPsec SA 3600 s (Cisco IOS Security Command
 * Reference, `show crypto gdoi`).
 */
export const DEFAULT_KEK_LIFETIME = 86400;
export const DEFAULT_RETRANSMIT = { interval: 10, count: 2 } as const;
export const DEFAULT_TEK_LIFETIME = 3600;

export interface KsSaPolicy {
  readonly number: number;
  readonly profile?: string;
  readonly aclName?: string;
  readonly acl: readonly ExtendedAce[];
  readonly transform?: EspTransform;
  readonly replay?: ReplayPolicy;
  readonly lifetime: number;
  /** Why this SA cannot make a TEK (a missing profile, transform set or ACL), or undefined when it can. */
  readonly problem?: string;
}

export interface KsPolicy {
  readonly group: string;
  readonly identity: number;
  /** Multicast rekey group, or undefined for unicast rekeys. */
  readonly rekeyDestination?: Ipv4;
  readonly rekeyAclName?: string;
  readonly kekCipher: BlockCipher;
  readonly kekKeyBits: number;
  readonly kekLifetime: number;
  readonly retransmit: { readonly interval: number; readonly count: number };
  readonly keyLabel?: string;
  readonly address?: Ipv4;
  readonly sas: readonly KsSaPolicy[];
}

function extendedEntries(acl: AccessList | undefined): ExtendedAce[] {
  return (acl?.entries ?? []).filter((e): e is ExtendedAce => e.kind === 'extended');
}

/** The destination of the ACL's first permit entry with a host destination (`permit ip any host 239.10.10.1`). */
export function rekeyDestinationOf(acl: AccessList | undefined): Ipv4 | undefined {
  return extendedEntries(acl).find((e) => e.action === 'permit' && e.destination.wildcard === 0)?.destination
    .address;
}

/** `['esp-3des', 'esp-md5-hmac']` → the ESP transform, or undefined when a part is missing or unsupported. */
export function espTransformOf(transforms: readonly string[]): EspTransform | undefined {
  let encryption: EspTransform['encryption'] | undefined;
  let keyBits = 0;
  let integrity: EspTransform['integrity'] | undefined;
  for (const t of transforms) {
    const [name, bits] = t.split(' ');
    if (name === 'esp-3des') [encryption, keyBits] = ['esp-3des', 192];
    else if (name === 'esp-des') [encryption, keyBits] = ['esp-des', 64];
    else if (name === 'esp-aes') [encryption, keyBits] = ['esp-aes', Number(bits ?? 128)];
    else if (name === 'esp-md5-hmac' || name === 'esp-sha-hmac' || name === 'esp-sha256-hmac')
      integrity = name;
  }
  return encryption && integrity ? { encryption, keyBits, integrity } : undefined;
}

function kekAlgorithm(text: string | undefined): { cipher: BlockCipher; bits: number } {
  if (text === 'des-cbc') return { cipher: 'des', bits: 64 };
  if (text?.startsWith('aes')) return { cipher: 'aes', bits: Number(text.split(' ')[1] ?? 128) };
  return { cipher: '3des', bits: 192 };
}

/** The ACL called `name`, read as an own entry only (a name such as `constructor` names no ACL). */
function namedAcl(config: RouterConfig, name: string | undefined): AccessList | undefined {
  return name !== undefined ? config.accessLists.get(name) : undefined;
}

/** The first missing piece of an `sa ipsec N` policy, in the order IOS resolves it. */
function saProblem(
  profile: string | undefined,
  transformSet: string | undefined,
  hasTransform: boolean,
  aclName: string | undefined,
  acl: readonly ExtendedAce[],
): string | undefined {
  if (profile === undefined) return 'no IPsec profile';
  if (transformSet === undefined) return `IPsec profile ${profile} is missing or has no transform set`;
  if (!hasTransform) return `transform set ${transformSet} is missing or incomplete`;
  if (aclName === undefined) return 'no match address';
  if (acl.length === 0) return `access-list ${aclName} is missing or empty`;
  return undefined;
}

export function ksPolicyOf(config: RouterConfig, group: GdoiGroup): KsPolicy | undefined {
  const server = group.server;
  if (!server) return undefined;
  const kek = kekAlgorithm(server.rekeyAlgorithm);
  const sas = server.sas.map((sa): KsSaPolicy => {
    const profile = config.crypto.ipsecProfiles.find((p) => p.name === sa.profile);
    const ts = config.crypto.transformSets.find((t) => t.name === profile?.transformSet);
    const transform = ts ? espTransformOf(ts.transforms) : undefined;
    const acl = extendedEntries(namedAcl(config, sa.matchAddress));
    const problem = saProblem(
      sa.profile,
      profile?.transformSet,
      transform !== undefined,
      sa.matchAddress,
      acl,
    );
    return {
      ...(problem !== undefined ? { problem } : {}),
      number: sa.number,
      ...(sa.profile !== undefined ? { profile: sa.profile } : {}),
      ...(sa.matchAddress !== undefined ? { aclName: sa.matchAddress } : {}),
      acl,
      ...(transform ? { transform } : {}),
      ...(sa.replay ? { replay: sa.replay } : {}),
      lifetime: profile?.lifetimeSeconds ?? DEFAULT_TEK_LIFETIME,
    };
  });
  // `rekey transport unicast` sends each member its own rekey, whatever `rekey address ipv4` names.
  const destination =
    server.rekeyAddress !== undefined && !server.rekeyTransportUnicast
      ? rekeyDestinationOf(namedAcl(config, server.rekeyAddress))
      : undefined;
  return {
    group: group.name,
    identity: group.identity ?? 0,
    ...(destination !== undefined ? { rekeyDestination: destination } : {}),
    ...(server.rekeyAddress !== undefined ? { rekeyAclName: server.rekeyAddress } : {}),
    kekCipher: kek.cipher,
    kekKeyBits: kek.bits,
    kekLifetime: server.rekeyLifetime ?? DEFAULT_KEK_LIFETIME,
    retransmit: server.rekeyRetransmit ?? DEFAULT_RETRANSMIT,
    ...(server.rekeyAuthentication ? { keyLabel: server.rekeyAuthentication.keyLabel } : {}),
    ...(server.address !== undefined ? { address: server.address } : {}),
    sas,
  };
}

/** What makes new TEKs when it changes: each SA's profile, transform, ACL and anti-replay (not its lifetime). */
export function tekPolicyKey(p: KsPolicy): string {
  return JSON.stringify(
    p.sas.map((sa) => [sa.number, sa.profile, sa.aclName, sa.acl, sa.transform, sa.replay, sa.problem]),
  );
}

/** Every setting the KS hands to members (a change of any is a policy change IOS logs). */
export function policyKey(p: KsPolicy): string {
  return JSON.stringify([
    tekPolicyKey(p),
    p.sas.map((sa) => sa.lifetime),
    p.rekeyDestination,
    p.kekCipher,
    p.kekKeyBits,
    p.kekLifetime,
    p.retransmit,
    p.keyLabel,
    p.address,
  ]);
}
