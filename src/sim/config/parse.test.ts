import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../net/ipv4-address';
import {
  AS_PRINTED,
  CENTRAL_CONFIG,
  GM1_CONFIG,
  GM2_CONFIG,
  KS_CONFIG,
} from './article-configs.test-support';
import type { InterfaceConfig, RouterConfig } from './model';
import { parseConfig } from './parse';

const ip = (s: string): number => parseIpv4(s) ?? -1;

function iface(m: RouterConfig, name: string): InterfaceConfig {
  const i = m.interfaces.find((x) => x.name === name);
  if (!i) throw new Error(`no ${name}`);
  return i;
}

describe('parseConfig: the article configs (fixed)', () => {
  it('loads every config without diagnostics', () => {
    for (const text of [KS_CONFIG, CENTRAL_CONFIG, GM1_CONFIG, GM2_CONFIG]) {
      expect(parseConfig(text).diagnostics).toEqual([]);
    }
  });

  it('KS: key server group, ACLs, Auto-RP and keys', () => {
    const { model } = parseConfig(KS_CONFIG);
    expect(model.hostname).toBe('KS');
    expect(model.multicastRouting).toBe(true);
    expect(model.interfaces.map((i) => i.name)).toEqual(['Loopback0', 'FastEthernet1/0']);
    expect(iface(model, 'FastEthernet1/0')).toMatchObject({
      description: 'Connection to Central router',
      address: { address: ip('10.1.1.2'), mask: ip('255.255.255.0') },
      pim: { mode: 'sparse' },
    });
    expect(model.crypto.rsaKeys).toEqual([{ label: 'GDOI_KEYS', modulus: 1024, exportable: true }]);
    expect(model.crypto.isakmpPolicies).toEqual([{ priority: 10, authentication: 'pre-share' }]);
    expect(model.crypto.isakmpKeys.map((k) => [k.key, k.address])).toEqual([
      ['cisco', ip('2.2.2.2')],
      ['cisco', ip('11.11.11.11')],
      ['cisco', ip('12.12.12.12')],
    ]);
    expect(model.crypto.transformSets).toEqual([
      { name: 'GDOI_TS', transforms: ['esp-3des', 'esp-md5-hmac'] },
    ]);
    expect(model.crypto.ipsecProfiles).toEqual([{ name: 'GDOI_PROFILE', transformSet: 'GDOI_TS' }]);
    expect(model.crypto.gdoiGroups).toEqual([
      {
        name: 'GDOI_GROUP',
        identity: 123,
        serverAddresses: [],
        server: {
          rekeyAddress: 'MULTICAST_REKEY',
          rekeyLifetime: 300,
          rekeyRetransmit: { interval: 60, count: 2 },
          rekeyAuthentication: { keyLabel: 'GDOI_KEYS' },
          sas: [
            {
              number: 1,
              profile: 'GDOI_PROFILE',
              matchAddress: 'ACL',
              replay: { kind: 'time', windowSize: 5 },
            },
          ],
          address: ip('1.1.1.1'),
        },
      },
    ]);
    expect(model.accessLists.get('MULTICAST_REKEY')?.entries).toEqual([
      { kind: 'remark', text: 'Multicast address to which Rekey SAs will be sent' },
      {
        kind: 'extended',
        action: 'permit',
        protocol: 'ip',
        source: { address: 0, wildcard: 0xffffffff },
        destination: { address: ip('239.10.10.1'), wildcard: 0 },
      },
    ]);
    expect(model.accessLists.get('ACL')?.entries[1]).toMatchObject({ protocol: 'gre', action: 'permit' });
    expect(model.accessLists.get('1')).toMatchObject({ type: 'standard', numbered: true });
    expect(model.pim.sendRpAnnounce).toEqual({ interface: 'Loopback0', scope: 10, groupList: '1' });
    expect(model.pim.sendRpDiscovery).toEqual({ interface: 'Loopback0', scope: 10 });
  });

  it('Central: the DMVPN hub tunnel and GDOI member', () => {
    const { model } = parseConfig(CENTRAL_CONFIG);
    const tu = iface(model, 'Tunnel10');
    expect(tu.address).toEqual({ address: ip('192.168.100.1'), mask: ip('255.255.255.0') });
    expect(tu.tunnel).toEqual({
      mode: 'gre-multipoint',
      source: { kind: 'interface', name: 'Serial2/0' },
      key: 123,
    });
    expect(tu.nhrp).toMatchObject({ multicastMaps: ['dynamic'], networkId: 123, nhs: [], maps: [] });
    expect(tu.pim).toEqual({ mode: 'sparse', drPriority: 100, nbmaMode: true });
    expect(tu.igmp.joinGroups).toEqual([ip('239.10.10.1')]);
    expect(iface(model, 'Serial2/0').cryptoMap).toBe('DMVPN');
    expect(model.crypto.gdoiGroups).toEqual([
      { name: 'GDOI_GM', identity: 123, serverAddresses: [ip('1.1.1.1')] },
    ]);
    expect(model.crypto.cryptoMaps).toEqual([
      {
        name: 'DMVPN',
        localAddress: 'Loopback0',
        entries: [{ sequence: 10, kind: 'gdoi', group: 'GDOI_GM' }],
      },
    ]);
    expect(model.eigrp).toEqual([
      {
        asNumber: 10,
        autoSummary: false,
        networks: [{ address: ip('192.168.1.0') }, { address: ip('192.168.100.0') }],
        passiveInterfaces: [],
      },
    ]);
  });

  it('GM-1 and GM-2: spokes with NHS, static maps and the RPF mroute', () => {
    for (const [text, wan, tunnelIp] of [
      [GM1_CONFIG, '172.27.1.1', '192.168.100.2'],
      [GM2_CONFIG, '172.37.1.1', '192.168.100.3'],
    ] as const) {
      const { model } = parseConfig(text);
      expect(iface(model, 'Serial1/0').address?.address).toBe(ip(wan));
      const tu = iface(model, 'Tunnel10');
      expect(tu.address?.address).toBe(ip(tunnelIp));
      expect(tu.tunnel.source).toEqual({ kind: 'interface', name: 'Serial1/0' });
      expect(tu.nhrp).toEqual({
        nhs: [ip('192.168.100.1')],
        maps: [{ protocol: ip('192.168.100.1'), nbma: ip('172.17.1.1') }],
        multicastMaps: [ip('172.17.1.1')],
        networkId: 123,
      });
      expect(model.mroutes).toEqual([
        { source: ip('1.1.1.1'), mask: ip('255.255.255.255'), rpfNeighbor: ip('192.168.100.1') },
      ]);
    }
  });
});

describe('parseConfig: diagnostics', () => {
  it('reports the as-printed inline comments as invalid input at the `!`, loading the rest', () => {
    const { model, diagnostics } = parseConfig(AS_PRINTED.ks, 'KS');
    expect(model.hostname).toBe('KS');
    expect(diagnostics.map((d) => [d.line, d.column, d.severity])).toEqual([
      [17, 50, 'error'],
      [18, 50, 'error'],
      [19, 50, 'error'],
      [30, 48, 'error'],
      [31, 48, 'error'],
      [51, 60, 'error'],
      [52, 52, 'error'],
    ]);
    for (const d of diagnostics) {
      expect(d.message).toBe("% Invalid input detected at '^' marker.");
      expect(d.text[d.column]).toBe('!');
    }
    // The lines with comments are rejected, as a router would reject them; the rest loads.
    expect(model.crypto.isakmpKeys).toEqual([]);
    expect(model.crypto.gdoiGroups[0]?.server).toMatchObject({
      rekeyRetransmit: { interval: 60, count: 2 },
      address: ip('1.1.1.1'),
    });
    expect(model.crypto.gdoiGroups[0]?.server?.rekeyAddress).toBeUndefined();
    expect(model.pim.sendRpAnnounce).toBeUndefined();
    expect(model.accessLists.get('1')).toBeDefined();
  });

  it("warns about GM-1's tunnel source naming an interface the router does not have, and keeps it", () => {
    const { model, diagnostics } = parseConfig(AS_PRINTED.gm1, 'GM-1');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      line: 27,
      text: ' tunnel source serial 0/0',
      column: 15,
      severity: 'warning',
    });
    expect(diagnostics[0]?.message).toContain('Serial0/0');
    expect(iface(model, 'Tunnel10').tunnel.source).toEqual({ kind: 'interface', name: 'Serial0/0' });
  });

  it('loads the other as-printed configs (blank lines, unindented lines, comment lines) cleanly', () => {
    expect(parseConfig(AS_PRINTED.central, 'Central').diagnostics).toEqual([]);
    const gm2 = parseConfig(AS_PRINTED.gm2, 'GM-2');
    expect(gm2.diagnostics).toEqual([]);
    expect(iface(gm2.model, 'Serial1/0').address?.address).toBe(ip('172.37.1.1'));
    expect(gm2.model.hostname).toBe('GM-2');
  });

  it('reports a misspelt line with its number and caret column, and loads the rest', () => {
    const text = CENTRAL_CONFIG.replace(' ip pim nbma-mode', ' ip pim sprase-mode');
    const lineNo = CENTRAL_CONFIG.split('\n').indexOf(' ip pim nbma-mode') + 1;
    const { model, diagnostics } = parseConfig(text);
    expect(diagnostics).toEqual([
      {
        line: lineNo,
        text: ' ip pim sprase-mode',
        column: 8,
        message: "% Invalid input detected at '^' marker.",
        severity: 'error',
      },
    ]);
    const tu = iface(model, 'Tunnel10');
    expect(tu.pim.nbmaMode).toBe(false);
    expect(tu.igmp.joinGroups).toEqual([ip('239.10.10.1')]);
    expect(model.eigrp[0]?.networks).toHaveLength(2);
  });

  it('reports incomplete and ambiguous lines', () => {
    const { diagnostics } = parseConfig('interface Tunnel0\n tunnel mode\n ip pim s\n');
    expect(diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, '% Incomplete command.'],
      [3, '% Ambiguous command:  "ip pim s"'],
    ]);
  });

  it('uses the default hostname when the text has none', () => {
    expect(parseConfig('!\n', 'SP').model.hostname).toBe('SP');
    expect(parseConfig('!\n').model.hostname).toBe('Router');
  });
});

// Issue 13 item 9: numbers out of range get IOS's diagnostic under the number, and nothing is created.
describe('parseConfig: numbers out of range', () => {
  it.each([
    ['interface FastEthernet 99999999999999999999999', 23],
    ['interface Loopback 99999999999999999999999', 19],
    ['router eigrp 99999999999999999999', 13],
  ])('%s is invalid input at the number', (line, column) => {
    const { model, diagnostics } = parseConfig(line);
    expect(diagnostics).toEqual([
      { line: 1, text: line, column, message: "% Invalid input detected at '^' marker.", severity: 'error' },
    ]);
    expect(model.interfaces).toEqual([]);
    expect(model.eigrp).toEqual([]);
  });
});
