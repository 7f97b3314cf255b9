import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum, pseudoHeaderSum } from './checksum';
import { IP_PROTO } from './ipv4';
import type { Ipv4 } from './ipv4-address';

export interface UdpDatagram {
  sourcePort: number;
  destinationPort: number;
  payload: Uint8Array;
}

export interface DecodedUdp extends UdpDatagram {
  /** The Length field: header + data (RFC 768). */
  length: number;
  checksum: number;
  /** True when the checksum verifies, or when it is 0 ("no checksum", RFC 768). */
  checksumValid: boolean;
}

export const UDP_HEADER_LENGTH = 8;

/** Encodes a UDP datagram with its checksum over the IPv4 pseudo-header (RFC 768). */
export function encodeUdp(d: UdpDatagram, source: Ipv4, destination: Ipv4): Uint8Array {
  const length = UDP_HEADER_LENGTH + d.payload.length;
  if (length > 0xffff) throw new RangeError(`udp length ${length} > 65535`);
  const bytes = new ByteWriter(length)
    .u16(d.sourcePort)
    .u16(d.destinationPort)
    .u16(length)
    .u16(0)
    .bytes(d.payload)
    .finish();
  const sum = internetChecksum(bytes, pseudoHeaderSum(source, destination, IP_PROTO.UDP, length));
  // RFC 768: a computed checksum of zero is transmitted as all ones (0 means "no checksum").
  writeU16(bytes, 6, sum === 0 ? 0xffff : sum);
  return bytes;
}

/** Decodes a UDP datagram carried from `source` to `destination`; `payload` is a view bounded by Length. */
export function decodeUdp(bytes: Uint8Array, source: Ipv4, destination: Ipv4): DecodedUdp {
  const r = new ByteReader(bytes, 'udp');
  const sourcePort = r.u16();
  const destinationPort = r.u16();
  const length = r.u16();
  const checksum = r.u16();
  if (length < UDP_HEADER_LENGTH) throw r.fail(`length ${length} < 8`, 4);
  if (length > bytes.length) throw r.fail(`length ${length} exceeds ${bytes.length} bytes`, 4);
  const datagram = bytes.subarray(0, length);
  const checksumValid =
    checksum === 0 ||
    internetChecksum(datagram, pseudoHeaderSum(source, destination, IP_PROTO.UDP, length)) === 0;
  return {
    sourcePort,
    destinationPort,
    payload: bytes.subarray(UDP_HEADER_LENGTH, length),
    length,
    checksum,
    checksumValid,
  };
}
