// What an exported capture holds: how many frames and from when to when, read back from the pcap itself.

/** A capture's extent: frame count, first and last frame times (simulated µs), and the first frame's number. */
export interface PcapSpan {
  readonly frames: number;
  readonly firstUs: number;
  readonly lastUs: number;
  /**
   * 1 when the capture starts with the lab's first frame. The page's captures hold frames in send order from a
   * window; the worker numbers frames from 1, so a capture missing the oldest ones reports where it starts.
   */
  readonly firstId: number;
}

const FILE_HEADER = 24;
const RECORD_HEADER = 16;

/**
 * Reads a classic little-endian pcap (tcpdump.org "libpcap File Format"): record timestamps are Unix seconds and
 * microseconds; `epochSeconds` (the lab's clock at t = 0) turns them back into simulated time. `firstId` comes
 * from `framesBefore`, the number of frames the source dropped before the first one it holds.
 */
export function pcapSpan(pcap: Uint8Array, epochSeconds: number, framesBefore = 0): PcapSpan {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  let frames = 0;
  let firstUs = 0;
  let lastUs = 0;
  for (let at = FILE_HEADER; at + RECORD_HEADER <= pcap.length;) {
    const t = (view.getUint32(at, true) - epochSeconds) * 1_000_000 + view.getUint32(at + 4, true);
    if (frames === 0) firstUs = t;
    lastUs = t;
    frames++;
    at += RECORD_HEADER + view.getUint32(at + 8, true);
  }
  return { frames, firstUs, lastUs, firstId: framesBefore + 1 };
}
