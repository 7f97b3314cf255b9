// The topology editor (issue 17): edit mode, edits applied by the worker's EditApi to the scenario text, and undo
// and redo. An edit is a pure function of the text (src/sim/scenario/edit), so undo keeps the text an edit was
// applied to and loads it again, byte for byte; a structural edit re-simulates from t = 0 through the lab slice's
// load path (the session slice's `loadEdit`), a move only changes the text's positions.
import type { EditOp, EditResult, ScenarioProblem } from '../../worker/protocol';
import { errorText } from './constants';
import type { EditEntry, EditorSlice, GetState, SetState, SimState } from './state';

/** Edits undo can walk back (each keeps two scenario texts; a generated 200-spoke lab is about 500 KB). */
export const MAX_UNDO = 100;

/** The device an edit is about, for the Problems panel's "where". */
function editDevice(op: EditOp): string | undefined {
  switch (op.kind) {
    case 'add-link':
      return op.a.device;
    case 'delete-link':
      return op.end.device;
    case 'add-router':
      return op.name;
    default:
      return op.device;
  }
}

/** What the editor was doing, in the words of its buttons. */
function editLabel(op: EditOp): string {
  switch (op.kind) {
    case 'add-router':
      return 'Add router';
    case 'add-link':
      return `Add link ${op.a.device} ${op.a.interface} — ${op.b.device} ${op.b.interface}`;
    case 'delete-device':
      return `Delete ${op.device}`;
    case 'delete-link':
      return `Delete the link of ${op.end.device} ${op.end.interface}`;
    case 'rename':
      return `Rename ${op.device} to ${op.to}`;
    case 'move':
      return `Move ${op.device}`;
  }
}

function refusal(op: EditOp, message: string): ScenarioProblem {
  const device = editDevice(op);
  return {
    severity: 'error',
    ...(device !== undefined ? { device } : {}),
    message: `${editLabel(op)}: ${message}`,
  };
}

/** A device's position in a scenario text (scenario coordinates), if it has one. */
export function positionIn(text: string, device: string): { x: number; y: number } | undefined {
  try {
    const scenario = JSON.parse(text) as { devices?: unknown };
    if (!Array.isArray(scenario.devices)) return undefined;
    for (const d of scenario.devices as { name?: unknown; x?: unknown; y?: unknown }[])
      if (d?.name === device && typeof d.x === 'number' && typeof d.y === 'number') return { x: d.x, y: d.y };
  } catch {
    // Not JSON: nothing to place.
  }
  return undefined;
}

export function createEditorSlice(
  set: SetState,
  get: GetState,
  subscribe: (listener: (s: SimState, prev: SimState) => void) => () => void,
): EditorSlice {
  /** The configs' version when the lab loaded: a later one means lines were typed at a console since. */
  let loadedConfigs = { serial: -1, version: 0 };
  let placements = 0;
  /** The load under way is the editor's own (an edit, undo or redo): the undo history stays. */
  let ownLoad = false;
  subscribe((s, prev) => {
    if (s.labSerial === prev.labSerial) return;
    loadedConfigs = { serial: s.labSerial, version: s.configVersion };
    // Another lab opened: the history of edits belongs to the lab it was made on.
    if (!ownLoad && (s.undoStack.length > 0 || s.redoStack.length > 0)) set({ undoStack: [], redoStack: [] });
    // A device selected for editing may not exist in the new lab.
    const t = s.editTarget;
    const names = new Set(s.lab?.devices.map((d) => d.name));
    const gone =
      t !== undefined &&
      (t.kind === 'device' ? !names.has(t.device) : !s.lab?.links.some((l) => l.id === t.id));
    if (gone) set({ editTarget: undefined });
  });

  /**
   * The scenario the edit applies to: the text loaded, or, once a console changed a config, every device's
   * running-config (what the user built; undo then gives that back).
   */
  async function currentText(): Promise<string | undefined> {
    const s = get();
    if (!s.lab || s.scenarioText === undefined) return undefined;
    const typed = loadedConfigs.serial === s.labSerial && s.configVersion !== loadedConfigs.version;
    return typed ? await s.currentScenario() : s.scenarioText;
  }

  /** Has the topology draw `device` where `text` places it. */
  function place(text: string, device: string): void {
    const at = positionIn(text, device);
    if (at) set({ placement: { device, x: at.x, y: at.y, serial: ++placements } });
  }

  /** Puts `text` in place of the lab: a move changes positions only; anything else loads (t = 0). */
  async function apply(op: EditOp, text: string): Promise<boolean> {
    if (op.kind === 'move') {
      // Positions only: the lab runs on (issue 17: a move must not re-simulate).
      set({ scenarioText: text });
      place(text, op.device);
      return true;
    }
    const serial = get().labSerial;
    ownLoad = true;
    try {
      await get().loadEdit(text);
    } finally {
      ownLoad = false;
    }
    return get().labSerial !== serial;
  }

  /** Runs an undo or redo step: `from` loses its last entry, `to` gains it, when the text loads. */
  async function swap(which: 'undo' | 'redo'): Promise<void> {
    const s = get();
    const stack = which === 'undo' ? s.undoStack : s.redoStack;
    const entry = stack[stack.length - 1];
    if (!entry || s.editBusy) return;
    set({ editBusy: true, editError: undefined });
    try {
      const text = which === 'undo' ? entry.before : entry.after;
      if (!(await apply(entry.op, text))) return;
      set((st) =>
        which === 'undo'
          ? { undoStack: st.undoStack.slice(0, -1), redoStack: [...st.redoStack, entry] }
          : { redoStack: st.redoStack.slice(0, -1), undoStack: [...st.undoStack, entry] },
      );
    } finally {
      set({ editBusy: false });
    }
  }

  return {
    editing: false,
    editRoles: [],
    undoStack: [],
    redoStack: [],
    editBusy: false,

    setEditing(on) {
      set({ editing: on, armedRole: undefined, ...(on ? {} : { editTarget: undefined }) });
      if (on && get().editRoles.length === 0)
        void get()
          .call((api) => api.editRoles())
          .then((roles) => set({ editRoles: roles }))
          .catch((e: unknown) => set({ editError: { severity: 'error', message: errorText(e) } }));
    },

    armRole(role) {
      set({ armedRole: role });
    },

    setEditTarget(target) {
      set({ editTarget: target });
      if (target?.kind === 'device') get().select(target.device);
    },

    async edit(op) {
      if (get().editBusy) return { error: 'Another edit is being applied.' };
      set({ editBusy: true, editError: undefined, armedRole: undefined });
      try {
        const before = await currentText();
        if (before === undefined) return undefined;
        let result: EditResult;
        try {
          result = await get().call((api) => api.editScenario(before, op));
        } catch (e) {
          result = { error: `The simulator failed: ${errorText(e)}` };
        }
        if (result.text === undefined) {
          const problem = refusal(op, result.error ?? 'the edit was refused.');
          set({ editError: problem, ...(op.kind === 'move' ? {} : { bottomTab: 'problems' as const }) });
          // A refused move leaves the device where the file has it.
          if (op.kind === 'move') place(before, op.device);
          return result;
        }
        const entry: EditEntry = { op, before, after: result.text };
        if (!(await apply(op, result.text))) return result;
        set((s) => ({ undoStack: [...s.undoStack, entry].slice(-MAX_UNDO), redoStack: [] }));
        // The editor's selection follows: a new device is selected, a renamed one keeps its selection.
        const selected = op.kind === 'rename' ? op.to : result.device;
        if (selected !== undefined) get().setEditTarget({ kind: 'device', device: selected });
        return result;
      } finally {
        set({ editBusy: false });
      }
    },

    undo: () => swap('undo'),
    redo: () => swap('redo'),

    async freeInterfaces(device) {
      const text = get().scenarioText;
      if (text === undefined) return [];
      return get().call((api) => api.freeInterfaces(text, device));
    },

    dismissEditError() {
      set({ editError: undefined });
    },
  };
}
