// `npm run sim -- <scenario> --check [--json]` (docs/DESIGN.md §11): every lesson's steps in order, each step's
// buttons then its checks, in simulated time; the grade of a student's submission without a browser.
import type { TraceRecord } from '../sim/kernel/trace';
import { type CheckContext, evaluateCheck } from '../sim/scenario/checks';
import type { Lab } from '../sim/scenario/lab';
import { LessonDriver } from '../sim/scenario/lesson-actions';
import type { Lesson, LessonCheck } from '../sim/scenario/lesson-schema';
import { EventClassifier } from '../worker/classify';

export interface CheckReport {
  readonly kind: LessonCheck['kind'];
  readonly label: string;
  readonly pass: boolean;
  readonly detail: string;
}

export interface StepReport {
  readonly title: string;
  /** Simulated seconds when the step began (its `event-since-step` checks count from here) and ended. */
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly checks: readonly CheckReport[];
}

export interface LessonReport {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly StepReport[];
}

/** The `--json` document. */
export interface GradeReport {
  readonly scenario: string;
  readonly pass: boolean;
  readonly passed: number;
  readonly failed: number;
  readonly lessons: readonly LessonReport[];
}

/** The worker's classification of trace records (src/worker/classify.ts), which `event-since-step` reads. */
export function classifierContext(lab: Lab): CheckContext {
  const classifier = new EventClassifier(
    (id) => lab.kernel.trace.frame(id)?.bytes,
    (device, address) => lab.router(device)?.ownsAddress(address) ?? false,
  );
  return { eventKind: (r: TraceRecord) => classifier.classify(r).kind };
}

/** Runs every lesson of the lab, in order, and grades each check. */
export async function gradeLessons(lab: Lab, lessons: readonly Lesson[]): Promise<GradeReport> {
  const driver = new LessonDriver(lab);
  const context = classifierContext(lab);
  const reports: LessonReport[] = [];
  for (const lesson of lessons) {
    const steps: StepReport[] = [];
    for (const step of lesson.steps) {
      const start = lab.kernel.now;
      for (const button of step.actions) await driver.perform(button.action);
      const checks: CheckReport[] = [];
      for (const check of step.checks) {
        const r = await evaluateCheck(lab, check, start, context);
        checks.push({ kind: check.kind, label: check.label ?? check.kind, ...r });
      }
      steps.push({ title: step.title, startSeconds: secs(start), endSeconds: secs(lab.kernel.now), checks });
      if (step.leave) await driver.perform(step.leave);
    }
    reports.push({ id: lesson.id, title: lesson.title, steps });
  }
  const all = reports.flatMap((l) => l.steps.flatMap((s) => s.checks));
  const passed = all.filter((c) => c.pass).length;
  return {
    scenario: lab.title,
    pass: all.length > 0 && passed === all.length,
    passed,
    failed: all.length - passed,
    lessons: reports,
  };
}

/** The report as text: one line per check, PASS or FAIL with what was seen. */
export function formatGrade(report: GradeReport): string[] {
  const lines: string[] = [];
  for (const lesson of report.lessons) {
    lines.push(`Lesson ${lesson.id}: ${lesson.title}`);
    lesson.steps.forEach((step, i) => {
      lines.push(`  Step ${i + 1}: ${step.title} (${step.startSeconds} s to ${step.endSeconds} s)`);
      for (const c of step.checks) lines.push(`    ${c.pass ? 'PASS' : 'FAIL'}  ${c.label}: ${c.detail}`);
    });
  }
  const total = report.passed + report.failed;
  lines.push(
    total === 0
      ? 'No checks: the scenario has no lessons with checks.'
      : `${total} checks: ${report.passed} passed, ${report.failed} failed.`,
  );
  return lines;
}

function secs(t: number): number {
  return Math.round(t / 1000) / 1000;
}
