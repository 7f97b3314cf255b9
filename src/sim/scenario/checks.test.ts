import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventClassifier } from '../../worker/classify';
import { CliSession } from '../cli/cli-session';
import { seconds } from '../kernel/time';
import type { TraceRecord } from '../kernel/trace';
import { type CheckContext, evaluateCheck } from './checks';
import { type Lab, loadLab } from './lab';
import type { LessonCheck } from './lesson-schema';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

function classifierContext(lab: Lab): CheckContext {
  const c = new EventClassifier(
    (id) => lab.kernel.trace.frame(id)?.bytes,
    (device, address) => lab.router(device)?.ownsAddress(address) ?? false,
  );
  return { eventKind: (r: TraceRecord) => c.classify(r).kind };
}

async function configure(lab: Lab, device: string, lines: string[]): Promise<void> {
  const s = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  for (const l of ['enable', 'configure terminal', ...lines, 'end']) await s.execute(l);
}

const rpfGm2: LessonCheck = {
  kind: 'rpf',
  label: 'GM-2 reaches the KS through Tunnel10',
  device: 'GM-2',
  source: '1.1.1.1',
  interface: 'Tunnel10',
  neighbor: '192.168.100.1',
};

// The reference lab (the article's) run past its first rekey: rekey lifetime 300 s on the KS.
describe('evaluateCheck on the reference lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = loadLab(reference).lab!;
    await lab.kernel.runUntil(seconds(400));
  }, 60_000);

  it('rpf: passes through the static mroute (the article: ip mroute 1.1.1.1 255.255.255.255 192.168.100.1)', async () => {
    const r = await evaluateCheck(lab, rpfGm2, 0);
    expect(r.pass).toBe(true);
    expect(r.detail).toContain("GM-2's RPF for 1.1.1.1 is Tunnel10, neighbour 192.168.100.1");
  });

  it('rpf: an unknown device and a bad source fail in plain language', async () => {
    expect(await evaluateCheck(lab, { ...rpfGm2, device: 'constructor' }, 0)).toEqual({
      pass: false,
      detail: 'There is no device named "constructor".',
    });
    expect((await evaluateCheck(lab, { ...rpfGm2, source: '1.1.1' }, 0)).detail).toBe(
      '"1.1.1" is not an IPv4 address.',
    );
  });

  it('gm-current-tek: each member holds the KS TEK; a wrong group fails', async () => {
    for (const device of ['GM-1', 'GM-2']) {
      const r = await evaluateCheck(lab, { kind: 'gm-current-tek', label: '', device }, 0);
      expect(r, device).toMatchObject({ pass: true });
      expect(r.detail).toMatch(/holds GDOI_GM's current TEK 0x[0-9A-F]{8}/);
    }
    const r = await evaluateCheck(lab, { kind: 'gm-current-tek', label: '', device: 'GM-1', group: 'X' }, 0);
    expect(r).toEqual({ pass: false, detail: 'GM-1 is not a member of X.' });
  });

  it('adjacency: PIM, EIGRP and NHRP to the hub are up; a missing neighbour lists the real ones', async () => {
    for (const protocol of ['pim', 'eigrp', 'nhrp'] as const) {
      const check: LessonCheck = {
        kind: 'adjacency',
        label: '',
        device: 'GM-2',
        protocol,
        neighbor: '192.168.100.1',
        interface: 'Tunnel10',
      };
      expect(await evaluateCheck(lab, check, 0), protocol).toMatchObject({ pass: true });
      expect(await evaluateCheck(lab, { ...check, up: false }, 0), protocol).toMatchObject({ pass: false });
    }
    const r = await evaluateCheck(
      lab,
      { kind: 'adjacency', label: '', device: 'GM-2', protocol: 'pim', neighbor: '192.168.100.9' },
      0,
    );
    expect(r.pass).toBe(false);
    expect(r.detail).toBe(
      'GM-2 has no PIM neighbour 192.168.100.9 up; its neighbours: 192.168.100.1 (Tunnel10).',
    );
  });

  it('event-since-step: the rekey GM-2 received counts from before it, not after it', async () => {
    const check: LessonCheck = {
      kind: 'event-since-step',
      label: '',
      device: 'GM-2',
      event: 'rekey-received',
    };
    const ctx = classifierContext(lab);
    expect(await evaluateCheck(lab, check, 0, ctx)).toMatchObject({ pass: true });
    const after = await evaluateCheck(lab, check, seconds(399), ctx);
    expect(after).toEqual({ pass: false, detail: 'No rekey received on GM-2 since 399 s.' });
    expect((await evaluateCheck(lab, check, 0)).detail).toBe(
      'The event history is not available where this check runs.',
    );
  });

  it('show-matches and not: a line of the show output, IOS regex; a bad pattern fails in words', async () => {
    const check: LessonCheck = {
      kind: 'show-matches',
      label: '',
      device: 'GM-2',
      command: 'show ip pim rp mapping',
      pattern: 'RP 1\\.1\\.1\\.1',
    };
    expect(await evaluateCheck(lab, check, 0)).toMatchObject({ pass: true });
    expect(await evaluateCheck(lab, { kind: 'not', label: '', check }, 0)).toMatchObject({ pass: false });
    const bad = await evaluateCheck(lab, { ...check, pattern: '(' }, 0);
    expect(bad.pass).toBe(false);
    expect(bad.detail).toContain('is not an IOS regular expression');
  });
});

// Lesson 2 of the article: without the mroute GM-2's RPF toward the KS is its physical interface.
describe('the RPF failure as checks', () => {
  it('rpf fails with the interface seen; rekey-since-change waits for a rekey after the fix', async () => {
    const lab = loadLab(reference).lab!;
    await lab.kernel.runUntil(seconds(320));
    await configure(lab, 'GM-2', ['no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    const rpf = await evaluateCheck(lab, rpfGm2, 0);
    expect(rpf).toEqual({
      pass: false,
      detail: "GM-2's RPF interface for 1.1.1.1 is Serial1/0, expected Tunnel10.",
    });
    const since: LessonCheck = { kind: 'rekey-since-change', label: '', member: 'GM-2' };
    expect((await evaluateCheck(lab, since, 0)).detail).toMatch(
      /^GM-2's last rekey came at [\d.]+ s, before its configuration changed at 320 s\.$/,
    );
    await configure(lab, 'GM-2', ['ip mroute 1.1.1.1 255.255.255.255 192.168.100.1']);
    await lab.kernel.runUntil(seconds(1000));
    expect(await evaluateCheck(lab, rpfGm2, 0)).toMatchObject({ pass: true });
    expect(await evaluateCheck(lab, since, 0)).toMatchObject({ pass: true });
  }, 60_000);
});

describe('show-matches only looks', () => {
  it('refuses a command that is not a show command, without running it', async () => {
    const lab = loadLab(reference).lab!;
    const check: LessonCheck = {
      kind: 'show-matches',
      device: 'GM-2',
      command: 'clear ip nhrp',
      pattern: 'x',
    };
    expect(await evaluateCheck(lab, check, 0)).toEqual({
      pass: false,
      detail: '"clear ip nhrp" is not a show command.',
    });
  });
});
