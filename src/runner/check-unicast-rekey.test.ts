// The unicast-rekey scenario (issue 17, "More than one story") graded headless: every check of its lesson passes
// when the steps run as written, and the key checks fail when the lesson's point is undone.
// Cisco behaviour the lesson teaches (GET VPN Configuration Guide, "Unicast Rekeying" / "Multicast Rekeying"):
// `rekey transport unicast` makes the KS send one rekey per member, each acknowledged, retransmitted only to
// members that did not acknowledge, and a member that misses three rekeys in a row is removed; a multicast rekey
// is one message to the group, never acknowledged, so it needs the multicast path (PIM over the DMVPN and the
// spokes' `ip mroute` for the RPF check, RFC 7761 §4.2) to every member.
import { describe, expect, it } from 'vitest';
import type { LessonStepData } from '../sim/scenario/lesson-schema';
import { type GradedLesson, gradeShippedLesson, withoutLines as without } from './grade.test-support';

const FILE = 'public/scenarios/getvpn-unicast-rekey.json';

function grade(edit?: (steps: LessonStepData[]) => void): Promise<GradedLesson> {
  return gradeShippedLesson(FILE, edit);
}

const SWITCH = 'Switch to unicast rekey';
const NO_MULTICAST = 'A core with no multicast at all';
const PER_MEMBER = 'The KS sent one unicast rekey per member';
const GM2_WITHOUT_MROUTE = 'GM-2 received its rekey without the mroute';
const SILENT = 'A member that stops answering';
const REMOVED = 'The KS removed 12.12.12.12 from the group';

describe('GET VPN unicast rekey against multicast rekey, graded', () => {
  it('passes every check of the lesson when its steps run as written', async () => {
    const graded = await grade();
    expect(graded.failed).toEqual([]);
    expect(graded.report.pass).toBe(true);
    expect(graded.report.passed).toBe(28);
    expect(
      graded.check(
        'One multicast rekey for the whole group',
        'The KS sent one multicast rekey for the whole group',
      ).detail,
    ).toBe('KS sent 1 first-sent multicast rekey message since 0 s (to 239.10.10.1).');
    expect(graded.check(SWITCH, PER_MEMBER).detail).toMatch(
      /^KS sent 3 first-sent unicast rekey messages since [\d.]+ s \(to 2\.2\.2\.2, 11\.11\.11\.11, 12\.12\.12\.12\)\.$/,
    );
    expect(graded.check(SILENT, 'It retransmitted twice to 12.12.12.12').pass).toBe(true);
    expect(
      graded.check('Rekeys for the members left', 'The KS sent two unicast rekeys: GM-2 gets none').detail,
    ).toMatch(/\(to 2\.2\.2\.2, 11\.11\.11\.11\)\.$/);
  }, 60_000);

  it('left on multicast rekey, the KS sends one message per rekey and GM-2 without its mroute gets none', async () => {
    const graded = await grade((steps) => without(steps, SWITCH, /rekey transport unicast/));
    expect(graded.check(SWITCH, PER_MEMBER)).toMatchObject({
      pass: false,
      detail: expect.stringMatching(
        /^KS sent 0 first-sent unicast rekey messages since [\d.]+ s, expected 3\.$/,
      ),
    });
    expect(graded.check(SWITCH, GM2_WITHOUT_MROUTE).pass).toBe(false);
    // With PIM gone from the hub's tunnel too, no multicast rekey reaches a spoke.
    expect(graded.check(NO_MULTICAST, 'GM-1 received its rekey').pass).toBe(false);
    expect(graded.check(NO_MULTICAST, 'GM-2 received its rekey').pass).toBe(false);
    // In multicast mode nobody acknowledges, so the KS never removes a member (Cisco, "Unicast Rekeying").
    expect(graded.check('Three missed rekeys: out of the group', REMOVED).pass).toBe(false);
    expect(graded.report.pass).toBe(false);
  }, 60_000);

  it('while GM-2 stays reachable, it acknowledges: no retransmission, and it stays in the group', async () => {
    const graded = await grade((steps) => without(steps, SILENT, /no ip route 12\.12\.12\.12/));
    expect(graded.check(SILENT, 'It retransmitted twice to 12.12.12.12')).toMatchObject({
      pass: false,
      detail: expect.stringMatching(
        /^KS sent 0 retransmitted rekey messages to 12\.12\.12\.12 since [\d.]+ s, expected 2\.$/,
      ),
    });
    expect(graded.check('Three missed rekeys: out of the group', REMOVED).pass).toBe(false);
  }, 60_000);
});
