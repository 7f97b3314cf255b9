// Issue 13 item 8: loading a config is linear in its size. Before the fix every access-list entry was compared
// with every earlier one (JSON per comparison: 8,000 entries took 30 s), every `(config-if)` line searched the
// interface list, and EIGRP rebuilt its sorted topology and re-read every interface per interface that came up
// (2,000 loopbacks took 70 s to boot). These tests check the results on big configs; the time is bench's.
import { describe, expect, it } from 'vitest';
import { formatIpv4 } from '../net/ipv4-address';
import { servicesOf } from '../protocols/services.test-support';
import { loadTestLab, router } from '../scenario/test-lab.test-support';
import { parseConfig } from './parse';
import { renderRunningConfig } from './render';

function hostAddress(i: number, first: number): string {
  return `${first}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

function bigAcl(n: number): string {
  const lines = ['ip access-list extended BIG'];
  for (let i = 0; i < n; i++)
    lines.push(` permit udp host ${hostAddress(i, 10)} any eq ${1000 + (i % 60000)}`);
  return lines.join('\n');
}

describe('large configs load completely', () => {
  it('8,000 access-list entries: every one kept in order, duplicates still ignored, no still removes', () => {
    const n = 8000;
    const text = `${bigAcl(n)}\n permit udp host 10.0.0.5 any eq 1005\n no permit udp host 10.0.0.7 any eq 1007\n`;
    const { model, diagnostics } = parseConfig(text);
    expect(diagnostics).toEqual([]);
    const entries = model.accessLists.get('BIG')!.entries;
    // The duplicate of entry 5 was ignored (IOS keeps one copy) and entry 7 was removed.
    expect(entries).toHaveLength(n - 1);
    expect(entries[0]).toMatchObject({ kind: 'extended', destinationPort: { op: 'eq', ports: [1000] } });
    expect(entries[7]).toMatchObject({ destinationPort: { op: 'eq', ports: [1008] } });
    expect(entries.at(-1)).toMatchObject({ destinationPort: { op: 'eq', ports: [1000 + n - 1] } });
    const rendered = renderRunningConfig(model);
    expect(rendered.split('\n').filter((l) => l.startsWith(' permit udp'))).toHaveLength(n - 1);
  });

  it('10,000 loopbacks in one router: every interface up, connected and in EIGRP', async () => {
    const n = 10_000;
    const lines = ['hostname BIG'];
    for (let i = 0; i < n; i++)
      lines.push(`interface Loopback${i}`, ` ip address ${hostAddress(i, 10)} 255.255.255.255`);
    lines.push(
      'interface FastEthernet0/0',
      ' ip address 192.168.1.1 255.255.255.0',
      'router eigrp 10',
      ' network 10.0.0.0',
      ' network 192.168.1.0',
    );
    const lab = loadTestLab({
      format: 'getlab-scenario/1',
      title: 'big',
      description: '',
      seed: 1,
      devices: [
        { name: 'BIG', role: 'router', config: lines.join('\n') },
        {
          name: 'R2',
          role: 'router',
          config:
            'interface FastEthernet0/0\n ip address 192.168.1.2 255.255.255.0\nrouter eigrp 10\n network 192.168.1.0\n',
        },
      ],
      links: [{ a: 'BIG Fa0/0', b: 'R2 Fa0/0' }],
    });
    const big = router(lab, 'BIG');
    expect(big.config.interfaces).toHaveLength(n + 1);
    // IOS order: Loopback0, Loopback1, … Loopback9999, then hardware.
    expect(big.config.interfaces[n - 1]!.name).toBe(`Loopback${n - 1}`);
    expect(big.interfaceState(`Loopback${n - 1}`)).toMatchObject({ protocol: 'up' });
    const eigrp = servicesOf(big).eigrp.process(10)!;
    const topology = eigrp.topology.all();
    expect(topology).toHaveLength(n + 1);
    // Sorted by address, as `show ip eigrp topology` lists them.
    expect(formatIpv4(topology[1]!.prefix.network)).toBe('10.0.0.1');
    expect(formatIpv4(topology[n - 1]!.prefix.network)).toBe(hostAddress(n - 1, 10));
  });
});
