// The editor's worker API (issue 17): the page edits scenario text through the worker and reloads the result.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE, SECOND } from './reference-lab.test-support';

describe('worker EditApi', () => {
  it('gives the palette of five roles', async () => {
    const roles = await createSimApi().editRoles();
    expect(roles.map((r) => r.role)).toEqual(['key-server', 'hub', 'spoke', 'provider', 'router']);
    expect(roles.every((r) => r.label !== '' && r.description !== '')).toBe(true);
  });

  it('lists a device’s free interfaces, none for a device the lab does not have', async () => {
    const api = createSimApi();
    expect((await api.freeInterfaces(REFERENCE, 'SP')).slice(0, 3)).toEqual([
      'FastEthernet0/0',
      'FastEthernet0/1',
      'Serial1/3',
    ]);
    expect(await api.freeInterfaces(REFERENCE, '__proto__')).toEqual([]);
  });

  it('edits text without touching the loaded lab; the edited text loads and the new spoke registers', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const added = await api.editScenario(REFERENCE, { kind: 'add-router', role: 'spoke', x: 330, y: 300 });
    expect(added.device).toBe('GM-3');
    expect((await api.lab())?.devices.map((d) => d.name)).not.toContain('GM-3');
    const free = await api.freeInterfaces(added.text!, 'SP');
    const linked = await api.editScenario(added.text!, {
      kind: 'add-link',
      a: { device: 'GM-3', interface: 'Serial1/0' },
      b: { device: 'SP', interface: free[2]! },
      autoAddress: true,
    });
    expect(linked.error).toBeUndefined();
    const loaded = await api.load(linked.text!);
    expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
    await api.runUntil(400 * SECOND);
    const gm = (await api.gdoiView('GM-3')).members[0];
    expect(gm?.status).toBe('Registered');
    expect(gm?.rekeysReceived).toBeGreaterThan(0);
    const [rpf] = await api.evaluateChecks(
      [{ kind: 'rpf', device: 'GM-3', source: '1.1.1.1', interface: 'Tunnel10' }],
      0,
    );
    expect(rpf?.pass).toBe(true);
  });

  it('refuses an edit with a plain reason', async () => {
    const r = await createSimApi().editScenario(REFERENCE, {
      kind: 'add-link',
      a: { device: 'GM-1', interface: 'Serial1/0' },
      b: { device: 'SP', interface: 'Serial1/3' },
      autoAddress: true,
    });
    expect(r).toEqual({ error: 'GM-1 Serial1/0 is already linked (GM-1 Se1/0 – SP Se1/1).' });
  });
});
