import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../net/ipv4-address';
import { makePrefix } from '../net/prefix';
import { Rib, type Route, type RouteSource } from './rib';

const ip = (t: string): number => parseIpv4(t) ?? 0;

function route(
  source: RouteSource,
  prefix: string,
  distance: number,
  metric = 0,
  nextHop = '10.0.0.2',
): Route {
  const [address = '', length = '32'] = prefix.split('/');
  return {
    prefix: makePrefix(ip(address), Number(length)),
    source,
    distance,
    metric,
    nextHops: [{ address: ip(nextHop), interface: 'Serial1/0' }],
    since: 0,
  };
}

describe('Rib', () => {
  it('installs the best candidate per prefix: distance, then metric, then the source offered first', () => {
    const rib = new Rib();
    rib.setRoutes('eigrp', [route('eigrp', '20.0.1.0/24', 90, 300), route('eigrp', '20.0.2.0/24', 90, 300)]);
    rib.setRoutes('static', [route('static', '20.0.1.0/24', 1)]);
    rib.setRoutes('eigrp-external', [route('eigrp-external', '20.0.2.0/24', 90, 100)]);
    expect(rib.lookup(ip('20.0.1.9'))?.source).toBe('static');
    expect(rib.lookup(ip('20.0.2.9'))?.source).toBe('eigrp-external');
    rib.setRoutes('eigrp-external', [route('eigrp-external', '20.0.2.0/24', 90, 300)]);
    // Equal distance and metric: the source that offered routes first keeps the prefix.
    expect(rib.lookup(ip('20.0.2.9'))?.source).toBe('eigrp');
    rib.setRoutes('static', []);
    expect(rib.lookup(ip('20.0.1.9'))?.source).toBe('eigrp');
  });

  it('updates only the prefixes it is given, and moves its revision only when a candidate changed', () => {
    const rib = new Rib();
    const changes: RouteSource[] = [];
    rib.onChange = (s) => changes.push(s);
    rib.setRoutes('eigrp', [route('eigrp', '20.0.1.0/24', 90, 300), route('eigrp', '20.0.2.0/24', 90, 300)]);
    const revision = rib.revision;
    rib.updateRoutes('eigrp', [makePrefix(ip('20.0.1.0'), 24)], [route('eigrp', '20.0.1.0/24', 90, 300)]);
    expect(rib.revision).toBe(revision);
    expect(changes).toEqual(['eigrp']);
    // A withdrawal of one prefix leaves the other.
    rib.updateRoutes('eigrp', [makePrefix(ip('20.0.1.0'), 24)], []);
    expect(rib.revision).toBe(revision + 1);
    expect(changes).toEqual(['eigrp', 'eigrp']);
    expect(rib.lookup(ip('20.0.1.9'))).toBeUndefined();
    expect(rib.lookup(ip('20.0.2.9'))?.metric).toBe(300);
    expect(rib.routesOf('eigrp').map((r) => r.prefix.network)).toEqual([ip('20.0.2.0')]);
    // A changed next hop is a change.
    rib.updateRoutes(
      'eigrp',
      [makePrefix(ip('20.0.2.0'), 24)],
      [route('eigrp', '20.0.2.0/24', 90, 300, '10.0.0.6')],
    );
    expect(rib.lookup(ip('20.0.2.9'))?.nextHops[0]?.address).toBe(ip('10.0.0.6'));
    expect(rib.revision).toBe(revision + 2);
  });

  it('looks up the longest prefix and resolves a static next hop through the route to it', () => {
    const rib = new Rib();
    rib.setRoutes('connected', [
      { ...route('connected', '10.0.0.0/30', 0), nextHops: [{ interface: 'Serial1/0' }] },
    ]);
    rib.setRoutes('static', [route('static', '0.0.0.0/0', 1), route('static', '1.1.1.1/32', 1)]);
    expect(rib.lookup(ip('1.1.1.1'))?.prefix.length).toBe(32);
    expect(rib.lookup(ip('8.8.8.8'))?.prefix.length).toBe(0);
    expect(rib.resolve(ip('8.8.8.8'))).toMatchObject({ interface: 'Serial1/0', gateway: ip('10.0.0.2') });
    expect(rib.installed().map((r) => r.prefix.length)).toEqual([0, 32, 30]);
  });
});
