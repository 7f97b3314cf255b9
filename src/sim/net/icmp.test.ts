import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { decodeIcmp, encodeIcmp, type IcmpMessage, icmpOriginal, icmpTitle, UNREACHABLE_CODE } from './icmp';
import { encodeIpv4, IP_PROTO, ipv4Header } from './ipv4';
import { parseIpv4 } from './ipv4-address';

const WINDOWS_PING_DATA = new TextEncoder().encode('abcdefghijklmnopqrstuvwabcdefghi');

const offending = encodeIpv4({
  header: ipv4Header({
    protocol: IP_PROTO.UDP,
    source: parseIpv4('1.1.1.1') ?? 0,
    destination: parseIpv4('2.2.2.2') ?? 0,
  }),
  payload: fromHex('1388 829a 0010 0000 0102030405060708'),
});

describe('ICMP echo', () => {
  it('matches the well-known Windows ping (id 1, seq 1, checksum 0x4d5a)', () => {
    const bytes = encodeIcmp({ kind: 'echo-request', identifier: 1, sequence: 1, data: WINDOWS_PING_DATA });
    expect(toHex(bytes.subarray(0, 8))).toBe('08004d5a00010001');
    expect(bytes.length).toBe(40);
  });

  it('round-trips request and reply', () => {
    for (const kind of ['echo-request', 'echo-reply'] as const) {
      const message: IcmpMessage = { kind, identifier: 0x1234, sequence: 7, data: fromHex('abcdef') };
      expect(decodeIcmp(encodeIcmp(message))).toMatchObject({ ...message, checksumValid: true });
    }
    expect(encodeIcmp({ kind: 'echo-reply', identifier: 0, sequence: 0, data: new Uint8Array(0) })[0]).toBe(
      0,
    );
  });

  it('detects a corrupted checksum', () => {
    const bytes = encodeIcmp({ kind: 'echo-request', identifier: 1, sequence: 0, data: fromHex('00') });
    bytes[8] = 1;
    expect(decodeIcmp(bytes).checksumValid).toBe(false);
  });
});

describe('ICMP errors', () => {
  it('quote the original IP header plus the first 8 payload bytes (RFC 792)', () => {
    const original = icmpOriginal(offending);
    expect(original.length).toBe(28);
    expect(toHex(original.subarray(20))).toBe('1388829a00100000');
  });

  it('encodes destination unreachable with codes net, host and port', () => {
    const original = icmpOriginal(offending);
    for (const code of [UNREACHABLE_CODE.NET, UNREACHABLE_CODE.HOST, UNREACHABLE_CODE.PORT]) {
      const bytes = encodeIcmp({ kind: 'destination-unreachable', code, original });
      expect([bytes[0], bytes[1]]).toEqual([3, code]);
      expect(toHex(bytes.subarray(4, 8))).toBe('00000000');
      expect(decodeIcmp(bytes)).toMatchObject({
        kind: 'destination-unreachable',
        code,
        original,
        checksumValid: true,
      });
    }
  });

  it('carries the next-hop MTU for fragmentation needed (RFC 1191)', () => {
    const message: IcmpMessage = {
      kind: 'destination-unreachable',
      code: 4,
      original: icmpOriginal(offending),
      nextHopMtu: 1400,
    };
    const bytes = encodeIcmp(message);
    expect(toHex(bytes.subarray(4, 8))).toBe('00000578');
    expect(decodeIcmp(bytes)).toMatchObject(message);
  });

  it('round-trips time exceeded, code 0', () => {
    const message: IcmpMessage = { kind: 'time-exceeded', code: 0, original: icmpOriginal(offending) };
    const bytes = encodeIcmp(message);
    expect(toHex(bytes.subarray(0, 2))).toBe('0b00');
    expect(decodeIcmp(bytes)).toMatchObject({ ...message, checksumValid: true });
    expect(icmpTitle(message)).toBe('time exceeded (TTL exceeded in transit)');
  });

  it('keeps other types raw', () => {
    const message: IcmpMessage = { kind: 'other', type: 13, code: 0, body: fromHex('0001000200000000') };
    expect(decodeIcmp(encodeIcmp(message))).toMatchObject(message);
  });

  it('throws DecodeError on truncated messages', () => {
    expect(() => decodeIcmp(fromHex('0800 f7'))).toThrow(DecodeError);
    expect(() => decodeIcmp(fromHex('0800 f7ff 00'))).toThrow(
      expect.objectContaining({ protocol: 'icmp', offset: 4 }),
    );
    expect(() => icmpOriginal(fromHex('60'))).toThrow(DecodeError);
  });
});
