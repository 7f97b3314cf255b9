import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIpv4, parseIpv4 } from '../../net/ipv4-address';
import { generateHubSpokes } from '../generate';
import { parseScenario } from '../schema';
import { labFacts, subnetInUse } from './lab-facts';

const reference = parseScenario(
  readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'),
).scenario!;

describe('labFacts', () => {
  it("reads the article's lab from its parsed configs (`interface Tunnel 10`, `tunnel source serial 2/0`)", () => {
    const f = labFacts(reference);
    expect(f.hub).toEqual({
      device: 'Central',
      tunnelNumber: 10,
      tunnelAddress: parseIpv4('192.168.100.1'),
      tunnelMask: parseIpv4('255.255.255.0'),
      key: 123,
      networkId: 123,
      nbma: parseIpv4('172.17.1.1'),
      eigrpTunnelNetwork: '192.168.100.0',
      multicast: true,
    });
    expect(f.group).toEqual({
      ksAddress: parseIpv4('1.1.1.1'),
      identity: 123,
      keyServer: 'KS',
      preSharedKey: 'cisco',
    });
    expect(formatIpv4(f.rekeyGroup!)).toBe('239.10.10.1');
    expect(f.eigrpAs).toBe(10);
    expect(f.provider).toBe('SP');
    expect(f.spokes).toEqual(['GM-1', 'GM-2']);
    // GM-2's unindented `ip address 172.37.1.1 255.255.255.0` is still Serial1/0's (IOS reads by mode).
    expect(f.usedAddresses.has(parseIpv4('172.37.1.1')!)).toBe(true);
    expect(subnetInUse(f, parseIpv4('172.37.1.0')!, parseIpv4('255.255.255.0')!)).toBe(true);
    expect(subnetInUse(f, parseIpv4('172.47.1.0')!, parseIpv4('255.255.255.0')!)).toBe(false);
  });

  it('reads a generated lab the same way (its own addressing)', () => {
    const f = labFacts(generateHubSpokes({ spokes: 4 }));
    expect(f.hub).toMatchObject({
      device: 'Central',
      tunnelAddress: parseIpv4('10.255.0.1'),
      tunnelMask: parseIpv4('255.255.0.0'),
      nbma: parseIpv4('172.17.1.1'),
      eigrpTunnelNetwork: '10.255.0.0 0.0.255.255',
    });
    expect(f.group).toMatchObject({ ksAddress: parseIpv4('1.1.1.1'), identity: 123, keyServer: 'KS' });
    expect(f.spokes).toEqual(['GM-1', 'GM-2', 'GM-3', 'GM-4']);
  });

  it('sees that the DMVPN phase 2 lab hub runs no multicast and the lab has no GDOI group', () => {
    const f = labFacts(parseScenario(readFileSync('public/scenarios/dmvpn-phase2.json', 'utf8')).scenario!);
    expect(f.hub).toMatchObject({ device: 'Hub', multicast: false });
    expect(f.group).toBeUndefined();
    expect(f.rekeyGroup).toBeUndefined();
  });

  it('finds no hub or group in a lab without them', () => {
    const f = labFacts({ ...reference, devices: reference.devices.filter((d) => d.name === 'SP') });
    expect(f.hub).toBeUndefined();
    expect(f.group).toBeUndefined();
    expect(f.provider).toBe('SP');
  });
});
