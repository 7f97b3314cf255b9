import { describe, expect, it } from 'vitest';
import { emptyInterfaceConfig } from '../../config/model';
import {
  addInterface,
  compositeMetric,
  INFINITE_DISTANCE,
  interfaceMetric,
  unreachableMetric,
} from './metric';

const iface = (name: string) => interfaceMetric(emptyInterfaceConfig(name));
const via = (...names: string[]) =>
  names.slice(1).reduce((m, n) => addInterface(m, iface(n)), iface(names[0]!));

describe('classic composite metric (K1 = K3 = 1)', () => {
  it('gives the FD IOS shows for connected interfaces', () => {
    expect(compositeMetric(iface('FastEthernet0/0'))).toBe(28160);
    expect(compositeMetric(iface('Loopback0'))).toBe(128256);
    expect(compositeMetric(iface('Serial1/0'))).toBe(2169856);
    expect(compositeMetric(iface('GigabitEthernet0/0'))).toBe(2816);
  });

  it('adds delays and keeps the slowest bandwidth across hops', () => {
    // A loopback one FastEthernet hop away: 256 × (100 + 10 + 500).
    expect(compositeMetric(via('Loopback0', 'FastEthernet0/0'))).toBe(156160);
    // A loopback across one Gigabit hop (IOS lab figure `D … [90/130816]`).
    expect(compositeMetric(via('Loopback0', 'GigabitEthernet0/0'))).toBe(130816);
    // The DMVPN figures over a 100 kbit/s tunnel (RFC 7868 §5.6.1.1).
    expect(compositeMetric(via('Loopback0', 'Tunnel10'))).toBe(27008000);
    expect(compositeMetric(via('GigabitEthernet0/1', 'Tunnel10'))).toBe(26880256);
  });

  it('follows the bandwidth and delay commands', () => {
    const cfg = { ...emptyInterfaceConfig('FastEthernet0/0'), bandwidth: 1544, delay: 2000 };
    expect(compositeMetric(interfaceMetric(cfg))).toBe(2169856);
  });

  it('treats the unreachable delay as infinite, even after another hop', () => {
    expect(compositeMetric(unreachableMetric())).toBe(INFINITE_DISTANCE);
    expect(compositeMetric(addInterface(unreachableMetric(), iface('FastEthernet0/0')))).toBe(
      INFINITE_DISTANCE,
    );
  });

  it('counts hops and keeps the smallest MTU', () => {
    const m = via('Loopback0', 'FastEthernet0/0', 'Tunnel10');
    expect(m.hopCount).toBe(2);
    expect(m.mtu).toBe(1476);
  });
});
