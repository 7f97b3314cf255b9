// What the page shows: the bottom panel (the multicast one asks the worker for its view), layers, theme.
import { describe, expect, it } from 'vitest';
import type { MulticastView } from '../../worker/protocol';
import { createSimStore } from './compose';
import { fakeEnv, portOver, settle, smallRecording } from './fake-env.test-support';
import { replayApi } from './replay-worker';

describe('the view and multicast slices', () => {
  it('opening the multicast panel fetches the view for the source and group asked, and notes the mroutes', async () => {
    const asked: [string, string][] = [];
    const port = portOver(() => ({
      ...replayApi(smallRecording()),
      async multicastView(source: string, group: string): Promise<MulticastView> {
        asked.push([source, group]);
        return {
          source,
          group,
          rpf: [],
          tree: [],
          entries: [],
          mroutes: [{ device: 'GM-1', lines: ['ip mroute x'] }],
        };
      },
    }));
    const store = createSimStore(fakeEnv(port));
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    await settle();
    asked.length = 0;
    store.getState().setBottomTab('multicast');
    await settle();
    expect(asked).toEqual([['1.1.1.1', '239.10.10.1']]);
    store.getState().setMulticast('10.0.0.1', '239.1.1.1');
    await settle();
    expect(asked[1]).toEqual(['10.0.0.1', '239.1.1.1']);
    expect(store.getState().multicast?.group).toBe('239.1.1.1');
    expect(store.getState().knownMroutes.get('GM-1')).toEqual(['ip mroute x']);
  });

  it('keeps the layers, theme and projector chosen', () => {
    const store = createSimStore(fakeEnv(portOver(() => replayApi(smallRecording()))), {
      theme: 'dark',
      projector: true,
    });
    expect([store.getState().theme, store.getState().projector]).toEqual(['dark', true]);
    store.getState().setLayers('overlay');
    store.getState().setTheme('light');
    store.getState().setProjector(false);
    expect([store.getState().layers, store.getState().theme, store.getState().projector]).toEqual([
      'overlay',
      'light',
      false,
    ]);
  });
});
