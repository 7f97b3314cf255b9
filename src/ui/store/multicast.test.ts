// The multicast panel's slice: the source and group asked, the worker's view of them, the mroutes it shows.
import { describe, expect, it } from 'vitest';
import type { MulticastView } from '../../worker/protocol';
import { createSimStore } from './compose';
import { fakeEnv, portOver, settle, smallRecording } from './fake-env.test-support';
import { replayApi } from './replay-worker';

describe('the multicast slice', () => {
  it("opening the multicast panel fetches the view for the lab's own rekey source and group, then the ones asked, and notes the mroutes", async () => {
    const asked: [string, string][] = [];
    const port = portOver(() => ({
      ...replayApi(smallRecording()),
      // The worker's typed view of the lab's GDOI rekey (createSimApi's rekeyGroup): the panel's first question.
      async rekeyGroup() {
        return { keyServer: 'KS', address: '10.9.9.9', group: '239.9.9.9' };
      },
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
    expect(asked).toEqual([['10.9.9.9', '239.9.9.9']]);
    store.getState().setMulticast('10.0.0.1', '239.1.1.1');
    await settle();
    expect(asked[1]).toEqual(['10.0.0.1', '239.1.1.1']);
    expect(store.getState().multicast?.group).toBe('239.1.1.1');
    expect(store.getState().knownMroutes.get('GM-1')).toEqual(['ip mroute x']);
  });

  it('asks nothing before a lab is loaded', async () => {
    const asked: string[] = [];
    const port = portOver(() => ({
      ...replayApi(smallRecording()),
      async multicastView(source: string, group: string): Promise<MulticastView> {
        asked.push(source);
        return { source, group, rpf: [], tree: [], entries: [], mroutes: [] };
      },
    }));
    const store = createSimStore(fakeEnv(port));
    store.getState().setShowRpf(true);
    await settle();
    expect(store.getState().showRpf).toBe(true);
    expect(asked).toEqual([]);
  });
});
