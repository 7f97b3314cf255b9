// The reference lab's lesson on the hub's DR priority (issue 17, "More than one story": a break a student meets in
// practice), graded headless: every check passes when the steps run as written, and the key check fails while
// the break is left in place.
// The article: on the mGRE tunnel "it is important that the Central router is elected as the DR". RFC 7761
// §4.3.2: with every router advertising a DR Priority the highest wins, a tie goes to the highest address. Cisco
// technote 119383: `ip igmp join-group` makes PIM join "only if the router with this command is the PIM
// Designated Router (DR) on that interface".
import { describe, expect, it } from 'vitest';
import type { LessonStepData } from '../sim/scenario/lesson-schema';
import { type GradedLesson, gradeShippedLesson } from './grade.test-support';

const FILE = 'public/scenarios/getvpn-multicast-rekey.json';
const BREAK = "Without the hub's DR priority";
const FIX = 'Putting the DR priority back';

function grade(edit?: (steps: LessonStepData[]) => void): Promise<GradedLesson> {
  return gradeShippedLesson(FILE, edit);
}

describe("The hub's DR priority, graded", () => {
  it('passes every check when the steps run as written: without the priority the spokes get no rekey', async () => {
    const graded = await grade();
    expect(graded.failed).toEqual([]);
    expect(graded.report.passed).toBe(28);
    // Central hears every spoke and elects the highest address; GM-2 hears only the hub and elects itself.
    expect(graded.check(BREAK, 'Central elects GM-2 (192.168.100.3) DR on Tunnel10').detail).toBe(
      "Central's PIM DR on Tunnel10 is 192.168.100.3.",
    );
    expect(graded.check(BREAK, 'GM-2 elects itself DR on its Tunnel10').detail).toBe(
      "GM-2's PIM DR on Tunnel10 is 192.168.100.3 (itself).",
    );
    expect(graded.check(BREAK, 'Central received the rekey').pass).toBe(true);
    expect(graded.check(BREAK, 'GM-2 received no rekey').detail).toMatch(
      /^Does not hold: No rekey received on GM-2/,
    );
    expect(graded.check(FIX, 'GM-2 received the rekey').detail).toMatch(/^GM-2: rekey received at /);
  }, 60_000);

  it("fails the key check while the hub's DR priority stays removed", async () => {
    const graded = await grade((steps) => {
      const i = steps.findIndex((s) => s.title === FIX);
      // The student runs to the next rekey without putting the line back.
      steps[i] = { ...steps[i]!, actions: steps[i]!.actions.filter((b) => b.action.kind !== 'fault') };
    });
    expect(graded.report.pass).toBe(false);
    const key = graded.check(FIX, 'GM-2 received the rekey');
    expect(key.pass).toBe(false);
    expect(key.detail).toMatch(/^No rekey received on GM-2 since /);
    expect(graded.check(FIX, 'GM-1 received the rekey').pass).toBe(false);
    expect(graded.check(FIX, 'GM-2 sees Central as the DR again (priority 100)').pass).toBe(false);
    expect(graded.check(FIX, 'Central elects itself DR on Tunnel10 again')).toMatchObject({
      pass: false,
      detail: "Central's PIM DR on Tunnel10 is 192.168.100.3, expected 192.168.100.1.",
    });
  }, 60_000);
});
