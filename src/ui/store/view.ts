// What the page shows and how: the bottom panel, the topology's layers, theme, projector type and renderer.
import type { LayerMode } from '../hops';
import { type Prefs, savePrefs } from '../share';
import type { GetState, SetState, ViewSlice } from './state';

export function createViewSlice(set: SetState, get: GetState, prefs: Prefs): ViewSlice {
  return {
    bottomTab: 'inspector',
    layers: 'both' as LayerMode,
    theme: prefs.theme,
    projector: prefs.projector,
    webgl: false,

    setBottomTab(bottomTab) {
      set({ bottomTab });
      if (bottomTab === 'multicast') void get().refreshMulticast();
    },

    setLayers(layers) {
      set({ layers });
    },

    setTheme(theme) {
      set({ theme });
      savePrefs({ theme, projector: get().projector });
    },

    setProjector(projector) {
      set({ projector });
      savePrefs({ theme: get().theme, projector });
    },

    setWebgl(webgl) {
      set({ webgl });
    },
  };
}
