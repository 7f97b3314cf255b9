import type { SimTime } from '../kernel/time';

/** LINKTYPE_RAW: each record is a bare IPv4/IPv6 packet, no link header (tcpdump.org linktypes). */
export const LINKTYPE_RAW = 101;
const PCAP_MAGIC_MICROSECONDS = 0xa1b2c3d4;
const GLOBAL_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
const DEFAULT_SNAPLEN = 65535;

export interface PcapFrame {
  /** Simulated time of the frame, in microseconds since the lab booted. */
  timeUs: SimTime;
  bytes: Uint8Array;
}

export interface PcapOptions {
  linkType?: number;
  snapLength?: number;
}

/**
 * Classic libpcap file (tcpdump.org "libpcap File Format"), little-endian, version 2.4, microsecond timestamps.
 * Each record is stamped `epochSeconds` + its simulated time, so captures from one run line up in Wireshark.
 */
export function writePcap(
  frames: readonly PcapFrame[],
  epochSeconds: number,
  options: PcapOptions = {},
): Uint8Array {
  const snapLength = options.snapLength ?? DEFAULT_SNAPLEN;
  const captured = frames.map((f) => Math.min(f.bytes.length, snapLength));
  const size = GLOBAL_HEADER_LENGTH + captured.reduce((n, c) => n + RECORD_HEADER_LENGTH + c, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, PCAP_MAGIC_MICROSECONDS, true);
  view.setUint16(4, 2, true); // version major
  view.setUint16(6, 4, true); // version minor
  view.setInt32(8, 0, true); // thiszone: timestamps are UTC
  view.setUint32(12, 0, true); // sigfigs
  view.setUint32(16, snapLength, true);
  view.setUint32(20, options.linkType ?? LINKTYPE_RAW, true);
  let offset = GLOBAL_HEADER_LENGTH;
  frames.forEach((frame, i) => {
    const length = captured[i] ?? 0;
    if (!Number.isInteger(frame.timeUs) || frame.timeUs < 0)
      throw new RangeError(`pcap time ${frame.timeUs}`);
    view.setUint32(offset, epochSeconds + Math.floor(frame.timeUs / 1_000_000), true);
    view.setUint32(offset + 4, frame.timeUs % 1_000_000, true);
    view.setUint32(offset + 8, length, true); // incl_len
    view.setUint32(offset + 12, frame.bytes.length, true); // orig_len
    out.set(frame.bytes.subarray(0, length), offset + RECORD_HEADER_LENGTH);
    offset += RECORD_HEADER_LENGTH + length;
  });
  return out;
}
