// Faults: typed at the device's console as a student would (and link loss set through the worker), listed while
// applied, undone the same way; a rewind forgets the ones applied after its moment.
import { describe, expect, it } from 'vitest';
import { lossFault } from '../faults';
import { createSimStore } from './compose';
import { SECOND, SMALL_LAB, replayEnv, smallRecording } from './fake-env.test-support';

const LINK = SMALL_LAB.links[0]!.id;
const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 Tunnel10';

async function loadedStore() {
  const store = createSimStore(replayEnv());
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  return store;
}

describe('the faults slice', () => {
  it('the mroute switch types `no ip mroute …` in configuration mode, and switched on types the line again', async () => {
    const store = await loadedStore();
    await store.getState().setMroute('GM-1', false);
    expect(store.getState().faults.map((f) => f.fault.id)).toEqual(['mroute:GM-1']);
    expect(store.getState().consoles.get('GM-1')?.history).toEqual([
      'configure terminal',
      `no ${MROUTE}`,
      'end',
    ]);
    await store.getState().setMroute('GM-1', true);
    expect(store.getState().faults).toEqual([]);
    expect(store.getState().consoles.get('GM-1')?.history.slice(-2)).toEqual([MROUTE, 'end']);
  });

  it('sets a link’s loss through the worker and restores the loss it had on undo', async () => {
    const store = await loadedStore();
    await store.getState().applyFault(lossFault(LINK, 0.3, 0));
    expect(store.getState().lab?.links[0]?.loss).toBe(0.3);
    // Applying a fault already applied undoes it (the panel's buttons toggle).
    await store.getState().applyFault(lossFault(LINK, 0.3, 0));
    expect(store.getState().lab?.links[0]?.loss).toBe(0);
    expect(store.getState().faults).toEqual([]);
  });

  it('records when each fault was applied; a rewind before that moment forgets it', async () => {
    const store = await loadedStore();
    await store.getState().applyFault(lossFault(LINK, 0.1, 0));
    await store.getState().seek(10 * SECOND);
    await store.getState().setMroute('GM-1', false);
    expect(store.getState().faults.map((f) => [f.fault.id, f.at])).toEqual([
      [`loss:${LINK}`, 0],
      ['mroute:GM-1', 10 * SECOND],
    ]);
    await store.getState().seek(5 * SECOND);
    expect(store.getState().faults.map((f) => f.fault.id)).toEqual([`loss:${LINK}`]);
  });

  it('remembers the `ip mroute` lines a multicast view shows, per device (a Map: any device name)', () => {
    const store = createSimStore(replayEnv());
    store.getState().noteMroutes({
      source: '1.1.1.1',
      group: '239.10.10.1',
      rpf: [],
      tree: [],
      entries: [],
      mroutes: [
        { device: 'constructor', lines: [MROUTE] },
        { device: 'KS', lines: [] },
      ],
    });
    expect([...store.getState().knownMroutes]).toEqual([['constructor', [MROUTE]]]);
  });
});
