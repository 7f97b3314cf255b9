import { describe, expect, it } from 'vitest';
import { canonicalInterfaceName, shortInterfaceName, sortInterfaceNames } from './interface-names';

describe('canonicalInterfaceName', () => {
  it.each([
    ['Fa1/0', 'FastEthernet1/0'],
    ['fastethernet 1/0', 'FastEthernet1/0'],
    ['Fastethernet 1/0', 'FastEthernet1/0'],
    ['Lo0', 'Loopback0'],
    ['Loopback 0', 'Loopback0'],
    ['lo 0', 'Loopback0'],
    ['serial2/0', 'Serial2/0'],
    ['Se 1/0', 'Serial1/0'],
    ['tu10', 'Tunnel10'],
    ['Tunnel 10', 'Tunnel10'],
    ['gi0/0/1', 'GigabitEthernet0/0/1'],
    ['e0/0', 'Ethernet0/0'],
    ['Fa1/0.100', 'FastEthernet1/0.100'],
  ])('%s -> %s', (text, name) => {
    expect(canonicalInterfaceName(text)).toBe(name);
  });

  it.each(['Foo0', 'Loopback', 'Loopback 1/0', '1/0', 'Serial', 'Fa1/0 2', ''])('rejects %j', (text) => {
    expect(canonicalInterfaceName(text)).toBeUndefined();
  });
});

describe('shortInterfaceName', () => {
  it('uses the IOS short forms', () => {
    expect(
      ['FastEthernet1/0', 'GigabitEthernet0/0', 'Serial2/0', 'Loopback0', 'Tunnel10', 'Ethernet0/1'].map(
        shortInterfaceName,
      ),
    ).toEqual(['Fa1/0', 'Gi0/0', 'Se2/0', 'Lo0', 'Tu10', 'Et0/1']);
  });
});

describe('sortInterfaceNames', () => {
  it('lists loopbacks, tunnels, then hardware by slot as the running-config does', () => {
    expect(
      sortInterfaceNames([
        'Serial2/0',
        'Tunnel10',
        'FastEthernet1/0',
        'Loopback10',
        'FastEthernet0/0',
        'Loopback0',
        'Tunnel2',
      ]),
    ).toEqual([
      'Loopback0',
      'Loopback10',
      'Tunnel2',
      'Tunnel10',
      'FastEthernet0/0',
      'FastEthernet1/0',
      'Serial2/0',
    ]);
  });

  // Issue 13 item 9: a number past the 32-bit unit range rendered as `FastEthernet1e+23`, which nothing reads
  // back, so a saved lab stopped loading. IOS answers "% Invalid input detected at '^' marker." instead.
  it('refuses interface numbers past the 32-bit range instead of printing them in exponent form', () => {
    expect(canonicalInterfaceName('FastEthernet 99999999999999999999999')).toBeUndefined();
    expect(canonicalInterfaceName('Serial1/0.99999999999999999')).toBeUndefined();
    expect(canonicalInterfaceName('Loopback 4294967296')).toBeUndefined();
    expect(canonicalInterfaceName('Loopback 2147483647')).toBe('Loopback2147483647');
    expect(canonicalInterfaceName('Serial 2147483647/0')).toBe('Serial2147483647/0');
  });
});
