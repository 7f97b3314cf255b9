// The walk through a scenario's lessons and what student mode hides, on the reference lab's own lesson data.
import { describe, expect, it } from 'vitest';
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';
import type { Lesson, LessonButton } from '../worker/protocol';
import { givesAnswer, shownButton, walkSteps } from './lesson-steps';

const lessons = (JSON.parse(REFERENCE) as { lessons: Lesson[] }).lessons;

describe('lesson steps', () => {
  it('walks every lesson’s steps in order, as --check grades them', () => {
    const walk = walkSteps([...lessons, { id: 'b', title: 'Second', steps: lessons[0]!.steps.slice(0, 2) }]);
    const total = lessons.reduce((n, l) => n + l.steps.length, 0) + 2;
    expect(walk).toHaveLength(total);
    expect(walk[0]).toMatchObject({ index: 0, lesson: { id: 'article' } });
    expect(walk[total - 1]).toMatchObject({ index: 1, lesson: { id: 'b' } });
  });

  it('student mode hides the buttons that fix or configure, and keeps those that run, show or break', () => {
    const run: LessonButton = { label: 'Run', action: { kind: 'next-rekey', ks: 'X' } };
    const show: LessonButton = {
      label: 'Show',
      action: { kind: 'cli', device: 'X', lines: ['show ip pim neighbor'] },
    };
    const configure: LessonButton = {
      label: 'Add it',
      action: { kind: 'cli', device: 'X', lines: ['conf t', 'ip pim autorp listener', 'end'] },
    };
    const undo: LessonButton = {
      label: 'Put back',
      action: { kind: 'fault', fault: 'mroute', device: 'X', on: false },
    };
    const breaks: LessonButton = {
      label: 'Break',
      action: { kind: 'all', actions: [{ kind: 'fault', fault: 'mroute', device: 'X', on: true }] },
      breaks: { fault: 'mroute:X', undo },
    };
    const configBreak: LessonButton = {
      label: 'Break by config',
      action: { kind: 'cli', device: 'X', lines: ['configure terminal', 'no ip mroute 1 2 3', 'end'] },
      breaks: { fault: 'x', undo },
    };
    expect([run, show, configure, undo, breaks, configBreak].map(givesAnswer)).toEqual([
      false,
      false,
      true,
      true,
      false,
      false,
    ]);
    // While its fault is in, a breaking button shows its undo, which student mode hides.
    expect(shownButton(breaks, (id) => id === 'mroute:X')).toBe(undo);
    expect(shownButton(breaks, () => false)).toBe(breaks);
    // The article's lessons: "Put it back" and "Put nbma-mode back" give the answer away; the runs stay.
    const all = walkSteps(lessons).flatMap((w) =>
      w.step.actions.flatMap((b) => [b, ...(b.breaks ? [b.breaks.undo] : [])]),
    );
    const hidden = new Set(all.filter(givesAnswer).map((b) => b.label));
    expect([...hidden]).toEqual(expect.arrayContaining(['Put it back', 'Put nbma-mode back']));
    expect(hidden.has('Run to the next rekey')).toBe(false);
    expect(hidden.has('Remove ip mroute on GM-2')).toBe(false);
  });
});
