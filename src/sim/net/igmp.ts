import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import type { Ipv4 } from './ipv4-address';

/** IGMP message types (RFC 2236 §2.1, RFC 3376 §4; 0x14 = PIM version 1, which rides in IGMP). */
export const IGMP_TYPE = {
  QUERY: 0x11,
  V1_REPORT: 0x12,
  PIM_V1: 0x14,
  V2_REPORT: 0x16,
  LEAVE: 0x17,
  V3_REPORT: 0x22,
} as const;

/** PIMv1 codes (carried in the IGMP Code byte); only RP-Reachable is decoded, Cisco RPs send it. */
export const PIMV1_CODE = {
  QUERY: 0,
  REGISTER: 1,
  REGISTER_STOP: 2,
  JOIN_PRUNE: 3,
  RP_REACHABLE: 4,
  ASSERT: 5,
  GRAFT: 6,
  GRAFT_ACK: 7,
  MODE: 8,
} as const;

/** IGMPv3 group record types (RFC 3376 §4.2.12). */
export const IGMPV3_RECORD = {
  MODE_IS_INCLUDE: 1,
  MODE_IS_EXCLUDE: 2,
  CHANGE_TO_INCLUDE: 3,
  CHANGE_TO_EXCLUDE: 4,
  ALLOW_NEW_SOURCES: 5,
  BLOCK_OLD_SOURCES: 6,
} as const;

export interface IgmpGroupRecord {
  type: number;
  group: Ipv4;
  sources: Ipv4[];
  /** Auxiliary data, a multiple of 4 bytes (RFC 3376 §4.2.6: "MUST be zero" length for IGMPv3). */
  auxData: Uint8Array;
}

export type IgmpMessage =
  /** v1/v2 query (8 bytes); `maxResponseTime` in 1/10 s, 0 for an IGMPv1 query. Group 0.0.0.0 = general. */
  | { kind: 'query'; maxResponseTime: number; group: Ipv4 }
  /** RFC 3376 §4.1: told apart from a v2 query by its length (at least 12 bytes). */
  | {
      kind: 'v3-query';
      maxResponseCode: number;
      group: Ipv4;
      suppressRouterSide: boolean;
      robustness: number;
      queryIntervalCode: number;
      sources: Ipv4[];
    }
  | { kind: 'v1-report'; group: Ipv4 }
  | { kind: 'v2-report'; group: Ipv4 }
  | { kind: 'leave'; group: Ipv4 }
  | { kind: 'v3-report'; records: IgmpGroupRecord[] }
  /**
   * PIMv1 RP-Reachable (code 4): IGMP header, then Ver(4)=1 + 24 reserved bits, group, group mask, RP address,
   * 16 reserved bits and the holdtime in seconds (Cisco sends 270, as an IOS packet capture shows;
   * layout of Wireshark packet-pim.c's PIMv1 dissector).
   */
  | { kind: 'pimv1-rp-reachable'; group: Ipv4; groupMask: Ipv4; rp: Ipv4; holdtime: number }
  /** Any other PIMv1 code, kept raw: `body` is everything after the checksum. */
  | { kind: 'pimv1'; code: number; body: Uint8Array }
  | { kind: 'other'; type: number; code: number; body: Uint8Array };

export type DecodedIgmp = IgmpMessage & { checksum: number; checksumValid: boolean };

const PIMV1_VERSION_WORD = 0x10000000;

/** Human title, e.g. 'v2 Membership Report', 'PIMv1 RP-Reachable'. */
export function igmpTitle(m: IgmpMessage): string {
  switch (m.kind) {
    case 'query':
      return m.maxResponseTime === 0 ? 'v1 Membership Query' : 'v2 Membership Query';
    case 'v3-query':
      return 'v3 Membership Query';
    case 'v1-report':
      return 'v1 Membership Report';
    case 'v2-report':
      return 'v2 Membership Report';
    case 'leave':
      return 'Leave Group';
    case 'v3-report':
      return 'v3 Membership Report';
    case 'pimv1-rp-reachable':
      return 'PIMv1 RP-Reachable';
    case 'pimv1':
      return `PIMv1 code ${m.code}`;
    case 'other':
      return `type 0x${m.type.toString(16)}`;
  }
}

function writeBody(w: ByteWriter, m: IgmpMessage): void {
  switch (m.kind) {
    case 'query':
      w.u8(IGMP_TYPE.QUERY).u8(m.maxResponseTime).u16(0).ipv4(m.group);
      break;
    case 'v3-query':
      w.u8(IGMP_TYPE.QUERY).u8(m.maxResponseCode).u16(0).ipv4(m.group);
      w.u8((m.suppressRouterSide ? 0x08 : 0) | (m.robustness & 0x7)).u8(m.queryIntervalCode);
      w.u16(m.sources.length);
      for (const s of m.sources) w.ipv4(s);
      break;
    case 'v1-report':
    case 'v2-report':
    case 'leave': {
      const type = {
        'v1-report': IGMP_TYPE.V1_REPORT,
        'v2-report': IGMP_TYPE.V2_REPORT,
        leave: IGMP_TYPE.LEAVE,
      };
      w.u8(type[m.kind]).u8(0).u16(0).ipv4(m.group);
      break;
    }
    case 'v3-report':
      w.u8(IGMP_TYPE.V3_REPORT).u8(0).u16(0).u16(0).u16(m.records.length);
      for (const g of m.records) {
        if (g.auxData.length % 4 !== 0) throw new RangeError('igmpv3 aux data must be a multiple of 4 bytes');
        w.u8(g.type)
          .u8(g.auxData.length / 4)
          .u16(g.sources.length)
          .ipv4(g.group);
        for (const s of g.sources) w.ipv4(s);
        w.bytes(g.auxData);
      }
      break;
    case 'pimv1-rp-reachable':
      w.u8(IGMP_TYPE.PIM_V1).u8(PIMV1_CODE.RP_REACHABLE).u16(0).u32(PIMV1_VERSION_WORD);
      w.ipv4(m.group).ipv4(m.groupMask).ipv4(m.rp).u16(0).u16(m.holdtime);
      break;
    case 'pimv1':
      w.u8(IGMP_TYPE.PIM_V1).u8(m.code).u16(0).bytes(m.body);
      break;
    case 'other':
      w.u8(m.type).u8(m.code).u16(0).bytes(m.body);
      break;
  }
}

/** Encodes a message; the checksum covers the whole IGMP message (RFC 2236 §2.3, RFC 3376 §4.1.2). */
export function encodeIgmp(m: IgmpMessage): Uint8Array {
  const w = new ByteWriter(32);
  writeBody(w, m);
  const bytes = w.finish();
  writeU16(bytes, 2, internetChecksum(bytes));
  return bytes;
}

function readAddresses(r: ByteReader, count: number): Ipv4[] {
  r.need(count * 4, `${count} addresses`);
  return Array.from({ length: count }, () => r.ipv4());
}

function readV3Report(r: ByteReader): IgmpMessage {
  r.advance(2);
  const count = r.u16();
  const records: IgmpGroupRecord[] = [];
  for (let i = 0; i < count; i++) {
    const type = r.u8();
    const auxWords = r.u8();
    const sourceCount = r.u16();
    const group = r.ipv4();
    records.push({ type, group, sources: readAddresses(r, sourceCount), auxData: r.take(auxWords * 4) });
  }
  return { kind: 'v3-report', records };
}

function readQuery(r: ByteReader, code: number): IgmpMessage {
  const group = r.ipv4();
  // RFC 3376 §7.1: an 8-byte query is v1/v2; 12 bytes or more is v3.
  if (r.remaining < 4) return { kind: 'query', maxResponseTime: code, group };
  const flags = r.u8();
  const queryIntervalCode = r.u8();
  const sources = readAddresses(r, r.u16());
  return {
    kind: 'v3-query',
    maxResponseCode: code,
    group,
    suppressRouterSide: (flags & 0x08) !== 0,
    robustness: flags & 0x07,
    queryIntervalCode,
    sources,
  };
}

function readPimV1(r: ByteReader, code: number): IgmpMessage {
  if (code !== PIMV1_CODE.RP_REACHABLE) return { kind: 'pimv1', code, body: r.take(r.remaining) };
  const versionWord = r.u32();
  if (versionWord >>> 28 !== 1) throw r.fail(`PIM version ${versionWord >>> 28}, expected 1`, 4);
  const group = r.ipv4();
  const groupMask = r.ipv4();
  const rp = r.ipv4();
  r.advance(2);
  return { kind: 'pimv1-rp-reachable', group, groupMask, rp, holdtime: r.u16() };
}

export function decodeIgmp(bytes: Uint8Array): DecodedIgmp {
  const r = new ByteReader(bytes, 'igmp');
  const type = r.u8();
  const code = r.u8();
  const checksum = r.u16();
  const meta = { checksum, checksumValid: internetChecksum(bytes) === 0 };
  switch (type) {
    case IGMP_TYPE.QUERY:
      return { ...readQuery(r, code), ...meta };
    case IGMP_TYPE.V1_REPORT:
      return { kind: 'v1-report', group: r.ipv4(), ...meta };
    case IGMP_TYPE.V2_REPORT:
      return { kind: 'v2-report', group: r.ipv4(), ...meta };
    case IGMP_TYPE.LEAVE:
      return { kind: 'leave', group: r.ipv4(), ...meta };
    case IGMP_TYPE.V3_REPORT:
      return { ...readV3Report(r), ...meta };
    case IGMP_TYPE.PIM_V1:
      return { ...readPimV1(r, code), ...meta };
    default:
      return { kind: 'other', type, code, body: r.take(r.remaining), ...meta };
  }
}
