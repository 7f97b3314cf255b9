// The worker methods the page's router panel, faults and big labs use: show, setLinkLoss, generate, runUntil's window.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE, SECOND } from './reference-lab.test-support';

const WAN = 'GM-2 Serial1/0--SP Serial1/2';

describe('worker API for the router panel, faults and big labs', () => {
  it('runs show commands outside the console: not in its history, nothing else accepted', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(60 * SECOND);
    expect(await api.show('GM-2', 'show ip pim rp mapping')).toContain('RP 1.1.1.1');
    expect(await api.show('GM-2', 'sh ip rpf 1.1.1.1')).toContain('RPF interface: Tunnel10');
    expect(await api.show('GM-2', 'configure terminal')).toContain('show commands only');
    expect(await api.commands()).toEqual([]);
    expect(await api.prompt('GM-2')).toBe('GM-2#');
  });

  it('sets a link loss that drops frames, shows in the lab view and is replayed by a rewind', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(10 * SECOND);
    const view = await api.setLinkLoss(WAN, 1);
    expect(view?.links.find((l) => l.id === WAN)?.loss).toBe(1);
    expect(await api.setLinkLoss('no such link', 0.5)).toBeUndefined();
    const batch = await api.runUntil(30 * SECOND);
    const lost = batch.records.filter(
      (r) => r.kind === 'packet' && r.event === 'dropped' && r.reason?.includes('lost on the link'),
    );
    expect(lost.length).toBeGreaterThan(0);
    const hash = await api.traceHash();
    expect(await api.commands()).toEqual([]);

    const back = await api.rewind(20 * SECOND);
    expect(back.lab.links.find((l) => l.id === WAN)?.loss).toBe(1);
    await api.runUntil(30 * SECOND);
    expect(await api.traceHash()).toBe(hash);
    const before = await api.rewind(5 * SECOND);
    expect(before.lab.links.find((l) => l.id === WAN)?.loss).toBe(0);
  });

  it('generates a hub-and-spoke scenario the API loads, and runUntil can return only the newest records', async () => {
    const api = createSimApi();
    const text = await api.generate(5);
    const loaded = await api.load(text);
    expect(loaded.ok).toBe(true);
    expect(loaded.lab?.devices.map((d) => d.name)).toContain('GM-5');
    const batch = await api.runUntil(20 * SECOND, 10);
    expect(batch.records).toHaveLength(10);
    expect(batch.total).toBeGreaterThan(10);
  });

  it('generates a lab with several hubs: each spoke tunnels to its own hub', async () => {
    const api = createSimApi();
    const loaded = await api.load(await api.generate(4, 2));
    expect(loaded.ok).toBe(true);
    expect(loaded.lab?.devices.map((d) => d.name)).toEqual(
      expect.arrayContaining(['KS', 'Central-1', 'Central-2', 'SP', 'GM-1', 'GM-4']),
    );
    expect(loaded.lab?.devices.some((d) => d.name === 'Central')).toBe(false);
    await api.runUntil(20 * SECOND);
    // Spokes are dealt in turn: GM-1 and GM-3 behind Central-1, GM-2 and GM-4 behind Central-2.
    const overlay = (await api.lab())!.overlay.filter((e) => e.kind === 'hub-spoke');
    const pairs = overlay.map((e) => [e.a.device, e.b.device].sort().join('-')).sort();
    expect(pairs).toEqual(['Central-1-GM-1', 'Central-1-GM-3', 'Central-2-GM-2', 'Central-2-GM-4']);
  });
});
