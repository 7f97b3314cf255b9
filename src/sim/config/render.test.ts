import { describe, expect, it } from 'vitest';
import { AS_PRINTED, FIXED } from './article-configs.test-support';
import type { RouterConfig } from './model';
import { parseConfig } from './parse';
import { renderRunningConfig } from './render';
import { ConfigSession } from './session';

/** The RSA key store is NVRAM private config: not in the running-config, so not in a round trip either. */
function withoutKeyStore(m: RouterConfig): RouterConfig {
  return { ...m, crypto: { ...m.crypto, rsaKeys: [] } };
}

function roundTrip(m: RouterConfig): RouterConfig {
  const again = parseConfig(renderRunningConfig(m), 'unused');
  expect(again.diagnostics).toEqual([]);
  return again.model;
}

describe('renderRunningConfig', () => {
  it.each(Object.entries(FIXED))('round-trips the article %s config', (_name, text) => {
    const { model } = parseConfig(text);
    expect(roundTrip(model)).toEqual(withoutKeyStore(model));
  });

  it("round-trips GM-1 as printed, keeping the typo'd tunnel source (a warning, not a loss)", () => {
    const { model } = parseConfig(AS_PRINTED.gm1, 'GM-1');
    const text = renderRunningConfig(model);
    expect(text).toContain(' tunnel source Serial0/0\n');
    const again = parseConfig(text);
    expect(again.model).toEqual(model);
    expect(again.diagnostics.map((d) => d.severity)).toEqual(['warning']);
  });

  it('renders the Central config in IOS layout and order', () => {
    expect(renderRunningConfig(parseConfig(FIXED.central).model)).toBe(
      [
        '!',
        'hostname Central',
        '!',
        'ip multicast-routing',
        '!',
        'crypto isakmp policy 10',
        ' authentication pre-share',
        'crypto isakmp key cisco address 1.1.1.1',
        '!',
        'crypto gdoi group GDOI_GM',
        ' identity number 123',
        ' server address ipv4 1.1.1.1',
        '!',
        'crypto map DMVPN local-address Loopback0',
        'crypto map DMVPN 10 gdoi',
        ' set group GDOI_GM',
        '!',
        'interface Loopback0',
        ' ip address 2.2.2.2 255.255.255.255',
        ' ip pim sparse-mode',
        '!',
        'interface Loopback1',
        ' description Hub site LAN',
        ' ip address 192.168.1.1 255.255.255.0',
        '!',
        'interface Tunnel10',
        ' ip address 192.168.100.1 255.255.255.0',
        ' ip pim dr-priority 100',
        ' ip pim nbma-mode',
        ' ip pim sparse-mode',
        ' ip nhrp map multicast dynamic',
        ' ip nhrp network-id 123',
        ' ip igmp join-group 239.10.10.1',
        ' tunnel source Serial2/0',
        ' tunnel mode gre multipoint',
        ' tunnel key 123',
        '!',
        'interface FastEthernet0/0',
        ' description Connection to KS',
        ' ip address 10.1.1.1 255.255.255.0',
        ' ip pim sparse-mode',
        '!',
        'interface Serial2/0',
        ' ip address 172.17.1.1 255.255.255.0',
        ' crypto map DMVPN',
        '!',
        'router eigrp 10',
        ' network 192.168.1.0',
        ' network 192.168.100.0',
        ' no auto-summary',
        '!',
        'ip route 0.0.0.0 0.0.0.0 172.17.1.2',
        'ip route 1.1.1.1 255.255.255.255 10.1.1.2',
        '!',
        'end',
        '',
      ].join('\n'),
    );
  });

  it('does not print the RSA key store but prints the KS sections in order', () => {
    const text = renderRunningConfig(parseConfig(FIXED.ks).model);
    expect(text).not.toContain('crypto key generate');
    const order = [
      'crypto isakmp policy',
      'crypto ipsec transform-set',
      'crypto ipsec profile',
      'crypto gdoi group',
      'interface Loopback0',
      'interface FastEthernet1/0',
      'ip pim send-rp-announce',
      'ip access-list extended ACL',
      'ip access-list extended MULTICAST_REKEY',
      'access-list 1 permit',
      '\nend\n',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain(
      '  sa ipsec 1\n   profile GDOI_PROFILE\n   match address ipv4 ACL\n   replay time window-size 5\n  address ipv4 1.1.1.1\n',
    );
  });

  it('prints no ip address and shutdown, and leaves defaults out', () => {
    const s = new ConfigSession();
    for (const l of [
      'interface Fa0/0',
      'shutdown',
      'interface Tunnel1',
      'ip pim dr-priority 1',
      'tunnel mode gre ip',
      'router eigrp 1',
    ])
      s.apply(l);
    const text = renderRunningConfig(s.model);
    expect(text).toContain('interface FastEthernet0/0\n no ip address\n shutdown\n!');
    expect(text).toContain('interface Tunnel1\n no ip address\n!');
    expect(text).toContain('router eigrp 1\n!');
    expect(text).not.toContain('dr-priority');
    expect(text).not.toContain('tunnel mode');
  });

  it('round-trips a config using every other command family', () => {
    const s = new ConfigSession();
    const lines = [
      'hostname SP',
      'interface Serial1/0',
      ' description link to GM-1',
      ' bandwidth 1544',
      ' ip address 172.27.1.2 255.255.255.0',
      ' ip mtu 1400',
      ' delay 100',
      ' shutdown',
      'interface Tunnel0',
      ' tunnel source 10.0.0.1',
      ' tunnel destination 10.0.0.2',
      ' ip nhrp authentication key',
      ' ip nhrp holdtime 300',
      ' ip nhrp registration timeout 60',
      ' ip pim sparse-dense-mode',
      ' ip pim query-interval 10',
      ' ip igmp static-group 239.1.1.1',
      ' ip igmp version 3',
      ' no ip split-horizon eigrp 1',
      ' no ip next-hop-self eigrp 1',
      ' ip hello-interval eigrp 1 10',
      ' ip hold-time eigrp 1 30',
      'router eigrp 1',
      ' passive-interface Serial1/0',
      ' network 10.0.0.0 0.0.0.255',
      ' eigrp router-id 9.9.9.9',
      'ip route 0.0.0.0 0.0.0.0 Serial1/0 172.27.1.1 5',
      'ip route 11.11.11.11 255.255.255.255 172.27.1.1',
      'ip mroute 0.0.0.0 0.0.0.0 Tunnel0 10',
      'ip pim rp-address 1.1.1.1 RPS override',
      'ip pim autorp listener',
      'no ip pim dm-fallback',
      'ip pim spt-threshold infinity',
      'crypto isakmp policy 5',
      ' encryption aes 192',
      ' hash sha256',
      ' group 14',
      ' lifetime 3600',
      'crypto isakmp key 7 0822455D0A16 address 10.0.0.0 255.0.0.0',
      'crypto ipsec transform-set T esp-sha-hmac',
      ' mode transport',
      'crypto map M 5 ipsec-isakmp',
      ' set peer 10.0.0.2',
      ' set transform-set T',
      ' match address 120',
      'crypto gdoi group K',
      ' server local',
      '  rekey algorithm aes 128',
      '  sa ipsec 2',
      '   replay counter window-size 256',
      'ip access-list standard RPS',
      ' permit 1.1.1.1',
      ' deny 10.0.0.0 0.255.255.255',
      'access-list 120 permit udp any range 500 501 host 10.0.0.2 neq 4500',
      'access-list 120 deny 50 any any',
      'access-list 1300 remark wide',
      'access-list 1300 permit any',
    ];
    for (const l of lines) expect(s.apply(l).kind, l).toBe('ok');
    expect(roundTrip(s.model)).toEqual(s.model);
  });
});
