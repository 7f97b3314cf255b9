import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import { encodeIpv4, IP_PROTO, ipv4Header } from './ipv4';
import type { Ipv4 } from './ipv4-address';

/** PIMv2 message types (RFC 7761 §4.9; 4 and 8 are BSR, 6/7/9 PIM-DM; those are kept raw). */
export const PIM_TYPE = {
  HELLO: 0,
  REGISTER: 1,
  REGISTER_STOP: 2,
  JOIN_PRUNE: 3,
  BOOTSTRAP: 4,
  ASSERT: 5,
  CANDIDATE_RP_ADVERTISEMENT: 8,
} as const;

/** Hello option types (RFC 7761 §4.9.2, RFC 4601 §4.9.2 Address List). */
export const PIM_HELLO_OPTION = {
  HOLDTIME: 1,
  LAN_PRUNE_DELAY: 2,
  DR_PRIORITY: 19,
  GENERATION_ID: 20,
  ADDRESS_LIST: 24,
} as const;

export const PIM_VERSION = 2;
/** Address Family 1 = IPv4, Encoding Type 0 = native (RFC 7761 §4.9.1). */
const AF_IPV4 = 1;
const ENCODING_NATIVE = 0;
const REGISTER_BORDER = 0x80000000;
const REGISTER_NULL = 0x40000000;
/** The Register checksum covers only the PIM header and the Register flags word (RFC 7761 §4.9.3). */
const REGISTER_CHECKSUM_LENGTH = 8;

/** Encoded-Group (RFC 7761 §4.9.1): B = bidirectional, Z = admin-scope zone. */
export interface PimEncodedGroup {
  address: Ipv4;
  maskLength: number;
  bidirectional?: boolean;
  adminScope?: boolean;
}

/**
 * Encoded-Source: S = sparse (always 1 in PIM-SM), W = wildcard (the (*,G) entry, address = RP), R = RPT
 * (sent down the shared tree). IOS: (*,G) join = S|W|R, (S,G) join = S, (S,G,rpt) prune = S|R.
 */
export interface PimEncodedSource {
  address: Ipv4;
  maskLength: number;
  sparse: boolean;
  wildcard: boolean;
  rpt: boolean;
}

export type PimHelloOption =
  /** Seconds; 0xffff = never expire, 0 = goodbye. IOS sends 105. */
  | { kind: 'holdtime'; holdtime: number }
  /** Milliseconds; IOS does not send it (IOS packet captures). */
  | { kind: 'lan-prune-delay'; tBit: boolean; propagationDelay: number; overrideInterval: number }
  | { kind: 'dr-priority'; priority: number }
  | { kind: 'generation-id'; generationId: number }
  /** Secondary addresses, Encoded-Unicast each. */
  | { kind: 'address-list'; addresses: Ipv4[] }
  /** Any other option kept raw (IOS also sends 21 State-Refresh, 22 Bidir, 65004 RPF Vector). */
  | { kind: 'other'; type: number; value: Uint8Array };

export interface PimJoinPruneGroup {
  group: PimEncodedGroup;
  joins: PimEncodedSource[];
  prunes: PimEncodedSource[];
}

export type PimMessage =
  | { kind: 'hello'; options: PimHelloOption[] }
  /** `packet` is the encapsulated IPv4 data packet (for a Null-Register, its IP header only). */
  | { kind: 'register'; border: boolean; nullRegister: boolean; packet: Uint8Array }
  | { kind: 'register-stop'; group: PimEncodedGroup; source: Ipv4 }
  | { kind: 'join-prune'; upstreamNeighbor: Ipv4; holdtime: number; groups: PimJoinPruneGroup[] }
  | {
      kind: 'assert';
      group: PimEncodedGroup;
      source: Ipv4;
      /** RPT bit: the metric is toward the RP (a (*,G) assert). */
      rpt: boolean;
      /** 31 bits; IOS uses the route's administrative distance. */
      metricPreference: number;
      metric: number;
    }
  /** Other types kept raw: `body` is everything after the 4-byte header. */
  | { kind: 'other'; type: number; body: Uint8Array };

export type DecodedPim = PimMessage & { version: number; checksum: number; checksumValid: boolean };

const TYPE_OF_KIND: Readonly<Record<Exclude<PimMessage['kind'], 'other'>, number>> = {
  hello: PIM_TYPE.HELLO,
  register: PIM_TYPE.REGISTER,
  'register-stop': PIM_TYPE.REGISTER_STOP,
  'join-prune': PIM_TYPE.JOIN_PRUNE,
  assert: PIM_TYPE.ASSERT,
};

export function pimType(m: PimMessage): number {
  return m.kind === 'other' ? m.type : TYPE_OF_KIND[m.kind];
}

const TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'Hello',
  1: 'Register',
  2: 'Register-Stop',
  3: 'Join/Prune',
  4: 'Bootstrap',
  5: 'Assert',
  6: 'Graft',
  7: 'Graft-Ack',
  8: 'Candidate-RP-Advertisement',
  9: 'State-Refresh',
};

/** 'Hello', 'Join/Prune', 'Null-Register', ... */
export function pimTitle(m: PimMessage): string {
  if (m.kind === 'register' && m.nullRegister) return 'Null-Register';
  const type = pimType(m);
  return TYPE_NAMES[type] ?? `type ${type}`;
}

export function writeEncodedUnicast(w: ByteWriter, address: Ipv4): void {
  w.u8(AF_IPV4).u8(ENCODING_NATIVE).ipv4(address);
}

export function writeEncodedGroup(w: ByteWriter, g: PimEncodedGroup): void {
  const flags = (g.bidirectional ? 0x80 : 0) | (g.adminScope ? 0x01 : 0);
  w.u8(AF_IPV4).u8(ENCODING_NATIVE).u8(flags).u8(g.maskLength).ipv4(g.address);
}

export function writeEncodedSource(w: ByteWriter, s: PimEncodedSource): void {
  const flags = (s.sparse ? 0x04 : 0) | (s.wildcard ? 0x02 : 0) | (s.rpt ? 0x01 : 0);
  w.u8(AF_IPV4).u8(ENCODING_NATIVE).u8(flags).u8(s.maskLength).ipv4(s.address);
}

/**
 * The dummy inner header of a Null-Register (RFC 7761 §4.4.1): an IPv4 header from the source to the group with
 * no payload, so its Total Length is 20 (a copied data header would claim bytes that are not there).
 */
export function pimNullRegisterHeader(source: Ipv4, group: Ipv4): Uint8Array {
  return encodeIpv4({
    header: ipv4Header({ protocol: IP_PROTO.PIM, source, destination: group }),
    payload: new Uint8Array(0),
  });
}

function readFamily(r: ByteReader, what: string): void {
  const at = r.offset;
  const family = r.u8();
  const encoding = r.u8();
  if (family !== AF_IPV4) throw r.fail(`${what} address family ${family}, only 1 (IPv4) supported`, at);
  if (encoding !== ENCODING_NATIVE) throw r.fail(`${what} encoding type ${encoding}, expected 0`, at + 1);
}

export function readEncodedUnicast(r: ByteReader): Ipv4 {
  readFamily(r, 'unicast');
  return r.ipv4();
}

export function readEncodedGroup(r: ByteReader): PimEncodedGroup {
  readFamily(r, 'group');
  const flags = r.u8();
  const maskLength = r.u8();
  const g: PimEncodedGroup = { address: r.ipv4(), maskLength };
  if (flags & 0x80) g.bidirectional = true;
  if (flags & 0x01) g.adminScope = true;
  return g;
}

export function readEncodedSource(r: ByteReader): PimEncodedSource {
  readFamily(r, 'source');
  const flags = r.u8();
  const maskLength = r.u8();
  const address = r.ipv4();
  return {
    address,
    maskLength,
    sparse: (flags & 4) !== 0,
    wildcard: (flags & 2) !== 0,
    rpt: (flags & 1) !== 0,
  };
}

function helloOptionType(o: PimHelloOption): number {
  switch (o.kind) {
    case 'holdtime':
      return PIM_HELLO_OPTION.HOLDTIME;
    case 'lan-prune-delay':
      return PIM_HELLO_OPTION.LAN_PRUNE_DELAY;
    case 'dr-priority':
      return PIM_HELLO_OPTION.DR_PRIORITY;
    case 'generation-id':
      return PIM_HELLO_OPTION.GENERATION_ID;
    case 'address-list':
      return PIM_HELLO_OPTION.ADDRESS_LIST;
    case 'other':
      return o.type;
  }
}

function helloOptionValue(o: PimHelloOption): Uint8Array {
  const w = new ByteWriter(8);
  if (o.kind === 'holdtime') w.u16(o.holdtime);
  else if (o.kind === 'lan-prune-delay')
    w.u16((o.tBit ? 0x8000 : 0) | (o.propagationDelay & 0x7fff)).u16(o.overrideInterval);
  else if (o.kind === 'dr-priority') w.u32(o.priority);
  else if (o.kind === 'generation-id') w.u32(o.generationId);
  else if (o.kind === 'address-list') for (const a of o.addresses) writeEncodedUnicast(w, a);
  else w.bytes(o.value);
  return w.finish();
}

function writeBody(w: ByteWriter, m: PimMessage): void {
  switch (m.kind) {
    case 'hello':
      for (const o of m.options) {
        const value = helloOptionValue(o);
        w.u16(helloOptionType(o)).u16(value.length).bytes(value);
      }
      break;
    case 'register':
      w.u32((m.border ? REGISTER_BORDER : 0) | (m.nullRegister ? REGISTER_NULL : 0)).bytes(m.packet);
      break;
    case 'register-stop':
      writeEncodedGroup(w, m.group);
      writeEncodedUnicast(w, m.source);
      break;
    case 'join-prune':
      writeEncodedUnicast(w, m.upstreamNeighbor);
      w.u8(0).u8(m.groups.length).u16(m.holdtime);
      for (const g of m.groups) {
        writeEncodedGroup(w, g.group);
        w.u16(g.joins.length).u16(g.prunes.length);
        for (const s of [...g.joins, ...g.prunes]) writeEncodedSource(w, s);
      }
      break;
    case 'assert':
      writeEncodedGroup(w, m.group);
      writeEncodedUnicast(w, m.source);
      w.u32(((m.rpt ? 0x80000000 : 0) | (m.metricPreference & 0x7fffffff)) >>> 0).u32(m.metric);
      break;
    case 'other':
      w.bytes(m.body);
      break;
  }
}

/** Encodes a PIMv2 message with its checksum (whole message, or the first 8 bytes for a Register). */
export function encodePim(m: PimMessage): Uint8Array {
  const w = new ByteWriter(64)
    .u8((PIM_VERSION << 4) | pimType(m))
    .u8(0)
    .u16(0);
  writeBody(w, m);
  const bytes = w.finish();
  const covered = m.kind === 'register' ? bytes.subarray(0, REGISTER_CHECKSUM_LENGTH) : bytes;
  writeU16(bytes, 2, internetChecksum(covered));
  return bytes;
}

function readHelloOption(type: number, r: ByteReader): PimHelloOption {
  switch (type) {
    case PIM_HELLO_OPTION.HOLDTIME:
      return { kind: 'holdtime', holdtime: r.u16() };
    case PIM_HELLO_OPTION.LAN_PRUNE_DELAY: {
      const word = r.u16();
      return {
        kind: 'lan-prune-delay',
        tBit: (word & 0x8000) !== 0,
        propagationDelay: word & 0x7fff,
        overrideInterval: r.u16(),
      };
    }
    case PIM_HELLO_OPTION.DR_PRIORITY:
      return { kind: 'dr-priority', priority: r.u32() };
    case PIM_HELLO_OPTION.GENERATION_ID:
      return { kind: 'generation-id', generationId: r.u32() };
    case PIM_HELLO_OPTION.ADDRESS_LIST: {
      const addresses: Ipv4[] = [];
      while (r.remaining > 0) addresses.push(readEncodedUnicast(r));
      return { kind: 'address-list', addresses };
    }
    default:
      return { kind: 'other', type, value: r.take(r.remaining) };
  }
}

function readJoinPrune(r: ByteReader): PimMessage {
  const upstreamNeighbor = readEncodedUnicast(r);
  r.advance(1);
  const groupCount = r.u8();
  const holdtime = r.u16();
  const groups: PimJoinPruneGroup[] = [];
  for (let i = 0; i < groupCount; i++) {
    const group = readEncodedGroup(r);
    const joinCount = r.u16();
    const pruneCount = r.u16();
    const joins = Array.from({ length: joinCount }, () => readEncodedSource(r));
    const prunes = Array.from({ length: pruneCount }, () => readEncodedSource(r));
    groups.push({ group, joins, prunes });
  }
  return { kind: 'join-prune', upstreamNeighbor, holdtime, groups };
}

function readBody(type: number, r: ByteReader): PimMessage {
  switch (type) {
    case PIM_TYPE.HELLO: {
      const options: PimHelloOption[] = [];
      while (r.remaining > 0) {
        const optionType = r.u16();
        const length = r.u16();
        options.push(readHelloOption(optionType, r.sub(length)));
      }
      return { kind: 'hello', options };
    }
    case PIM_TYPE.REGISTER: {
      const flags = r.u32();
      const packet = r.take(r.remaining);
      return {
        kind: 'register',
        border: (flags & REGISTER_BORDER) !== 0,
        nullRegister: (flags & REGISTER_NULL) !== 0,
        packet,
      };
    }
    case PIM_TYPE.REGISTER_STOP: {
      const group = readEncodedGroup(r);
      return { kind: 'register-stop', group, source: readEncodedUnicast(r) };
    }
    case PIM_TYPE.JOIN_PRUNE:
      return readJoinPrune(r);
    case PIM_TYPE.ASSERT: {
      const group = readEncodedGroup(r);
      const source = readEncodedUnicast(r);
      const word = r.u32();
      return {
        kind: 'assert',
        group,
        source,
        rpt: (word & 0x80000000) !== 0,
        metricPreference: word & 0x7fffffff,
        metric: r.u32(),
      };
    }
    default:
      return { kind: 'other', type, body: r.take(r.remaining) };
  }
}

export function decodePim(bytes: Uint8Array): DecodedPim {
  const r = new ByteReader(bytes, 'pim');
  const versionType = r.u8();
  const version = versionType >>> 4;
  if (version !== PIM_VERSION) throw r.fail(`version ${version}, expected 2`, 0);
  const type = versionType & 0x0f;
  r.advance(1);
  const checksum = r.u16();
  const message = readBody(type, r);
  const covered = type === PIM_TYPE.REGISTER ? bytes.subarray(0, REGISTER_CHECKSUM_LENGTH) : bytes;
  return { ...message, version, checksum, checksumValid: internetChecksum(covered) === 0 };
}
