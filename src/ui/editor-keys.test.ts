// The editor's shortcuts: undo, redo (both usual keys), Delete, Escape; none while typing or inside a dialog.
import { describe, expect, it } from 'vitest';
import { type KeyPress, editorKeyAction, keysBelongTo } from './editor-keys';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('editor shortcuts', () => {
  it('undoes with Ctrl+Z (Cmd+Z), redoes with Ctrl+Shift+Z and Ctrl+Y', () => {
    expect(editorKeyAction(press('z', { ctrlKey: true }), false)).toBe('undo');
    expect(editorKeyAction(press('z', { metaKey: true }), false)).toBe('undo');
    // With Shift held the browser reports an upper-case Z.
    expect(editorKeyAction(press('Z', { ctrlKey: true, shiftKey: true }), false)).toBe('redo');
    expect(editorKeyAction(press('y', { ctrlKey: true }), false)).toBe('redo');
    expect(editorKeyAction(press('Delete'), false)).toBe('delete');
    expect(editorKeyAction(press('Escape'), false)).toBe('cancel');
  });

  it('ignores other keys, Alt chords, and everything typed in a field', () => {
    expect(editorKeyAction(press('z'), false)).toBeUndefined();
    expect(editorKeyAction(press('z', { ctrlKey: true, altKey: true }), false)).toBeUndefined();
    expect(editorKeyAction(press('Delete', { shiftKey: true }), false)).toBeUndefined();
    expect(editorKeyAction(press('Backspace'), false)).toBeUndefined();
    expect(editorKeyAction(press('z', { ctrlKey: true }), true)).toBeUndefined();
    expect(editorKeyAction(press('Delete'), true)).toBeUndefined();
  });

  it('leaves keys to the console and config editor, selects, and dialogs', () => {
    const el = (tagName: string, extra: object = {}) => ({ tagName, closest: () => null, ...extra });
    expect(keysBelongTo(el('INPUT', { type: 'text' }))).toBe(true);
    expect(keysBelongTo(el('TEXTAREA'))).toBe(true);
    expect(keysBelongTo(el('SELECT'))).toBe(true);
    expect(keysBelongTo(el('DIV', { isContentEditable: true }))).toBe(true);
    expect(keysBelongTo(el('BUTTON', { closest: (s: string) => (s === 'dialog' ? {} : null) }))).toBe(true);
    expect(keysBelongTo(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(keysBelongTo(el('BUTTON'))).toBe(false);
    expect(keysBelongTo(el('BODY'))).toBe(false);
    expect(keysBelongTo(null)).toBe(false);
  });
});
