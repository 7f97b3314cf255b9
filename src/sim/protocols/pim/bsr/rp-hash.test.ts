import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../../net/ipv4-address';
import { makePrefix } from '../../../net/prefix';
import { chooseBsrRp, rpHashValue } from './rp-hash';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const all = makePrefix(ip('224.0.0.0'), 4);

describe('RP hash (RFC 7761 §4.7.2)', () => {
  // Published IOS `show ip pim rp-hash` values (NetworkLessons, "Multicast PIM Bootstrap (BSR)").
  it('gives the hash values IOS prints with hash mask length 0', () => {
    expect(rpHashValue(ip('239.1.1.1'), 0, ip('4.4.4.4'))).toBe(1642267698);
    expect(rpHashValue(ip('239.1.1.1'), 0, ip('1.1.1.1'))).toBe(332477713);
  });

  it('gives the hash values IOS prints with hash mask length 31', () => {
    expect(rpHashValue(ip('239.1.1.0'), 31, ip('4.4.4.4'))).toBe(192087346);
    expect(rpHashValue(ip('239.1.1.0'), 31, ip('1.1.1.1'))).toBe(1415431185);
    expect(rpHashValue(ip('239.1.1.2'), 31, ip('4.4.4.4'))).toBe(724279812);
    expect(rpHashValue(ip('239.1.1.2'), 31, ip('1.1.1.1'))).toBe(52024035);
  });
});

describe('BSR RP choice (RFC 7761 §4.7.1)', () => {
  const set = [
    { prefix: all, rp: ip('1.1.1.1'), priority: 0 },
    { prefix: all, rp: ip('4.4.4.4'), priority: 0 },
  ];

  it('takes the highest hash value among equal priorities, as IOS shows', () => {
    expect(chooseBsrRp(set, ip('239.1.1.1'), 0)?.rp).toBe(ip('4.4.4.4'));
    expect(chooseBsrRp(set, ip('239.1.1.0'), 31)?.rp).toBe(ip('1.1.1.1'));
    expect(chooseBsrRp(set, ip('239.1.1.3'), 31)?.rp).toBe(ip('4.4.4.4'));
  });

  it('prefers the longest range, then the lowest priority value', () => {
    const narrow = { prefix: makePrefix(ip('239.1.0.0'), 16), rp: ip('9.9.9.9'), priority: 200 };
    expect(chooseBsrRp([...set, narrow], ip('239.1.1.1'), 0)?.rp).toBe(ip('9.9.9.9'));
    expect(chooseBsrRp([...set, narrow], ip('238.1.1.1'), 0)?.rp).toBe(ip('4.4.4.4'));
    const preferred = { prefix: all, rp: ip('1.1.1.1'), priority: 0 };
    const worse = { prefix: all, rp: ip('4.4.4.4'), priority: 10 };
    expect(chooseBsrRp([worse, preferred], ip('239.1.1.1'), 0)?.rp).toBe(ip('1.1.1.1'));
  });

  it('has no RP for a group outside every range', () => {
    const narrow = { prefix: makePrefix(ip('239.1.0.0'), 16), rp: ip('9.9.9.9'), priority: 0 };
    expect(chooseBsrRp([narrow], ip('232.1.1.1'), 0)).toBeUndefined();
  });
});
