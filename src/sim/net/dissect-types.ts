// What a dissection is made of: layers of named fields with their byte ranges, and what a protocol's dissector
// receives. Types only, a leaf module: `dissect.ts` and `dissect-helpers.ts` both build on it.
import type { Ipv4 } from './ipv4-address';

export interface Field {
  /** Stable machine name, Wireshark-style where possible ('ip.ttl', 'udp.dstport'). */
  name: string;
  label: string;
  value: string;
  /** Byte range [start, end) in the frame. */
  start: number;
  end: number;
}

export interface Layer {
  /** Short lower-case protocol id ('ipv4', 'udp', 'icmp', 'data', ...). */
  protocol: string;
  title: string;
  start: number;
  end: number;
  fields: Field[];
  /** What a trace summary says when this is the innermost layer with info: `${name} src > dst ${detail}`. */
  info?: { name: string; detail?: string };
  /** Set when this layer could not be decoded; the layer then spans the undecodable bytes. */
  error?: string;
  /** Non-fatal problems a user should see, e.g. 'bad IPv4 checksum'. */
  warnings?: string[];
}

/** What a payload dissector gets: where its bytes are in the frame, and the enclosing addresses/ports. */
export interface DissectContext {
  readonly frame: Uint8Array;
  readonly start: number;
  readonly end: number;
  /** frame.subarray(start, end): hand this to a codec's decode function. */
  readonly bytes: Uint8Array;
  readonly source: Ipv4;
  readonly destination: Ipv4;
  readonly ipProtocol: number;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  /** Dissects an encapsulated IPv4 datagram at frame[start, end) (GRE payload, decrypted ESP, ...). */
  dissectIp(start: number, end: number): Layer[];
}

/** Returns this protocol's layer(s) followed by whatever it carries; may throw DecodeError. */
export type Dissector = (ctx: DissectContext) => Layer[];
