// Saved work and the session a link or a reload restores (issue 13 item 10, issue 15 "Share and save").
// Pure: storage is passed in (localStorage in the page, a Map-backed fake in tests).
import type { Fault } from './faults';

/** localStorage key prefix of a lab's saved work: one entry per lab, so opening another lab loses nothing. */
export const SAVE_PREFIX = 'getlab:save:';
/** localStorage key naming the lab open last (what a reload restores). */
export const LAST_KEY = 'getlab:last';
/** Before saved work was keyed by lab, one entry held it: read once, then moved. */
export const LEGACY_SAVED_KEY = 'getlab:lab';
/** URL hash parameter with the session (time, faults, positions, panels) a share link opens with. */
export const STATE_PARAM = 'state';
/** BroadcastChannel on which tabs announce their saves. */
export const SAVE_CHANNEL = 'getlab:saves';

const SAVED_FORMAT = 'getlab-saved/1';

/** The parts of the storage API the page uses (window.localStorage is one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the page showed besides the lab's configs: restored by a reload and carried by a share link. */
export interface SessionState {
  /** Simulated time, microseconds. */
  readonly time: number;
  /** Faults applied and not undone (their console lines are already in the saved configs). */
  readonly faults: readonly { readonly fault: Fault; readonly at: number }[];
  /** Devices the user dragged: name, x, y in the topology's model coordinates. */
  readonly positions: readonly (readonly [string, number, number])[];
  readonly bottomTab: string;
  readonly lessonOpen: boolean;
  /** 0-based. */
  readonly lessonStep: number;
  readonly selected?: string;
  readonly showRpf: boolean;
  readonly showTree: boolean;
  /** Side and bottom panels the user collapsed (layout.ts PanelId values). */
  readonly collapsed?: readonly string[];
}

/** One lab's saved work. */
export interface SavedLab {
  readonly format: typeof SAVED_FORMAT;
  readonly key: string;
  /** What the scenario picker shows for it. */
  readonly label: string;
  /**
   * The scenario with every device's running-config, or `''` for an unedited shipped or generated lab
   * (`fromSource`): its configs are the source's own, so a reload opens the source again instead of keeping
   * megabytes that can be rebuilt (a 5,000-spoke lab is 7 MB of text, over the browser's storage quota).
   */
  readonly scenario: string;
  readonly session: SessionState;
  /** Increases with each save of this key: a tab that saw rev N does not overwrite rev N+1 unasked. */
  readonly rev: number;
  /** The tab that wrote it. */
  readonly writer: string;
  /** The user changed the lab (a config line, a fault, a drag): replacing it asks first. */
  readonly edited: boolean;
}

/**
 * The saved-work key of a lab: its source (`shipped:<file>`, `generated:<n>`, `file:<name>`), or for a shared
 * link a hash of the link's text, so reopening the same link finds the edits made to it.
 */
export function labKey(source: string, shareText?: string): string {
  if (shareText !== undefined) return `shared:${fnv1aHex(shareText)}`;
  return source;
}

/** Whether a saved lab's configs can be opened again from its key alone: a shipped file or a generated size. */
export function reopensFromSource(key: string): boolean {
  return key.startsWith('shipped:') || key.startsWith('generated:');
}

/** A saved record that keeps no configs: the lab opens from its source (see `SavedLab.scenario`). */
export function fromSource(saved: SavedLab): boolean {
  return saved.scenario === '';
}

/** 32-bit FNV-1a of a string, as 8 hex digits (a short stable name, not a security measure). */
export function fnv1aHex(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function readSaved(store: KeyValueStore, key: string): SavedLab | undefined {
  return parseSavedLab(safeGet(store, SAVE_PREFIX + key));
}

/** The lab open last, if its saved work is there. */
export function readLast(store: KeyValueStore): SavedLab | undefined {
  const key = safeGet(store, LAST_KEY);
  return key === null ? undefined : readSaved(store, key);
}

/**
 * Whether saving would overwrite another tab's changes: it saved this lab since we last read or wrote it
 * (`baseRev`) with configs other than the ones we started from (`baseScenario`). Another tab's save of the same
 * configs (it moved the clock or a panel) loses nothing when overwritten.
 */
export function isConflict(
  stored: SavedLab | undefined,
  writer: string,
  baseRev: number,
  baseScenario: string,
): boolean {
  return (
    stored !== undefined &&
    stored.writer !== writer &&
    stored.rev > baseRev &&
    // A save of the source's own configs loses nothing when overwritten: they can be opened again.
    !fromSource(stored) &&
    stored.scenario !== baseScenario
  );
}

/**
 * Writes a lab's saved work and marks it the lab open last; returns the stored record. Throws when storage is
 * full or disabled (the caller says so).
 */
export function writeSaved(
  store: KeyValueStore,
  entry: Omit<SavedLab, 'format' | 'rev'>,
  rev: number,
): SavedLab {
  const record: SavedLab = { format: SAVED_FORMAT, ...entry, rev };
  store.setItem(SAVE_PREFIX + entry.key, JSON.stringify(record));
  store.setItem(LAST_KEY, entry.key);
  return record;
}

export function removeSaved(store: KeyValueStore, key: string): void {
  try {
    store.removeItem(SAVE_PREFIX + key);
  } catch {
    // Storage disabled: nothing was saved.
  }
}

function safeGet(store: KeyValueStore, key: string): string | null {
  try {
    return store.getItem(key);
  } catch {
    return null;
  }
}

/** A saved record read back, or undefined when it is missing or not one (hand-edited, older format). */
export function parseSavedLab(text: string | null): SavedLab | undefined {
  if (text === null) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(v) || v.format !== SAVED_FORMAT) return undefined;
  const session = parseSession(v.session);
  if (
    typeof v.key !== 'string' ||
    typeof v.label !== 'string' ||
    typeof v.scenario !== 'string' ||
    typeof v.writer !== 'string' ||
    !Number.isInteger(v.rev) ||
    !session ||
    (v.scenario === '' && !reopensFromSource(v.key))
  )
    return undefined;
  return {
    format: SAVED_FORMAT,
    key: v.key,
    label: v.label,
    scenario: v.scenario,
    session,
    rev: v.rev as number,
    writer: v.writer,
    edited: v.edited === true,
  };
}

/** A session read from storage or a link: every field checked, since either may be crafted. */
export function parseSession(v: unknown): SessionState | undefined {
  if (!isObject(v)) return undefined;
  const time = v.time;
  if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) return undefined;
  const positions = Array.isArray(v.positions) ? v.positions.filter(isPosition) : [];
  const faults = Array.isArray(v.faults) ? v.faults.filter(isAppliedFault) : [];
  const step = v.lessonStep;
  return {
    time,
    faults,
    positions,
    bottomTab: typeof v.bottomTab === 'string' ? v.bottomTab : 'inspector',
    lessonOpen: v.lessonOpen === true,
    lessonStep: typeof step === 'number' && Number.isInteger(step) && step >= 0 ? step : 0,
    ...(typeof v.selected === 'string' ? { selected: v.selected } : {}),
    showRpf: v.showRpf === true,
    showTree: v.showTree === true,
    ...(Array.isArray(v.collapsed)
      ? { collapsed: v.collapsed.filter((c): c is string => typeof c === 'string') }
      : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(p: unknown): p is [string, number, number] {
  return (
    Array.isArray(p) &&
    p.length === 3 &&
    typeof p[0] === 'string' &&
    Number.isFinite(p[1]) &&
    Number.isFinite(p[2])
  );
}

function isCliChanges(v: unknown): boolean {
  return (
    Array.isArray(v) &&
    v.every(
      (c) =>
        isObject(c) &&
        typeof c.device === 'string' &&
        Array.isArray(c.lines) &&
        c.lines.every((l) => typeof l === 'string'),
    )
  );
}

function isFaultAction(v: unknown): boolean {
  if (!isObject(v) || !isCliChanges(v.cli)) return false;
  if (v.loss === undefined) return true;
  return isObject(v.loss) && typeof v.loss.linkId === 'string' && typeof v.loss.fraction === 'number';
}

function isAppliedFault(v: unknown): v is { fault: Fault; at: number } {
  if (!isObject(v) || typeof v.at !== 'number' || !isObject(v.fault)) return false;
  const f = v.fault;
  return (
    typeof f.id === 'string' &&
    typeof f.kind === 'string' &&
    typeof f.label === 'string' &&
    isFaultAction(f.apply) &&
    isFaultAction(f.undo)
  );
}

/** The session as a URL hash value (base64url of its JSON). */
export function encodeSessionParam(session: SessionState): string {
  const bytes = new TextEncoder().encode(JSON.stringify(session));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Longest session parameter read from a link (positions of a 2,000-device lab fit easily). */
const MAX_SESSION_PARAM = 512 * 1024;

/** The session a URL hash carries, if any and if valid. */
export function sessionFromHash(hash: string): SessionState | undefined {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get(STATE_PARAM);
  if (text === null || text.length > MAX_SESSION_PARAM) return undefined;
  try {
    const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(s, (c) => c.charCodeAt(0));
    return parseSession(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return undefined;
  }
}
