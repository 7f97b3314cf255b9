// The reference lab's lesson on the hub's DR priority (issue 17, "More than one story": a break a student meets in
// practice), graded headless: every check passes when the steps run as written, and the key check fails while
// the break is left in place.
// The article: on the mGRE tunnel "it is important that the Central router is elected as the DR". RFC 7761
// §4.3.2: with every router advertising a DR Priority the highest wins, a tie goes to the highest address. Cisco
// technote 119383: `ip igmp join-group` makes PIM join "only if the router with this command is the PIM
// Designated Router (DR) on that interface".
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadLab } from '../sim/scenario/lab';
import type { Lesson, LessonStepData } from '../sim/scenario/lesson-schema';
import { type CheckReport, type GradeReport, gradeLessons } from './check';

const FILE = 'public/scenarios/getvpn-multicast-rekey.json';
const BREAK = "Without the hub's DR priority";
const FIX = 'Putting the DR priority back';

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

describe("The hub's DR priority, graded", () => {
  it('passes every check when the steps run as written: without the priority the spokes get no rekey', async () => {
    const report = await grade();
    const failed = report.lessons[0]!.steps.flatMap((s) => s.checks.filter((c) => !c.pass));
    expect(failed).toEqual([]);
    expect(report.passed).toBe(28);
    // Central hears every spoke and elects the highest address; GM-2 hears only the hub and elects itself.
    expect(checkOf(report, BREAK, 'Central elects GM-2 (192.168.100.3) DR on Tunnel10').detail).toBe(
      "Central's PIM DR on Tunnel10 is 192.168.100.3.",
    );
    expect(checkOf(report, BREAK, 'GM-2 elects itself DR on its Tunnel10').detail).toBe(
      "GM-2's PIM DR on Tunnel10 is 192.168.100.3 (itself).",
    );
    expect(checkOf(report, BREAK, 'Central received the rekey').pass).toBe(true);
    expect(checkOf(report, BREAK, 'GM-2 received no rekey').detail).toMatch(
      /^Does not hold: No rekey received on GM-2/,
    );
    expect(checkOf(report, FIX, 'GM-2 received the rekey').detail).toMatch(/^GM-2: rekey received at /);
  }, 60_000);

  it("fails the key check while the hub's DR priority stays removed", async () => {
    const report = await grade((steps) => {
      const i = steps.findIndex((s) => s.title === FIX);
      // The student runs to the next rekey without putting the line back.
      steps[i] = { ...steps[i]!, actions: steps[i]!.actions.filter((b) => b.action.kind !== 'fault') };
    });
    expect(report.pass).toBe(false);
    const key = checkOf(report, FIX, 'GM-2 received the rekey');
    expect(key.pass).toBe(false);
    expect(key.detail).toMatch(/^No rekey received on GM-2 since /);
    expect(checkOf(report, FIX, 'GM-1 received the rekey').pass).toBe(false);
    expect(checkOf(report, FIX, 'GM-2 sees Central as the DR again (priority 100)').pass).toBe(false);
    expect(checkOf(report, FIX, 'Central elects itself DR on Tunnel10 again')).toMatchObject({
      pass: false,
      detail: "Central's PIM DR on Tunnel10 is 192.168.100.3, expected 192.168.100.1.",
    });
  }, 60_000);
});
