import { DecodeError } from './decode-error';
import type { Ipv4 } from './ipv4-address';

/** Network byte order (big-endian) writer that grows as needed. */
export class ByteWriter {
  private buffer: Uint8Array;
  private used = 0;

  constructor(initialCapacity = 64) {
    this.buffer = new Uint8Array(Math.max(1, initialCapacity));
  }

  /** Bytes written so far; also the offset of the next write. */
  get length(): number {
    return this.used;
  }

  u8(value: number): this {
    this.reserve(1)[this.used++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    const b = this.reserve(2);
    b[this.used++] = (value >>> 8) & 0xff;
    b[this.used++] = value & 0xff;
    return this;
  }

  u32(value: number): this {
    this.u16((value >>> 16) & 0xffff);
    return this.u16(value & 0xffff);
  }

  ipv4(address: Ipv4): this {
    return this.u32(address);
  }

  bytes(data: Uint8Array): this {
    this.reserve(data.length).set(data, this.used);
    this.used += data.length;
    return this;
  }

  zeros(count: number): this {
    this.reserve(count).fill(0, this.used, this.used + count);
    this.used += count;
    return this;
  }

  /** Overwrite two bytes already written (length and checksum fields known only at the end). */
  setU16(offset: number, value: number): this {
    if (offset < 0 || offset + 2 > this.used)
      throw new RangeError(`setU16 at ${offset} outside ${this.used} bytes`);
    this.buffer[offset] = (value >>> 8) & 0xff;
    this.buffer[offset + 1] = value & 0xff;
    return this;
  }

  setU8(offset: number, value: number): this {
    if (offset < 0 || offset >= this.used)
      throw new RangeError(`setU8 at ${offset} outside ${this.used} bytes`);
    this.buffer[offset] = value & 0xff;
    return this;
  }

  /**
   * The written bytes, exactly `length` long: the writer's own buffer when it was sized exactly (the usual
   * case for a packet encoder, which then saves a copy per packet), else a copy. Write nothing after it.
   */
  finish(): Uint8Array {
    return this.used === this.buffer.length ? this.buffer : this.buffer.slice(0, this.used);
  }

  private reserve(count: number): Uint8Array {
    if (this.used + count > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used + count));
      grown.set(this.buffer.subarray(0, this.used));
      this.buffer = grown;
    }
    return this.buffer;
  }
}

/**
 * Big-endian reader over `bytes[start, end)`. Any read past `end` throws DecodeError(protocol, offset), with
 * `offset` counted from the start of `bytes`, so a decoder can simply read fields in order.
 */
export class ByteReader {
  readonly bytes: Uint8Array;
  readonly protocol: string;
  readonly end: number;
  offset: number;

  constructor(bytes: Uint8Array, protocol: string, start = 0, end = bytes.length) {
    this.bytes = bytes;
    this.protocol = protocol;
    this.offset = start;
    this.end = Math.min(end, bytes.length);
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Throws unless `count` more bytes are available. */
  need(count: number, what = `${count} bytes`): void {
    if (count < 0 || this.offset + count > this.end) {
      throw new DecodeError(this.protocol, this.offset, `truncated: need ${what}, ${this.remaining} left`);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] ?? 0;
  }

  u16(): number {
    this.need(2);
    const value = readU16(this.bytes, this.offset);
    this.offset += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = readU32(this.bytes, this.offset);
    this.offset += 4;
    return value;
  }

  ipv4(): Ipv4 {
    return this.u32();
  }

  /** The next `count` bytes as a view (no copy). */
  bytesView(count: number): Uint8Array {
    this.need(count);
    const view = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return view;
  }

  /** The next `count` bytes as a copy. */
  take(count: number): Uint8Array {
    return this.bytesView(count).slice();
  }

  /** Everything up to `end`, as a view. */
  rest(): Uint8Array {
    return this.bytesView(this.remaining);
  }

  /** Moves past `count` bytes (reserved or unused fields). */
  advance(count: number): void {
    this.need(count);
    this.offset += count;
  }

  /** A reader over the next `count` bytes (for a TLV or a nested header); this reader moves past them. */
  sub(count: number, protocol = this.protocol): ByteReader {
    this.need(count);
    const reader = new ByteReader(this.bytes, protocol, this.offset, this.offset + count);
    this.offset += count;
    return reader;
  }

  /** A DecodeError at the current offset, for inconsistent values: `throw reader.fail('bad version 6')`. */
  fail(reason: string, offset = this.offset): DecodeError {
    return new DecodeError(this.protocol, offset, reason);
  }
}

export function readU16(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return ((readU16(bytes, offset) << 16) | readU16(bytes, offset + 2)) >>> 0;
}

export function writeU16(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = (value >>> 8) & 0xff;
  bytes[offset + 1] = value & 0xff;
}

export function writeU32(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  // A plain loop, no closure per call: a key server compares each message's cookie with all its SAs.
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lower-case hex, e.g. toHex(bytes, ' ') -> '45 00 00 54'. */
export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
}

/** Parses hex, ignoring whitespace, ':' and '-' separators (so tshark/Wireshark dumps paste in directly). */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/[\s:-]/g, '');
  const bad = clean.search(/[^0-9a-fA-F]/);
  if (bad >= 0) throw new DecodeError('hex', bad, `invalid hex digit '${clean[bad]}'`);
  if (clean.length % 2 !== 0) throw new DecodeError('hex', clean.length, 'odd number of hex digits');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
