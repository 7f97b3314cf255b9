// The Auto-RP scenario (issue 17, "More than one story") graded headless: every check of its lesson passes
// when the steps are run as written, and the key checks fail when a step's fix is left out.
// Cisco behaviour the lesson teaches: `ip pim autorp listener` floods 224.0.1.39/40 in dense mode across
// sparse-mode interfaces (IP Multicast Command Reference); `no ip pim dm-fallback` keeps groups sparse after RP
// information loss (Cisco feature guide, IOS 12.3(4)T); an Auto-RP mapping beats `ip pim rp-address` unless
// the line has `override` (Cisco technote 118405).
import { describe, expect, it } from 'vitest';
import type { LessonStepData } from '../sim/scenario/lesson-schema';
import { type GradedLesson, gradeShippedLesson, withoutLines as without } from './grade.test-support';

const FILE = 'public/scenarios/autorp-sparse-mode.json';

function grade(edit?: (steps: LessonStepData[]) => void): Promise<GradedLesson> {
  return gradeShippedLesson(FILE, edit);
}

const LEARNT = 'Edge learnt RP 1.1.1.1 for 239.1.1.1 through Auto-RP';

describe('Auto-RP in sparse mode, graded', () => {
  it('passes every check of the lesson when its steps run as written', async () => {
    const graded = await grade();
    expect(graded.failed).toEqual([]);
    expect(graded.report.pass).toBe(true);
    expect(graded.report.passed).toBe(25);
    expect(graded.check('ip pim autorp listener', LEARNT).detail).toBe(
      'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).',
    );
    expect(
      graded.check(
        'Turn dense-mode fallback off on Transit',
        "Edge's (*, 239.1.1.1) fell back to dense mode",
      ),
    ).toMatchObject({ pass: true, detail: 'Edge has (*, 239.1.1.1), RP 0.0.0.0, flags: DCL (dense).' });
  }, 60_000);

  it('without ip pim autorp listener on Transit, Edge never learns the RP again', async () => {
    const graded = await grade((steps) => without(steps, 'ip pim autorp listener', /autorp listener/));
    expect(graded.check('ip pim autorp listener', LEARNT)).toMatchObject({
      pass: false,
      detail: 'Edge has no RP for 239.1.1.1.',
    });
    expect(graded.report.pass).toBe(false);
  }, 60_000);

  it('with dense-mode fallback left on, Transit keeps flooding the discoveries and Edge keeps its RP', async () => {
    const graded = await grade((steps) =>
      without(steps, 'Turn dense-mode fallback off on Transit', /dm-fallback/),
    );
    expect(
      graded.check('Turn dense-mode fallback off on Transit', 'Edge has no RP for 239.1.1.1 any more'),
    ).toMatchObject({
      pass: false,
      detail: 'Holds: Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).',
    });
  }, 60_000);

  it('a static RP typed only on Edge leaves RP without the (*, 238.1.1.1) join; without override Auto-RP wins', async () => {
    const graded = await grade((steps) => {
      without(steps, 'A static RP, everywhere', /rp-address/);
      without(steps, 'override', /override/);
    });
    expect(graded.check('A static RP, everywhere', "RP holds (*, 238.1.1.1): Edge's join arrived")).toEqual({
      kind: 'mroute',
      label: "RP holds (*, 238.1.1.1): Edge's join arrived",
      pass: false,
      detail: 'RP has no (*, 238.1.1.1) entry.',
    });
    expect(graded.check('override', 'With override, Edge uses the static RP for 239.1.1.1')).toMatchObject({
      pass: false,
      detail: 'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1), expected it from static.',
    });
  }, 60_000);
});
