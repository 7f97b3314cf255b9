// The PIM facts the lessons check, as plain data: the same state `show ip pim neighbor` and `show ip pim rp
// mapping` print (reference lab, article §"DR priority and nbma-mode" and §"Auto-RP").
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE } from './reference-lab.test-support';

describe('pimView', () => {
  it('gives neighbours with DR and priority, the mapping agent, RP mappings and nbma-mode as show prints them', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(70_000_000);
    const gm2 = await api.pimView('GM-2');
    const central = gm2.neighbors.find((n) => n.address === '192.168.100.1');
    expect(central).toEqual({ address: '192.168.100.1', iface: 'Tunnel10', drPriority: 100, dr: true });
    expect(await api.show('GM-2', 'show ip pim neighbor')).toMatch(/192\.168\.100\.1\s+Tunnel10.*100\/ DR/);
    expect(gm2.rpMappings).toContainEqual({ group: '239.0.0.0/8', rp: '1.1.1.1', origin: 'autorp' });
    expect(gm2.mappingAgent).toBe(false);
    const ks = await api.pimView('KS');
    expect(ks.mappingAgent).toBe(true);
    expect(await api.show('KS', 'show ip pim rp mapping')).toContain('RP-mapping agent');
    expect((await api.pimView('Central')).nbmaMode).toEqual(['Tunnel10']);
    expect((await api.pimView('GM-1')).nbmaMode).toEqual([]);
    await expect(api.pimView('constructor')).rejects.toThrow('no device');
  });

  it('lists the RP a router learned from BSR bootstraps (the BSR lab), as show ip pim rp mapping does', async () => {
    const api = createSimApi();
    await api.load(readFileSync(new URL('../../public/scenarios/getvpn-bsr.json', import.meta.url), 'utf8'));
    await api.runUntil(70_000_000);
    for (const device of ['GM-1', 'GM-2', 'KS'])
      expect((await api.pimView(device)).rpMappings, device).toEqual([
        { group: '239.0.0.0/8', rp: '1.1.1.1', origin: 'bsr' },
      ]);
  });
});
