import { describe, expect, it } from 'vitest';
import { createSimApi } from '../worker/api';
import {
  drPriorityFault,
  joinGroupFault,
  ksStopFault,
  lossFault,
  mrouteFault,
  nbmaModeFault,
  rolesOf,
  shutFault,
} from './faults';

// Vite's raw import: the UI's tests run without Node's fs in their types.
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';

async function lab() {
  const api = createSimApi();
  const loaded = await api.load(REFERENCE);
  const names = loaded.lab?.devices.map((d) => d.name) ?? [];
  const configs: Record<string, string> = {};
  for (const n of names) configs[n] = await api.runningConfig(n);
  const run = async (a: { cli: readonly { device: string; lines: readonly string[] }[] }) => {
    for (const c of a.cli) for (const l of c.lines) await api.exec(c.device, l);
  };
  return { api, names, configs, run };
}

describe('teaching faults', () => {
  it("finds the spokes, the hub and the key server from the routers' configs", async () => {
    const { names, configs } = await lab();
    expect(rolesOf(configs, names)).toEqual({
      spokes: ['GM-1', 'GM-2'],
      hubs: ['Central'],
      keyServers: ['KS'],
    });
  });

  it('removes and puts back a spoke join-group, the hub nbma-mode and the static mroute', async () => {
    const { api, configs, run } = await lab();
    const faults = [
      joinGroupFault('GM-2', configs['GM-2'] ?? ''),
      nbmaModeFault('Central', configs.Central ?? ''),
      mrouteFault('GM-2', configs['GM-2'] ?? ''),
    ];
    for (const f of faults) {
      if (!f) throw new Error('fault not offered');
      await run(f.apply);
    }
    const gm2 = await api.runningConfig('GM-2');
    expect(gm2).not.toContain('ip igmp join-group');
    expect(gm2).not.toMatch(/^ip mroute/m);
    expect(await api.runningConfig('Central')).not.toContain('nbma-mode');
    for (const f of faults) if (f) await run(f.undo);
    expect(await api.runningConfig('GM-2')).toBe(configs['GM-2']);
    expect(await api.runningConfig('Central')).toBe(configs.Central);
    expect(faults[1]?.label).toBe('Central: Tunnel10 no ip pim nbma-mode');
  });

  // The article: "it is important that the Central router is elected as the DR" (ip pim dr-priority 100).
  it("removes and puts back the hub's DR priority on its tunnel", async () => {
    const { api, configs, run } = await lab();
    const f = drPriorityFault('Central', configs.Central ?? '');
    expect(f?.label).toBe('Central: Tunnel10 no ip pim dr-priority 100');
    await run(f!.apply);
    expect(await api.runningConfig('Central')).not.toContain('dr-priority');
    await run(f!.undo);
    expect(await api.runningConfig('Central')).toBe(configs.Central);
    expect(drPriorityFault('GM-2', configs['GM-2'] ?? '')).toBeUndefined();
  });

  it('stops the key server by shutting its interfaces, and shuts one interface', async () => {
    const { api, configs, run } = await lab();
    const stop = ksStopFault('KS', configs.KS ?? '');
    if (!stop) throw new Error('KS stop not offered');
    await run(stop.apply);
    const view = await api.lab();
    const ks = view?.devices.find((d) => d.name === 'KS');
    expect(ks?.interfaces.every((i) => i.status === 'administratively down')).toBe(true);
    await run(stop.undo);
    expect(await api.runningConfig('KS')).toBe(configs.KS);
    const shut = shutFault('GM-1', 'Serial1/0');
    await run(shut.apply);
    const link = (await api.lab())?.links.find((l) => l.id.startsWith('GM-1 Serial1/0'));
    expect(link?.up).toBe(false);
  });

  it('describes a loss fault and restores the previous loss on undo', () => {
    const f = lossFault('A Se1/0--B Se1/0', 0.25, 0);
    expect(f.label).toBe('A Se1/0--B Se1/0: 25% packet loss');
    expect(f.undo.loss).toEqual({ linkId: 'A Se1/0--B Se1/0', fraction: 0 });
  });
});
