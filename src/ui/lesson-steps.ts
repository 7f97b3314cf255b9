// The scenario's lessons (format 2, read from the worker) as the panel walks them: every lesson's steps in one
// sequence, as `npm run sim -- --check` grades them (src/runner/check.ts), and which buttons student mode hides.
// Pure: no lab, no device or address of any lab is known here.
import type { Lesson, LessonAction, LessonButton, LessonStepData } from '../worker/protocol';

/** One step of one lesson, at its place in the walk. */
export interface WalkStep {
  readonly lesson: Lesson;
  /** 0-based, within its lesson. */
  readonly index: number;
  readonly step: LessonStepData;
}

/** Every lesson's steps in order: the panel's step number is an index into this (share links carry it). */
export function walkSteps(lessons: readonly Lesson[]): WalkStep[] {
  return lessons.flatMap((lesson) => lesson.steps.map((step, index) => ({ lesson, index, step })));
}

/** A console line that enters configuration mode (`configure terminal`, `conf t`): it changes the lab. */
const CONFIGURE = /^\s*conf(i(g(u(re?)?)?)?)?(\s|$)/i;

/** Whether an action changes the lab back towards its scenario or configures it: undoing a fault, config lines. */
function fixes(action: LessonAction): boolean {
  switch (action.kind) {
    case 'fault':
      return !action.on;
    case 'cli':
      return action.lines.some((l) => CONFIGURE.test(l));
    case 'all':
      return action.actions.some(fixes);
    default:
      return false;
  }
}

/**
 * A button that gives the answer away: it undoes a fault or types configuration, and is not declared as what breaks
 * the lab for the exercise (`breaks`). Student mode hides it: the student makes that change at the console or in
 * the config editor, then has the step's checks scored. Buttons that only run the lab, show state or break it stay.
 */
export function givesAnswer(button: LessonButton): boolean {
  return button.breaks === undefined && fixes(button.action);
}

/** The button shown in a button's place: a button that broke something shows its undo while the fault is in. */
export function shownButton(button: LessonButton, applied: (faultId: string) => boolean): LessonButton {
  return button.breaks && applied(button.breaks.fault) ? button.breaks.undo : button;
}
