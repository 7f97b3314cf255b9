import { describe, expect, it } from 'vitest';
import type { AccessList } from '../../config/model';
import { parseIpv4 } from '../../net/ipv4-address';
import { makePrefix } from '../../net/prefix';
import { aclGroupRanges, aclPermits, chooseRp, type RpMapping } from './rp';

const ip = (s: string): number => parseIpv4(s)!;
const acl1: AccessList = {
  name: '1',
  type: 'standard',
  numbered: true,
  entries: [
    { kind: 'standard', action: 'deny', source: { address: ip('239.1.0.0'), wildcard: ip('0.0.255.255') } },
    {
      kind: 'standard',
      action: 'permit',
      source: { address: ip('239.0.0.0'), wildcard: ip('0.255.255.255') },
    },
  ],
};

function auto(prefix: string, len: number, rp: string, negative = false): RpMapping {
  return { prefix: makePrefix(ip(prefix), len), negative, rp: ip(rp), origin: 'autorp', since: 0 };
}

describe('group-to-RP mapping', () => {
  it('turns a standard ACL into Auto-RP ranges, denies as negative', () => {
    expect(aclGroupRanges(acl1)).toEqual([
      { prefix: makePrefix(ip('239.1.0.0'), 16), negative: true },
      { prefix: makePrefix(ip('239.0.0.0'), 8), negative: false },
    ]);
    expect(aclPermits(acl1, ip('239.10.10.1'))).toBe(true);
    expect(aclPermits(acl1, ip('239.1.2.3'))).toBe(false);
  });

  it('prefers Auto-RP over a static RP unless the static line has override; longest match wins', () => {
    const statics = [
      { mapping: { ...auto('224.0.0.0', 4, '9.9.9.9'), origin: 'static' as const }, permits: () => true },
    ];
    const autorp = [
      auto('239.0.0.0', 8, '1.1.1.1'),
      auto('239.10.0.0', 16, '2.2.2.2'),
      auto('239.1.0.0', 16, '1.1.1.1', true),
    ];
    expect(chooseRp(autorp, statics, ip('239.10.10.1'))?.rp).toBe(ip('2.2.2.2'));
    expect(chooseRp(autorp, statics, ip('239.20.0.1'))?.rp).toBe(ip('1.1.1.1'));
    expect(chooseRp(autorp, statics, ip('239.1.0.1'))).toBeUndefined();
    expect(chooseRp(autorp, statics, ip('230.0.0.1'))?.rp).toBe(ip('9.9.9.9'));
    const override = [{ mapping: { ...statics[0]!.mapping, override: true }, permits: () => true }];
    expect(chooseRp(autorp, override, ip('239.10.10.1'))?.rp).toBe(ip('9.9.9.9'));
  });
});
