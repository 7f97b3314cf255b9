// The `pim-dr` lesson check: the designated router a device elected on an interface, on typed PIM state.
// RFC 7761 §4.3.2: when every router on the link advertises a DR Priority the highest wins, a tie goes to the
// highest address. The article: "it is important that the Central router is elected as the DR" on Tunnel10
// (`ip pim dr-priority 100`).
import { beforeAll, describe, expect, it } from 'vitest';
import { seconds } from '../kernel/time';
import { evaluateCheck } from './checks';
import { configure, lessonsWith, runShippedLab, scenarioSchema } from './checks.test-support';
import type { Lab } from './lab';
import { type LessonCheck, type PathProblem, validateLessons } from './lesson-schema';

const REFERENCE = 'public/scenarios/getvpn-multicast-rekey.json';

const dr = (device: string, address: string, iface = 'Tunnel10'): LessonCheck => ({
  kind: 'pim-dr',
  device,
  interface: iface,
  address,
});

describe('pim-dr on the reference lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await runShippedLab(REFERENCE, 60);
  }, 60_000);

  it('with dr-priority 100 every router on Tunnel10 elects Central (192.168.100.1)', async () => {
    expect(await evaluateCheck(lab, dr('GM-2', '192.168.100.1'), 0)).toEqual({
      pass: true,
      detail: "GM-2's PIM DR on Tunnel10 is 192.168.100.1.",
    });
    expect(await evaluateCheck(lab, dr('Central', '192.168.100.1'), 0)).toEqual({
      pass: true,
      detail: "Central's PIM DR on Tunnel10 is 192.168.100.1 (itself).",
    });
    expect(await evaluateCheck(lab, dr('GM-1', '192.168.100.2'), 0)).toEqual({
      pass: false,
      detail: "GM-1's PIM DR on Tunnel10 is 192.168.100.1, expected 192.168.100.2.",
    });
  });

  it('without it, the highest address wins: Central elects GM-2, each spoke itself', async () => {
    await configure(lab, 'Central', ['interface Tunnel10', 'no ip pim dr-priority 100']);
    await lab.kernel.runUntil(lab.kernel.now + seconds(10));
    expect(await evaluateCheck(lab, dr('Central', '192.168.100.3'), 0)).toMatchObject({ pass: true });
    expect(await evaluateCheck(lab, dr('GM-1', '192.168.100.2'), 0)).toEqual({
      pass: true,
      detail: "GM-1's PIM DR on Tunnel10 is 192.168.100.2 (itself).",
    });
  });

  it('fails in plain language for an interface without PIM, a bad address and an unknown device', async () => {
    expect(await evaluateCheck(lab, dr('GM-2', '192.168.100.1', 'Serial1/0'), 0)).toEqual({
      pass: false,
      detail: 'GM-2 runs no PIM on Serial1/0.',
    });
    expect((await evaluateCheck(lab, dr('GM-2', '192.168.100'), 0)).detail).toBe(
      '"192.168.100" is not an IPv4 address.',
    );
    expect((await evaluateCheck(lab, dr('constructor', '192.168.100.1'), 0)).detail).toBe(
      'There is no device named "constructor".',
    );
  });
});

describe('pim-dr in a lesson file', () => {
  const ok = { kind: 'pim-dr', device: 'GM-2', interface: 'Tunnel10', address: '192.168.100.1' };

  it('keeps a whole check and refuses one without an interface, with its path; the JSON Schema agrees', () => {
    const problems: PathProblem[] = [];
    expect(validateLessons(lessonsWith(ok), problems)[0]!.steps[0]!.checks).toEqual([ok]);
    expect(problems).toEqual([]);
    validateLessons(lessonsWith({ kind: 'pim-dr', device: 'GM-2', address: '192.168.100.1' }), problems);
    expect(problems.map((p) => p.path)).toEqual(['/lessons/0/steps/0/checks/0/interface']);
    const { validate, file } = scenarioSchema();
    expect(validate(file(ok)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(file({ kind: 'pim-dr', device: 'GM-2', address: '192.168.100.1' }))).toBe(false);
  });
});
