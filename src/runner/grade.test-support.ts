// The harness the runner's lesson-grading tests share: load a shipped scenario, let the test break one of its
// lesson's steps the way a student would, grade the lesson headless, and look checks up by step and label.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Lab, loadLab } from '../sim/scenario/lab';
import type { Lesson, LessonAction, LessonStepData } from '../sim/scenario/lesson-schema';
import { type CheckReport, type GradeReport, gradeLessons, type StepReport } from './check';

/** A graded lesson: the lab it ran on (its trace), the report, and look-ups into the report. */
export interface GradedLesson {
  readonly lab: Lab;
  readonly report: GradeReport;
  /** Every check of the lesson that failed. */
  readonly failed: readonly CheckReport[];
  /** The report of the step titled `title`; throws when the lesson has no such step. */
  step(title: string): StepReport;
  /** The check labelled `label` in the step titled `step`; throws when there is none. */
  check(step: string, label: string): CheckReport;
}

/**
 * Grades the first lesson of the shipped scenario `file` (e.g. 'public/scenarios/dmvpn-phase2.json'), after
 * `edit` changed copies of its steps. The file must load without problems.
 */
export async function gradeShippedLesson(
  file: string,
  edit: (steps: LessonStepData[]) => void = () => undefined,
): Promise<GradedLesson> {
  const lab = loadLab(readFileSync(file, 'utf8')).lab!;
  expect(lab.problems).toEqual([]);
  const lesson = lab.lessons[0]!;
  const steps = lesson.steps.map((s) => ({ ...s }));
  edit(steps);
  const edited: Lesson = { ...lesson, steps };
  const report = await gradeLessons(lab, [edited]);
  const steps0 = report.lessons[0]!.steps;
  const step = (title: string): StepReport => {
    const s = steps0.find((x) => x.title === title);
    if (!s) throw new Error(`no step "${title}"`);
    return s;
  };
  const check = (title: string, label: string): CheckReport => {
    const c = step(title).checks.find((x) => x.label === label);
    if (!c) throw new Error(`no check "${label}" in step "${title}"`);
    return c;
  };
  const failed = steps0.flatMap((s) => s.checks.filter((c) => !c.pass));
  return { lab, report, failed, step, check };
}

/** Takes every console line matching `line` out of the buttons of the step titled `title`. */
export function withoutLines(steps: LessonStepData[], title: string, line: RegExp): void {
  const i = steps.findIndex((s) => s.title === title);
  expect(i).toBeGreaterThanOrEqual(0);
  const strip = (a: LessonAction): LessonAction =>
    a.kind === 'cli'
      ? { ...a, lines: a.lines.filter((l) => !line.test(l)) }
      : a.kind === 'all'
        ? { ...a, actions: a.actions.map(strip) }
        : a;
  steps[i] = { ...steps[i]!, actions: steps[i]!.actions.map((b) => ({ ...b, action: strip(b.action) })) };
}
