import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../net/ipv4-address';
import type { ConfigChange } from './context';
import { ConfigSession } from './session';

const ip = (s: string): number => parseIpv4(s) ?? -1;

function session(...lines: string[]): ConfigSession {
  const s = new ConfigSession();
  for (const l of lines) {
    const r = s.apply(l);
    if (r.kind === 'error') throw new Error(`${l}: ${JSON.stringify(r)}`);
  }
  return s;
}

describe('ConfigSession modes', () => {
  it.each([
    [['interface Tunnel10'], '(config-if)'],
    [['router eigrp 10'], '(config-router)'],
    [['crypto isakmp policy 10'], '(config-isakmp)'],
    [['crypto gdoi group G'], '(config-gdoi-group)'],
    [['crypto gdoi group G', 'server local'], '(gdoi-local-server)'],
    [['crypto gdoi group G', 'server local', 'sa ipsec 1'], '(gdoi-sa-ipsec)'],
    [['crypto map DMVPN 10 gdoi'], '(config-crypto-map)'],
    [['crypto ipsec profile P'], '(ipsec-profile)'],
    [['crypto ipsec transform-set TS esp-3des esp-md5-hmac'], '(cfg-crypto-trans)'],
    [['ip access-list standard S'], '(config-std-nacl)'],
    [['ip access-list extended E'], '(config-ext-nacl)'],
    [[], '(config)'],
  ])('%j gives the %s prompt', (lines, prompt) => {
    expect(session(...lines).promptSuffix()).toBe(prompt);
  });

  it('falls back to the parent modes and stays in the mode that took the line', () => {
    const s = session('crypto gdoi group G', 'server local', 'sa ipsec 1', 'profile P');
    expect(s.apply('address ipv4 1.1.1.1')).toMatchObject({ kind: 'ok', mode: 'gdoi-local-server' });
    expect(s.model.crypto.gdoiGroups[0]?.server?.address).toBe(ip('1.1.1.1'));
    s.apply('interface Loopback0');
    expect(s.apply('ip route 0.0.0.0 0.0.0.0 10.0.0.1')).toMatchObject({ kind: 'ok', mode: 'global' });
    expect(s.promptSuffix()).toBe('(config)');
  });

  it('keeps the current mode when a line fails everywhere, reporting the furthest attempt', () => {
    const s = session('interface Tunnel10');
    const r = s.apply(' ip pim sprase-mode');
    expect(r).toEqual({ kind: 'error', mode: 'interface', result: { kind: 'invalid', column: 8 } });
    expect(s.mode).toBe('interface');
    expect(s.apply('ip nhrp')).toMatchObject({ kind: 'error', result: { kind: 'incomplete' } });
  });

  it('exit goes up one level, and leaves configuration mode from global', () => {
    const s = session('crypto gdoi group G', 'server local', 'sa ipsec 1');
    expect(s.apply('exit')).toMatchObject({ kind: 'ok', mode: 'gdoi-local-server' });
    expect(s.apply('exit')).toMatchObject({ kind: 'ok', mode: 'gdoi-group' });
    expect(s.apply('exit')).toMatchObject({ kind: 'ok', mode: 'global' });
    expect(s.apply('exit')).toEqual({ kind: 'end' });
  });

  it('end leaves from any depth and the next session starts in global', () => {
    const s = session('interface Tunnel10');
    expect(s.apply('end')).toEqual({ kind: 'end' });
    expect(s.promptSuffix()).toBe('(config)');
  });

  it('hands do lines back to the caller without changing mode', () => {
    const s = session('interface Tunnel10');
    expect(s.apply('do show ip pim rp mapping')).toEqual({ kind: 'do', line: 'show ip pim rp mapping' });
    expect(s.mode).toBe('interface');
  });

  it('ignores blank and comment lines', () => {
    expect(session().apply('   ! a comment')).toMatchObject({ kind: 'ok', ignored: true });
    expect(session().apply('')).toMatchObject({ kind: 'ok', ignored: true });
  });

  it('notifies listeners with what changed', () => {
    const s = new ConfigSession();
    const seen: ConfigChange[] = [];
    const off = s.onChange((c) => seen.push(c));
    s.apply('interface Tunnel 10');
    s.apply(' ip pim nbma-mode');
    s.apply('ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    off();
    s.apply('hostname X');
    expect(seen).toEqual([
      { area: 'interface', name: 'Tunnel10' },
      { area: 'interface', name: 'Tunnel10' },
      { area: 'multicast' },
    ]);
  });
});

describe('ConfigSession commands and their no forms', () => {
  it('sets and clears interface settings', () => {
    const s = session(
      'interface Serial 2/0',
      'ip address 172.17.1.1 255.255.255.0',
      'shutdown',
      'description WAN to SP',
      'bandwidth 1544',
      'delay 2000',
      'ip mtu 1400',
    );
    const i = s.model.interfaces[0];
    expect(i).toMatchObject({
      name: 'Serial2/0',
      shutdown: true,
      description: 'WAN to SP',
      bandwidth: 1544,
      delay: 2000,
      ipMtu: 1400,
    });
    for (const l of [
      'no shutdown',
      'no description',
      'no bandwidth',
      'no delay',
      'no ip mtu',
      'no ip address',
    ])
      s.apply(l);
    expect(s.model.interfaces[0]).toEqual({
      ...i,
      shutdown: false,
      description: undefined,
      bandwidth: undefined,
      delay: undefined,
      ipMtu: undefined,
      address: undefined,
    });
    expect(Object.keys(s.model.interfaces[0] ?? {})).not.toContain('description');
  });

  it('removes virtual interfaces but refuses hardware ones', () => {
    const s = session('interface Tunnel10', 'interface Serial1/0', 'exit');
    expect(s.apply('no interface Tunnel10')).toMatchObject({ kind: 'ok' });
    const r = s.apply('no interface Serial1/0');
    expect(r).toMatchObject({ kind: 'ok', output: ['% Removal of physical interfaces is not permitted'] });
    expect(s.model.interfaces.map((i) => i.name)).toEqual(['Serial1/0']);
  });

  it('handles the tunnel, NHRP, PIM and IGMP interface commands', () => {
    const s = session(
      'interface Tunnel 10',
      'tunnel source serial 2/0',
      'tunnel mode gre multipoint',
      'tunnel key 123',
      'ip nhrp map multicast dynamic',
      'ip nhrp map multicast 172.17.1.1',
      'ip nhrp map 192.168.100.1 172.17.1.1',
      'ip nhrp nhs 192.168.100.1',
      'ip nhrp network-id 123',
      'ip nhrp authentication cisco',
      'ip nhrp holdtime 300',
      'ip nhrp registration timeout 30',
      'ip pim dr-priority 100',
      'ip pim sparse-mode',
      'ip pim nbma-mode',
      'ip igmp join-group 239.10.10.1',
      'ip igmp static-group 239.1.1.1',
      'ip igmp version 3',
      'no ip split-horizon eigrp 10',
      'no ip next-hop-self eigrp 10',
      'ip hello-interval eigrp 10 30',
      'ip hold-time eigrp 10 90',
    );
    const t = s.model.interfaces[0];
    expect(t?.tunnel).toEqual({
      source: { kind: 'interface', name: 'Serial2/0' },
      mode: 'gre-multipoint',
      key: 123,
    });
    expect(t?.nhrp).toEqual({
      multicastMaps: ['dynamic', ip('172.17.1.1')],
      maps: [{ protocol: ip('192.168.100.1'), nbma: ip('172.17.1.1') }],
      nhs: [ip('192.168.100.1')],
      networkId: 123,
      authentication: 'cisco',
      holdtime: 300,
      registrationTimeout: 30,
    });
    expect(t?.pim).toEqual({ mode: 'sparse', drPriority: 100, nbmaMode: true });
    expect(t?.igmp).toEqual({ joinGroups: [ip('239.10.10.1')], staticGroups: [ip('239.1.1.1')], version: 3 });
    expect(t?.eigrp).toEqual({
      splitHorizonDisabled: [10],
      nextHopSelfDisabled: [10],
      helloInterval: { 10: 30 },
      holdTime: { 10: 90 },
    });
    for (const l of [
      'no tunnel source',
      'no tunnel mode',
      'no tunnel key',
      'no ip nhrp map multicast dynamic',
      'no ip nhrp map 192.168.100.1 172.17.1.1',
      'no ip nhrp nhs 192.168.100.1',
      'no ip pim nbma-mode',
      'no ip pim dr-priority',
      'no ip pim sparse-mode',
      'no ip igmp join-group 239.10.10.1',
      'no ip igmp version',
      'ip split-horizon eigrp 10',
      'no ip hello-interval eigrp 10',
    ]) {
      expect(s.apply(l).kind).toBe('ok');
    }
    expect(t?.tunnel).toEqual({ mode: 'gre-ip' });
    expect(t?.nhrp.multicastMaps).toEqual([ip('172.17.1.1')]);
    expect(t?.nhrp.maps).toEqual([]);
    expect(t?.nhrp.nhs).toEqual([]);
    expect(t?.pim).toEqual({ nbmaMode: false });
    expect(t?.igmp).toEqual({ joinGroups: [], staticGroups: [ip('239.1.1.1')] });
    expect(t?.eigrp.splitHorizonDisabled).toEqual([]);
    expect(t?.eigrp.helloInterval).toEqual({});
  });

  it('stores IOS defaults as unset (dr-priority 1, tunnel mode gre ip, igmp version 2)', () => {
    const s = session('interface Tunnel0', 'ip pim dr-priority 1', 'tunnel mode gre ip', 'ip igmp version 2');
    expect(s.model.interfaces[0]?.pim.drPriority).toBeUndefined();
    expect(s.model.interfaces[0]?.tunnel.mode).toBe('gre-ip');
    expect(s.model.interfaces[0]?.igmp.version).toBeUndefined();
  });

  it('adds and removes static routes and mroutes, kept sorted', () => {
    const s = session(
      'ip route 10.0.0.0 255.0.0.0 172.17.1.2',
      'ip route 1.1.1.1 255.255.255.255 Serial2/0 172.17.1.2 200',
      'ip route 0.0.0.0 0.0.0.0 Serial1/0',
      'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
      'ip mroute 10.1.1.0 255.255.255.0 Tunnel10',
    );
    expect(s.model.staticRoutes).toEqual([
      { prefix: 0, mask: 0, interface: 'Serial1/0' },
      {
        prefix: ip('1.1.1.1'),
        mask: ip('255.255.255.255'),
        interface: 'Serial2/0',
        nextHop: ip('172.17.1.2'),
        distance: 200,
      },
      { prefix: ip('10.0.0.0'), mask: ip('255.0.0.0'), nextHop: ip('172.17.1.2') },
    ]);
    s.apply('no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    expect(s.model.mroutes).toEqual([
      { source: ip('10.1.1.0'), mask: ip('255.255.255.0'), interface: 'Tunnel10' },
    ]);
    s.apply('no ip route 10.0.0.0 255.0.0.0');
    expect(s.model.staticRoutes).toHaveLength(2);
  });

  it('configures EIGRP, with auto-summary on by default as in IOS 12.4', () => {
    const s = session(
      'router eigrp 10',
      'network 192.168.100.0',
      'network 10.0.0.0 0.255.255.255',
      'network 192.168.1.0',
      'passive-interface Loopback0',
      'eigrp router-id 2.2.2.2',
    );
    expect(s.model.eigrp[0]).toEqual({
      asNumber: 10,
      autoSummary: true,
      networks: [
        { address: ip('10.0.0.0'), wildcard: ip('0.255.255.255') },
        { address: ip('192.168.1.0') },
        { address: ip('192.168.100.0') },
      ],
      passiveInterfaces: ['Loopback0'],
      routerId: ip('2.2.2.2'),
    });
    for (const l of [
      'no auto-summary',
      'no network 192.168.1.0',
      'no passive-interface lo0',
      'no eigrp router-id',
    ])
      s.apply(l);
    expect(s.model.eigrp[0]).toMatchObject({ autoSummary: false, passiveInterfaces: [] });
    expect(s.model.eigrp[0]?.networks).toHaveLength(2);
    s.apply('no router eigrp 10');
    expect(s.model.eigrp).toEqual([]);
  });

  it('configures the global PIM and Auto-RP commands', () => {
    const s = session(
      'ip multicast-routing',
      'ip pim send-rp-announce Loopback 0 scope 10 group-list 1 interval 30',
      'ip pim send-rp-discovery lo0 scope 16',
      'ip pim rp-address 1.1.1.1 10 override',
      'ip pim autorp listener',
      'no ip pim dm-fallback',
      'ip pim spt-threshold infinity',
    );
    expect(s.model.multicastRouting).toBe(true);
    expect(s.model.pim).toEqual({
      sendRpAnnounce: { interface: 'Loopback0', scope: 10, groupList: '1', interval: 30 },
      sendRpDiscovery: { interface: 'Loopback0', scope: 16 },
      rpAddresses: [{ address: ip('1.1.1.1'), groupList: '10', override: true }],
      autorpListener: true,
      dmFallback: false,
      sptThresholdInfinity: true,
    });
    for (const l of [
      'no ip pim send-rp-announce',
      'no ip pim send-rp-discovery Loopback0 scope 16',
      'no ip pim rp-address 1.1.1.1 10',
      'no ip multicast-routing',
    ])
      s.apply(l);
    expect(s.model.pim.sendRpAnnounce).toBeUndefined();
    expect(s.model.pim.sendRpDiscovery).toBeUndefined();
    expect(s.model.pim.rpAddresses).toEqual([]);
    expect(s.model.multicastRouting).toBe(false);
  });

  it('builds numbered and named ACLs and removes entries and lists', () => {
    const s = session(
      'access-list 1 permit 239.1.2.3 0.255.255.255',
      'access-list 1 deny any',
      'access-list 101 permit udp host 1.1.1.1 eq 848 any',
      'access-list 101 remark GDOI',
      'ip access-list extended ACL',
      'permit gre any any',
      'deny tcp 10.0.0.0 0.0.0.255 range 1 1023 host 2.2.2.2 gt 1024',
      'permit 47 any any',
      'ip access-list standard S',
      'permit host 10.1.1.1',
      'remark loopbacks',
    );
    expect(s.model.accessLists.get('1')).toEqual({
      name: '1',
      type: 'standard',
      numbered: true,
      entries: [
        {
          kind: 'standard',
          action: 'permit',
          source: { address: ip('239.0.0.0'), wildcard: ip('0.255.255.255') },
        },
        { kind: 'standard', action: 'deny', source: { address: 0, wildcard: 0xffffffff } },
      ],
    });
    expect(s.model.accessLists.get('101')?.entries[0]).toEqual({
      kind: 'extended',
      action: 'permit',
      protocol: 'udp',
      source: { address: ip('1.1.1.1'), wildcard: 0 },
      destination: { address: 0, wildcard: 0xffffffff },
      sourcePort: { op: 'eq', ports: [848] },
    });
    const acl = s.model.accessLists.get('ACL');
    expect(acl?.entries.map((e) => (e.kind === 'extended' ? e.protocol : e.kind))).toEqual([
      'gre',
      'tcp',
      '47',
    ]);
    expect(acl?.entries[1]).toMatchObject({
      sourcePort: { op: 'range', ports: [1, 1023] },
      destinationPort: { op: 'gt', ports: [1024] },
    });
    expect(s.model.accessLists.get('S')?.entries).toEqual([
      { kind: 'standard', action: 'permit', source: { address: ip('10.1.1.1'), wildcard: 0 } },
      { kind: 'remark', text: 'loopbacks' },
    ]);
    s.apply('ip access-list extended ACL');
    s.apply('no permit gre any any');
    expect(acl?.entries).toHaveLength(2);
    s.apply('no access-list 1 permit 239.0.0.0 0.255.255.255');
    s.apply('no ip access-list standard S');
    expect([...s.model.accessLists.keys()].sort()).toEqual(['101', 'ACL']);
  });

  it('configures ISAKMP, keeping defaults unset', () => {
    const s = session(
      'crypto isakmp policy 20',
      'encr aes 256',
      'hash md5',
      'authentication pre-share',
      'group 2',
      'lifetime 3600',
      'crypto isakmp policy 10',
      'hash sha',
      'group 1',
    );
    expect(s.model.crypto.isakmpPolicies).toEqual([
      { priority: 10 },
      {
        priority: 20,
        encryption: 'aes 256',
        hash: 'md5',
        authentication: 'pre-share',
        group: 2,
        lifetime: 3600,
      },
    ]);
    s.apply('crypto isakmp policy 20');
    s.apply('no hash');
    s.apply('no group');
    expect(s.model.crypto.isakmpPolicies[1]).toEqual({
      priority: 20,
      encryption: 'aes 256',
      authentication: 'pre-share',
      lifetime: 3600,
    });
  });

  it('takes ISAKMP keys with or without the encryption type, and removes them', () => {
    const s = session(
      'crypto isakmp key 0 cisco address 2.2.2.2',
      'crypto isakmp key secret address 0.0.0.0 0.0.0.0',
      'crypto isakmp key 6 address 3.3.3.3',
    );
    expect(s.model.crypto.isakmpKeys).toEqual([
      { encryptionType: 0, key: 'cisco', address: ip('2.2.2.2') },
      { encryptionType: 0, key: 'secret', address: 0, mask: 0 },
      { encryptionType: 0, key: '6', address: ip('3.3.3.3') },
    ]);
    s.apply('no crypto isakmp key cisco address 2.2.2.2');
    expect(s.model.crypto.isakmpKeys).toHaveLength(2);
  });

  it('configures transform sets, profiles, GDOI groups and crypto maps', () => {
    const s = session(
      'crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac',
      'mode transport',
      'crypto ipsec profile P',
      'set transform-set TS',
      'crypto gdoi group G',
      'identity number 123',
      'server local',
      'rekey algorithm aes 256',
      'rekey address ipv4 MULTICAST_REKEY',
      'rekey lifetime seconds 300',
      'rekey retransmit 60 number 2',
      'rekey authentication mypubkey rsa GDOI_KEYS',
      'sa ipsec 1',
      'profile P',
      'match address ipv4 ACL',
      'replay counter window-size 64',
      'address ipv4 1.1.1.1',
      'crypto gdoi group M',
      'server address ipv4 1.1.1.1',
      'server address ipv4 1.1.1.2',
      'crypto map VPN local-address Lo0',
      'crypto map VPN 20 ipsec-isakmp',
      'set peer 2.2.2.2',
      'set transform-set TS',
      'match address 101',
      'crypto map VPN 10 gdoi',
      'set group M',
    );
    const c = s.model.crypto;
    expect(c.transformSets).toEqual([
      { name: 'TS', transforms: ['esp-aes 256', 'esp-sha-hmac'], mode: 'transport' },
    ]);
    expect(c.ipsecProfiles).toEqual([{ name: 'P', transformSet: 'TS' }]);
    expect(c.gdoiGroups[0]).toEqual({
      name: 'G',
      identity: 123,
      serverAddresses: [],
      server: {
        rekeyAlgorithm: 'aes 256',
        rekeyAddress: 'MULTICAST_REKEY',
        rekeyLifetime: 300,
        rekeyRetransmit: { interval: 60, count: 2 },
        rekeyAuthentication: { keyLabel: 'GDOI_KEYS' },
        sas: [{ number: 1, profile: 'P', matchAddress: 'ACL', replay: { kind: 'counter', windowSize: 64 } }],
        address: ip('1.1.1.1'),
      },
    });
    expect(c.gdoiGroups[1]?.serverAddresses).toEqual([ip('1.1.1.1'), ip('1.1.1.2')]);
    expect(c.cryptoMaps).toEqual([
      {
        name: 'VPN',
        localAddress: 'Loopback0',
        entries: [
          { sequence: 10, kind: 'gdoi', group: 'M' },
          {
            sequence: 20,
            kind: 'ipsec-isakmp',
            peer: ip('2.2.2.2'),
            transformSet: 'TS',
            matchAddress: '101',
          },
        ],
      },
    ]);
    for (const l of [
      'crypto gdoi group G',
      'server local',
      'no rekey retransmit',
      'no sa ipsec 1',
      'exit',
      'exit',
      'no crypto map VPN 20',
      'no crypto ipsec profile P',
    ])
      s.apply(l);
    expect(c.gdoiGroups[0]?.server?.rekeyRetransmit).toBeUndefined();
    expect(c.gdoiGroups[0]?.server?.sas).toEqual([]);
    expect(c.cryptoMaps[0]?.entries.map((e) => e.sequence)).toEqual([10]);
    expect(c.ipsecProfiles).toEqual([]);
  });

  it('binds a crypto map to an interface and removes it', () => {
    const s = session('interface Serial2/0', 'crypto map DMVPN');
    expect(s.model.interfaces[0]?.cryptoMap).toBe('DMVPN');
    s.apply('no crypto map');
    expect(s.model.interfaces[0]?.cryptoMap).toBeUndefined();
  });

  it('generates RSA keys into the key store and prints what IOS prints', () => {
    const s = new ConfigSession();
    const r = s.apply('crypto key generate rsa general-keys label GDOI_KEYS modulus 1024 exportable');
    expect(r).toMatchObject({
      kind: 'ok',
      output: [
        'The name for the keys will be: GDOI_KEYS',
        '',
        '% The key modulus size is 1024 bits',
        '% Generating 1024 bit RSA keys, keys will be exportable...',
        '[OK] (elapsed time was 0 seconds)',
      ],
    });
    expect(s.model.crypto.rsaKeys).toEqual([{ label: 'GDOI_KEYS', modulus: 1024, exportable: true }]);
    s.apply('crypto key zeroize rsa GDOI_KEYS');
    expect(s.model.crypto.rsaKeys).toEqual([]);
  });

  it('offers ? help and Tab completion in the current mode', () => {
    const s = session('interface Tunnel10');
    expect(s.help('ip pim ').map((h) => h.word)).toEqual([
      'dense-mode',
      'dr-priority',
      'nbma-mode',
      'query-interval',
      'sparse-dense-mode',
      'sparse-mode',
    ]);
    expect(s.complete('tunnel mo')).toBe('tunnel mode ');
  });
});
