import { ByteReader, ByteWriter, readU32, writeU16, writeU32 } from './bytes';
import { internetChecksum } from './checksum';
import { DecodeError } from './decode-error';
import type { Ipv4 } from './ipv4-address';

/** IANA protocol numbers carried in the IPv4 Protocol field. */
export const IP_PROTO = { ICMP: 1, IGMP: 2, UDP: 17, GRE: 47, ESP: 50, EIGRP: 88, PIM: 103 } as const;

const PROTOCOL_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(IP_PROTO).map(([name, n]) => [n, name.toLowerCase()]),
);

/** Lower-case name of an IP protocol number ('udp', 'gre', ...), or the number as text. */
export function ipProtocolName(protocol: number): string {
  return PROTOCOL_NAMES[protocol] ?? String(protocol);
}

/** A header without options: IHL 5 (RFC 791 §3.1). */
export const IPV4_HEADER_BYTES = 20;

/** RFC 791 §3.1 option types we build or recognise. */
export const IPV4_OPTION = { END: 0, NOP: 1, ROUTER_ALERT: 0x94 } as const;

/**
 * Router Alert (RFC 2113 §2.1: type 0x94 = copied + class 0 + number 20, length 4, value 0 = "examine packet").
 * Other options are kept raw (type + data, the length octet is implied) so they round-trip untouched.
 */
export type Ipv4Option =
  { kind: 'router-alert'; value: number } | { kind: 'nop' } | { kind: 'raw'; type: number; data: Uint8Array };

export interface Ipv4Header {
  tos: number;
  identification: number;
  dontFragment: boolean;
  moreFragments: boolean;
  /** In 8-octet units, as on the wire (RFC 791 §3.1). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  source: Ipv4;
  destination: Ipv4;
  options: Ipv4Option[];
}

export interface Ipv4Datagram {
  header: Ipv4Header;
  payload: Uint8Array;
}

/** What decodeIpv4Header reads from the header alone (no check against the buffer's length). */
export interface DecodedIpv4Header {
  header: Ipv4Header;
  /** Header length in 32-bit words (5..15). */
  ihl: number;
  totalLength: number;
  checksum: number;
  headerChecksumValid: boolean;
}

export type DecodedIpv4 = Ipv4Datagram & DecodedIpv4Header;

/** A header with the defaults IOS uses for locally generated packets: TTL 255, no options, may fragment. */
export function ipv4Header(
  init: Pick<Ipv4Header, 'protocol' | 'source' | 'destination'> & Partial<Ipv4Header>,
): Ipv4Header {
  return {
    tos: 0,
    identification: 0,
    dontFragment: false,
    moreFragments: false,
    fragmentOffset: 0,
    ttl: 255,
    options: [],
    ...init,
  };
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw new RangeError(`ipv4 ${name} ${value} not in 0..${max}`);
}

const NO_OPTIONS = new Uint8Array(0);

function encodeOptions(options: readonly Ipv4Option[]): Uint8Array {
  if (options.length === 0) return NO_OPTIONS;
  const w = new ByteWriter(40);
  for (const o of options) {
    if (o.kind === 'router-alert') w.u8(IPV4_OPTION.ROUTER_ALERT).u8(4).u16(o.value);
    else if (o.kind === 'nop') w.u8(IPV4_OPTION.NOP);
    else
      w.u8(o.type)
        .u8(o.data.length + 2)
        .bytes(o.data);
  }
  // Pad to a 32-bit boundary with End of Option List octets (RFC 791 §3.1: "padding ... is zero").
  while (w.length % 4 !== 0) w.u8(IPV4_OPTION.END);
  if (w.length > 40) throw new RangeError(`ipv4 options take ${w.length} bytes, at most 40 fit`);
  return w.finish();
}

/** Encodes a datagram; IHL, total length and the header checksum are computed here (RFC 791 §3.1). */
export function encodeIpv4(d: Ipv4Datagram): Uint8Array {
  checkHeaderFields(d.header);
  const options = encodeOptions(d.header.options);
  const headerLength = IPV4_HEADER_BYTES + options.length;
  const bytes = new Uint8Array(headerLength + d.payload.length);
  bytes.set(options, IPV4_HEADER_BYTES);
  bytes.set(d.payload, headerLength);
  writeHeader(bytes, d.header, headerLength);
  return bytes;
}

/**
 * encodeIpv4 for a datagram built in place: `bytes` is the whole datagram, its payload already at byte 20 and
 * its first 20 bytes left for the header, which is written here (no options: IHL 5). The same bytes as
 * encodeIpv4 with that payload, without copying it: ESP seals its packet behind the room for the outer header.
 */
export function encodeIpv4Header(bytes: Uint8Array, header: Ipv4Header): Uint8Array {
  if (header.options.length > 0) throw new RangeError('ipv4 header written in place cannot carry options');
  checkHeaderFields(header);
  writeHeader(bytes, header, IPV4_HEADER_BYTES);
  return bytes;
}

function checkHeaderFields(h: Ipv4Header): void {
  checkField('tos', h.tos, 0xff);
  checkField('identification', h.identification, 0xffff);
  checkField('fragmentOffset', h.fragmentOffset, 0x1fff);
  checkField('ttl', h.ttl, 0xff);
  checkField('protocol', h.protocol, 0xff);
}

/** The fixed 20 bytes of the header (RFC 791 §3.1) and its checksum over `headerLength` bytes, options included. */
function writeHeader(bytes: Uint8Array, h: Ipv4Header, headerLength: number): void {
  checkField('total length', bytes.length, 0xffff);
  const flags = (h.dontFragment ? 0x4000 : 0) | (h.moreFragments ? 0x2000 : 0);
  bytes[0] = 0x40 | (headerLength / 4);
  bytes[1] = h.tos;
  writeU16(bytes, 2, bytes.length);
  writeU16(bytes, 4, h.identification);
  writeU16(bytes, 6, flags | h.fragmentOffset);
  bytes[8] = h.ttl;
  bytes[9] = h.protocol;
  writeU16(bytes, 10, 0);
  writeU32(bytes, 12, h.source);
  writeU32(bytes, 16, h.destination);
  writeU16(bytes, 10, headerChecksum(bytes, headerLength));
}

function decodeOptions(r: ByteReader): Ipv4Option[] {
  const options: Ipv4Option[] = [];
  while (r.remaining > 0) {
    const start = r.offset;
    const type = r.u8();
    if (type === IPV4_OPTION.END) break; // the rest is padding
    if (type === IPV4_OPTION.NOP) {
      options.push({ kind: 'nop' });
      continue;
    }
    const length = r.u8();
    if (length < 2) throw r.fail(`option 0x${type.toString(16)} length ${length} < 2`, start + 1);
    if (length - 2 > r.remaining)
      throw r.fail(`option 0x${type.toString(16)} length ${length} overruns header`, start + 1);
    const data = r.take(length - 2);
    if (type === IPV4_OPTION.ROUTER_ALERT) {
      if (length !== 4) throw r.fail(`router alert length ${length}, RFC 2113 says 4`, start + 1);
      options.push({ kind: 'router-alert', value: ((data[0] ?? 0) << 8) | (data[1] ?? 0) });
    } else options.push({ kind: 'raw', type, data });
  }
  return options;
}

/**
 * Decodes the header only. It does not require the whole datagram to be present, so it also reads the
 * original header quoted inside ICMP errors (RFC 792), which is followed by only 8 bytes of payload.
 */
export function decodeIpv4Header(bytes: Uint8Array): DecodedIpv4Header {
  const r = new ByteReader(bytes, 'ipv4');
  r.need(IPV4_HEADER_BYTES, 'a 20-byte header');
  const versionIhl = r.u8();
  if (versionIhl >>> 4 !== 4) throw r.fail(`version ${versionIhl >>> 4}, expected 4`, 0);
  const ihl = versionIhl & 0x0f;
  if (ihl < 5) throw r.fail(`IHL ${ihl} < 5`, 0);
  if (ihl * 4 > bytes.length) throw r.fail(`IHL ${ihl} (${ihl * 4} bytes) exceeds ${bytes.length} bytes`, 0);
  const tos = r.u8();
  const totalLength = r.u16();
  if (totalLength < ihl * 4) throw r.fail(`total length ${totalLength} < header length ${ihl * 4}`, 2);
  const identification = r.u16();
  const flagsFragment = r.u16();
  const ttl = r.u8();
  const protocol = r.u8();
  const checksum = r.u16();
  const source = r.ipv4();
  const destination = r.ipv4();
  const options = decodeOptions(r.sub(ihl * 4 - IPV4_HEADER_BYTES));
  const header: Ipv4Header = {
    tos,
    identification,
    dontFragment: (flagsFragment & 0x4000) !== 0,
    moreFragments: (flagsFragment & 0x2000) !== 0,
    fragmentOffset: flagsFragment & 0x1fff,
    ttl,
    protocol,
    source,
    destination,
    options,
  };
  const headerChecksumValid = internetChecksum(bytes.subarray(0, ihl * 4)) === 0;
  return { header, ihl, totalLength, checksum, headerChecksumValid };
}

/**
 * Decodes a whole datagram. `payload` is a view into `bytes` (no copy) bounded by Total Length; bytes after
 * Total Length (link padding) are ignored. A bad header checksum is reported, not thrown: a router drops such
 * a packet (RFC 1812 §5.2.2) but the inspector still shows it.
 */
export function decodeIpv4(bytes: Uint8Array): DecodedIpv4 {
  if (bytes[0] === 0x45 && bytes.length >= IPV4_HEADER_BYTES) {
    const totalLength = (bytes[2]! << 8) | bytes[3]!;
    if (totalLength >= IPV4_HEADER_BYTES && totalLength <= bytes.length)
      return decodeOptionlessIpv4(bytes, totalLength);
  }
  const decoded = decodeIpv4Header(bytes);
  if (decoded.totalLength > bytes.length) {
    throw new DecodeError('ipv4', 2, `total length ${decoded.totalLength} exceeds ${bytes.length} bytes`);
  }
  return { ...decoded, payload: bytes.subarray(decoded.ihl * 4, decoded.totalLength) };
}

/**
 * decodeIpv4 for the usual well-formed datagram: version 4, IHL 5 (no options), a total length that fits. The
 * same result as the general path, read straight from the bytes: every router decodes every packet it
 * receives, and the general path's readers, sub-reader and spread copy were a measurable share of a big lab's
 * time and garbage (bench/RESULTS.md, issue 18).
 */
function decodeOptionlessIpv4(bytes: Uint8Array, totalLength: number): DecodedIpv4 {
  const flagsFragment = (bytes[6]! << 8) | bytes[7]!;
  const header: Ipv4Header = {
    tos: bytes[1]!,
    identification: (bytes[4]! << 8) | bytes[5]!,
    dontFragment: (flagsFragment & 0x4000) !== 0,
    moreFragments: (flagsFragment & 0x2000) !== 0,
    fragmentOffset: flagsFragment & 0x1fff,
    ttl: bytes[8]!,
    protocol: bytes[9]!,
    source: readU32(bytes, 12),
    destination: readU32(bytes, 16),
    options: [],
  };
  return {
    header,
    ihl: 5,
    totalLength,
    checksum: (bytes[10]! << 8) | bytes[11]!,
    headerChecksumValid: headerSumIsZero(bytes),
    payload: bytes.subarray(20, totalLength),
  };
}

/** RFC 1071 over the 20-byte header in place (no subarray): the sum of a correct header complements to 0. */
function headerSumIsZero(bytes: Uint8Array): boolean {
  return headerChecksum(bytes, IPV4_HEADER_BYTES) === 0;
}

/**
 * RFC 1071's checksum of the first `length` bytes (a header: a multiple of 4), read in place: the same value as
 * internetChecksum over a subarray of them, without making the subarray for every packet written or forwarded.
 */
function headerChecksum(bytes: Uint8Array, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/**
 * A copy of an encoded datagram with a new TTL and the header checksum recomputed. Per forwarded packet, so it
 * reads only the IHL (the caller decoded the datagram already) and checks just what the checksum needs.
 */
export function withTtl(bytes: Uint8Array, ttl: number): Uint8Array {
  checkField('ttl', ttl, 0xff);
  const ihl = (bytes[0] ?? 0) & 0x0f;
  if (ihl < 5 || ihl * 4 > bytes.length)
    throw new DecodeError('ipv4', 0, `IHL ${ihl} in ${bytes.length} bytes`);
  const copy = bytes.slice();
  copy[8] = ttl;
  writeU16(copy, 10, 0);
  writeU16(copy, 10, headerChecksum(copy, ihl * 4));
  return copy;
}

/**
 * The forwarding step of RFC 1812 §5.3.1: a copy with TTL - 1 and a fresh checksum, or undefined when the TTL
 * would reach 0 (the router drops the datagram and sends ICMP Time Exceeded, code 0).
 */
export function decrementTtl(bytes: Uint8Array): Uint8Array | undefined {
  const ttl = decodeIpv4Header(bytes).header.ttl;
  return ttl <= 1 ? undefined : withTtl(bytes, ttl - 1);
}
