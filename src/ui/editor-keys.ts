// The topology editor's keyboard shortcuts (issue 17): Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, Delete
// removes the selected device or link, Escape drops the palette's role. Never while the user types (a console,
// the config editor, a dialog's field) or works in a dialog.

export type EditorKeyAction = 'undo' | 'redo' | 'delete' | 'cancel';

/** The parts of a KeyboardEvent the shortcuts read. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** What a key press asks of the editor, if anything; `typing` is true when it belongs to a text field. */
export function editorKeyAction(e: KeyPress, typing: boolean): EditorKeyAction | undefined {
  if (typing || e.altKey) return undefined;
  // Ctrl on Linux and Windows, Cmd on macOS.
  const command = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (command && key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (command && key === 'y' && !e.shiftKey) return 'redo';
  if (command || e.shiftKey) return undefined;
  if (e.key === 'Delete') return 'delete';
  if (e.key === 'Escape') return 'cancel';
  return undefined;
}

/** The element a key press went to, as far as typing is concerned. */
export interface KeyTarget {
  readonly tagName: string;
  readonly isContentEditable?: boolean;
  /** An `<input>`'s type. */
  readonly type?: string;
  /** Whether it sits inside an element matching the selector (`Element.closest`). */
  closest?(selector: string): unknown;
}

/** True when keys belong to the element: a text field, a select, or anything inside a dialog. */
export function keysBelongTo(target: KeyTarget | null | undefined): boolean {
  if (!target || typeof target.tagName !== 'string') return false;
  if (target.isContentEditable) return true;
  if (target.closest?.('dialog')) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && target.type !== 'checkbox' && target.type !== 'radio';
}
