import { describe, expect, it } from 'vitest';
import { toHex } from './bytes';
import { internetChecksum } from './checksum';
import { DecodeError } from './decode-error';
import {
  ip,
  NHRP_REGISTRATION,
  NHRP_REGISTRATION_REPLY,
  nhrpAuthenticationFailure,
} from './codec-fixtures.test-support';
import {
  decodeNhrp,
  encodeNhrp,
  NHRP_FLAG,
  nhrpCiscoAuthentication,
  type NhrpMessage,
  nhrpTitle,
} from './nhrp';

const registration = NHRP_REGISTRATION;

/** The hub's reply, with `ip nhrp authentication cisco123`. */
const reply: NhrpMessage = {
  ...NHRP_REGISTRATION_REPLY,
  extensions: [...NHRP_REGISTRATION_REPLY.extensions, nhrpCiscoAuthentication('cisco123')],
};

describe('NHRP', () => {
  it('lays out the fixed header, mandatory part, CIE and extensions of a registration request', () => {
    const bytes = encodeNhrp(registration);
    // afn 1 | pro 0x0800 | snap 0 | hop 255 | pktsz | chksum | extoff 52 | v1 | op 3 | shtl 4 | sstl 0
    expect(toHex(bytes.subarray(0, 10))).toBe('0001080000000000 00ff'.replace(' ', ''));
    expect(toHex(bytes.subarray(10, 12))).toBe('0044'); // 20 + 32 mandatory + 16 extensions = 68
    expect(toHex(bytes.subarray(14, 20))).toBe('003401030400');
    expect(toHex(bytes.subarray(20, 40))).toBe(
      '04048000' + '00000007' + 'ac110202' + 'c0a86402' + 'c0a86401',
    );
    expect(toHex(bytes.subarray(40, 52))).toBe('0020' + '0000' + '05ea' + '1c20' + '00000000');
    expect(toHex(bytes.subarray(52))).toBe('80030000' + '80040000' + '80050000' + '80000000');
    expect(internetChecksum(bytes)).toBe(0);
    expect(decodeNhrp(bytes)).toEqual({
      ...registration,
      packetSize: 68,
      checksum: expect.any(Number),
      checksumValid: true,
      extensionOffset: 52,
    });
    expect(nhrpTitle(registration.kind)).toBe('Registration Request');
  });

  it('round-trips the reply with a Responder Address CIE and the Cisco cleartext password', () => {
    const bytes = encodeNhrp(reply);
    expect(bytes[17]).toBe(4);
    const auth = toHex(bytes).indexOf('8007000c');
    expect(auth).toBeGreaterThan(0);
    expect(toHex(bytes).slice(auth, auth + 32)).toBe(
      '8007000c' + '00000001' + toHex(new TextEncoder().encode('cisco123')),
    );
    expect(decodeNhrp(bytes)).toMatchObject({ ...reply, checksumValid: true });
  });

  it('round-trips resolution, purge and vendor-private/unknown extensions', () => {
    const resolution: NhrpMessage = {
      ...registration,
      kind: 'resolution-request',
      flags: NHRP_FLAG.RESOLUTION_Q | NHRP_FLAG.RESOLUTION_U | NHRP_FLAG.CISCO_NAT,
      destinationProtocol: ip('192.168.100.3'),
      extensions: [
        { kind: 'vendor-private', compulsory: false, vendorId: 0x00000c, data: new Uint8Array([1, 2]) },
        { kind: 'other', type: 9, compulsory: false, value: new Uint8Array([0, 0, 0, 0]) },
      ],
    };
    const purge: NhrpMessage = {
      ...registration,
      kind: 'purge-request',
      flags: NHRP_FLAG.PURGE_N,
      extensions: [],
    };
    for (const m of [
      resolution,
      purge,
      { ...purge, kind: 'purge-reply' as const },
      { ...resolution, kind: 'resolution-reply' as const },
    ]) {
      expect(decodeNhrp(encodeNhrp(m))).toMatchObject({ ...m, checksumValid: true });
    }
    expect(decodeNhrp(encodeNhrp(purge)).extensionOffset).toBe(0);
  });

  it('round-trips an error indication quoting the offending packet', () => {
    const offending = encodeNhrp(registration);
    const error = nhrpAuthenticationFailure(offending, 52);
    const bytes = encodeNhrp(error);
    expect(toHex(bytes.subarray(20, 28))).toBe('04040000000b0034');
    expect(decodeNhrp(bytes)).toMatchObject({ ...error, extensionOffset: 0, checksumValid: true });
  });

  it('detects a bad checksum and ignores link padding after ar$pktsz', () => {
    const bytes = encodeNhrp(registration);
    const padded = new Uint8Array(bytes.length + 4);
    padded.set(bytes);
    expect(decodeNhrp(padded)).toMatchObject({ packetSize: 68, checksumValid: true });
    bytes[27] = 8;
    expect(decodeNhrp(bytes).checksumValid).toBe(false);
  });

  it('throws DecodeError on truncated or inconsistent packets', () => {
    const bytes = encodeNhrp(registration);
    expect(() => decodeNhrp(bytes.subarray(0, 19))).toThrow(DecodeError);
    expect(() => decodeNhrp(bytes.subarray(0, 60))).toThrow(
      expect.objectContaining({ protocol: 'nhrp', offset: 10 }),
    );
    const badOp = bytes.slice();
    badOp[17] = 9;
    expect(() => decodeNhrp(badOp)).toThrow(/op type 9/);
    const badExtoff = bytes.slice();
    badExtoff[15] = 0x50;
    expect(() => decodeNhrp(badExtoff)).toThrow(/ar\$extoff 80/);
    const badCie = bytes.slice();
    badCie[40 + 8] = 6; // client NBMA length 6
    expect(() => decodeNhrp(badCie)).toThrow(/client NBMA length 6/);
  });
});
