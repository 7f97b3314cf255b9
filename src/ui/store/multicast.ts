// The multicast panel's question (a source and a group) and the worker's answer: RPF per router, the group's tree
// and entries, which the topology can draw.
import type { GetState, MulticastSlice, SetState } from './state';

export function createMulticastSlice(set: SetState, get: GetState): MulticastSlice {
  return {
    multicastSource: '1.1.1.1',
    multicastGroup: '239.10.10.1',
    showRpf: false,
    showTree: false,

    setMulticast(source, group) {
      set({ multicastSource: source, multicastGroup: group });
      void get().refreshMulticast();
    },

    async refreshMulticast() {
      if (!get().lab) return;
      try {
        const { multicastSource, multicastGroup } = get();
        const view = await get().call((api) => api.multicastView(multicastSource, multicastGroup));
        set({ multicast: view });
        get().noteMroutes(view);
      } catch (e) {
        get().reportSimError(e);
      }
    },

    setShowRpf(on) {
      set({ showRpf: on });
      if (on) void get().refreshMulticast();
    },

    setShowTree(on) {
      set({ showTree: on });
      if (on) void get().refreshMulticast();
    },
  };
}
