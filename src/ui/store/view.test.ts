// What the page shows: layers, theme, projector type.
import { describe, expect, it } from 'vitest';
import { createSimStore } from './compose';
import { fakeEnv, portOver, smallRecording } from './fake-env.test-support';
import { replayApi } from './replay-worker';

describe('the view slice', () => {
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
