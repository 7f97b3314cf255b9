// The Auto-RP scenario (issue 17, "More than one story") graded headless: every check of its lesson passes
// when the steps are run as written, and the key checks fail when a step's fix is left out.
// Cisco behaviour the lesson teaches: `ip pim autorp listener` floods 224.0.1.39/40 in dense mode across
// sparse-mode interfaces (IP Multicast Command Reference); `no ip pim dm-fallback` keeps groups sparse after RP
// information loss (Cisco feature guide, IOS 12.3(4)T); an Auto-RP mapping beats `ip pim rp-address` unless
// the line has `override` (Cisco technote 118405).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../sim/scenario/lab';
import type { Lesson, LessonAction, LessonStepData } from '../sim/scenario/lesson-schema';
import { type CheckReport, type GradeReport, gradeLessons } from './check';

const FILE = 'public/scenarios/autorp-sparse-mode.json';

async function grade(edit: (steps: LessonStepData[]) => void = () => undefined): Promise<GradeReport> {
  const lab = loadLab(readFileSync(FILE, 'utf8')).lab!;
  const lesson = lab.lessons[0]!;
  const steps = lesson.steps.map((s) => ({ ...s }));
  edit(steps);
  const edited: Lesson = { ...lesson, steps };
  return gradeLessons(lab, [edited]);
}

function checkOf(report: GradeReport, step: string, label: string): CheckReport {
  const s = report.lessons[0]!.steps.find((x) => x.title === step)!;
  return s.checks.find((c) => c.label === label)!;
}

/** The step's buttons with every configuration line matching `line` taken out. */
function without(steps: LessonStepData[], title: string, line: RegExp): void {
  const i = steps.findIndex((s) => s.title === title);
  const strip = (a: LessonAction): LessonAction =>
    a.kind === 'cli'
      ? { ...a, lines: a.lines.filter((l) => !line.test(l)) }
      : a.kind === 'all'
        ? { ...a, actions: a.actions.map(strip) }
        : a;
  steps[i] = { ...steps[i]!, actions: steps[i]!.actions.map((b) => ({ ...b, action: strip(b.action) })) };
}

const LEARNT = 'Edge learnt RP 1.1.1.1 for 239.1.1.1 through Auto-RP';

describe('Auto-RP in sparse mode, graded', () => {
  it('passes every check of the lesson when its steps run as written', async () => {
    const report = await grade();
    const failed = report.lessons[0]!.steps.flatMap((s) => s.checks.filter((c) => !c.pass));
    expect(failed).toEqual([]);
    expect(report.pass).toBe(true);
    expect(report.passed).toBe(25);
    expect(checkOf(report, 'ip pim autorp listener', LEARNT).detail).toBe(
      'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).',
    );
    expect(
      checkOf(
        report,
        'Turn dense-mode fallback off on Transit',
        "Edge's (*, 239.1.1.1) fell back to dense mode",
      ),
    ).toMatchObject({ pass: true, detail: 'Edge has (*, 239.1.1.1), RP 0.0.0.0, flags: DCL (dense).' });
  }, 60_000);

  it('without ip pim autorp listener on Transit, Edge never learns the RP again', async () => {
    const report = await grade((steps) => without(steps, 'ip pim autorp listener', /autorp listener/));
    expect(checkOf(report, 'ip pim autorp listener', LEARNT)).toMatchObject({
      pass: false,
      detail: 'Edge has no RP for 239.1.1.1.',
    });
    expect(report.pass).toBe(false);
  }, 60_000);

  it('with dense-mode fallback left on, Transit keeps flooding the discoveries and Edge keeps its RP', async () => {
    const report = await grade((steps) =>
      without(steps, 'Turn dense-mode fallback off on Transit', /dm-fallback/),
    );
    expect(
      checkOf(report, 'Turn dense-mode fallback off on Transit', 'Edge has no RP for 239.1.1.1 any more'),
    ).toMatchObject({
      pass: false,
      detail: 'Holds: Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).',
    });
  }, 60_000);

  it('a static RP typed only on Edge leaves RP without the (*, 238.1.1.1) join; without override Auto-RP wins', async () => {
    const report = await grade((steps) => {
      without(steps, 'A static RP, everywhere', /rp-address/);
      without(steps, 'override', /override/);
    });
    expect(
      checkOf(report, 'A static RP, everywhere', "RP holds (*, 238.1.1.1): Edge's join arrived"),
    ).toEqual({
      kind: 'mroute',
      label: "RP holds (*, 238.1.1.1): Edge's join arrived",
      pass: false,
      detail: 'RP has no (*, 238.1.1.1) entry.',
    });
    expect(checkOf(report, 'override', 'With override, Edge uses the static RP for 239.1.1.1')).toMatchObject(
      {
        pass: false,
        detail: 'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1), expected it from static.',
      },
    );
  }, 60_000);
});
