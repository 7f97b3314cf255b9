// The editor slice (issue 17): edits through the worker's EditApi (the real one, in this thread), the lab
// re-simulated from t = 0 after each, a move that does not re-simulate, undo and redo byte for byte, refusals in
// the Problems panel, the history dropped with the lab, and the saved work carrying the edits.
import { describe, expect, it, vi } from 'vitest';
import { createSimApi } from '../../worker/api';
import { labKey, readLast, readSaved } from '../persistence';
import { createSimStore } from './compose';
import { DEFAULT_SCENARIO } from './constants';
import { positionIn } from './editor';
import { SECOND, fakeEnv, portOver } from './fake-env.test-support';

// Vite's raw import: the UI's tests run without Node's fs in their types.
import REFERENCE from '../../../public/scenarios/getvpn-multicast-rekey.json?raw';

/** A store over the worker API, the article's lab loaded. */
async function withReference() {
  const env = fakeEnv(portOver(() => createSimApi()));
  const store = createSimStore(env);
  await store.getState().loadText(REFERENCE, `shipped:${DEFAULT_SCENARIO}`, 'Reference lab');
  return { env, store };
}

const devices = (s: { lab?: { devices: readonly { name: string }[] } }): string[] =>
  s.lab?.devices.map((d) => d.name) ?? [];

describe('the editor slice', () => {
  it('is off by default and reads the palette from the worker when switched on', async () => {
    const { store } = await withReference();
    expect(store.getState().editing).toBe(false);
    store.getState().setEditing(true);
    await vi.waitFor(() => expect(store.getState().editRoles.length).toBe(5));
    expect(store.getState().editRoles.map((r) => r.role)).toEqual([
      'key-server',
      'hub',
      'spoke',
      'provider',
      'router',
    ]);
  });

  it('adds a spoke and a link: each edit loads the new text at t = 0; undo gives the article back byte for byte, redo re-applies', async () => {
    const { store } = await withReference();
    const added = await store.getState().edit({ kind: 'add-router', role: 'spoke', x: 330, y: 300 });
    expect(added).toMatchObject({ device: 'GM-3' });
    let s = store.getState();
    expect(devices(s)).toContain('GM-3');
    expect(s.now).toBe(0);
    expect(s.labSerial).toBe(2);
    expect(s.scenarioText).toBe(added?.text);
    // The new device is the editor's selection (so Add link and Delete start from it).
    expect(s.editTarget).toEqual({ kind: 'device', device: 'GM-3' });
    expect(await s.freeInterfaces('GM-3')).toContain('Serial1/0');
    expect(await s.freeInterfaces('SP')).not.toContain('Serial1/1');

    const linked = await s.edit({
      kind: 'add-link',
      a: { device: 'GM-3', interface: 'Serial1/0' },
      b: { device: 'SP', interface: 'Serial1/3' },
      autoAddress: true,
    });
    expect(linked?.error).toBeUndefined();
    s = store.getState();
    expect(s.lab?.links.some((l) => l.a.device === 'GM-3' || l.b.device === 'GM-3')).toBe(true);
    expect(s.undoStack).toHaveLength(2);

    await s.undo();
    expect(store.getState().scenarioText).toBe(added?.text);
    await store.getState().undo();
    s = store.getState();
    expect(s.scenarioText).toBe(REFERENCE);
    expect(devices(s)).not.toContain('GM-3');
    expect([s.undoStack.length, s.redoStack.length]).toEqual([0, 2]);
    // Nothing more to undo: nothing happens.
    await s.undo();
    expect(store.getState().scenarioText).toBe(REFERENCE);

    await store.getState().redo();
    await store.getState().redo();
    s = store.getState();
    expect(s.scenarioText).toBe(linked?.text);
    expect(devices(s)).toContain('GM-3');
    // A new edit after undo forgets what redo would have re-applied.
    await s.undo();
    await store.getState().edit({ kind: 'rename', device: 'GM-3', to: 'Branch-3' });
    expect(store.getState().redoStack).toEqual([]);
    expect(devices(store.getState())).toContain('Branch-3');
  }, 60_000);

  it('moves a device without re-simulating; undo puts it back where the file had it', async () => {
    const { store } = await withReference();
    await store.getState().seek(2 * SECOND);
    const serial = store.getState().labSerial;
    await store.getState().edit({ kind: 'move', device: 'GM-2', x: 400, y: 220 });
    let s = store.getState();
    // Not re-simulated: the same lab, at the same moment.
    expect([s.labSerial, s.now]).toEqual([serial, 2 * SECOND]);
    expect(positionIn(s.scenarioText!, 'GM-2')).toEqual({ x: 400, y: 220 });
    expect(s.placement).toMatchObject({ device: 'GM-2', x: 400, y: 220 });
    // "Save scenario" and share links write the current scenario: the moved position is in it (format 2).
    const saved = await s.currentScenario();
    expect(positionIn(saved, 'GM-2')).toEqual({ x: 400, y: 220 });
    expect(JSON.parse(saved)).toMatchObject({ format: 'getlab-scenario/2' });
    await s.undo();
    s = store.getState();
    expect([s.labSerial, s.now]).toEqual([serial, 2 * SECOND]);
    expect(s.scenarioText).toBe(REFERENCE);
    expect(s.placement).toMatchObject({ device: 'GM-2', x: 330, y: 140 });
    await s.redo();
    expect(positionIn(store.getState().scenarioText!, 'GM-2')).toEqual({ x: 400, y: 220 });
  });

  it('shows a refused edit in the Problems panel with the device and the reason, and keeps the lab', async () => {
    const { store } = await withReference();
    const serial = store.getState().labSerial;
    const r = await store.getState().edit({ kind: 'rename', device: 'GM-1', to: 'GM-2' });
    expect(r?.error).toBe('There is already a device named "GM-2".');
    const s = store.getState();
    expect(s.editError).toEqual({
      severity: 'error',
      device: 'GM-1',
      message: 'Rename GM-1 to GM-2: There is already a device named "GM-2".',
    });
    expect(s.bottomTab).toBe('problems');
    expect([s.labSerial, s.undoStack.length, s.scenarioText]).toEqual([serial, 0, REFERENCE]);
    // A device named like an Object property is a name like any other.
    await s.edit({ kind: 'delete-device', device: '__proto__' });
    expect(store.getState().editError?.message).toBe(
      'Delete __proto__: There is no device named "__proto__".',
    );
    store.getState().dismissEditError();
    expect(store.getState().editError).toBeUndefined();
  });

  it('edits what the user built: a config line typed at a console stays, and undo gives it back', async () => {
    const { store } = await withReference();
    expect(REFERENCE).not.toContain('9.9.9.9');
    for (const line of [
      'configure terminal',
      'interface Loopback99',
      'ip address 9.9.9.9 255.255.255.255',
      'end',
    ])
      await store.getState().exec('GM-1', line);
    await vi.waitFor(() => expect(store.getState().configVersion).toBeGreaterThan(1));
    await store.getState().edit({ kind: 'add-router', role: 'router', x: 0, y: 300 });
    const s = store.getState();
    expect(devices(s)).toContain('R1');
    expect(s.scenarioText).toContain('ip address 9.9.9.9 255.255.255.255');
    await s.undo();
    expect(store.getState().scenarioText).toContain('ip address 9.9.9.9 255.255.255.255');
    expect(devices(store.getState())).not.toContain('R1');
  });

  it('drops the history when another lab opens', async () => {
    const { store } = await withReference();
    await store.getState().edit({ kind: 'add-router', role: 'router', x: 0, y: 300 });
    expect(store.getState().undoStack).toHaveLength(1);
    await store.getState().loadText(REFERENCE, 'file:other.json', 'other.json');
    expect(store.getState().undoStack).toEqual([]);
  });

  it('keeps an edited lab as the saved work of the lab it came from, marked edited, with its positions', async () => {
    const env = fakeEnv(portOver(() => createSimApi()));
    env.files.set(`/scenarios/${DEFAULT_SCENARIO}`, REFERENCE);
    const store = createSimStore(env);
    await store.getState().start();
    await vi.waitFor(() => expect(readLast(env.storage)).toBeDefined());
    await store.getState().edit({ kind: 'add-router', role: 'spoke', x: 330, y: 300 });
    await store.getState().edit({ kind: 'move', device: 'KS', x: -500, y: 40 });
    const key = labKey(`shipped:${DEFAULT_SCENARIO}`);
    await vi.waitFor(() => {
      const saved = readSaved(env.storage, key);
      expect(saved?.edited).toBe(true);
      expect(saved?.scenario).toContain('"name": "GM-3"');
      expect(positionIn(saved!.scenario, 'KS')).toEqual({ x: -500, y: 40 });
    });
  }, 60_000);
});
