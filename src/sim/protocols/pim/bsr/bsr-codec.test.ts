import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../net/decode-error';
import { parseIpv4 } from '../../../net/ipv4-address';
import {
  type BootstrapMessage,
  type CandidateRpAdvertisement,
  decodeBootstrap,
  decodeCandidateRpAdvertisement,
  encodeBootstrap,
  encodeCandidateRpAdvertisement,
} from './bsr-codec';

const ip = (t: string): number => parseIpv4(t) ?? 0;

const bootstrap: BootstrapMessage = {
  fragmentTag: 0x1234,
  hashMaskLength: 0,
  bsrPriority: 0,
  bsrAddress: ip('1.1.1.1'),
  ranges: [
    {
      group: { address: ip('224.0.0.0'), maskLength: 4 },
      rpCount: 1,
      rps: [{ rp: ip('1.1.1.1'), holdtime: 150, priority: 0 }],
    },
  ],
};

const advertisement: CandidateRpAdvertisement = {
  priority: 0,
  holdtime: 150,
  rp: ip('1.1.1.1'),
  groups: [{ address: ip('239.0.0.0'), maskLength: 8 }],
};

describe('PIMv2 Bootstrap codec (RFC 5059 §4.1)', () => {
  it('lays out header, fragment tag, hash mask, priority, BSR, group and RP as the RFC draws them', () => {
    const bytes = encodeBootstrap(bootstrap);
    // Version 2, type 4; the rest checked field by field.
    expect(bytes[0]).toBe(0x24);
    expect([...bytes.subarray(4, 8)]).toEqual([0x12, 0x34, 0, 0]);
    expect([...bytes.subarray(8, 14)]).toEqual([1, 0, 1, 1, 1, 1]);
    expect([...bytes.subarray(14, 22)]).toEqual([1, 0, 0, 4, 224, 0, 0, 0]);
    expect([...bytes.subarray(22, 26)]).toEqual([1, 1, 0, 0]);
    expect([...bytes.subarray(26, 36)]).toEqual([1, 0, 1, 1, 1, 1, 0, 150, 0, 0]);
    expect(bytes.length).toBe(36);
  });

  it('round-trips with a valid checksum', () => {
    const decoded = decodeBootstrap(encodeBootstrap(bootstrap));
    expect(decoded.checksumValid).toBe(true);
    expect(decoded.bsrAddress).toBe(ip('1.1.1.1'));
    expect(decoded.ranges[0]?.rps[0]).toEqual({ rp: ip('1.1.1.1'), holdtime: 150, priority: 0 });
  });

  it('flags a corrupted checksum and rejects a truncated RP entry', () => {
    const bytes = encodeBootstrap(bootstrap);
    bytes[5] = (bytes[5] ?? 0) ^ 0xff;
    expect(decodeBootstrap(bytes).checksumValid).toBe(false);
    expect(() => decodeBootstrap(encodeBootstrap(bootstrap).subarray(0, 30))).toThrow(DecodeError);
  });

  it('rejects a hash mask length longer than an IPv4 address', () => {
    expect(() => decodeBootstrap(encodeBootstrap({ ...bootstrap, hashMaskLength: 33 }))).toThrow(/hash mask/);
  });
});

describe('PIMv2 Candidate-RP-Advertisement codec (RFC 5059 §4.2)', () => {
  it('lays out prefix count, priority, holdtime, RP and groups', () => {
    const bytes = encodeCandidateRpAdvertisement(advertisement);
    expect(bytes[0]).toBe(0x28);
    expect([...bytes.subarray(4, 8)]).toEqual([1, 0, 0, 150]);
    expect([...bytes.subarray(8, 14)]).toEqual([1, 0, 1, 1, 1, 1]);
    expect([...bytes.subarray(14, 22)]).toEqual([1, 0, 0, 8, 239, 0, 0, 0]);
  });

  it('round-trips, and a prefix count 0 means every group', () => {
    expect(decodeCandidateRpAdvertisement(encodeCandidateRpAdvertisement(advertisement))).toEqual({
      ...advertisement,
      checksumValid: true,
    });
    const all = decodeCandidateRpAdvertisement(
      encodeCandidateRpAdvertisement({ ...advertisement, groups: [] }),
    );
    expect(all.groups).toEqual([]);
  });

  it('rejects a Bootstrap given as an advertisement', () => {
    expect(() => decodeCandidateRpAdvertisement(encodeBootstrap(bootstrap))).toThrow(DecodeError);
  });
});
