/**
 * ISAKMP (RFC 2408) as IKEv1 main mode (RFC 2409) and GDOI (RFC 6407) use it: the 28-byte header, the generic
 * payload chain, data attributes, and the payload bodies GETLab sends: SA (IKE proposals/transforms, or the
 * GDOI SA with its SA KEK / SA TEK sub-payloads), KE, ID, HASH, SIG, Nonce, Notification, Delete, SEQ and Key
 * Download. Layouts follow RFC 6407 §5 and Wireshark packet-isakmp.c; the SA TEK uses 2-octet ID lengths
 * (RFC 6407, what Wireshark
 * decodes), the SA KEK 1-octet ones.
 */
import { ByteReader, ByteWriter } from './bytes';

export const ISAKMP_PORT = 500;
/** GDOI runs IKE phase 1, GROUPKEY-PULL and GROUPKEY-PUSH on UDP 848 (RFC 6407 §5.1). */
export const GDOI_PORT = 848;
export const ISAKMP_HEADER_LENGTH = 28;
/** Major version 1, minor 0. */
export const ISAKMP_VERSION = 0x10;
export const ISAKMP_FLAG_ENCRYPTION = 0x01;
export const ISAKMP_FLAG_COMMIT = 0x02;

export const EXCHANGE = {
  MAIN_MODE: 2,
  INFORMATIONAL: 5,
  GROUPKEY_PULL: 32,
  GROUPKEY_PUSH: 33,
  /** RFC 8263's acknowledgement of a (unicast) push; the number is not verified against IANA [M]. */
  GROUPKEY_PUSH_ACK: 35,
} as const;

export const PAYLOAD = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  HASH: 8,
  SIG: 9,
  NONCE: 10,
  NOTIFICATION: 11,
  DELETE: 12,
  SAK: 15,
  SAT: 16,
  KD: 17,
  SEQ: 18,
} as const;

export const DOI = { IPSEC: 1, GDOI: 2 } as const;
export const ID_TYPE = { IPV4_ADDR: 1, IPV4_ADDR_SUBNET: 4, KEY_ID: 11 } as const;

/** Phase-1 transform attributes (RFC 2409 Appendix A). */
export const IKE_ATTR = {
  ENCRYPTION: 1,
  HASH: 2,
  AUTH_METHOD: 3,
  GROUP: 4,
  LIFE_TYPE: 11,
  LIFE_DURATION: 12,
  KEY_LENGTH: 14,
} as const;

/** SA KEK attributes (RFC 6407, SA KEK payload). */
export const KEK_ATTR = {
  MANAGEMENT_ALGORITHM: 1,
  ALGORITHM: 2,
  KEY_LENGTH: 3,
  KEY_LIFETIME: 4,
  SIG_HASH_ALGORITHM: 5,
  SIG_ALGORITHM: 6,
  SIG_KEY_LENGTH: 7,
} as const;

/** RFC 2407 IPsec SA attributes carried by the SA TEK (plus RFC 6407's 14 and 15). */
export const TEK_ATTR = {
  LIFE_TYPE: 1,
  LIFE_DURATION: 2,
  ENCAPSULATION_MODE: 4,
  AUTH_ALGORITHM: 5,
  KEY_LENGTH: 6,
  ADDRESS_PRESERVATION: 14,
  SA_DIRECTION: 15,
} as const;

export const KD_TYPE = { TEK: 1, KEK: 2 } as const;
export const KD_ATTR = { ALGORITHM_KEY: 1, INTEGRITY_KEY: 2, SIG_KEY: 2 } as const;

export const NOTIFY = { INVALID_PAYLOAD_TYPE: 1, NO_PROPOSAL_CHOSEN: 14, PAYLOAD_MALFORMED: 16 } as const;

export interface IsakmpHeader {
  /** 8 bytes each; for a GROUPKEY-PUSH the pair is the 16-byte KEK SPI. */
  readonly initiatorCookie: Uint8Array;
  readonly responderCookie: Uint8Array;
  readonly nextPayload: number;
  readonly version: number;
  readonly exchangeType: number;
  readonly flags: number;
  readonly messageId: number;
  /** Total message length including the header and any encryption padding. */
  readonly length: number;
}

/** A data attribute: TV (basic, 16-bit value) or TLV (variable bytes). */
export type Attribute =
  { readonly type: number; readonly value: number } | { readonly type: number; readonly bytes: Uint8Array };

export interface Transform {
  readonly number: number;
  /** KEY_IKE = 1 in phase 1. */
  readonly id: number;
  readonly attributes: readonly Attribute[];
}

export interface Proposal {
  readonly number: number;
  /** PROTO_ISAKMP = 1. */
  readonly protocolId: number;
  readonly spi: Uint8Array;
  readonly transforms: readonly Transform[];
}

export interface IdData {
  readonly idType: number;
  readonly port: number;
  readonly data: Uint8Array;
}

export interface SaKek {
  readonly protocol: number;
  readonly source: IdData;
  readonly destination: IdData;
  /** 16 bytes: the cookie pair of every push under this KEK. */
  readonly spi: Uint8Array;
  readonly attributes: readonly Attribute[];
}

export interface SaTek {
  /** 1 = ESP. */
  readonly protocolId: number;
  /** IP protocol of the selector (47 for `permit gre any any`). */
  readonly protocol: number;
  readonly source: IdData;
  readonly destination: IdData;
  readonly transformId: number;
  readonly spi: number;
  readonly attributes: readonly Attribute[];
}

export interface KeyPacket {
  readonly kdType: number;
  readonly spi: Uint8Array;
  readonly attributes: readonly Attribute[];
}

export type IsakmpPayload =
  | {
      readonly kind: 'sa';
      readonly doi: number;
      readonly situation: number;
      readonly proposals: readonly Proposal[];
    }
  | {
      readonly kind: 'gdoi-sa';
      readonly situation: number;
      readonly kek?: SaKek;
      readonly teks: readonly SaTek[];
    }
  | { readonly kind: 'ke'; readonly data: Uint8Array }
  | ({ readonly kind: 'id'; readonly protocol: number } & IdData)
  | { readonly kind: 'hash'; readonly data: Uint8Array }
  | { readonly kind: 'sig'; readonly data: Uint8Array }
  | { readonly kind: 'nonce'; readonly data: Uint8Array }
  | {
      readonly kind: 'notification';
      readonly doi: number;
      readonly protocolId: number;
      readonly messageType: number;
      readonly spi: Uint8Array;
      readonly data: Uint8Array;
    }
  | {
      readonly kind: 'delete';
      readonly doi: number;
      readonly protocolId: number;
      readonly spiSize: number;
      readonly spis: readonly Uint8Array[];
    }
  | { readonly kind: 'seq'; readonly sequence: number }
  | { readonly kind: 'kd'; readonly packets: readonly KeyPacket[] }
  | { readonly kind: 'raw'; readonly type: number; readonly body: Uint8Array };

export interface IsakmpMessage {
  readonly header: Omit<IsakmpHeader, 'nextPayload' | 'length'> & { readonly length?: number };
  readonly payloads: readonly IsakmpPayload[];
}

// ------------------------------------------------------------------------------------------------ header

export function encodeIsakmpHeader(h: IsakmpHeader): Uint8Array {
  if (h.initiatorCookie.length !== 8 || h.responderCookie.length !== 8) {
    throw new RangeError('ISAKMP cookies are 8 bytes each');
  }
  return new ByteWriter(ISAKMP_HEADER_LENGTH)
    .bytes(h.initiatorCookie)
    .bytes(h.responderCookie)
    .u8(h.nextPayload)
    .u8(h.version)
    .u8(h.exchangeType)
    .u8(h.flags)
    .u32(h.messageId)
    .u32(h.length)
    .finish();
}

export function decodeIsakmpHeader(bytes: Uint8Array): IsakmpHeader {
  const r = new ByteReader(bytes, 'isakmp');
  const initiatorCookie = r.take(8);
  const responderCookie = r.take(8);
  const nextPayload = r.u8();
  const version = r.u8();
  const exchangeType = r.u8();
  const flags = r.u8();
  const messageId = r.u32();
  const length = r.u32();
  if (version >> 4 !== 1) throw r.fail(`unsupported ISAKMP version 0x${version.toString(16)}`, 17);
  if (length < ISAKMP_HEADER_LENGTH) throw r.fail(`length ${length} < 28`, 24);
  return {
    initiatorCookie,
    responderCookie,
    nextPayload,
    version,
    exchangeType,
    flags,
    messageId,
    length,
  };
}

// ------------------------------------------------------------------------------------------------ attributes

export function attrU32(type: number, value: number): Attribute {
  return { type, bytes: u32Bytes(value) };
}

/** The numeric value of a TV attribute, or a TLV one read big-endian (lifetimes). */
export function attrNumber(a: Attribute): number {
  if ('value' in a) return a.value;
  let n = 0;
  for (const b of a.bytes) n = n * 256 + b;
  return n;
}

export function findAttr(list: readonly Attribute[], type: number): Attribute | undefined {
  return list.find((a) => a.type === type);
}

export function encodeAttributes(w: ByteWriter, attrs: readonly Attribute[]): void {
  for (const a of attrs) {
    if ('value' in a) w.u16(0x8000 | a.type).u16(a.value);
    else
      w.u16(a.type & 0x7fff)
        .u16(a.bytes.length)
        .bytes(a.bytes);
  }
}

export function decodeAttributes(r: ByteReader): Attribute[] {
  const out: Attribute[] = [];
  while (r.remaining > 0) {
    const t = r.u16();
    if (t & 0x8000) out.push({ type: t & 0x7fff, value: r.u16() });
    else out.push({ type: t, bytes: r.take(r.u16()) });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ payloads

export function payloadType(p: IsakmpPayload): number {
  switch (p.kind) {
    case 'sa':
    case 'gdoi-sa':
      return PAYLOAD.SA;
    case 'ke':
      return PAYLOAD.KE;
    case 'id':
      return PAYLOAD.ID;
    case 'hash':
      return PAYLOAD.HASH;
    case 'sig':
      return PAYLOAD.SIG;
    case 'nonce':
      return PAYLOAD.NONCE;
    case 'notification':
      return PAYLOAD.NOTIFICATION;
    case 'delete':
      return PAYLOAD.DELETE;
    case 'seq':
      return PAYLOAD.SEQ;
    case 'kd':
      return PAYLOAD.KD;
    case 'raw':
      return p.type;
  }
}

function withGenericHeader(next: number, body: Uint8Array): Uint8Array {
  return new ByteWriter(4 + body.length)
    .u8(next)
    .u8(0)
    .u16(4 + body.length)
    .bytes(body)
    .finish();
}

function encodeProposal(p: Proposal, next: number): Uint8Array {
  const w = new ByteWriter();
  w.u8(p.number).u8(p.protocolId).u8(p.spi.length).u8(p.transforms.length).bytes(p.spi);
  p.transforms.forEach((t, i) => {
    const tw = new ByteWriter();
    tw.u8(t.number).u8(t.id).u16(0);
    encodeAttributes(tw, t.attributes);
    w.bytes(withGenericHeader(i === p.transforms.length - 1 ? 0 : PAYLOAD.TRANSFORM, tw.finish()));
  });
  return withGenericHeader(next, w.finish());
}

function encodeKekId(w: ByteWriter, id: IdData): void {
  w.u8(id.idType).u16(id.port).u8(id.data.length).bytes(id.data);
}

function encodeTekId(w: ByteWriter, id: IdData): void {
  // RFC 6407 §5.4.1: the TEK's ID data length is 2 octets (Wireshark packet-isakmp.c reads it so).
  w.u8(id.idType).u16(id.port).u16(id.data.length).bytes(id.data);
}

function encodeSak(k: SaKek): Uint8Array {
  const w = new ByteWriter();
  w.u8(k.protocol);
  encodeKekId(w, k.source);
  encodeKekId(w, k.destination);
  if (k.spi.length !== 16) throw new RangeError('KEK SPI is 16 bytes');
  w.bytes(k.spi).u32(0);
  encodeAttributes(w, k.attributes);
  return w.finish();
}

function encodeSat(t: SaTek): Uint8Array {
  const w = new ByteWriter();
  w.u8(t.protocolId).u8(t.protocol);
  encodeTekId(w, t.source);
  encodeTekId(w, t.destination);
  w.u8(t.transformId).u32(t.spi);
  encodeAttributes(w, t.attributes);
  return w.finish();
}

/** The payload's body, without its 4-byte generic header (what RFC 2409 calls `X_b`). */
export function encodePayloadBody(p: IsakmpPayload): Uint8Array {
  const w = new ByteWriter();
  switch (p.kind) {
    case 'sa':
      w.u32(p.doi).u32(p.situation);
      p.proposals.forEach((pr, i) =>
        w.bytes(encodeProposal(pr, i === p.proposals.length - 1 ? 0 : PAYLOAD.PROPOSAL)),
      );
      break;
    case 'gdoi-sa': {
      const subs: { type: number; body: Uint8Array }[] = [];
      if (p.kek) subs.push({ type: PAYLOAD.SAK, body: encodeSak(p.kek) });
      for (const t of p.teks) subs.push({ type: PAYLOAD.SAT, body: encodeSat(t) });
      w.u32(DOI.GDOI)
        .u32(p.situation)
        .u16(subs[0]?.type ?? 0)
        .u16(0);
      subs.forEach((s, i) => w.bytes(withGenericHeader(subs[i + 1]?.type ?? 0, s.body)));
      break;
    }
    case 'ke':
    case 'hash':
    case 'sig':
    case 'nonce':
      w.bytes(p.data);
      break;
    case 'id':
      w.u8(p.idType).u8(p.protocol).u16(p.port).bytes(p.data);
      break;
    case 'notification':
      w.u32(p.doi).u8(p.protocolId).u8(p.spi.length).u16(p.messageType).bytes(p.spi).bytes(p.data);
      break;
    case 'delete':
      w.u32(p.doi).u8(p.protocolId).u8(p.spiSize).u16(p.spis.length);
      for (const s of p.spis) w.bytes(s);
      break;
    case 'seq':
      w.u32(p.sequence);
      break;
    case 'kd':
      w.u16(p.packets.length).u16(0);
      for (const k of p.packets) {
        const kw = new ByteWriter();
        kw.u8(k.spi.length).bytes(k.spi);
        encodeAttributes(kw, k.attributes);
        const body = kw.finish();
        // KD Length counts from the KD Type octet (RFC 6407, Key Download payload).
        w.u8(k.kdType)
          .u8(0)
          .u16(4 + body.length)
          .bytes(body);
      }
      break;
    case 'raw':
      w.bytes(p.body);
      break;
  }
  return w.finish();
}

/** One payload with its generic header. */
export function encodePayload(p: IsakmpPayload, next: number): Uint8Array {
  return withGenericHeader(next, encodePayloadBody(p));
}

/** The payload chain, each payload's Next Payload naming the one after it; the last names `lastNext`. */
export function encodePayloads(
  payloads: readonly IsakmpPayload[],
  lastNext: number = PAYLOAD.NONE,
): Uint8Array {
  const parts = payloads.map((p, i) => {
    const after = payloads[i + 1];
    return encodePayload(p, after ? payloadType(after) : lastNext);
  });
  const w = new ByteWriter();
  for (const part of parts) w.bytes(part);
  return w.finish();
}

/** A plaintext message: header (Next Payload and Length filled in) followed by the payload chain. */
export function encodeIsakmp(m: IsakmpMessage): Uint8Array {
  const body = encodePayloads(m.payloads);
  const first = m.payloads[0];
  const header = encodeIsakmpHeader({
    ...m.header,
    nextPayload: first ? payloadType(first) : PAYLOAD.NONE,
    length: m.header.length ?? ISAKMP_HEADER_LENGTH + body.length,
  });
  const w = new ByteWriter(header.length + body.length);
  return w.bytes(header).bytes(body).finish();
}

// ------------------------------------------------------------------------------------------------ decoding

export interface RawPayload {
  readonly type: number;
  /** Offset of the generic header within the decoded buffer. */
  readonly offset: number;
  readonly body: Uint8Array;
}

/**
 * Walks a payload chain from `firstType` until a Next Payload of 0; bytes after it (encryption padding) are
 * ignored, as receivers do (the Cisco GDOI reference implementation stops at Next Payload 0).
 */
export function walkPayloads(bytes: Uint8Array, firstType: number, start = 0): RawPayload[] {
  const r = new ByteReader(bytes, 'isakmp', start);
  const out: RawPayload[] = [];
  let type = firstType;
  while (type !== PAYLOAD.NONE) {
    const offset = r.offset;
    const next = r.u8();
    r.advance(1);
    const length = r.u16();
    if (length < 4) throw r.fail(`payload ${type} length ${length} < 4`, offset + 2);
    out.push({ type, offset, body: r.take(length - 4) });
    type = next;
  }
  return out;
}

function decodeKekId(r: ByteReader): IdData {
  const idType = r.u8();
  const port = r.u16();
  return { idType, port, data: r.take(r.u8()) };
}

function decodeTekId(r: ByteReader): IdData {
  const idType = r.u8();
  const port = r.u16();
  return { idType, port, data: r.take(r.u16()) };
}

function decodeProposals(r: ByteReader): Proposal[] {
  const out: Proposal[] = [];
  for (const raw of walkPayloads(r.bytes, PAYLOAD.PROPOSAL, r.offset)) {
    if (raw.type !== PAYLOAD.PROPOSAL) throw r.fail(`payload ${raw.type} inside an SA`);
    const pr = new ByteReader(raw.body, 'isakmp');
    const number = pr.u8();
    const protocolId = pr.u8();
    const spiSize = pr.u8();
    const count = pr.u8();
    const spi = pr.take(spiSize);
    const transforms = walkPayloads(raw.body, count > 0 ? PAYLOAD.TRANSFORM : 0, pr.offset).map((t) => {
      const tr = new ByteReader(t.body, 'isakmp');
      const tNumber = tr.u8();
      const id = tr.u8();
      tr.advance(2);
      return { number: tNumber, id, attributes: decodeAttributes(tr) };
    });
    out.push({ number, protocolId, spi, transforms });
  }
  return out;
}

function decodeGdoiSa(r: ByteReader, situation: number): IsakmpPayload {
  const first = r.u16();
  r.advance(2);
  let kek: SaKek | undefined;
  const teks: SaTek[] = [];
  for (const sub of walkPayloads(r.bytes, first, r.offset)) {
    const s = new ByteReader(sub.body, 'gdoi');
    if (sub.type === PAYLOAD.SAK) {
      const protocol = s.u8();
      const source = decodeKekId(s);
      const destination = decodeKekId(s);
      const spi = s.take(16);
      s.advance(4);
      kek = { protocol, source, destination, spi, attributes: decodeAttributes(s) };
    } else if (sub.type === PAYLOAD.SAT) {
      const protocolId = s.u8();
      const protocol = s.u8();
      const source = decodeTekId(s);
      const destination = decodeTekId(s);
      const transformId = s.u8();
      const spi = s.u32();
      teks.push({
        protocolId,
        protocol,
        source,
        destination,
        transformId,
        spi,
        attributes: decodeAttributes(s),
      });
    } else throw s.fail(`unexpected payload ${sub.type} inside a GDOI SA`);
  }
  return kek ? { kind: 'gdoi-sa', situation, kek, teks } : { kind: 'gdoi-sa', situation, teks };
}

function decodeKd(r: ByteReader): IsakmpPayload {
  const count = r.u16();
  r.advance(2);
  const packets: KeyPacket[] = [];
  for (let i = 0; i < count; i++) {
    const kdType = r.u8();
    r.advance(1);
    const length = r.u16();
    if (length < 5) throw r.fail(`key packet length ${length}`);
    const k = r.sub(length - 4);
    const spi = k.take(k.u8());
    packets.push({ kdType, spi, attributes: decodeAttributes(k) });
  }
  return { kind: 'kd', packets };
}

/**
 * Decodes one payload body. An SA with DOI 2 inside a GDOI exchange (32/33) is the GDOI SA; in phase 1 it holds
 * proposals (RFC 6407 §2.1: phase 1 is plain IKEv1 under the GDOI DOI).
 */
export function decodePayload(type: number, body: Uint8Array, exchangeType: number): IsakmpPayload {
  const r = new ByteReader(body, 'isakmp');
  switch (type) {
    case PAYLOAD.SA: {
      const doi = r.u32();
      const situation = r.u32();
      const gdoi = exchangeType === EXCHANGE.GROUPKEY_PULL || exchangeType === EXCHANGE.GROUPKEY_PUSH;
      if (doi === DOI.GDOI && gdoi) return decodeGdoiSa(r, situation);
      return { kind: 'sa', doi, situation, proposals: decodeProposals(r) };
    }
    case PAYLOAD.KE:
      return { kind: 'ke', data: body.slice() };
    case PAYLOAD.HASH:
      return { kind: 'hash', data: body.slice() };
    case PAYLOAD.SIG:
      return { kind: 'sig', data: body.slice() };
    case PAYLOAD.NONCE:
      return { kind: 'nonce', data: body.slice() };
    case PAYLOAD.ID: {
      const idType = r.u8();
      const protocol = r.u8();
      const port = r.u16();
      return { kind: 'id', idType, protocol, port, data: r.take(r.remaining) };
    }
    case PAYLOAD.NOTIFICATION: {
      const doi = r.u32();
      const protocolId = r.u8();
      const spiSize = r.u8();
      const messageType = r.u16();
      const spi = r.take(spiSize);
      return { kind: 'notification', doi, protocolId, messageType, spi, data: r.take(r.remaining) };
    }
    case PAYLOAD.DELETE: {
      const doi = r.u32();
      const protocolId = r.u8();
      const spiSize = r.u8();
      const n = r.u16();
      const spis = Array.from({ length: n }, () => r.take(spiSize));
      return { kind: 'delete', doi, protocolId, spiSize, spis };
    }
    case PAYLOAD.SEQ:
      return { kind: 'seq', sequence: r.u32() };
    case PAYLOAD.KD:
      return decodeKd(r);
    default:
      return { kind: 'raw', type, body: body.slice() };
  }
}

export interface DecodedIsakmp {
  readonly header: IsakmpHeader;
  /** Decoded payloads of a plaintext message (empty when encrypted). */
  readonly payloads: IsakmpPayload[];
  /** The raw chain, with offsets into `bytes` (plaintext only). */
  readonly raw: RawPayload[];
  /** Everything after the header when the E flag is set. */
  readonly encrypted?: Uint8Array;
}

/** Decodes a message; an encrypted one is returned as header + ciphertext for the caller's SA to decrypt. */
export function decodeIsakmp(bytes: Uint8Array): DecodedIsakmp {
  const header = decodeIsakmpHeader(bytes);
  if (header.length > bytes.length) {
    throw new ByteReader(bytes, 'isakmp').fail(`length ${header.length} exceeds ${bytes.length} bytes`, 24);
  }
  const end = header.length;
  if (header.flags & ISAKMP_FLAG_ENCRYPTION) {
    return { header, payloads: [], raw: [], encrypted: bytes.slice(ISAKMP_HEADER_LENGTH, end) };
  }
  const raw = walkPayloads(bytes.subarray(0, end), header.nextPayload, ISAKMP_HEADER_LENGTH);
  return { header, raw, payloads: raw.map((p) => decodePayload(p.type, p.body, header.exchangeType)) };
}

/** Decodes a decrypted payload area (after the header) of an encrypted message. */
export function decodeDecryptedPayloads(
  header: IsakmpHeader,
  plaintext: Uint8Array,
): { payloads: IsakmpPayload[]; raw: RawPayload[] } {
  const raw = walkPayloads(plaintext, header.nextPayload);
  return { raw, payloads: raw.map((p) => decodePayload(p.type, p.body, header.exchangeType)) };
}

export function u32Bytes(n: number): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = n >>> 24;
  out[1] = (n >>> 16) & 255;
  out[2] = (n >>> 8) & 255;
  out[3] = n & 255;
  return out;
}

export const EXCHANGE_NAMES: Readonly<Record<number, string>> = {
  2: 'Identity Protection (Main Mode)',
  5: 'Informational',
  32: 'GROUPKEY-PULL',
  33: 'GROUPKEY-PUSH',
  35: 'GROUPKEY-PUSH-ACK',
};
