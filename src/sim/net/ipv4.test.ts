import { describe, expect, it } from 'vitest';
import { ByteWriter, fromHex, toHex, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import { DecodeError } from './decode-error';
import {
  decodeIpv4,
  decodeIpv4Header,
  decrementTtl,
  encodeIpv4,
  encodeIpv4Header,
  IP_PROTO,
  ipv4Header,
  withTtl,
} from './ipv4';
import { ip } from './codec-fixtures.test-support';

function expectDecodeError(fn: () => unknown, offset: number, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DecodeError);
  expect(caught).toMatchObject({ protocol: 'ipv4', offset });
  expect((caught as Error).message).toMatch(message);
}

// The classic header from the Wikipedia "IPv4 header checksum" example: UDP 192.168.0.1 > 192.168.0.199, DF.
const KNOWN_HEADER = '4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7';
const knownHeader = ipv4Header({
  protocol: IP_PROTO.UDP,
  source: ip('192.168.0.1'),
  destination: ip('192.168.0.199'),
  ttl: 64,
  dontFragment: true,
});

describe('encodeIpv4', () => {
  it('produces the known header bytes, computing IHL, total length and checksum', () => {
    const bytes = encodeIpv4({ header: knownHeader, payload: new Uint8Array(0x73 - 20) });
    expect(bytes.length).toBe(0x73);
    expect(toHex(bytes.subarray(0, 20))).toBe(KNOWN_HEADER.replace(/ /g, ''));
  });

  it('encodes Router Alert as 94 04 00 00 and bumps IHL to 6 (RFC 2113, as IGMPv2 uses it)', () => {
    const header = ipv4Header({
      protocol: IP_PROTO.IGMP,
      source: ip('10.1.1.1'),
      destination: ip('224.0.0.2'),
      ttl: 1,
      tos: 0xc0,
      options: [{ kind: 'router-alert', value: 0 }],
    });
    const bytes = encodeIpv4({ header, payload: fromHex('17 00 0000 e0000128') });
    expect(toHex(bytes.subarray(0, 2))).toBe('46c0');
    expect(toHex(bytes.subarray(20, 24))).toBe('94040000');
    expect(decodeIpv4(bytes).headerChecksumValid).toBe(true);
  });

  it('pads options to a 32-bit boundary with End of Option List', () => {
    const header = { ...knownHeader, options: [{ kind: 'nop' as const }] };
    const bytes = encodeIpv4({ header, payload: new Uint8Array(0) });
    expect(bytes[0]).toBe(0x46);
    expect(toHex(bytes.subarray(20))).toBe('01000000');
  });

  it('rejects out-of-range fields and options that do not fit in 40 bytes', () => {
    expect(() => encodeIpv4({ header: { ...knownHeader, ttl: 256 }, payload: new Uint8Array(0) })).toThrow(
      RangeError,
    );
    const big = { kind: 'raw' as const, type: 0x88, data: new Uint8Array(39) };
    expect(() =>
      encodeIpv4({ header: { ...knownHeader, options: [big] }, payload: new Uint8Array(0) }),
    ).toThrow(/at most 40/);
  });
});

describe('encodeIpv4Header (a datagram built in place behind its header)', () => {
  it('writes the known header bytes in front of a payload already in place', () => {
    const bytes = new Uint8Array(0x73);
    bytes.fill(0xab, 20);
    expect(encodeIpv4Header(bytes, knownHeader)).toBe(bytes);
    expect(toHex(bytes.subarray(0, 20))).toBe(KNOWN_HEADER.replace(/ /g, ''));
    expect(bytes.subarray(20).every((b) => b === 0xab)).toBe(true);
  });

  it('gives exactly the bytes encodeIpv4 gives for the same header and payload', () => {
    const payload = fromHex('0102030405060708090a0b');
    const header = { ...knownHeader, tos: 0xc0, identification: 0xbeef, ttl: 1, moreFragments: true };
    const inPlace = new Uint8Array(20 + payload.length);
    inPlace.set(payload, 20);
    expect(toHex(encodeIpv4Header(inPlace, header))).toBe(toHex(encodeIpv4({ header, payload })));
  });

  it('rejects options (no room for them) and out-of-range fields', () => {
    const withOption = { ...knownHeader, options: [{ kind: 'nop' as const }] };
    expect(() => encodeIpv4Header(new Uint8Array(24), withOption)).toThrow(/options/);
    expect(() => encodeIpv4Header(new Uint8Array(20), { ...knownHeader, ttl: 256 })).toThrow(RangeError);
    expect(() => encodeIpv4Header(new Uint8Array(0x10000), knownHeader)).toThrow(/total length/);
  });
});

describe('decodeIpv4', () => {
  it('decodes the known header', () => {
    const d = decodeIpv4(fromHex(KNOWN_HEADER + ' 00'.repeat(0x73 - 20)));
    expect(d).toMatchObject({ ihl: 5, totalLength: 0x73, checksum: 0xb861, headerChecksumValid: true });
    expect(d.header).toEqual(knownHeader);
    expect(d.payload.length).toBe(0x73 - 20);
  });

  it('round-trips every header field, options and payload', () => {
    const header = ipv4Header({
      protocol: IP_PROTO.PIM,
      source: ip('172.17.1.1'),
      destination: ip('224.0.0.13'),
      tos: 0xc0,
      identification: 0xbeef,
      moreFragments: true,
      fragmentOffset: 185,
      ttl: 1,
      options: [
        { kind: 'nop' },
        { kind: 'router-alert', value: 0 },
        { kind: 'raw', type: 0x88, data: fromHex('0001') },
      ],
    });
    const payload = fromHex('20 00 0000 0001 0002 0069');
    const d = decodeIpv4(encodeIpv4({ header, payload }));
    expect(d.header).toEqual(header);
    expect(d.payload).toEqual(payload);
    expect(d.ihl).toBe(8);
  });

  it('ignores link padding after Total Length', () => {
    const bytes = encodeIpv4({ header: knownHeader, payload: fromHex('aa') });
    const padded = Uint8Array.from([...bytes, 0, 0, 0]);
    expect(toHex(decodeIpv4(padded).payload)).toBe('aa');
  });

  it('reports a corrupted header checksum without throwing', () => {
    const bytes = encodeIpv4({ header: knownHeader, payload: new Uint8Array(0) });
    bytes[8] = 63;
    expect(decodeIpv4(bytes).headerChecksumValid).toBe(false);
  });

  it('an option-less header decodes the same on the fast path as field by field (RFC 791 §3.1, RFC 1071)', () => {
    // Every byte of the header and a padded tail take random values; where the header is a valid IHL-5 one,
    // decodeIpv4 reads it straight from the bytes and must agree with decodeIpv4Header, checksum verdict included.
    let seed = 0x1234567;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
    let fast = 0;
    for (let n = 0; n < 2000; n++) {
      const bytes = new Uint8Array(20 + (n % 40));
      for (let i = 0; i < bytes.length; i++) bytes[i] = next();
      bytes[0] = 0x45;
      const total = 20 + ((n * 7) % (bytes.length - 19));
      bytes[2] = total >> 8;
      bytes[3] = total & 0xff;
      if (n % 3 === 0) {
        writeU16(bytes, 10, 0);
        writeU16(bytes, 10, internetChecksum(bytes.subarray(0, 20)));
      }
      const general = decodeIpv4Header(bytes);
      const decoded = decodeIpv4(bytes);
      expect(decoded).toEqual({ ...general, payload: bytes.subarray(20, total) });
      if (general.headerChecksumValid) fast++;
    }
    expect(fast).toBeGreaterThan(600);
  });

  it('an option-less datagram encodes to the RFC 791 §3.1 layout with an RFC 1071 checksum, field by field', () => {
    let seed = 0x2468ace;
    const next = (bits: number): number =>
      ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & ((1 << bits) - 1);
    for (let n = 0; n < 500; n++) {
      const header = ipv4Header({
        tos: next(8),
        identification: next(16),
        dontFragment: next(1) === 1,
        moreFragments: next(1) === 1,
        fragmentOffset: next(13),
        ttl: next(8),
        protocol: next(8),
        source: (next(16) * 0x10000 + next(16)) >>> 0,
        destination: (next(16) * 0x10000 + next(16)) >>> 0,
      });
      const payload = Uint8Array.from({ length: n % 70 }, () => next(8));
      const expected = new ByteWriter(20 + payload.length)
        .u8(0x45)
        .u8(header.tos)
        .u16(20 + payload.length)
        .u16(header.identification)
        .u16((header.dontFragment ? 0x4000 : 0) | (header.moreFragments ? 0x2000 : 0) | header.fragmentOffset)
        .u8(header.ttl)
        .u8(header.protocol)
        .u16(0)
        .u32(header.source)
        .u32(header.destination)
        .bytes(payload)
        .finish();
      writeU16(expected, 10, internetChecksum(expected.subarray(0, 20)));
      expect(encodeIpv4({ header, payload })).toEqual(expected);
    }
  });

  it('throws DecodeError on truncated or inconsistent headers', () => {
    const good = encodeIpv4({ header: knownHeader, payload: fromHex('aabb') });
    const patched = (index: number, value: number): Uint8Array => {
      const copy = good.slice();
      copy[index] = value;
      return copy;
    };
    expectDecodeError(() => decodeIpv4(good.subarray(0, 19)), 0, /truncated/);
    expectDecodeError(() => decodeIpv4(patched(0, 0x65)), 0, /version 6/);
    expectDecodeError(() => decodeIpv4(patched(0, 0x44)), 0, /IHL 4 < 5/);
    expectDecodeError(() => decodeIpv4(patched(0, 0x4f)), 0, /IHL 15 .* exceeds/);
    expectDecodeError(() => decodeIpv4(patched(3, 0x40)), 2, /total length 64 exceeds 22/);
    expectDecodeError(() => decodeIpv4(patched(3, 0x10)), 2, /total length 16 < header length 20/);
  });

  it('throws DecodeError on malformed options', () => {
    const withOptions = (options: string): Uint8Array => {
      const opt = fromHex(options);
      const ihl = 5 + opt.length / 4;
      const bytes = fromHex(KNOWN_HEADER);
      bytes[0] = 0x40 | ihl;
      bytes[3] = ihl * 4;
      return Uint8Array.from([...bytes, ...opt]);
    };
    expectDecodeError(() => decodeIpv4(withOptions('8801 0000')), 21, /length 1 < 2/);
    expectDecodeError(() => decodeIpv4(withOptions('0188 0800')), 22, /overruns header/);
    expectDecodeError(() => decodeIpv4(withOptions('9403 0000')), 21, /router alert length 3/);
  });

  it('reads a header quoted without its full payload (ICMP errors)', () => {
    const bytes = encodeIpv4({ header: knownHeader, payload: new Uint8Array(100) });
    const quoted = bytes.subarray(0, 28);
    expect(() => decodeIpv4(quoted)).toThrow(DecodeError);
    expect(decodeIpv4Header(quoted)).toMatchObject({ totalLength: 120, header: knownHeader });
  });
});

describe('TTL rewriting for forwarding', () => {
  const bytes = encodeIpv4({ header: knownHeader, payload: fromHex('0102') });

  it('withTtl returns a copy with a fresh header checksum', () => {
    const rewritten = withTtl(bytes, 9);
    const d = decodeIpv4(rewritten);
    expect(d.header.ttl).toBe(9);
    expect(d.headerChecksumValid).toBe(true);
    expect(decodeIpv4(bytes).header.ttl).toBe(64);
    expect(toHex(rewritten.subarray(20))).toBe('0102');
    // It reads only the IHL, but still refuses bytes too short for the header the IHL announces.
    expect(() => withTtl(bytes.subarray(0, 19), 9)).toThrow(DecodeError);
    expect(() => withTtl(fromHex('44'), 9)).toThrow(DecodeError);
  });

  // The header checksum is summed in place (issue 18: no subarray per packet): RFC 1071's value all the same.
  it('encodeIpv4 and withTtl write the RFC 1071 checksum of the header, with and without options', () => {
    for (let seed = 1; seed <= 64; seed++) {
      const header = ipv4Header({
        ...knownHeader,
        identification: (seed * 7919) & 0xffff,
        ttl: seed * 3,
        source: (seed * 0x9e3779b9) >>> 0,
        destination: (seed * 0x85ebca6b) >>> 0,
        options: seed % 2 === 0 ? [{ kind: 'router-alert', value: 0 }] : [],
      });
      const b = encodeIpv4({ header, payload: fromHex('0102') });
      for (const packet of [b, withTtl(b, (seed * 5) & 0xff)]) {
        const ihl = (packet[0]! & 0x0f) * 4;
        const stored = (packet[10]! << 8) | packet[11]!;
        const zeroed = packet.slice(0, ihl);
        writeU16(zeroed, 10, 0);
        expect(stored).toBe(internetChecksum(zeroed));
      }
    }
  });

  it('decrementTtl forwards with TTL - 1, and refuses when TTL would hit 0 (RFC 1812 §5.3.1)', () => {
    expect(decodeIpv4(decrementTtl(bytes) ?? new Uint8Array(0)).header.ttl).toBe(63);
    expect(decrementTtl(withTtl(bytes, 2))).toBeDefined();
    expect(decrementTtl(withTtl(bytes, 1))).toBeUndefined();
    expect(decrementTtl(withTtl(bytes, 0))).toBeUndefined();
  });
});
