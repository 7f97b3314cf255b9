import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { decodeIgmp, encodeIgmp, type IgmpMessage, igmpTitle } from './igmp';
import { ip, PIMV1_RP_REACHABLE } from './codec-fixtures.test-support';

describe('IGMPv2', () => {
  // RFC 2236 §2: IGMP Type 0x16, the v2 Membership Report (checked by tshark in wire-tshark.test.ts).
  it('encodes the scenario report for 239.10.10.1 byte for byte', () => {
    const report: IgmpMessage = { kind: 'v2-report', group: ip('239.10.10.1') };
    expect(toHex(encodeIgmp(report), ' ')).toBe('16 00 f0 f3 ef 0a 0a 01');
    expect(decodeIgmp(encodeIgmp(report))).toEqual({ ...report, checksum: 0xf0f3, checksumValid: true });
    expect(igmpTitle(report)).toBe('v2 Membership Report');
  });

  it('round-trips general and group-specific queries, leave and v1 report', () => {
    const messages: IgmpMessage[] = [
      { kind: 'query', maxResponseTime: 100, group: 0 },
      { kind: 'query', maxResponseTime: 10, group: ip('239.10.10.1') },
      { kind: 'leave', group: ip('239.10.10.1') },
      { kind: 'v1-report', group: ip('224.0.1.40') },
    ];
    for (const m of messages) {
      const bytes = encodeIgmp(m);
      expect(bytes.length).toBe(8);
      expect(decodeIgmp(bytes)).toMatchObject({ ...m, checksumValid: true });
    }
    expect(toHex(encodeIgmp(messages[0] as IgmpMessage).subarray(0, 2))).toBe('1164');
  });

  it('detects a corrupted checksum', () => {
    const bytes = encodeIgmp({ kind: 'leave', group: ip('239.1.1.1') });
    bytes[7] = 2;
    expect(decodeIgmp(bytes).checksumValid).toBe(false);
  });
});

describe('IGMPv3', () => {
  it('tells a v3 query from a v2 query by its length and round-trips its sources', () => {
    const m: IgmpMessage = {
      kind: 'v3-query',
      maxResponseCode: 100,
      group: ip('232.1.1.1'),
      suppressRouterSide: true,
      robustness: 2,
      queryIntervalCode: 125,
      sources: [ip('10.1.1.1'), ip('10.1.1.2')],
    };
    const bytes = encodeIgmp(m);
    expect(bytes.length).toBe(20);
    expect(toHex(bytes.subarray(8, 12))).toBe('0a7d0002');
    expect(decodeIgmp(bytes)).toMatchObject({ ...m, checksumValid: true });
  });

  it('round-trips a report with group records and aux data', () => {
    const m: IgmpMessage = {
      kind: 'v3-report',
      records: [
        { type: 2, group: ip('239.1.1.1'), sources: [], auxData: new Uint8Array(0) },
        { type: 1, group: ip('232.1.1.1'), sources: [ip('10.1.1.1')], auxData: fromHex('01020304') },
      ],
    };
    const bytes = encodeIgmp(m);
    expect(toHex(bytes.subarray(0, 2))).toBe('2200');
    expect(toHex(bytes.subarray(4, 8))).toBe('00000002');
    expect(bytes.length).toBe(8 + 8 + 16);
    expect(decodeIgmp(bytes)).toMatchObject({ ...m, checksumValid: true });
    expect(() =>
      encodeIgmp({
        kind: 'v3-report',
        records: [{ type: 1, group: 0, sources: [], auxData: fromHex('01') }],
      }),
    ).toThrow(RangeError);
  });
});

describe('PIMv1 in IGMP', () => {
  it('encodes the RP-Reachable of the reference byte for byte (holdtime 270)', () => {
    const m = PIMV1_RP_REACHABLE;
    expect(toHex(encodeIgmp(m))).toBe('1404dfdf10000000ef0a0a01ffffffff010101010000010e');
    expect(decodeIgmp(encodeIgmp(m))).toEqual({ ...m, checksum: 0xdfdf, checksumValid: true });
    expect(igmpTitle(m)).toBe('PIMv1 RP-Reachable');
  });

  it('keeps other PIMv1 codes and unknown IGMP types raw', () => {
    const query: IgmpMessage = { kind: 'pimv1', code: 0, body: fromHex('10000000 0100005a') };
    expect(decodeIgmp(encodeIgmp(query))).toMatchObject({ ...query, checksumValid: true });
    const mtrace: IgmpMessage = { kind: 'other', type: 0x1f, code: 3, body: fromHex('e0000001') };
    expect(decodeIgmp(encodeIgmp(mtrace))).toMatchObject({ ...mtrace, checksumValid: true });
  });
});

describe('IGMP decoding errors', () => {
  it('throws DecodeError on truncated messages', () => {
    expect(() => decodeIgmp(fromHex('1600f0'))).toThrow(DecodeError);
    expect(() => decodeIgmp(fromHex('1600 f0f3 ef0a0a'))).toThrow(
      expect.objectContaining({ protocol: 'igmp', offset: 4 }),
    );
    const rpReachable = fromHex('1404dfdf10000000ef0a0a01ffffffff010101010000010e');
    expect(() => decodeIgmp(rpReachable.subarray(0, 22))).toThrow(DecodeError);
    const report = encodeIgmp({
      kind: 'v3-report',
      records: [{ type: 1, group: ip('232.1.1.1'), sources: [ip('10.1.1.1')], auxData: new Uint8Array(0) }],
    });
    expect(() => decodeIgmp(report.subarray(0, report.length - 2))).toThrow(DecodeError);
  });
});
