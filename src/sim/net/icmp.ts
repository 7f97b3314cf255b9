import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import { decodeIpv4Header } from './ipv4';

/** RFC 792 message types this lab uses. */
export const ICMP_TYPE = {
  ECHO_REPLY: 0,
  DESTINATION_UNREACHABLE: 3,
  ECHO_REQUEST: 8,
  TIME_EXCEEDED: 11,
} as const;

/** Destination Unreachable codes (RFC 792; 4 from RFC 1191, 13 from RFC 1812 §5.2.7.1). */
export const UNREACHABLE_CODE = {
  NET: 0,
  HOST: 1,
  PROTOCOL: 2,
  PORT: 3,
  FRAGMENTATION_NEEDED: 4,
  ADMIN_PROHIBITED: 13,
} as const;

/** Time Exceeded codes (RFC 792). */
export const TIME_EXCEEDED_CODE = { TTL: 0, REASSEMBLY: 1 } as const;

interface IcmpEcho {
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

export type IcmpMessage =
  | (IcmpEcho & { kind: 'echo-request' })
  | (IcmpEcho & { kind: 'echo-reply' })
  /** `original` = the offending datagram's IP header + first 8 bytes of its payload (see icmpOriginal). */
  | { kind: 'destination-unreachable'; code: number; original: Uint8Array; nextHopMtu?: number }
  | { kind: 'time-exceeded'; code: number; original: Uint8Array }
  /** Any other type, kept raw: `body` is everything after the checksum. */
  | { kind: 'other'; type: number; code: number; body: Uint8Array };

export type DecodedIcmp = IcmpMessage & { checksum: number; checksumValid: boolean };

/**
 * What an ICMP error quotes (RFC 792): the original Internet header plus the first 64 bits of its data.
 * Throws DecodeError when `datagram` is not an IPv4 datagram.
 */
export function icmpOriginal(datagram: Uint8Array): Uint8Array {
  const { ihl, totalLength } = decodeIpv4Header(datagram);
  return datagram.slice(0, Math.min(ihl * 4 + 8, totalLength, datagram.length));
}

function typeAndCode(m: IcmpMessage): [number, number] {
  switch (m.kind) {
    case 'echo-request':
      return [ICMP_TYPE.ECHO_REQUEST, 0];
    case 'echo-reply':
      return [ICMP_TYPE.ECHO_REPLY, 0];
    case 'destination-unreachable':
      return [ICMP_TYPE.DESTINATION_UNREACHABLE, m.code];
    case 'time-exceeded':
      return [ICMP_TYPE.TIME_EXCEEDED, m.code];
    case 'other':
      return [m.type, m.code];
  }
}

/** Encodes a message; the checksum covers the whole ICMP message (RFC 792). */
export function encodeIcmp(m: IcmpMessage): Uint8Array {
  const [type, code] = typeAndCode(m);
  const w = new ByteWriter(8 + 64).u8(type).u8(code).u16(0);
  if (m.kind === 'echo-request' || m.kind === 'echo-reply') {
    w.u16(m.identifier).u16(m.sequence).bytes(m.data);
  } else if (m.kind === 'destination-unreachable') {
    // Bytes 4-7 are unused, except the next-hop MTU in the low 16 bits for code 4 (RFC 1191 §4).
    w.u16(0)
      .u16(m.nextHopMtu ?? 0)
      .bytes(m.original);
  } else if (m.kind === 'time-exceeded') {
    w.u32(0).bytes(m.original);
  } else {
    w.bytes(m.body);
  }
  const bytes = w.finish();
  writeU16(bytes, 2, internetChecksum(bytes));
  return bytes;
}

export function decodeIcmp(bytes: Uint8Array): DecodedIcmp {
  const r = new ByteReader(bytes, 'icmp');
  const type = r.u8();
  const code = r.u8();
  const checksum = r.u16();
  const checksumValid = internetChecksum(bytes) === 0;
  const meta = { checksum, checksumValid };
  switch (type) {
    case ICMP_TYPE.ECHO_REQUEST:
    case ICMP_TYPE.ECHO_REPLY: {
      const kind = type === ICMP_TYPE.ECHO_REQUEST ? 'echo-request' : 'echo-reply';
      return { kind, identifier: r.u16(), sequence: r.u16(), data: r.take(r.remaining), ...meta };
    }
    case ICMP_TYPE.DESTINATION_UNREACHABLE: {
      r.advance(2);
      const mtu = r.u16();
      const original = r.take(r.remaining);
      const nextHopMtu = code === UNREACHABLE_CODE.FRAGMENTATION_NEEDED ? { nextHopMtu: mtu } : {};
      return { kind: 'destination-unreachable', code, original, ...nextHopMtu, ...meta };
    }
    case ICMP_TYPE.TIME_EXCEEDED:
      r.advance(4);
      return { kind: 'time-exceeded', code, original: r.take(r.remaining), ...meta };
    default:
      return { kind: 'other', type, code, body: r.take(r.remaining), ...meta };
  }
}

const UNREACHABLE_TEXT: Readonly<Record<number, string>> = {
  0: 'net unreachable',
  1: 'host unreachable',
  2: 'protocol unreachable',
  3: 'port unreachable',
  4: 'fragmentation needed',
  13: 'administratively prohibited',
};

/** Human title, e.g. 'echo request', 'destination unreachable (port unreachable)'. */
export function icmpTitle(m: IcmpMessage): string {
  switch (m.kind) {
    case 'echo-request':
      return 'echo request';
    case 'echo-reply':
      return 'echo reply';
    case 'destination-unreachable':
      return `destination unreachable (${UNREACHABLE_TEXT[m.code] ?? `code ${m.code}`})`;
    case 'time-exceeded':
      return `time exceeded (${m.code === 0 ? 'TTL exceeded in transit' : `code ${m.code}`})`;
    case 'other':
      return `type ${m.type} code ${m.code}`;
  }
}
