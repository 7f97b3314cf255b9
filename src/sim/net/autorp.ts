import { ByteReader, ByteWriter } from './bytes';
import type { Ipv4 } from './ipv4-address';

/**
 * Cisco Auto-RP (Farinacci & Wei, "Auto-RP: Automatic discovery of Group-to-RP mappings for IP multicast",
 * 1998; Wireshark packet-auto_rp.c). UDP from port 496 to port 496; no checksum of its own.
 */
export const AUTORP_PORT = 496;
/** CISCO-RP-ANNOUNCE: candidate RPs send RP-Announce here. */
export const AUTORP_ANNOUNCE_GROUP: Ipv4 = 0xe0000127; // 224.0.1.39
/** CISCO-RP-DISCOVERY: the mapping agent sends RP-Discovery (mapping) here. */
export const AUTORP_DISCOVERY_GROUP: Ipv4 = 0xe0000128; // 224.0.1.40

export const AUTORP_TYPE = { ANNOUNCE: 1, DISCOVERY: 2 } as const;
/** The 2-bit PIM version of an RP entry. IOS advertises 3 ("v2v1"). */
export const AUTORP_PIM_VERSION = { UNKNOWN: 0, V1: 1, V2: 2, V1_V2: 3 } as const;
const AUTORP_VERSION = 1;
const HEADER_LENGTH = 8;

export interface AutoRpGroup {
  prefix: Ipv4;
  maskLength: number;
  /** N bit: a `deny` in the group-list ACL (no RP for this range). */
  negative: boolean;
  /** B bit (bidir RP); Wireshark 4.0 does not decode it. */
  bidir?: boolean;
}

export interface AutoRpEntry {
  rp: Ipv4;
  pimVersion: number;
  groups: AutoRpGroup[];
}

export interface AutoRpMessage {
  kind: 'announce' | 'discovery';
  /** Seconds; 0 = never expire. IOS sends 181 with the default 60-s interval. */
  holdtime: number;
  rps: AutoRpEntry[];
}

export type DecodedAutoRp = AutoRpMessage & { version: number };

/** 'RP-Announce' or 'RP-Discovery' (Wireshark says "RP mapping" for the latter). */
export function autoRpTitle(kind: AutoRpMessage['kind']): string {
  return kind === 'announce' ? 'RP-Announce' : 'RP-Discovery';
}

export function encodeAutoRp(m: AutoRpMessage): Uint8Array {
  const type = m.kind === 'announce' ? AUTORP_TYPE.ANNOUNCE : AUTORP_TYPE.DISCOVERY;
  if (m.rps.length > 0xff) throw new RangeError(`auto-rp: ${m.rps.length} RPs do not fit in RP Count`);
  const w = new ByteWriter(HEADER_LENGTH + 32)
    .u8((AUTORP_VERSION << 4) | type)
    .u8(m.rps.length)
    .u16(m.holdtime)
    .u32(0);
  for (const rp of m.rps) {
    if (rp.groups.length > 0xff) throw new RangeError(`auto-rp: ${rp.groups.length} groups for one RP`);
    w.ipv4(rp.rp)
      .u8(rp.pimVersion & 0x3)
      .u8(rp.groups.length);
    for (const g of rp.groups) {
      w.u8((g.bidir ? 0x02 : 0) | (g.negative ? 0x01 : 0))
        .u8(g.maskLength)
        .ipv4(g.prefix);
    }
  }
  return w.finish();
}

/** Decodes an Auto-RP payload; bytes after the last RP entry are ignored (Wireshark calls them trailing junk). */
export function decodeAutoRp(bytes: Uint8Array): DecodedAutoRp {
  const r = new ByteReader(bytes, 'autorp');
  const versionType = r.u8();
  const version = versionType >>> 4;
  const type = versionType & 0x0f;
  if (version !== AUTORP_VERSION) throw r.fail(`version ${version}, expected 1`, 0);
  if (type !== AUTORP_TYPE.ANNOUNCE && type !== AUTORP_TYPE.DISCOVERY) throw r.fail(`type ${type}`, 0);
  const rpCount = r.u8();
  const holdtime = r.u16();
  r.advance(4);
  const rps: AutoRpEntry[] = [];
  for (let i = 0; i < rpCount; i++) {
    const rp = r.ipv4();
    const pimVersion = r.u8() & 0x3;
    const groupCount = r.u8();
    const groups: AutoRpGroup[] = [];
    for (let j = 0; j < groupCount; j++) {
      const flags = r.u8();
      const maskLength = r.u8();
      const group: AutoRpGroup = { prefix: r.ipv4(), maskLength, negative: (flags & 0x01) !== 0 };
      if (flags & 0x02) group.bidir = true;
      groups.push(group);
    }
    rps.push({ rp, pimVersion, groups });
  }
  const kind = type === AUTORP_TYPE.ANNOUNCE ? 'announce' : 'discovery';
  return { kind, holdtime, rps, version };
}
