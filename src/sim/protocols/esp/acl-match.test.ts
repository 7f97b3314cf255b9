import { describe, expect, it } from 'vitest';
import type { ExtendedAce } from '../../config/model';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../net/ipv4';
import { decodeIpv4 } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { encodeUdp } from '../../net/udp';
import { aceText, flowKeyOf, matchAcl, mirrored } from './acl-match';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const ANY = { address: 0, wildcard: 0xffffffff };
const host = (t: string): { address: number; wildcard: number } => ({ address: ip(t), wildcard: 0 });

const GDOI_DENY: ExtendedAce = {
  kind: 'extended',
  action: 'deny',
  protocol: 'udp',
  source: ANY,
  destination: ANY,
  sourcePort: { op: 'eq', ports: [848] },
  destinationPort: { op: 'eq', ports: [848] },
};
const PERMIT_GRE: ExtendedAce = {
  kind: 'extended',
  action: 'permit',
  protocol: 'gre',
  source: ANY,
  destination: ANY,
};
const PERMIT_NET: ExtendedAce = {
  kind: 'extended',
  action: 'permit',
  protocol: 'ip',
  source: { address: ip('192.168.0.0'), wildcard: ip('0.0.255.255') },
  destination: host('10.1.1.1'),
};

function udpKey(sport: number, dport: number): ReturnType<typeof flowKeyOf> {
  const header = ipv4Header({
    protocol: IP_PROTO.UDP,
    source: ip('2.2.2.2'),
    destination: ip('239.10.10.1'),
  });
  const payload = encodeUdp(
    { sourcePort: sport, destinationPort: dport, payload: new Uint8Array(4) },
    header.source,
    header.destination,
  );
  const d = decodeIpv4(encodeIpv4({ header, payload }));
  return flowKeyOf(d.header, d.payload);
}

describe('crypto ACL matching (first match, implicit deny)', () => {
  const acl = [GDOI_DENY, PERMIT_GRE, PERMIT_NET];
  it('leaves GDOI (UDP 848) in clear and protects GRE', () => {
    expect(matchAcl(acl, udpKey(848, 848))).toEqual({ index: 0, action: 'deny' });
    expect(matchAcl(acl, udpKey(848, 849))).toBeUndefined();
    const gre = { protocol: IP_PROTO.GRE, source: ip('172.17.2.2'), destination: ip('172.17.1.1') };
    expect(matchAcl(acl, gre)).toEqual({ index: 1, action: 'permit' });
  });

  it('matches wildcards and hosts, and mirrors for the inbound direction', () => {
    const k = { protocol: IP_PROTO.ICMP, source: ip('192.168.7.9'), destination: ip('10.1.1.1') };
    expect(matchAcl(acl, k)?.index).toBe(2);
    expect(matchAcl(acl, { ...k, source: ip('192.169.7.9') })).toBeUndefined();
    expect(matchAcl(acl, mirrored(k))).toBeUndefined();
    expect(matchAcl([{ ...PERMIT_GRE, protocol: '47' }], { ...k, protocol: 47 })?.action).toBe('permit');
  });

  it('prints ACEs as IOS shows the downloaded ACL', () => {
    expect(aceText(PERMIT_GRE)).toBe('permit gre any any');
    expect(aceText(GDOI_DENY)).toBe('deny udp any eq 848 any eq 848');
    expect(aceText(PERMIT_NET)).toBe('permit ip 192.168.0.0 0.0.255.255 host 10.1.1.1');
  });
});
