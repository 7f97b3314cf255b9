/**
 * GDOI payload contents from and to key material (RFC 6407 §5.3–5.6): the SA payload with
 * an SA KEK and one SA TEK per permit entry of the policy ACL, and the Key Download payload with the TEK keys
 * and the KEK key (IV ‖ key) plus the KS's public signing key (SPKI DER).
 */
import type { AclAddress, ExtendedAce } from '../../config/model';
import type { BlockCipher } from '../../crypto';
import { readU32 } from '../../net/bytes';
import { ipv4ToBytes } from '../../net/ipv4-address';
import {
  type Attribute,
  attrNumber,
  attrU32,
  findAttr,
  GDOI_PORT,
  ID_TYPE,
  type IdData,
  KD_ATTR,
  KD_TYPE,
  KEK_ATTR,
  type KeyPacket,
  type IsakmpPayload,
  type SaKek,
  type SaTek,
  TEK_ATTR,
  u32Bytes,
} from '../../net/isakmp';
import { aceProtocolNumber } from '../esp/acl-match';
import type { EspTransform, ReplayPolicy } from '../esp/group-policy';
import type { KekMaterial, TekMaterial } from './material';

/** RFC 6407 KEK_ALGORITHM values. */
const KEK_ALG: Readonly<Record<BlockCipher, number>> = { des: 1, '3des': 2, aes: 3 };
/** ESP transform IDs (RFC 2407 §4.4.4). */
const ESP_TRANSFORM: Readonly<Record<EspTransform['encryption'], number>> = {
  'esp-des': 2,
  'esp-3des': 3,
  'esp-aes': 12,
};
/** RFC 2407 Authentication Algorithm values (5 = HMAC-SHA2-256, RFC 4868). */
const AUTH_ALG: Readonly<Record<EspTransform['integrity'], number>> = {
  'esp-md5-hmac': 1,
  'esp-sha-hmac': 2,
  'esp-sha256-hmac': 5,
};
/**
 * Cisco carries the time-based anti-replay window in a private TEK attribute whose encoding is not public
 * (User Guide for Cisco Security Manager 4.4, ch. 28); [M] GETLab uses RFC 2407's private-use range: 32001 =
 * TBAR window (s), 32002 = counter window.
 */
export const TEK_ATTR_TBAR_WINDOW = 32001;
export const TEK_ATTR_COUNTER_WINDOW = 32002;

export const SIG_HASH_SHA1 = 2;
export const SIG_ALG_RSA = 1;

function remainingSeconds(expiresAt: number, now: number): number {
  return Math.max(0, Math.floor((expiresAt - now) / 1_000_000));
}

export function kekPayload(k: KekMaterial, now: number): SaKek {
  const id = (address: number): IdData => ({
    idType: ID_TYPE.IPV4_ADDR,
    port: GDOI_PORT,
    data: ipv4ToBytes(address),
  });
  const attributes: Attribute[] = [
    { type: KEK_ATTR.ALGORITHM, value: KEK_ALG[k.cipher] },
    // RFC 6407 implies 192 for 3DES; IOS sends the length anyway (its debug prints KEY_LENGTH 192).
    { type: KEK_ATTR.KEY_LENGTH, value: k.keyBits },
    attrU32(KEK_ATTR.KEY_LIFETIME, remainingSeconds(k.expiresAt, now)),
    { type: KEK_ATTR.SIG_HASH_ALGORITHM, value: SIG_HASH_SHA1 },
    { type: KEK_ATTR.SIG_ALGORITHM, value: SIG_ALG_RSA },
    { type: KEK_ATTR.SIG_KEY_LENGTH, value: k.sigKeyBits },
  ];
  return { protocol: 17, source: id(k.source), destination: id(k.destination), spi: k.spi, attributes };
}

function aclId(a: AclAddress): IdData {
  if (a.wildcard === 0) return { idType: ID_TYPE.IPV4_ADDR, port: 0, data: ipv4ToBytes(a.address) };
  const mask = ~a.wildcard >>> 0;
  const data = new Uint8Array(8);
  data.set(ipv4ToBytes(a.address & mask), 0);
  data.set(ipv4ToBytes(mask), 4);
  return { idType: ID_TYPE.IPV4_ADDR_SUBNET, port: 0, data };
}

function idToAcl(id: IdData): AclAddress {
  const address = id.data.length >= 4 ? readU32(id.data, 0) : 0;
  if (id.idType === ID_TYPE.IPV4_ADDR_SUBNET && id.data.length >= 8) {
    return { address, wildcard: ~readU32(id.data, 4) >>> 0 };
  }
  return { address, wildcard: 0 };
}

const PROTOCOL_NAMES: Readonly<Record<number, string>> = {
  0: 'ip',
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  47: 'gre',
  50: 'esp',
  103: 'pim',
};

function tekAttributes(t: TekMaterial, now: number): Attribute[] {
  const attrs: Attribute[] = [
    { type: TEK_ATTR.LIFE_TYPE, value: 1 },
    attrU32(TEK_ATTR.LIFE_DURATION, remainingSeconds(t.expiresAt, now)),
    { type: TEK_ATTR.ENCAPSULATION_MODE, value: 1 },
    { type: TEK_ATTR.AUTH_ALGORITHM, value: AUTH_ALG[t.transform.integrity] },
  ];
  if (t.transform.encryption === 'esp-aes')
    attrs.push({ type: TEK_ATTR.KEY_LENGTH, value: t.transform.keyBits });
  attrs.push({ type: TEK_ATTR.ADDRESS_PRESERVATION, value: 4 }, { type: TEK_ATTR.SA_DIRECTION, value: 3 });
  if (t.replay?.kind === 'time') attrs.push({ type: TEK_ATTR_TBAR_WINDOW, value: t.replay.windowSize });
  if (t.replay?.kind === 'counter') attrs.push({ type: TEK_ATTR_COUNTER_WINDOW, value: t.replay.windowSize });
  return attrs;
}

/** One SA TEK per permit entry (IOS downloads the policy ACL entry by entry, all under the TEK's SPI). */
export function tekPayloads(t: TekMaterial, now: number): SaTek[] {
  return t.acl
    .filter((ace) => ace.action === 'permit')
    .map((ace) => ({
      protocolId: 1,
      protocol: aceProtocolNumber(ace.protocol) ?? 0,
      source: aclId(ace.source),
      destination: aclId(ace.destination),
      transformId: ESP_TRANSFORM[t.transform.encryption],
      spi: t.spi,
      attributes: tekAttributes(t, now),
    }));
}

export function saPayload(
  kek: KekMaterial | undefined,
  teks: readonly TekMaterial[],
  now: number,
): IsakmpPayload {
  const sa = { kind: 'gdoi-sa' as const, situation: 0, teks: teks.flatMap((t) => tekPayloads(t, now)) };
  return kek ? { ...sa, kek: kekPayload(kek, now) } : sa;
}

export function kdPayload(kek: KekMaterial | undefined, teks: readonly TekMaterial[]): IsakmpPayload {
  const packets: KeyPacket[] = teks.map((t) => ({
    kdType: KD_TYPE.TEK,
    spi: u32Bytes(t.spi),
    attributes: [
      { type: KD_ATTR.ALGORITHM_KEY, bytes: t.encryptionKey },
      { type: KD_ATTR.INTEGRITY_KEY, bytes: t.integrityKey },
    ],
  }));
  if (kek) {
    const algKey = new Uint8Array(kek.iv.length + kek.key.length);
    algKey.set(kek.iv);
    algKey.set(kek.key, kek.iv.length);
    packets.push({
      kdType: KD_TYPE.KEK,
      spi: kek.spi,
      attributes: [
        { type: KD_ATTR.ALGORITHM_KEY, bytes: algKey },
        { type: KD_ATTR.SIG_KEY, bytes: kek.sigKey },
      ],
    });
  }
  return { kind: 'kd', packets };
}

// ---- member side: payloads back into material --------------------------------------------------------------

function num(attrs: readonly Attribute[], type: number): number | undefined {
  const a = findAttr(attrs, type);
  return a ? attrNumber(a) : undefined;
}

function bytesAttr(attrs: readonly Attribute[], type: number): Uint8Array | undefined {
  const a = findAttr(attrs, type);
  return a && 'bytes' in a ? a.bytes : undefined;
}

export class GdoiPolicyError extends Error {}

/** A KEK from its SA KEK payload and its KD key packet; `now` anchors the remaining lifetime. */
export function kekFrom(sak: SaKek, packet: KeyPacket | undefined, now: number): KekMaterial {
  const alg = num(sak.attributes, KEK_ATTR.ALGORITHM);
  const cipher = (Object.keys(KEK_ALG) as BlockCipher[]).find((c) => KEK_ALG[c] === alg);
  if (!cipher) throw new GdoiPolicyError(`unsupported KEK algorithm ${alg}`);
  const algKey = packet && bytesAttr(packet.attributes, KD_ATTR.ALGORITHM_KEY);
  const sigKey = packet && bytesAttr(packet.attributes, KD_ATTR.SIG_KEY);
  if (!algKey || !sigKey) throw new GdoiPolicyError('KEK key packet missing');
  const ivLength = cipher === 'aes' ? 16 : 8;
  const lifetime = num(sak.attributes, KEK_ATTR.KEY_LIFETIME) ?? 86400;
  return {
    spi: sak.spi,
    cipher,
    keyBits: (algKey.length - ivLength) * 8,
    iv: algKey.slice(0, ivLength),
    key: algKey.slice(ivLength),
    lifetime,
    createdAt: now,
    expiresAt: now + lifetime * 1_000_000,
    sigKey,
    sigKeyBits: num(sak.attributes, KEK_ATTR.SIG_KEY_LENGTH) ?? 1024,
    source: sak.source.data.length >= 4 ? readU32(sak.source.data, 0) : 0,
    destination: sak.destination.data.length >= 4 ? readU32(sak.destination.data, 0) : 0,
  };
}

/** TEKs from SA TEK payloads (grouped by SPI, their selectors forming the ACL) and their KD key packets. */
export function teksFrom(sats: readonly SaTek[], packets: readonly KeyPacket[], now: number): TekMaterial[] {
  const bySpi = new Map<number, SaTek[]>();
  for (const s of sats) bySpi.set(s.spi, [...(bySpi.get(s.spi) ?? []), s]);
  const out: TekMaterial[] = [];
  for (const [spi, list] of bySpi) {
    const first = list[0]!;
    const packet = packets.find(
      (p) => p.kdType === KD_TYPE.TEK && p.spi.length === 4 && readU32(p.spi, 0) === spi,
    );
    const encryptionKey = packet && bytesAttr(packet.attributes, KD_ATTR.ALGORITHM_KEY);
    const integrityKey = packet && bytesAttr(packet.attributes, KD_ATTR.INTEGRITY_KEY);
    if (!encryptionKey || !integrityKey) throw new GdoiPolicyError(`no keys for TEK 0x${spi.toString(16)}`);
    const encryption = (Object.keys(ESP_TRANSFORM) as EspTransform['encryption'][]).find(
      (e) => ESP_TRANSFORM[e] === first.transformId,
    );
    const authId = num(first.attributes, TEK_ATTR.AUTH_ALGORITHM);
    const integrity = (Object.keys(AUTH_ALG) as EspTransform['integrity'][]).find(
      (a) => AUTH_ALG[a] === authId,
    );
    if (!encryption || !integrity)
      throw new GdoiPolicyError(`unsupported TEK transform ${first.transformId}/${authId}`);
    const keyBits =
      encryption === 'esp-aes'
        ? (num(first.attributes, TEK_ATTR.KEY_LENGTH) ?? 128)
        : encryption === 'esp-3des'
          ? 192
          : 64;
    const lifetime = num(first.attributes, TEK_ATTR.LIFE_DURATION) ?? 3600;
    const tbar = num(first.attributes, TEK_ATTR_TBAR_WINDOW);
    const counter = num(first.attributes, TEK_ATTR_COUNTER_WINDOW);
    const replay: ReplayPolicy | undefined =
      tbar !== undefined
        ? { kind: 'time', windowSize: tbar }
        : counter !== undefined
          ? { kind: 'counter', windowSize: counter }
          : undefined;
    const acl: ExtendedAce[] = list.map((s) => ({
      kind: 'extended',
      action: 'permit',
      protocol: PROTOCOL_NAMES[s.protocol] ?? String(s.protocol),
      source: idToAcl(s.source),
      destination: idToAcl(s.destination),
    }));
    const tek: TekMaterial = {
      spi,
      transform: { encryption, keyBits, integrity },
      encryptionKey,
      integrityKey,
      lifetime,
      createdAt: now,
      expiresAt: now + lifetime * 1_000_000,
      acl,
    };
    out.push(replay ? { ...tek, replay } : tek);
  }
  return out;
}
