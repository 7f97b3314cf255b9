import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse';
import {
  hubTemplate,
  keyServerTemplate,
  plainRouterTemplate,
  providerTemplate,
  spokeTemplate,
  type SpokeTemplateParams,
} from './templates';

const member = { ksAddress: '1.1.1.1', identity: 123, preSharedKey: 'cisco' };
const spoke: SpokeTemplateParams = {
  hostname: 'GM-3',
  loopback: '13.13.13.13',
  lan: { address: '192.168.13.1', mask: '255.255.255.0' },
  wan: { interface: 'Serial1/0', address: { address: '172.47.1.1', mask: '255.255.255.0' } },
  tunnel: {
    number: 10,
    address: { address: '192.168.100.4', mask: '255.255.255.0' },
    key: 123,
    networkId: 123,
  },
  hub: { tunnel: '192.168.100.1', nbma: '172.17.1.1' },
  rekeyGroup: '239.10.10.1',
  member,
  eigrpAs: 10,
  eigrpNetworks: ['192.168.13.0', '192.168.100.0'],
  defaultRoute: '172.47.1.2',
};

const clean = (config: string, name: string): void =>
  expect(parseConfig(config, name).diagnostics).toEqual([]);

describe('role templates', () => {
  it("fill a spoke as the article's GM-1 is configured: NHS, mroute to the KS over the tunnel, crypto map", () => {
    const text = spokeTemplate(spoke);
    clean(text, 'GM-3');
    const m = parseConfig(text, 'GM-3').model;
    const tunnel = m.interfaces.find((i) => i.name === 'Tunnel10')!;
    expect(tunnel.tunnel).toMatchObject({
      mode: 'gre-multipoint',
      key: 123,
      source: { kind: 'interface', name: 'Serial1/0' },
    });
    expect(m.mroutes).toHaveLength(1);
    expect(m.interfaces.find((i) => i.name === 'Serial1/0')?.cryptoMap).toBe('DMVPN');
    expect(m.crypto.gdoiGroups[0]).toMatchObject({ identity: 123 });
    expect(m.staticRoutes).toHaveLength(1);
  });

  it('leave out what is not known yet: the WAN address, the default route, the tunnel key', () => {
    const text = spokeTemplate({
      ...spoke,
      wan: { interface: 'Serial1/0' },
      defaultRoute: undefined,
      tunnel: { ...spoke.tunnel, key: undefined },
    });
    clean(text, 'GM-3');
    expect(text).toContain('interface Serial1/0\n crypto map DMVPN\n!');
    expect(text).not.toContain('ip route');
    expect(text).not.toContain('tunnel key');
  });

  it('give the other roles configs IOS reads without an error', () => {
    clean(
      hubTemplate({
        hostname: 'Hub',
        loopback: '3.3.3.3',
        lan: { address: '192.168.2.1', mask: '255.255.255.0' },
        wan: { interface: 'Serial2/0' },
        tunnel: {
          number: 10,
          address: { address: '192.168.101.1', mask: '255.255.255.0' },
          key: 1,
          networkId: 1,
        },
        rekeyGroup: '239.10.10.1',
        member,
        eigrpAs: 10,
        eigrpNetworks: ['192.168.2.0', '192.168.101.0 0.0.0.255'],
        routes: [],
      }),
      'Hub',
    );
    clean(
      keyServerTemplate({
        hostname: 'KS-2',
        loopback: '3.3.3.3',
        links: [],
        identity: 123,
        rekeyGroup: '239.1.1.1',
        routes: [],
      }),
      'KS-2',
    );
    expect(providerTemplate({ hostname: 'SP-2', interfaces: [], routes: [] })).toBe('hostname SP-2\nend\n');
    clean(plainRouterTemplate({ hostname: 'R1', loopback: '4.4.4.4' }), 'R1');
  });
});
