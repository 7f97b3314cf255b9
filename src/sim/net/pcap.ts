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
    view.setUint32(offset, timestampSeconds(epochSeconds, frame.timeUs), true);
    view.setUint32(offset + 4, frame.timeUs % 1_000_000, true);
    view.setUint32(offset + 8, length, true); // incl_len
    view.setUint32(offset + 12, frame.bytes.length, true); // orig_len
    out.set(frame.bytes.subarray(0, length), offset + RECORD_HEADER_LENGTH);
    offset += RECORD_HEADER_LENGTH + length;
  });
  return out;
}

/** The largest ts_sec a classic pcap record holds: an unsigned 32-bit count of seconds (early 2106). */
export const PCAP_MAX_SECONDS = 0xffff_ffff;

/**
 * A record's ts_sec: seconds since 1970 (libpcap File Format: "ts_sec: the date and time when this packet was
 * captured ... the number of seconds since January 1, 1970, 00:00:00 GMT", unsigned 32 bits). DataView would
 * silently wrap a value outside that range into a wrong date, so it is refused with the reason.
 */
function timestampSeconds(epochSeconds: number, timeUs: SimTime): number {
  const seconds = epochSeconds + Math.floor(timeUs / 1_000_000);
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > PCAP_MAX_SECONDS) {
    throw new RangeError(
      `pcap timestamp out of range: ${seconds} s since 1970 does not fit the format's unsigned 32-bit seconds (1970 to 2106)`,
    );
  }
  return seconds;
}
