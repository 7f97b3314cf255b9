import { describe, expect, it } from 'vitest';
import { mrouteFault } from './faults';
import {
  type KeyValueStore,
  LAST_KEY,
  SAVE_PREFIX,
  type SessionState,
  encodeSessionParam,
  isConflict,
  labKey,
  parseSavedLab,
  parseSession,
  readLast,
  readSaved,
  removeSaved,
  sessionFromHash,
  writeSaved,
} from './persistence';

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

const fault = mrouteFault('GM-2', 'hostname GM-2\nip mroute 1.1.1.1 255.255.255.255 192.168.100.1\n')!;

const session: SessionState = {
  time: 125_000_000,
  faults: [{ fault, at: 100_000_000 }],
  positions: [['GM-1', 120.5, -40]],
  bottomTab: 'multicast',
  lessonOpen: true,
  lessonStep: 2,
  selected: 'GM-2',
  showRpf: true,
  showTree: false,
  collapsed: ['devices'],
};

describe('saved work keyed by lab (issue 13, item 10)', () => {
  it('keeps one entry per lab and remembers the lab open last', () => {
    const store = memoryStore();
    writeSaved(
      store,
      { key: 'shipped:a.json', label: 'A', scenario: '{"a":1}', session, writer: 't1', edited: true },
      1,
    );
    writeSaved(
      store,
      { key: 'shipped:b.json', label: 'B', scenario: '{"b":1}', session, writer: 't1', edited: false },
      1,
    );
    expect(readSaved(store, 'shipped:a.json')?.scenario).toBe('{"a":1}');
    expect(readLast(store)?.key).toBe('shipped:b.json');
    expect(store.map.get(LAST_KEY)).toBe('shipped:b.json');
    removeSaved(store, 'shipped:b.json');
    expect(readLast(store)).toBeUndefined();
    expect(readSaved(store, 'shipped:a.json')?.session).toEqual(session);
  });

  it('keys a shared lab by its link text, so the same link finds its edits', () => {
    expect(labKey('shared:link', 'abc')).toBe(labKey('shared:link', 'abc'));
    expect(labKey('shared:link', 'abc')).not.toBe(labKey('shared:link', 'abd'));
    expect(labKey('shipped:x.json')).toBe('shipped:x.json');
  });

  it('sees another tab’s newer save of other configs as a conflict, and its own or an older one as none', () => {
    const store = memoryStore();
    const entry = { key: 'k', label: 'L', scenario: '{"b":2}', session, writer: 'tab-B', edited: true };
    const saved = writeSaved(store, entry, 4);
    expect(isConflict(saved, 'tab-A', 3, '{"b":1}')).toBe(true);
    // The other tab saved the configs we started from (it only moved the clock or a panel): nothing is lost.
    expect(isConflict(saved, 'tab-A', 3, '{"b":2}')).toBe(false);
    expect(isConflict(saved, 'tab-A', 4, '{"b":1}')).toBe(false);
    expect(isConflict(saved, 'tab-B', 0, '{"b":1}')).toBe(false);
    expect(isConflict(undefined, 'tab-A', 0, '{"b":1}')).toBe(false);
  });

  it('a save without configs stands for a shipped or generated lab as its source makes it, and for nothing else', () => {
    const store = memoryStore();
    for (const key of [
      'shipped:a.json',
      'generated:5000',
      'generated:1000:4',
      'file:x.json',
      'shared:0badc0de',
    ]) {
      writeSaved(store, { key, label: key, scenario: '', session, writer: 't1', edited: false }, 1);
    }
    expect(readSaved(store, 'shipped:a.json')?.scenario).toBe('');
    expect(readSaved(store, 'generated:5000')?.scenario).toBe('');
    expect(readSaved(store, 'generated:1000:4')?.scenario).toBe('');
    // A file or a link cannot be opened again from its key: a record without its configs is no record.
    expect(readSaved(store, 'file:x.json')).toBeUndefined();
    expect(readSaved(store, 'shared:0badc0de')).toBeUndefined();
    // Another tab's save of the source's configs loses nothing when overwritten: no conflict.
    const theirs = readSaved(store, 'shipped:a.json')!;
    expect(isConflict({ ...theirs, writer: 'tab-B', rev: 9 }, 'tab-A', 3, '{"b":1}')).toBe(false);
  });

  it('ignores damaged or crafted records instead of failing', () => {
    expect(parseSavedLab('not json')).toBeUndefined();
    expect(parseSavedLab('{"format":"getlab-saved/1","key":"k"}')).toBeUndefined();
    const store = memoryStore();
    store.setItem(`${SAVE_PREFIX}k`, '{"__proto__":{"polluted":true}}');
    expect(readSaved(store, 'k')).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const broken: KeyValueStore = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => undefined,
      removeItem: () => undefined,
    };
    expect(readLast(broken)).toBeUndefined();
  });
});

describe('the session a link carries (issue 15, "Share and save")', () => {
  it('round-trips time, faults, positions, panels and the lesson step through the URL hash', () => {
    const hash = `#lab=xyz&${'state'}=${encodeSessionParam(session)}&lesson=3`;
    expect(sessionFromHash(hash)).toEqual(session);
  });

  it('drops what does not check out and refuses a session without a valid time', () => {
    expect(parseSession({ time: -1 })).toBeUndefined();
    expect(parseSession({ time: Number.POSITIVE_INFINITY })).toBeUndefined();
    const s = parseSession({
      time: 5,
      positions: [['A', 1, 2], ['B', 'x', 2], 'junk'],
      faults: [
        { at: 1, fault: { id: 'x' } },
        { at: 2, fault },
      ],
      lessonStep: -4,
      bottomTab: 7,
    });
    expect(s).toEqual({
      time: 5,
      positions: [['A', 1, 2]],
      faults: [{ at: 2, fault }],
      bottomTab: 'inspector',
      lessonOpen: false,
      lessonStep: 0,
      showRpf: false,
      showTree: false,
    });
    expect(sessionFromHash('#state=%%%')).toBeUndefined();
    expect(sessionFromHash('#lab=1')).toBeUndefined();
  });
});
