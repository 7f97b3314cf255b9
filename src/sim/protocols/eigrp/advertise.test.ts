import { describe, expect, it } from 'vitest';
import type { EigrpMetric } from '../../net/eigrp';
import { parseIpv4 } from '../../net/ipv4-address';
import { makePrefix } from '../../net/prefix';
import { advertisementFor } from './advertise';
import { localComputation } from './dual';
import { INFINITE_DISTANCE } from './metric';
import { makePath, pathKey, TopologyTable, type TopologyEntry } from './topology';

const V: EigrpMetric = {
  delay: 5000,
  bandwidth: 0,
  mtu: 1476,
  hopCount: 1,
  reliability: 255,
  load: 1,
  tag: 0,
  flags: 0,
};
const SPOKE1 = parseIpv4('192.168.100.2')!;

/** The hub's entry for spoke 1's LAN, learned from spoke 1 on Tunnel10. */
function learnedOnTunnel(): TopologyEntry {
  const e = new TopologyTable().getOrCreate(makePrefix(parseIpv4('192.168.11.0')!, 24), INFINITE_DISTANCE);
  e.paths.set(
    pathKey('Tunnel10', SPOKE1),
    makePath({
      origin: 'neighbor',
      interface: 'Tunnel10',
      neighbor: SPOKE1,
      nextHop: SPOKE1,
      reported: V,
      metric: { ...V, delay: 10000 },
    }),
  );
  localComputation(e);
  return e;
}

describe('split horizon and next-hop-self', () => {
  it('does not send a route back out the interface it was learned on (the hub’s default)', () => {
    expect(
      advertisementFor(learnedOnTunnel(), { interface: 'Tunnel10', splitHorizon: true, nextHopSelf: true }),
    ).toBeUndefined();
  });

  it('advertises it on other interfaces with next hop 0 (the sender)', () => {
    const adv = advertisementFor(learnedOnTunnel(), {
      interface: 'FastEthernet0/0',
      splitHorizon: true,
      nextHopSelf: true,
    });
    expect(adv?.nextHop).toBe(0);
    expect(adv?.metric.delay).toBe(10000);
  });

  it('with no ip split-horizon, reflects it to the other spokes with the hub as next hop', () => {
    const adv = advertisementFor(learnedOnTunnel(), {
      interface: 'Tunnel10',
      splitHorizon: false,
      nextHopSelf: true,
    });
    expect(adv?.nextHop).toBe(0);
  });

  it('with no ip next-hop-self too, passes on the originating spoke as next hop (DMVPN phase 2)', () => {
    const adv = advertisementFor(learnedOnTunnel(), {
      interface: 'Tunnel10',
      splitHorizon: false,
      nextHopSelf: false,
    });
    expect(adv?.nextHop).toBe(SPOKE1);
  });

  it('keeps next hop 0 out other interfaces even without next-hop-self', () => {
    const adv = advertisementFor(learnedOnTunnel(), {
      interface: 'FastEthernet0/0',
      splitHorizon: true,
      nextHopSelf: false,
    });
    expect(adv?.nextHop).toBe(0);
  });

  it('applies split horizon to a connected subnet on its own interface', () => {
    const e = new TopologyTable().getOrCreate(makePrefix(parseIpv4('192.168.100.0')!, 24), INFINITE_DISTANCE);
    e.paths.set(
      pathKey('Tunnel10'),
      makePath({ origin: 'connected', interface: 'Tunnel10', reported: V, metric: V }),
    );
    localComputation(e);
    expect(
      advertisementFor(e, { interface: 'Tunnel10', splitHorizon: true, nextHopSelf: true }),
    ).toBeUndefined();
    expect(
      advertisementFor(e, { interface: 'Loopback0', splitHorizon: true, nextHopSelf: true }),
    ).toBeDefined();
  });
});
