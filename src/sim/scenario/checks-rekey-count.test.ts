// The `rekey-count` lesson check (issue 17): how many GROUPKEY-PUSH messages a key server sent since the step
// began, first transmissions or retransmissions, multicast or unicast. Cisco GET VPN Configuration Guide: a
// multicast rekey is one message to the rekey group, never acknowledged, retransmitted as `rekey retransmit`
// says; a unicast rekey is one message per member, retransmitted only to members that have not acknowledged it.
import { beforeAll, describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { evaluateCheck } from './checks';
import { configure, lessonsWith, runShippedLab, scenarioSchema } from './checks.test-support';
import type { Lab } from './lab';
import { type LessonCheck, type PathProblem, validateLessons } from './lesson-schema';

const REFERENCE = 'public/scenarios/getvpn-multicast-rekey.json';

const count = (c: Partial<LessonCheck>): LessonCheck =>
  ({ kind: 'rekey-count', device: 'KS', count: 0, ...c }) as LessonCheck;

// The reference lab's KS rekeys every 300 s (`rekey lifetime seconds 300`), first at about 302 s, and
// retransmits 60 s and 120 s later (`rekey retransmit 60 number 2`).
describe('rekey-count on the reference lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await runShippedLab(REFERENCE, 430);
  }, 60_000);

  it('multicast: one message to 239.10.10.1, then two blind retransmissions', async () => {
    expect(await evaluateCheck(lab, count({ count: 1, retransmission: false }), 0)).toEqual({
      pass: true,
      detail: 'KS sent 1 first-sent rekey message since 0 s (to 239.10.10.1).',
    });
    expect(
      await evaluateCheck(lab, count({ count: 2, transport: 'multicast', retransmission: true }), 0),
    ).toEqual({
      pass: true,
      detail: 'KS sent 2 retransmitted multicast rekey messages since 0 s (to 239.10.10.1).',
    });
    expect(await evaluateCheck(lab, count({ count: 3, transport: 'unicast' }), 0)).toEqual({
      pass: false,
      detail: 'KS sent 0 unicast rekey messages since 0 s, expected 3.',
    });
    // Only what was sent since the step began counts.
    expect((await evaluateCheck(lab, count({ count: 0 }), seconds(423))).pass).toBe(true);
  });

  it('unicast: one message per member, each acknowledged, none retransmitted', async () => {
    await configure(lab, 'KS', ['crypto gdoi group GDOI_GROUP', 'server local', 'rekey transport unicast']);
    const since = lab.kernel.now;
    await lab.kernel.runUntil(seconds(730));
    expect(
      await evaluateCheck(lab, count({ count: 3, transport: 'unicast', retransmission: false }), since),
    ).toEqual({
      pass: true,
      detail:
        'KS sent 3 first-sent unicast rekey messages since 430 s (to 2.2.2.2, 11.11.11.11, 12.12.12.12).',
    });
    expect((await evaluateCheck(lab, count({ count: 0, retransmission: true }), since)).pass).toBe(true);
    expect(await evaluateCheck(lab, count({ count: 1, destination: '12.12.12.12' }), since)).toEqual({
      pass: true,
      detail: 'KS sent 1 rekey message to 12.12.12.12 since 430 s (to 12.12.12.12).',
    });
  });

  it('fails in words on a device that is no key server, a bad address or an unknown device', async () => {
    expect(await evaluateCheck(lab, count({ device: 'GM-1' }), 0)).toEqual({
      pass: false,
      detail: 'GM-1 is not a GDOI key server.',
    });
    expect((await evaluateCheck(lab, count({ destination: '12.12' }), 0)).detail).toBe(
      '"12.12" is not an IPv4 address.',
    );
    expect((await evaluateCheck(lab, count({ device: 'constructor' }), 0)).detail).toBe(
      'There is no device named "constructor".',
    );
  });
});

describe('rekey-count in a lesson file', () => {
  const ok = {
    kind: 'rekey-count',
    device: 'KS',
    count: 3,
    transport: 'unicast',
    retransmission: false,
    destination: '12.12.12.12',
  };

  it('validates count, transport, retransmission and destination; refuses bad values with their path', () => {
    const problems: PathProblem[] = [];
    expect(validateLessons(lessonsWith(ok), problems)[0]!.steps[0]!.checks).toEqual([ok]);
    expect(problems).toEqual([]);
    validateLessons(lessonsWith({ ...ok, count: -1 }), problems);
    validateLessons(lessonsWith({ ...ok, count: 1.5 }), problems);
    validateLessons(lessonsWith({ ...ok, transport: 'broadcast' }), problems);
    validateLessons(lessonsWith({ ...ok, retransmission: 'yes' }), problems);
    validateLessons(lessonsWith({ kind: 'rekey-count', device: 'KS' }), problems);
    expect(problems.map((p) => p.path)).toEqual([
      '/lessons/0/steps/0/checks/0/count',
      '/lessons/0/steps/0/checks/0/count',
      '/lessons/0/steps/0/checks/0/transport',
      '/lessons/0/steps/0/checks/0/retransmission',
      '/lessons/0/steps/0/checks/0/count',
    ]);
  });

  it('the JSON Schema accepts the same check and refuses the same bad values', () => {
    const { validate, file } = scenarioSchema();
    expect(validate(file(ok)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(file({ ...ok, count: -1 }))).toBe(false);
    expect(validate(file({ ...ok, count: 1.5 }))).toBe(false);
    expect(validate(file({ ...ok, transport: 'broadcast' }))).toBe(false);
    expect(validate(file({ ...ok, retransmission: 'yes' }))).toBe(false);
    expect(validate(file({ kind: 'rekey-count', device: 'KS' }))).toBe(false);
  });
});
