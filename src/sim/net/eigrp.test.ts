import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { decodeEigrp, EIGRP_FLAG, EIGRP_OPCODE, eigrpTitle, encodeEigrp, type EigrpPacket } from './eigrp';
import {
  EIGRP_EXTERNAL_DATA,
  EIGRP_HELLO,
  EIGRP_LAN_METRIC,
  EIGRP_LAN_ROUTE,
  ip,
} from './codec-fixtures.test-support';

const hello = EIGRP_HELLO;
const lanMetric = EIGRP_LAN_METRIC;

describe('EIGRP', () => {
  it('encodes the Hello for AS 10 of the reference byte for byte (checksum 0xeec2)', () => {
    expect(toHex(encodeEigrp(hello))).toBe(
      '0205eec2' +
        '00000000' +
        '00000000' +
        '00000000' +
        '0000000a' +
        '0001000c' +
        '010001000000' +
        '000f' +
        '00040008' +
        '0c040102',
    );
  });

  it('encodes the IPv4 Internal TLV of the reference byte for byte (10.2.2.0/24, 3 destination bytes)', () => {
    const update: EigrpPacket = {
      opcode: EIGRP_OPCODE.UPDATE,
      flags: EIGRP_FLAG.EOT,
      sequence: 7,
      ack: 0,
      vrid: 0,
      as: 10,
      tlvs: [EIGRP_LAN_ROUTE],
    };
    const bytes = encodeEigrp(update);
    expect(toHex(bytes.subarray(20))).toBe(
      '0102001c' + '00000000' + '00000100' + '00000a00' + '0005dc00' + 'ff010000' + '18' + '0a0202',
    );
    expect(decodeEigrp(bytes)).toEqual({
      ...update,
      version: 2,
      checksum: expect.any(Number),
      checksumValid: true,
    });
    expect(eigrpTitle(update)).toBe('Update');
  });

  it('round-trips the hello and reads an ACK (Hello with Ack, no TLVs)', () => {
    expect(decodeEigrp(encodeEigrp(hello))).toMatchObject({ ...hello, version: 2, checksumValid: true });
    const ack: EigrpPacket = { ...hello, ack: 5, tlvs: [] };
    expect(eigrpTitle(decodeEigrp(encodeEigrp(ack)))).toBe('Ack');
  });

  it('sends one destination byte for /0 to /8 and all four for /25 to /32', () => {
    for (const [prefixLength, destination, tail] of [
      [0, '0.0.0.0', '0000'],
      [8, '10.0.0.0', '080a'],
      [32, '1.1.1.1', '2001010101'],
    ] as const) {
      const p: EigrpPacket = {
        ...hello,
        opcode: EIGRP_OPCODE.UPDATE,
        tlvs: [
          {
            kind: 'ipv4-internal',
            nextHop: 0,
            metric: lanMetric,
            destination: ip(destination),
            prefixLength,
          },
        ],
      };
      const bytes = encodeEigrp(p);
      expect(toHex(bytes.subarray(44))).toBe(tail);
      expect(decodeEigrp(bytes)).toMatchObject({ tlvs: p.tlvs });
    }
  });

  it('round-trips INIT/EOT flags, External, Sequence, Next Multicast Sequence, Authentication and unknown TLVs', () => {
    const p: EigrpPacket = {
      opcode: EIGRP_OPCODE.UPDATE,
      flags: EIGRP_FLAG.INIT | EIGRP_FLAG.CR,
      sequence: 0x01020304,
      ack: 9,
      vrid: 0,
      as: 65535,
      tlvs: [
        { kind: 'authentication', value: fromHex('0002 0010 00000001 00000000 00000000 00000000') },
        { kind: 'sequence', addresses: [ip('192.168.100.2'), ip('192.168.100.3')] },
        { kind: 'next-multicast-sequence', sequence: 42 },
        {
          kind: 'ipv4-external',
          nextHop: ip('192.168.100.2'),
          external: EIGRP_EXTERNAL_DATA,
          metric: { ...lanMetric, delay: 0xffffffff, hopCount: 1 },
          destination: ip('172.16.0.0'),
          prefixLength: 12,
        },
        { kind: 'other', type: 0x0006, value: fromHex('0009') },
      ],
    };
    const bytes = encodeEigrp(p);
    expect(toHex(bytes.subarray(4, 8))).toBe('00000003');
    expect(decodeEigrp(bytes)).toMatchObject({ ...p, checksumValid: true });
  });

  it('detects a corrupted checksum', () => {
    const bytes = encodeEigrp(hello);
    bytes[27] = 2; // K3
    expect(decodeEigrp(bytes).checksumValid).toBe(false);
  });

  it('throws DecodeError on truncated or inconsistent packets', () => {
    const bytes = encodeEigrp(hello);
    expect(() => decodeEigrp(bytes.subarray(0, 19))).toThrow(DecodeError);
    expect(() => decodeEigrp(bytes.subarray(0, 30))).toThrow(
      expect.objectContaining({ protocol: 'eigrp', offset: 24 }),
    );
    const badLength = bytes.slice();
    badLength[23] = 3; // TLV length < 4
    expect(() => decodeEigrp(badLength)).toThrow(/length 3 < 4/);
    const v1 = bytes.slice();
    v1[0] = 1;
    expect(() => decodeEigrp(v1)).toThrow(/version 1/);
    const badPrefix = encodeEigrp({
      ...hello,
      tlvs: [{ kind: 'ipv4-internal', nextHop: 0, metric: lanMetric, destination: 0, prefixLength: 8 }],
    });
    badPrefix[44] = 33;
    expect(() => decodeEigrp(badPrefix)).toThrow(/prefix length 33/);
  });
});
