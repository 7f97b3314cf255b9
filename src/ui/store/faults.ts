// Faults: the teaching faults of the faults panel and the lessons, applied as console lines (and link loss) and
// undone the same way; the per-spoke `ip mroute` switch is one of them.
import type { MulticastView } from '../../worker/protocol';
import { type FaultAction, mrouteFault } from '../faults';
import type { FaultsSlice, GetState, SetState } from './state';

export function createFaultsSlice(set: SetState, get: GetState): FaultsSlice {
  /** Types a fault's console lines and sets its link loss. */
  async function runFaultAction(action: FaultAction): Promise<void> {
    for (const change of action.cli) {
      if (get().consoles.get(change.device)?.prompt.includes('(config'))
        await get().exec(change.device, 'end');
      for (const line of change.lines) await get().exec(change.device, line);
    }
    const loss = action.loss;
    if (loss) {
      const lab = await get().call((api) => api.setLinkLoss(loss.linkId, loss.fraction));
      if (lab) set({ lab });
    }
  }

  /** Switched on without a fault to undo: the `ip mroute` lines first seen are entered again. */
  async function restoreMroutes(device: string): Promise<void> {
    const lines = get().knownMroutes.get(device) ?? [];
    if (lines.length === 0) return;
    const exec = get().exec;
    await exec(device, 'configure terminal');
    for (const line of lines) await exec(device, line);
    await exec(device, 'end');
  }

  return {
    faults: [],
    knownMroutes: new Map(),

    async applyFault(fault) {
      if (get().faults.some((f) => f.fault.id === fault.id)) {
        await get().undoFault(fault.id);
        return;
      }
      const at = get().now;
      await runFaultAction(fault.apply);
      set((s) => ({ faults: [...s.faults, { fault, at }] }));
    },

    async undoFault(id) {
      const applied = get().faults.find((f) => f.fault.id === id);
      if (!applied) return;
      await runFaultAction(applied.fault.undo);
      set((s) => ({ faults: s.faults.filter((f) => f.fault.id !== id) }));
    },

    async setMroute(device, on) {
      // The switch is the `ip mroute` fault: listed with the others and undone the same way.
      const id = `mroute:${device}`;
      if (on && get().faults.some((f) => f.fault.id === id)) {
        await get().undoFault(id);
        return;
      }
      if (!on) {
        const fault = mrouteFault(device, await get().runningConfig(device));
        if (fault) await get().applyFault(fault);
        return;
      }
      await restoreMroutes(device);
    },

    noteMroutes(view: MulticastView) {
      set((s) => {
        const known = new Map(s.knownMroutes);
        for (const m of view.mroutes) if (m.lines.length > 0) known.set(m.device, m.lines);
        return { knownMroutes: known };
      });
    },
  };
}
