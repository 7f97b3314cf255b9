// The topology editor's controls (issue 17): the Edit toggle in the topology's title row, and in edit mode the
// palette of roles, Add link, Rename, Delete, Undo and Redo, with their dialogs and keyboard shortcuts. Every edit
// goes through the store's editor slice; the canvas side is topology-editing.ts.
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { EditRole } from '../worker/protocol';
import { editorKeyAction, keysBelongTo } from './editor-keys';
import { useSim } from './store';
import { ROLE_DRAG_TYPE } from './topology-editing';

/** Runs the editor's shortcuts while edit mode is on (never while typing, never inside a dialog). */
function onEditorKey(e: KeyboardEvent): void {
  const s = useSim.getState();
  // An open dialog has the keys (Escape closes it), wherever focus is.
  if (!s.editing || document.querySelector('dialog[open]')) return;
  const action = editorKeyAction(e, keysBelongTo(e.target as HTMLElement | null));
  if (!action) return;
  if (action === 'cancel') {
    if (s.armedRole) s.armRole(undefined);
    else if (s.editTarget) s.setEditTarget(undefined);
    return;
  }
  e.preventDefault();
  if (action === 'undo') void s.undo();
  else if (action === 'redo') void s.redo();
  else void deleteTarget();
}

function deleteTarget(): Promise<unknown> {
  const s = useSim.getState();
  const t = s.editTarget;
  if (!t) return Promise.resolve();
  return t.kind === 'device'
    ? s.edit({ kind: 'delete-device', device: t.device })
    : s.edit({ kind: 'delete-link', end: t.end });
}

/** Read-only handle for browser tests: the scenario text and the worker's typed views (never log text). */
function installTestHandle(): void {
  const w = window as unknown as { __getlab?: Record<string, unknown> };
  const s = (): ReturnType<typeof useSim.getState> => useSim.getState();
  w.__getlab = {
    ...w.__getlab,
    editor: {
      scenarioText: () => s().scenarioText,
      labSerial: () => s().labSerial,
      now: () => s().now,
      devices: () => s().lab?.devices.map((d) => d.name) ?? [],
      links: () => s().lab?.links.map((l) => l.id) ?? [],
      rekeyQuestion: () => ({ source: s().multicastSource, group: s().multicastGroup }),
      history: () => ({ undo: s().undoStack.length, redo: s().redoStack.length, busy: s().editBusy }),
      gdoiView: (device: string) => s().gdoiView(device),
      pimView: (device: string) => s().pimView(device),
      multicastView: (source: string, group: string) => s().multicastView(source, group),
    },
  };
}

/** The title row's toggle: edit mode on or off (off by default). */
export function EditToggle() {
  const editing = useSim((s) => s.editing);
  const setEditing = useSim((s) => s.setEditing);
  useEffect(() => {
    installTestHandle();
    window.addEventListener('keydown', onEditorKey);
    return () => window.removeEventListener('keydown', onEditorKey);
  }, []);
  return (
    <button
      type="button"
      className={editing ? 'button small active' : 'button small'}
      aria-pressed={editing}
      title="Edit the topology: add routers and links, rename, delete, move (Ctrl+Z undoes)"
      onClick={() => setEditing(!editing)}
    >
      Edit
    </button>
  );
}

type DialogKind = 'link' | 'rename';

/** The editor's toolbar, shown in edit mode under the topology's title row. */
export function EditorToolbar() {
  const editing = useSim((s) => s.editing);
  const busy = useSim((s) => s.editBusy);
  const [dialog, setDialog] = useState<DialogKind | undefined>();
  const bar = useRef<HTMLDivElement>(null);
  const focusBefore = useRef<Element | null>(null);
  // An edit reloads the lab, and the new console takes focus (autoFocus): the next Ctrl+Z would go to the
  // console. Focus goes back where it was, or to the toolbar when that control is gone or disabled (Delete with
  // nothing left selected, Undo with nothing left to undo).
  useEffect(() => {
    if (busy) {
      focusBefore.current = document.activeElement;
      return;
    }
    const before = focusBefore.current;
    focusBefore.current = null;
    // A dialog keeps focus inside itself (the page behind it is inert).
    if (document.querySelector('dialog[open]')) return;
    if (!before || document.activeElement === before || !bar.current) return;
    const usable =
      before instanceof HTMLElement &&
      before !== document.body &&
      before.isConnected &&
      !(before instanceof HTMLButtonElement && before.disabled);
    if (usable) before.focus();
    else bar.current.focus();
  }, [busy]);
  if (!editing) return null;
  return (
    <div ref={bar} className="editor-bar" role="toolbar" aria-label="Topology editor" tabIndex={-1}>
      <Palette />
      <span className="editor-sep" aria-hidden="true" />
      <button type="button" className="button small" onClick={() => setDialog('link')}>
        Add link…
      </button>
      <TargetButtons onRename={() => setDialog('rename')} />
      <span className="editor-sep" aria-hidden="true" />
      <HistoryButtons />
      <EditorStatus />
      {dialog === 'link' && <AddLinkDialog onClose={() => setDialog(undefined)} />}
      {dialog === 'rename' && <RenameDialog onClose={() => setDialog(undefined)} />}
    </div>
  );
}

/** Roles to add: click one then the canvas, or drag it onto the canvas. */
function Palette() {
  const roles = useSim((s) => s.editRoles);
  const armed = useSim((s) => s.armedRole);
  const armRole = useSim((s) => s.armRole);
  return (
    <div className="editor-palette" role="group" aria-label="Add a router">
      {roles.map((r) => (
        <button
          key={r.role}
          type="button"
          className={armed === r.role ? 'button small palette-role active' : 'button small palette-role'}
          aria-pressed={armed === r.role}
          title={`${r.description} Click, then click the canvas where it goes; or drag it onto the canvas.`}
          draggable
          onDragStart={(e) => {
            e.dataTransfer.setData(ROLE_DRAG_TYPE, r.role);
            e.dataTransfer.effectAllowed = 'copy';
          }}
          onClick={() => armRole(armed === r.role ? undefined : r.role)}
        >
          <span className={`role-mark role-${r.role}`} aria-hidden="true" />
          {r.label}
        </button>
      ))}
    </div>
  );
}

function TargetButtons({ onRename }: { onRename: () => void }) {
  const target = useSim((s) => s.editTarget);
  const busy = useSim((s) => s.editBusy);
  const what =
    target?.kind === 'device'
      ? target.device
      : target
        ? `the link of ${target.end.device} ${target.end.interface}`
        : undefined;
  return (
    <>
      <button
        type="button"
        className="button small"
        disabled={target?.kind !== 'device'}
        onClick={onRename}
        title={target?.kind === 'device' ? `Rename ${target.device}` : 'Select a device to rename it'}
      >
        Rename…
      </button>
      <button
        type="button"
        className="button small"
        disabled={!target || busy}
        aria-label={what ? `Delete ${what}` : 'Delete'}
        title={what ? `Delete ${what} (Delete key)` : 'Select a device or a link to delete it'}
        onClick={() => void deleteTarget()}
      >
        Delete
      </button>
    </>
  );
}

function HistoryButtons() {
  const canUndo = useSim((s) => s.undoStack.length > 0);
  const canRedo = useSim((s) => s.redoStack.length > 0);
  const busy = useSim((s) => s.editBusy);
  const undo = useSim((s) => s.undo);
  const redo = useSim((s) => s.redo);
  const buttons = [
    { label: 'Undo', title: 'Undo the last edit (Ctrl+Z)', enabled: canUndo, run: undo },
    { label: 'Redo', title: 'Redo (Ctrl+Shift+Z or Ctrl+Y)', enabled: canRedo, run: redo },
  ];
  return (
    <>
      {buttons.map((b) => (
        <button
          key={b.label}
          type="button"
          className="button small"
          disabled={!b.enabled || busy}
          title={b.title}
          onClick={() => void b.run()}
        >
          {b.label}
        </button>
      ))}
    </>
  );
}

/** A free spot right of the lab, for placing a role without a pointer. */
function spotBesideLab(): { x: number; y: number } {
  const devices = useSim.getState().lab?.devices ?? [];
  const xs = devices.flatMap((d) => (d.x !== undefined ? [d.x] : []));
  const ys = devices.flatMap((d) => (d.y !== undefined ? [d.y] : []));
  const right = xs.length > 0 ? Math.max(...xs) : 0;
  const middle = ys.length > 0 ? Math.round((Math.min(...ys) + Math.max(...ys)) / 2) : 0;
  return { x: right + 200, y: middle };
}

/** What the editor is doing or waiting for, read out politely. */
function EditorStatus() {
  const armed = useSim((s) => s.armedRole);
  const roles = useSim((s) => s.editRoles);
  const busy = useSim((s) => s.editBusy);
  const target = useSim((s) => s.editTarget);
  const error = useSim((s) => s.editError);
  const label = roles.find((r) => r.role === armed)?.label;
  let text: ReactNode = 'Click a device or link to select it; drag a device to move it.';
  if (busy) text = 'Applying the edit…';
  else if (armed && label)
    text = (
      <>
        Click the canvas where the {label.toLowerCase()} goes (Esc cancels), or{' '}
        <button type="button" className="link-button" onClick={() => void placeBeside(armed)}>
          place it beside the lab
        </button>
        .
      </>
    );
  else if (error) text = `Not done: ${error.message} (see Problems).`;
  else if (target?.kind === 'device') text = `Selected: ${target.device}. Delete removes it; drag to move.`;
  else if (target) text = `Selected: the link of ${target.end.device} ${target.end.interface}.`;
  return (
    <span className="editor-status small-text" role="status" aria-live="polite">
      {text}
    </span>
  );
}

function placeBeside(role: EditRole): Promise<unknown> {
  const { x, y } = spotBesideLab();
  return useSim.getState().edit({ kind: 'add-router', role, x, y });
}

/**
 * A modal dialog (the page behind it is inert, so focus stays inside); Escape or Cancel closes it and focus goes
 * back where it was.
 */
function Modal(props: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  // The latest onClose, without reopening the dialog when the parent re-renders with a new one.
  const onClose = useRef(props.onClose);
  useEffect(() => {
    onClose.current = props.onClose;
  });
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const before = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    const closed = (): void => onClose.current();
    dialog.addEventListener('close', closed);
    return () => {
      dialog.removeEventListener('close', closed);
      if (dialog.open) dialog.close();
      before?.focus?.();
    };
  }, []);
  const id = `dialog-${props.title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <dialog ref={ref} className="editor-dialog" aria-labelledby={id}>
      <h2 id={id} className="dialog-title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}

/** The free interfaces of a device, asked of the worker when the device changes. */
function useFreeInterfaces(device: string): readonly string[] | undefined {
  const [free, setFree] = useState<{ device: string; list: readonly string[] }>();
  const scenario = useSim((s) => s.scenarioText);
  useEffect(() => {
    let live = true;
    if (device === '') return;
    void useSim
      .getState()
      .freeInterfaces(device)
      .then((list) => {
        if (live) setFree({ device, list });
      })
      .catch(() => {
        if (live) setFree({ device, list: [] });
      });
    return () => {
      live = false;
    };
  }, [device, scenario]);
  return free?.device === device ? free.list : undefined;
}

function DeviceSelect(props: { id: string; label: string; value: string; onChange: (d: string) => void }) {
  const names = useSim((s) => s.lab?.devices.map((d) => d.name).join('\n') ?? '');
  return (
    <div className="dialog-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">Choose a device</option>
        {names
          .split('\n')
          .filter((n) => n !== '')
          .map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
      </select>
    </div>
  );
}

function InterfaceSelect(props: {
  id: string;
  label: string;
  device: string;
  value: string;
  onChange: (i: string) => void;
}) {
  const free = useFreeInterfaces(props.device);
  const { value, onChange } = props;
  // The first free interface is chosen when the device changes (IOS order: the lowest free port).
  useEffect(() => {
    if (free && !free.includes(value)) onChange(free[0] ?? '');
  }, [free, value, onChange]);
  const none = props.device !== '' && free !== undefined && free.length === 0;
  return (
    <div className="dialog-field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={value}
        disabled={props.device === '' || free === undefined || none}
        onChange={(e) => onChange(e.target.value)}
      >
        {none && <option value="">No free interface</option>}
        {(free ?? []).map((i) => (
          <option key={i} value={i}>
            {i}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Add link: two devices, a free interface on each, and automatic addressing (on by default). */
function AddLinkDialog({ onClose }: { onClose: () => void }) {
  const target = useSim((s) => s.editTarget);
  const [a, setA] = useState(target?.kind === 'device' ? target.device : '');
  const [b, setB] = useState('');
  const [ia, setIa] = useState('');
  const [ib, setIb] = useState('');
  const [auto, setAuto] = useState(true);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    if (a === '' || b === '') return setError('Choose both devices.');
    if (ia === '' || ib === '') return setError('Each device needs a free interface for the link.');
    if (a === b) return setError('A link joins two different devices.');
    setBusy(true);
    const r = await useSim.getState().edit({
      kind: 'add-link',
      a: { device: a, interface: ia },
      b: { device: b, interface: ib },
      autoAddress: auto,
    });
    setBusy(false);
    if (r?.text !== undefined) onClose();
    else setError(r?.error ?? 'No lab is loaded.');
  };
  return (
    <Modal title="Add a link" onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <DeviceSelect id="link-a" label="First device" value={a} onChange={setA} />
        <InterfaceSelect
          id="link-ia"
          label="Interface on the first device"
          device={a}
          value={ia}
          onChange={setIa}
        />
        <DeviceSelect id="link-b" label="Second device" value={b} onChange={setB} />
        <InterfaceSelect
          id="link-ib"
          label="Interface on the second device"
          device={b}
          value={ib}
          onChange={setIb}
        />
        <label className="check">
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          Assign addresses automatically (both ends, and the routes a site and the provider need)
        </label>
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
        <DialogButtons submit="Add link" busy={busy} onClose={onClose} />
      </form>
    </Modal>
  );
}

/** A dialog's Cancel and submit buttons; the submit button stays focusable while busy (aria-disabled). */
function DialogButtons(props: { submit: string; busy: boolean; onClose: () => void }) {
  return (
    <div className="dialog-buttons">
      <button type="button" className="button" onClick={props.onClose}>
        Cancel
      </button>
      <button type="submit" className="button primary" aria-disabled={props.busy}>
        {props.submit}
      </button>
    </div>
  );
}

/** Rename: the hostname line, links, descriptions and lessons follow (the worker's edit). */
function RenameDialog({ onClose }: { onClose: () => void }) {
  const target = useSim((s) => s.editTarget);
  const device = target?.kind === 'device' ? target.device : '';
  const [name, setName] = useState(device);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (busy) return;
    const to = name.trim();
    if (to === '') return setError('Type the new name.');
    if (to === device) return onClose();
    setBusy(true);
    const r = await useSim.getState().edit({ kind: 'rename', device, to });
    setBusy(false);
    if (r?.text !== undefined) onClose();
    else setError(r?.error ?? 'No lab is loaded.');
  };
  return (
    <Modal title={`Rename ${device}`} onClose={onClose}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <label className="dialog-field" htmlFor="rename-to">
          <span>New name (the hostname follows)</span>
          <input
            id="rename-to"
            value={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={error !== undefined}
            aria-describedby={error ? 'rename-error' : undefined}
            onChange={(e) => {
              setName(e.target.value);
              setError(undefined);
            }}
          />
        </label>
        {error && (
          <p id="rename-error" className="dialog-error" role="alert">
            {error}
          </p>
        )}
        <DialogButtons submit="Rename" busy={busy} onClose={onClose} />
      </form>
    </Modal>
  );
}
