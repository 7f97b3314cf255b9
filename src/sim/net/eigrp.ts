import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import type { Ipv4 } from './ipv4-address';

/** Header opcodes (RFC 7868 §6.2). A Hello with a non-zero Ack and no TLVs is an ACK. */
export const EIGRP_OPCODE = {
  UPDATE: 1,
  QUERY: 3,
  REPLY: 4,
  HELLO: 5,
  SIA_QUERY: 10,
  SIA_REPLY: 11,
} as const;

/** Header flags (RFC 7868 §6.2): Init, Conditional Receive, Restart, End-of-Table. */
export const EIGRP_FLAG = { INIT: 0x1, CR: 0x2, RS: 0x4, EOT: 0x8 } as const;

/** TLV types (RFC 7868 §6.6-6.9, classic encoding). */
export const EIGRP_TLV = {
  PARAMETERS: 0x0001,
  AUTHENTICATION: 0x0002,
  SEQUENCE: 0x0003,
  SOFTWARE_VERSION: 0x0004,
  NEXT_MULTICAST_SEQUENCE: 0x0005,
  IPV4_INTERNAL: 0x0102,
  IPV4_EXTERNAL: 0x0103,
} as const;

export const EIGRP_VERSION = 2;
const HEADER_LENGTH = 20;

/**
 * Classic (narrow) metric as carried in route TLVs (RFC 7868 §6.9.1). `delay` is 256 × the sum of delays in
 * tens of microseconds (0xffffffff = unreachable); `bandwidth` is 256 × 10^7 / the minimum bandwidth in kbit/s.
 */
export interface EigrpMetric {
  delay: number;
  bandwidth: number;
  /** 24 bits on the wire. */
  mtu: number;
  hopCount: number;
  reliability: number;
  load: number;
  /** Internal route tag (8 bits). */
  tag: number;
  flags: number;
}

export interface EigrpExternalData {
  originatingRouter: Ipv4;
  originatingAs: number;
  /** Arbitrary (administrative) tag. */
  tag: number;
  externalMetric: number;
  /** Ext protocol id (RFC 7868 §6.9.3.1: 1 IGRP, 2 EIGRP, 3 static, 4 RIP, 6 OSPF, 9 BGP, 11 connected ...). */
  protocol: number;
  flags: number;
}

export type EigrpTlv =
  | {
      kind: 'parameters';
      k1: number;
      k2: number;
      k3: number;
      k4: number;
      k5: number;
      k6: number;
      /** Seconds; the receiver uses it as this neighbour's hold time. */
      holdTime: number;
    }
  /** Bytes: IOS release major.minor then TLV version major.minor (classic IOS: 12.4 / 1.2). */
  | { kind: 'software-version'; release: [number, number]; tlvVersion: [number, number] }
  /** Neighbours that must NOT accept the next multicast (RFC 7868 §5.3.8); IPv4 only here. */
  | { kind: 'sequence'; addresses: Ipv4[] }
  | { kind: 'next-multicast-sequence'; sequence: number }
  /** Kept raw: MD5/SHA-256 digests are computed by the protocol layer, not the codec. */
  | { kind: 'authentication'; value: Uint8Array }
  | { kind: 'ipv4-internal'; nextHop: Ipv4; metric: EigrpMetric; destination: Ipv4; prefixLength: number }
  | {
      kind: 'ipv4-external';
      nextHop: Ipv4;
      external: EigrpExternalData;
      metric: EigrpMetric;
      destination: Ipv4;
      prefixLength: number;
    }
  | { kind: 'other'; type: number; value: Uint8Array };

export interface EigrpPacket {
  opcode: number;
  flags: number;
  sequence: number;
  ack: number;
  /** Virtual Router ID: 0 for the unicast base topology. */
  vrid: number;
  as: number;
  tlvs: EigrpTlv[];
}

export interface DecodedEigrp extends EigrpPacket {
  version: number;
  checksum: number;
  checksumValid: boolean;
}

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  1: 'Update',
  3: 'Query',
  4: 'Reply',
  5: 'Hello',
  10: 'SIA-Query',
  11: 'SIA-Reply',
};

/** 'Hello', 'Update', ...; a Hello with an Ack and no TLVs is shown as 'Ack' (RFC 7868 §5.3.2). */
export function eigrpTitle(p: Pick<EigrpPacket, 'opcode' | 'ack' | 'tlvs'>): string {
  if (p.opcode === EIGRP_OPCODE.HELLO && p.ack !== 0 && p.tlvs.length === 0) return 'Ack';
  return OPCODE_NAMES[p.opcode] ?? `opcode ${p.opcode}`;
}

/** Destination bytes after the prefix length: only the significant ones, at least one (as IOS and FRR send). */
export function eigrpDestinationLength(prefixLength: number): number {
  return Math.max(1, Math.ceil(prefixLength / 8));
}

function writeMetric(w: ByteWriter, m: EigrpMetric): void {
  w.u32(m.delay)
    .u32(m.bandwidth)
    .u8(m.mtu >>> 16)
    .u16(m.mtu & 0xffff)
    .u8(m.hopCount)
    .u8(m.reliability)
    .u8(m.load)
    .u8(m.tag)
    .u8(m.flags);
}

function writeDestination(w: ByteWriter, destination: Ipv4, prefixLength: number): void {
  if (prefixLength < 0 || prefixLength > 32) throw new RangeError(`eigrp prefix length ${prefixLength}`);
  w.u8(prefixLength);
  for (let i = 0; i < eigrpDestinationLength(prefixLength); i++) w.u8(destination >>> (24 - 8 * i));
}

function tlvType(t: EigrpTlv): number {
  switch (t.kind) {
    case 'parameters':
      return EIGRP_TLV.PARAMETERS;
    case 'software-version':
      return EIGRP_TLV.SOFTWARE_VERSION;
    case 'sequence':
      return EIGRP_TLV.SEQUENCE;
    case 'next-multicast-sequence':
      return EIGRP_TLV.NEXT_MULTICAST_SEQUENCE;
    case 'authentication':
      return EIGRP_TLV.AUTHENTICATION;
    case 'ipv4-internal':
      return EIGRP_TLV.IPV4_INTERNAL;
    case 'ipv4-external':
      return EIGRP_TLV.IPV4_EXTERNAL;
    case 'other':
      return t.type;
  }
}

function tlvValue(t: EigrpTlv): Uint8Array {
  const w = new ByteWriter(48);
  switch (t.kind) {
    case 'parameters':
      w.u8(t.k1).u8(t.k2).u8(t.k3).u8(t.k4).u8(t.k5).u8(t.k6).u16(t.holdTime);
      break;
    case 'software-version':
      w.u8(t.release[0]).u8(t.release[1]).u8(t.tlvVersion[0]).u8(t.tlvVersion[1]);
      break;
    case 'sequence':
      for (const a of t.addresses) w.u8(4).ipv4(a);
      break;
    case 'next-multicast-sequence':
      w.u32(t.sequence);
      break;
    case 'authentication':
    case 'other':
      w.bytes(t.value);
      break;
    case 'ipv4-internal':
      w.ipv4(t.nextHop);
      writeMetric(w, t.metric);
      writeDestination(w, t.destination, t.prefixLength);
      break;
    case 'ipv4-external': {
      const e = t.external;
      w.ipv4(t.nextHop).ipv4(e.originatingRouter).u32(e.originatingAs).u32(e.tag).u32(e.externalMetric);
      w.u16(0).u8(e.protocol).u8(e.flags);
      writeMetric(w, t.metric);
      writeDestination(w, t.destination, t.prefixLength);
      break;
    }
  }
  return w.finish();
}

/** Encodes a packet; the checksum covers the whole EIGRP packet, header and TLVs (RFC 7868 §6.2). */
export function encodeEigrp(p: EigrpPacket): Uint8Array {
  const w = new ByteWriter(HEADER_LENGTH + 64)
    .u8(EIGRP_VERSION)
    .u8(p.opcode)
    .u16(0)
    .u32(p.flags)
    .u32(p.sequence)
    .u32(p.ack)
    .u16(p.vrid)
    .u16(p.as);
  for (const t of p.tlvs) {
    const value = tlvValue(t);
    w.u16(tlvType(t))
      .u16(4 + value.length)
      .bytes(value);
  }
  const bytes = w.finish();
  writeU16(bytes, 2, internetChecksum(bytes));
  return bytes;
}

function readMetric(r: ByteReader): EigrpMetric {
  const delay = r.u32();
  const bandwidth = r.u32();
  const mtu = (r.u8() << 16) | r.u16();
  return {
    delay,
    bandwidth,
    mtu,
    hopCount: r.u8(),
    reliability: r.u8(),
    load: r.u8(),
    tag: r.u8(),
    flags: r.u8(),
  };
}

function readDestination(r: ByteReader): { destination: Ipv4; prefixLength: number } {
  const at = r.offset;
  const prefixLength = r.u8();
  if (prefixLength > 32) throw r.fail(`prefix length ${prefixLength} > 32`, at);
  let destination = 0;
  const count = eigrpDestinationLength(prefixLength);
  for (let i = 0; i < count; i++) destination |= r.u8() << (24 - 8 * i);
  // Classic TLVs may pack several destinations sharing one metric; IOS sends one, and so do we.
  if (r.remaining > 0) throw r.fail(`${r.remaining} bytes after the destination (one per TLV supported)`);
  return { destination: destination >>> 0, prefixLength };
}

function readTlv(type: number, r: ByteReader): EigrpTlv {
  switch (type) {
    case EIGRP_TLV.PARAMETERS: {
      const [k1, k2, k3, k4, k5, k6] = [r.u8(), r.u8(), r.u8(), r.u8(), r.u8(), r.u8()];
      return { kind: 'parameters', k1, k2, k3, k4, k5, k6, holdTime: r.u16() };
    }
    case EIGRP_TLV.SOFTWARE_VERSION:
      return { kind: 'software-version', release: [r.u8(), r.u8()], tlvVersion: [r.u8(), r.u8()] };
    case EIGRP_TLV.SEQUENCE: {
      const addresses: Ipv4[] = [];
      while (r.remaining > 0) {
        const length = r.u8();
        if (length !== 4)
          throw r.fail(`sequence address length ${length}, only IPv4 (4) supported`, r.offset - 1);
        addresses.push(r.ipv4());
      }
      return { kind: 'sequence', addresses };
    }
    case EIGRP_TLV.NEXT_MULTICAST_SEQUENCE:
      return { kind: 'next-multicast-sequence', sequence: r.u32() };
    case EIGRP_TLV.AUTHENTICATION:
      return { kind: 'authentication', value: r.take(r.remaining) };
    case EIGRP_TLV.IPV4_INTERNAL: {
      const nextHop = r.ipv4();
      const metric = readMetric(r);
      return { kind: 'ipv4-internal', nextHop, metric, ...readDestination(r) };
    }
    case EIGRP_TLV.IPV4_EXTERNAL: {
      const nextHop = r.ipv4();
      const originatingRouter = r.ipv4();
      const originatingAs = r.u32();
      const tag = r.u32();
      const externalMetric = r.u32();
      r.advance(2);
      const external = {
        originatingRouter,
        originatingAs,
        tag,
        externalMetric,
        protocol: r.u8(),
        flags: r.u8(),
      };
      const metric = readMetric(r);
      return { kind: 'ipv4-external', nextHop, external, metric, ...readDestination(r) };
    }
    default:
      return { kind: 'other', type, value: r.take(r.remaining) };
  }
}

export function decodeEigrp(bytes: Uint8Array): DecodedEigrp {
  const r = new ByteReader(bytes, 'eigrp');
  r.need(HEADER_LENGTH, 'a 20-byte header');
  const version = r.u8();
  if (version !== EIGRP_VERSION) throw r.fail(`version ${version}, expected 2`, 0);
  const opcode = r.u8();
  const checksum = r.u16();
  const flags = r.u32();
  const sequence = r.u32();
  const ack = r.u32();
  const vrid = r.u16();
  const as = r.u16();
  const tlvs: EigrpTlv[] = [];
  while (r.remaining > 0) {
    const at = r.offset;
    const type = r.u16();
    const length = r.u16();
    if (length < 4) throw r.fail(`TLV 0x${type.toString(16)} length ${length} < 4`, at + 2);
    tlvs.push(readTlv(type, r.sub(length - 4)));
  }
  const checksumValid = internetChecksum(bytes) === 0;
  return { version, opcode, checksum, flags, sequence, ack, vrid, as, tlvs, checksumValid };
}
