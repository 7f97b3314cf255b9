// The multicast panel's question (a source and a group) and the worker's answer: RPF per router, the group's tree
// and entries, which the topology can draw. A lab just loaded is asked about its own GDOI multicast rekey (its key
// server's address and rekey group, from the worker), never about an address written here.
import type { GetState, MulticastSlice, SetState } from './state';

export function createMulticastSlice(set: SetState, get: GetState): MulticastSlice {
  /** An unset question becomes the lab's rekey: the KS's address and the rekey group (when it has one). */
  async function askLabRekey(): Promise<void> {
    const rekey = await get().call((api) => api.rekeyGroup());
    const s = get();
    if (rekey && s.multicastSource === '' && s.multicastGroup === '')
      set({ multicastSource: rekey.address, multicastGroup: rekey.group });
  }

  return {
    multicastSource: '',
    multicastGroup: '',
    showRpf: false,
    showTree: false,

    setMulticast(source, group) {
      set({ multicastSource: source, multicastGroup: group });
      void get().refreshMulticast();
    },

    async refreshMulticast() {
      if (!get().lab) return;
      try {
        if (get().multicastSource === '' && get().multicastGroup === '') await askLabRekey();
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
