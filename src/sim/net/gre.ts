import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';

/** GRE Protocol Type values (EtherTypes, RFC 2784 §2.4) this lab carries. */
export const GRE_PROTOCOL = {
  IPV4: 0x0800,
  /** Cisco DMVPN carries NHRP directly in GRE with this type (RFC 2332 §3 leaves the NBMA framing open). */
  NHRP: 0x2001,
} as const;

/** Flag bits of the first 16-bit word (RFC 2784 §2, RFC 2890 §2). */
export const GRE_FLAG = { CHECKSUM: 0x8000, ROUTING: 0x4000, KEY: 0x2000, SEQUENCE: 0x1000 } as const;

export interface GrePacket {
  protocolType: number;
  /** RFC 2890 key (`tunnel key 123` puts 0x0000007b here); absent = no K bit. */
  key?: number;
  /** RFC 2890 sequence number; absent = no S bit. IOS sends none unless `tunnel sequence-datagrams`. */
  sequence?: number;
  /** Sets the C bit and fills the RFC 2784 checksum; IOS leaves it off unless `tunnel checksum`. */
  withChecksum?: boolean;
  payload: Uint8Array;
}

export interface DecodedGre extends GrePacket {
  headerLength: number;
  /** The checksum field as received, when the C bit is set. */
  checksum?: number;
  /** True when the checksum verifies, or when there is none. */
  checksumValid: boolean;
}

/** Header length for these flags: 4, plus 4 for each of checksum, key and sequence. */
export function greHeaderLength(p: Pick<GrePacket, 'key' | 'sequence' | 'withChecksum'>): number {
  return 4 + (p.withChecksum ? 4 : 0) + (p.key !== undefined ? 4 : 0) + (p.sequence !== undefined ? 4 : 0);
}

/** Encodes a GRE packet, version 0. The checksum (RFC 2784 §2.5) covers the GRE header and payload. */
export function encodeGre(p: GrePacket): Uint8Array {
  const flags =
    (p.withChecksum ? GRE_FLAG.CHECKSUM : 0) |
    (p.key !== undefined ? GRE_FLAG.KEY : 0) |
    (p.sequence !== undefined ? GRE_FLAG.SEQUENCE : 0);
  const w = new ByteWriter(greHeaderLength(p) + p.payload.length).u16(flags).u16(p.protocolType);
  if (p.withChecksum) w.u16(0).u16(0); // checksum, Reserved1
  if (p.key !== undefined) w.u32(p.key);
  if (p.sequence !== undefined) w.u32(p.sequence);
  const bytes = w.bytes(p.payload).finish();
  if (p.withChecksum) writeU16(bytes, 4, internetChecksum(bytes));
  return bytes;
}

/**
 * Decodes a version-0 GRE packet. RFC 2784 §2.3 says a receiver discards packets with Reserved0 bits 1-5 set
 * (they are the RFC 1701 routing/strict-route/recursion fields) or a non-zero version: both throw here.
 */
export function decodeGre(bytes: Uint8Array): DecodedGre {
  const r = new ByteReader(bytes, 'gre');
  const flags = r.u16();
  const protocolType = r.u16();
  if ((flags & 0x7) !== 0) throw r.fail(`version ${flags & 0x7}, only version 0 (RFC 2784) is supported`, 1);
  if ((flags & 0x4f80) !== 0)
    throw r.fail(`reserved flag bits 0x${(flags & 0x4f80).toString(16)} set (RFC 2784 §2.3)`, 0);
  const withChecksum = (flags & GRE_FLAG.CHECKSUM) !== 0;
  let checksum: number | undefined;
  if (withChecksum) {
    checksum = r.u16();
    r.advance(2); // Reserved1
  }
  const key = flags & GRE_FLAG.KEY ? r.u32() : undefined;
  const sequence = flags & GRE_FLAG.SEQUENCE ? r.u32() : undefined;
  const headerLength = r.offset;
  return {
    protocolType,
    ...(key !== undefined ? { key } : {}),
    ...(sequence !== undefined ? { sequence } : {}),
    ...(withChecksum ? { withChecksum, checksum } : {}),
    payload: r.rest(),
    headerLength,
    checksumValid: !withChecksum || internetChecksum(bytes) === 0,
  };
}
