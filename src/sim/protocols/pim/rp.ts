import type { AccessList } from '../../config/model';
import type { SimTime } from '../../kernel/time';
import { type Ipv4, lengthFromMask } from '../../net/ipv4-address';
import { makePrefix, type Prefix, prefixContains } from '../../net/prefix';

/** One group-range-to-RP mapping, as `show ip pim rp mapping` lists it. */
export interface RpMapping {
  readonly prefix: Prefix;
  /** A deny in the group list (Auto-RP N bit): groups in this range have no RP. */
  readonly negative: boolean;
  readonly rp: Ipv4;
  readonly origin: 'static' | 'autorp' | 'bsr';
  /** Auto-RP: the mapping agent (clients) or the announcing C-RP (on the MA). */
  readonly infoSource?: Ipv4;
  /** The 2-bit Auto-RP PIM version (3 = v2v1). */
  readonly pimVersion?: number;
  readonly override?: boolean;
  /** BSR: the C-RP's priority and the holdtime it advertised (`via bootstrap, priority 0, holdtime 150`). */
  readonly priority?: number;
  readonly holdtime?: number;
  /** The static line's ACL, for display. */
  readonly acl?: string;
  readonly since: SimTime;
  /** Absolute expiry (Auto-RP, BSR), undefined for static mappings. */
  readonly expires?: SimTime;
}

/** The whole multicast range, the group list IOS assumes when none is given. */
export const ALL_MULTICAST: Prefix = makePrefix(0xe0000000, 4);

/**
 * The ranges a standard ACL names, in ACL order, as Auto-RP encodes group lists (a permit is a positive range,
 * a deny a negative one). Non-contiguous wildcards cannot be encoded and are skipped.
 */
export function aclGroupRanges(acl: AccessList | undefined): { prefix: Prefix; negative: boolean }[] {
  if (!acl) return [];
  const out: { prefix: Prefix; negative: boolean }[] = [];
  for (const e of acl.entries) {
    if (e.kind !== 'standard') continue;
    const len = lengthFromMask(~e.source.wildcard >>> 0);
    if (len === undefined) continue;
    out.push({ prefix: makePrefix(e.source.address, len), negative: e.action === 'deny' });
  }
  return out;
}

/** First-match evaluation of a standard ACL (implicit deny at the end). */
export function aclPermits(acl: AccessList | undefined, address: Ipv4): boolean {
  if (!acl) return false;
  for (const e of acl.entries) {
    if (e.kind !== 'standard') continue;
    if (((address ^ e.source.address) & ~e.source.wildcard) >>> 0 === 0) return e.action === 'permit';
  }
  return false;
}

/** Longest-match mapping among `mappings` for `group` (ties: the highest RP address, as the MA elects). */
export function longestMatch(mappings: readonly RpMapping[], group: Ipv4): RpMapping | undefined {
  let best: RpMapping | undefined;
  for (const m of mappings) {
    if (!prefixContains(m.prefix, group)) continue;
    if (
      !best ||
      m.prefix.length > best.prefix.length ||
      (m.prefix.length === best.prefix.length && m.rp > best.rp)
    )
      best = m;
  }
  return best;
}

/**
 * IOS precedence between static and dynamic RPs (published IOS-XE 17.15 lab output; Cisco IP Multicast
 * Command Reference, `ip pim rp-address … override`): an Auto-RP mapping beats
 * `ip pim rp-address` unless that line has `override`; a negative Auto-RP range means no RP.
 */
export function chooseRp(
  autorp: readonly RpMapping[],
  statics: readonly { mapping: RpMapping; permits: (g: Ipv4) => boolean }[],
  group: Ipv4,
): RpMapping | undefined {
  const matchingStatic = statics.filter((s) => s.permits(group));
  const override = matchingStatic.find((s) => s.mapping.override);
  if (override) return override.mapping;
  const dynamic = longestMatch(autorp, group);
  if (dynamic) return dynamic.negative ? undefined : dynamic;
  // Several static RPs: IOS prefers the highest RP address.
  return [...matchingStatic].sort((a, b) => b.mapping.rp - a.mapping.rp)[0]?.mapping;
}

/**
 * A further source of dynamic group-to-RP mappings beside Auto-RP, plugged into `PimService` by its protocol
 * (PIM BSR, RFC 5059): PIM asks it for its choice per group and lists its mappings in `show ip pim rp mapping`.
 */
export interface RpMappingSource {
  /** The mapping this source chooses for `group` (BSR: the RP its hash function picks, RFC 7761 §4.7.2). */
  rpMappingFor(group: Ipv4): RpMapping | undefined;
  /** `show ip pim rp mapping`: the `This system is …` lines and every mapping to list. */
  rpMappingShow(): { readonly headers: readonly string[]; readonly mappings: readonly RpMapping[] };
}
