// The `rp-mapping` and `mroute` lesson checks (issue 17) on the Auto-RP scenario's lab: the RP a router elects
// for a group (`show ip pim rp mapping`) and the D/S mode of its mroute entries (`show ip mroute`), with the
// plain-language detail a student reads when one fails.
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCheck } from './checks';
import { configure, lessonsWith, runShippedLab, scenarioSchema } from './checks.test-support';
import type { Lab } from './lab';
import { type LessonCheck, type PathProblem, validateLessons } from './lesson-schema';

const AUTORP = 'public/scenarios/autorp-sparse-mode.json';

const check = async (lab: Lab, c: LessonCheck): Promise<{ pass: boolean; detail: string }> =>
  evaluateCheck(lab, c, 0);

// RP (1.1.1.1) is candidate RP for 239.0.0.0/8 and mapping agent; Edge, two hops away, joins 239.1.1.1 and
// 238.1.1.1. The first discovery leaves the mapping agent about 60 s after its first announcement.
describe('rp-mapping and mroute checks on the Auto-RP lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await runShippedLab(AUTORP, 90);
  }, 60_000);

  it('rp-mapping: Edge maps 239.1.1.1 to 1.1.1.1 learnt through Auto-RP from the mapping agent', async () => {
    const c: LessonCheck = { kind: 'rp-mapping', device: 'Edge', group: '239.1.1.1' };
    expect(await check(lab, { ...c, rp: '1.1.1.1', origin: 'auto-rp' })).toEqual({
      pass: true,
      detail: 'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1).',
    });
    expect(await check(lab, { ...c, rp: '2.2.2.2' })).toEqual({
      pass: false,
      detail: 'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1), expected RP 2.2.2.2.',
    });
    expect(await check(lab, { ...c, origin: 'static' })).toEqual({
      pass: false,
      detail: 'Edge maps 239.1.1.1 to RP 1.1.1.1 (Auto-RP from 1.1.1.1), expected it from static.',
    });
  });

  it('rp-mapping: a group outside the candidate RP group-list has no RP; bad input fails in words', async () => {
    expect(await check(lab, { kind: 'rp-mapping', device: 'Edge', group: '238.1.1.1' })).toEqual({
      pass: false,
      detail: 'Edge has no RP for 238.1.1.1.',
    });
    expect((await check(lab, { kind: 'rp-mapping', device: 'Edge', group: '239.1' })).detail).toBe(
      '"239.1" is not an IPv4 address.',
    );
    expect((await check(lab, { kind: 'rp-mapping', device: '__proto__', group: '239.1.1.1' })).detail).toBe(
      'There is no device named "__proto__".',
    );
    // A router without ip multicast-routing (the source host) has no RP and no entries, and says so.
    expect((await check(lab, { kind: 'rp-mapping', device: 'Source', group: '239.1.1.1' })).detail).toBe(
      'Source has no RP for 239.1.1.1.',
    );
    expect((await check(lab, { kind: 'mroute', device: 'Source', group: '239.1.1.1' })).detail).toBe(
      'Source has no (*, 239.1.1.1) entry.',
    );
  });

  it('mroute: the Auto-RP group and the group without an RP are dense (D), the RP-served group sparse (S)', async () => {
    // Cisco, Catalyst 4500 "Software Configuration Guide, Release 15.0(2)SG", Configuring IP Multicast: a group with no RP shows `RP is 0.0.0.0, flags: DC` (dense).
    expect(
      await check(lab, { kind: 'mroute', device: 'Transit', group: '224.0.1.40', mode: 'dense' }),
    ).toEqual({
      pass: true,
      detail: 'Transit has (*, 224.0.1.40), RP 0.0.0.0, flags: DCL (dense).',
    });
    expect(await check(lab, { kind: 'mroute', device: 'Edge', group: '238.1.1.1', mode: 'sparse' })).toEqual({
      pass: false,
      detail: 'Edge has (*, 238.1.1.1), RP 0.0.0.0, flags: DCL (dense), expected sparse.',
    });
    expect(await check(lab, { kind: 'mroute', device: 'Edge', group: '239.1.1.1', mode: 'sparse' })).toEqual({
      pass: true,
      detail: 'Edge has (*, 239.1.1.1), RP 1.1.1.1, flags: SJCL (sparse).',
    });
  });

  it('mroute: an (S,G) entry exists only once the source sent; bad addresses fail in words', async () => {
    const sg: LessonCheck = { kind: 'mroute', device: 'Edge', group: '239.1.1.1', source: '10.0.0.10' };
    expect(await check(lab, sg)).toEqual({
      pass: false,
      detail: 'Edge has no (10.0.0.10, 239.1.1.1) entry.',
    });
    expect((await check(lab, { ...sg, source: 'x' })).detail).toBe('"x" is not an IPv4 address.');
    expect((await check(lab, { ...sg, group: '' })).detail).toBe('"" is not an IPv4 address.');
  });

  it('rp-mapping: a static RP without override loses to Auto-RP; with override it wins (rp.ts chooseRp)', async () => {
    const c: LessonCheck = { kind: 'rp-mapping', device: 'Edge', group: '239.1.1.1', rp: '3.3.3.3' };
    await configure(lab, 'Edge', ['ip pim rp-address 3.3.3.3']);
    expect((await check(lab, c)).pass).toBe(false);
    await configure(lab, 'Edge', ['no ip pim rp-address 3.3.3.3', 'ip pim rp-address 3.3.3.3 override']);
    expect(await check(lab, { ...c, origin: 'static' })).toEqual({
      pass: true,
      detail: 'Edge maps 239.1.1.1 to RP 3.3.3.3 (static).',
    });
  });
});

describe('rp-mapping and mroute in a lesson file', () => {
  it('validates the optional rp, origin, source and mode, and refuses a bad origin or mode with its path', () => {
    const problems: PathProblem[] = [];
    const ok = { kind: 'rp-mapping', device: 'Edge', group: '239.1.1.1', rp: '1.1.1.1', origin: 'auto-rp' };
    expect(validateLessons(lessonsWith(ok), problems)[0]!.steps[0]!.checks).toEqual([ok]);
    const mroute = {
      kind: 'mroute',
      device: 'Edge',
      group: '239.1.1.1',
      source: '10.0.0.10',
      mode: 'sparse',
    };
    expect(validateLessons(lessonsWith(mroute), problems)[0]!.steps[0]!.checks).toEqual([mroute]);
    expect(problems).toEqual([]);
    validateLessons(lessonsWith({ ...ok, origin: 'autorp' }), problems);
    validateLessons(lessonsWith({ ...mroute, mode: 'D' }), problems);
    validateLessons(lessonsWith({ kind: 'mroute', device: 'Edge' }), problems);
    expect(problems.map((p) => p.path)).toEqual([
      '/lessons/0/steps/0/checks/0/origin',
      '/lessons/0/steps/0/checks/0/mode',
      '/lessons/0/steps/0/checks/0/group',
    ]);
  });

  it('the JSON Schema refuses the same bad origin and mode', () => {
    const { validate, file } = scenarioSchema();
    const ok = { kind: 'rp-mapping', device: 'R1', group: '239.1.1.1', origin: 'static' };
    expect(validate(file(ok)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(file({ ...ok, origin: 'autorp' }))).toBe(false);
    expect(validate(file({ kind: 'mroute', device: 'R1', group: '239.1.1.1', mode: 'D' }))).toBe(false);
    expect(validate(file({ kind: 'mroute', device: 'R1' }))).toBe(false);
  });
});
