/**
 * Key server policy changes on the reference lab, typed on the KS console as a user would.
 *
 * Cisco "GET VPN GM Removal and Policy Trigger" (GET VPN 1.0.2 and later; our KS reports 1.0.4): a policy
 * change is logged on the KS and reaches the members with the next rekey, scheduled or sent at once by
 * `crypto gdoi ks rekey`, as one rekey for all the changes; a changed TEK policy (ACL, transform set,
 * profile, anti-replay) installs new SAs and the old ones live on for
 * TEK_SLT = MIN(TEK_RLT, MAX(90s, MIN(5%(TEK_CLT), 3600s))); a KEK lifetime change applies from the next KEK
 * (table 1: "The new lifetime will be effective after the next scheduled rekey").
 *
 * Issue 13 item 1: removing any piece of the TEK policy never loops the KS (no zero-delay re-arm): the TEK
 * rekey is held with one log line, the lab keeps running (KEK rekeys go on), and restoring the policy resumes
 * TEK rekeys.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import type { KeyServerGroup } from './ks';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

const SERVER = ['crypto gdoi group GDOI_GROUP', 'server local'];
const SA = [
  ...SERVER,
  'sa ipsec 1',
  'profile GDOI_PROFILE',
  'match address ipv4 ACL',
  'replay time window-size 5',
];
const POLICY_CHANGE =
  "%GDOI-5-POLICY_CHANGE: GDOI group GDOI_GROUP policy has changed. Use 'crypto gdoi ks rekey' to send a rekey, or the changes will be send in the next scheduled rekey";

function ksOf(lab: Lab): KeyServerGroup {
  return servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
}

async function exec(lab: Lab, device: string, lines: string[]): Promise<string[]> {
  const cli = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  const out: string[] = [];
  for (const line of lines) out.push(await cli.execute(line));
  return out;
}

const configure = (lab: Lab, lines: string[]): Promise<string[]> =>
  exec(lab, 'KS', ['configure terminal', ...lines, 'end']);

/** The KS's GDOI syslog lines from `since` on. */
const gdoiLog = (lab: Lab, since: number): string[] =>
  logRecords(lab, 'KS', since)
    .map((l) => l.text)
    .filter((t) => t.startsWith('%GDOI'));

/** After the KEK rekey at about 302 s and its retransmissions (362 s, 422 s): nothing due until 602 s. */
const QUIET = seconds(430);

const pieces: { name: string; remove: string[]; restore: string[] }[] = [
  {
    name: 'the ACL',
    remove: ['no ip access-list extended ACL'],
    restore: ['ip access-list extended ACL', 'permit gre any any'],
  },
  {
    name: 'the transform set',
    remove: ['no crypto ipsec transform-set GDOI_TS'],
    restore: ['crypto ipsec transform-set GDOI_TS esp-3des esp-md5-hmac'],
  },
  {
    name: 'the IPsec profile',
    remove: ['no crypto ipsec profile GDOI_PROFILE'],
    restore: ['crypto ipsec profile GDOI_PROFILE', 'set transform-set GDOI_TS'],
  },
  { name: '`sa ipsec 1`', remove: [...SERVER, 'no sa ipsec 1'], restore: SA },
  {
    name: 'a match address naming a missing ACL',
    remove: [...SERVER, 'sa ipsec 1', 'match address ipv4 NO_SUCH_ACL'],
    restore: SA,
  },
];

describe('a KS whose TEK policy loses a piece (issue 13 item 1)', () => {
  for (const piece of pieces) {
    it(`without ${piece.name}: no rekey loop, one log line, lab runs on; restoring it resumes rekeys`, async () => {
      const lab = loadTestLab(SCENARIO);
      await lab.kernel.runUntil(seconds(3300));
      const ks = ksOf(lab);
      const tek = ks.teks[0]!;
      await configure(lab, piece.remove);
      // At once, as an operator would try it, and again at the scheduled TEK rekey (180 s before expiry).
      const [said] = await exec(lab, 'KS', ['crypto gdoi ks rekey']);
      expect(said).toBe('% Group GDOI_GROUP has no valid IPsec policy: no rekey sent');
      const cursor = lab.kernel.trace.total;
      await lab.kernel.runUntil(seconds(3500));
      expect(lab.kernel.now).toBe(seconds(3500));
      // Simulated time went on at the usual pace: a bounded number of records, not a loop at one instant.
      expect(lab.kernel.trace.total - cursor).toBeLessThan(5000);
      expect(ks.teks[0]!.spi).toBe(tek.spi);
      const lines = logRecords(lab, 'KS', seconds(3300)).map((l) => l.text);
      const noPolicy = lines.filter((l) => l.startsWith('%GDOI-3-KS_NO_IPSEC_POLICY:'));
      expect(noPolicy).toHaveLength(1);
      expect(noPolicy[0]).toMatch(
        /^%GDOI-3-KS_NO_IPSEC_POLICY: No valid IPsec policy for group GDOI_GROUP \(.+\)\. No TEK created\.$/,
      );
      // The KEK rekeys go on (one is due at about 3302 s and carries the live TEK).
      expect(lines.some((l) => l.startsWith('%GDOI-5-KS_SEND_MCAST_REKEY:'))).toBe(true);

      await configure(lab, piece.restore);
      await lab.kernel.runUntil(seconds(3505));
      // The TEK rekey that was due goes out now that the policy is whole again, and members take it.
      expect(ks.teks[0]!.spi).not.toBe(tek.spi);
      expect(ks.teks[0]!.createdAt).toBeGreaterThanOrEqual(seconds(3500));
      const gm1 = servicesOf(router(lab, 'GM-1')).gdoi.members.get('GDOI_GM')!;
      expect(gm1.teks[0]!.spi).toBe(ks.teks[0]!.spi);
    }, 60_000);
  }
});

describe('a KS without its rekey signing key', () => {
  it('sends no rekey and lets no member register, without looping; restoring the key rekeys at once', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    const ks = ksOf(lab);
    await configure(lab, [...SERVER, 'no rekey authentication']);
    const cursor = lab.kernel.trace.total;
    await lab.kernel.runUntil(seconds(1000));
    expect(lab.kernel.now).toBe(seconds(1000));
    expect(lab.kernel.trace.total - cursor).toBeLessThan(20_000);
    const ksLines = gdoiLog(lab, seconds(100));
    expect(ksLines.filter((l) => l.includes('SEND_MCAST_REKEY'))).toEqual([]);
    // Members whose KEK ran out try again every 60 s and are refused as IOS does without RSA keys.
    expect(ksLines.filter((l) => l.startsWith('%GDOI-1-KS_NO_RSA_KEYS:')).length).toBeGreaterThan(3);
    expect(ksLines.filter((l) => l.startsWith('%GDOI-1-KS_NO_RSA_KEYS:')).length).toBeLessThan(60);
    const gm1 = servicesOf(router(lab, 'GM-1')).gdoi.members.get('GDOI_GM')!;
    const stale = gm1.kek!.spi;

    await configure(lab, [...SERVER, 'rekey authentication mypubkey rsa GDOI_KEYS']);
    await lab.kernel.runUntil(seconds(1010));
    expect(gdoiLog(lab, seconds(1000)).some((l) => l.includes('SEND_MCAST_REKEY'))).toBe(true);
    expect(gm1.kek!.spi).not.toEqual(stale);
    expect(gm1.kek!.spi).toEqual(ks.kek!.spi);
    expect(gm1.kek!.expiresAt - lab.kernel.now).toBeGreaterThan(seconds(280));
  }, 60_000);
});

describe('KS policy changes reach the members as IOS tabulates', () => {
  it('an ACL change is logged, waits for the next scheduled rekey and is carried by it', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(QUIET);
    const ks = ksOf(lab);
    const oldTek = ks.teks[0]!;
    const sent = ks.sent.length;
    await configure(lab, ['ip access-list extended ACL', 'permit icmp any any']);
    expect(gdoiLog(lab, QUIET)).toEqual([POLICY_CHANGE]);
    await lab.kernel.runUntil(seconds(590));
    expect(ks.sent.length).toBe(sent); // nothing sent before the scheduled rekey
    await lab.kernel.runUntil(seconds(610));
    const rekey = ks.sent.find((p) => p.time > seconds(590))!;
    expect(ks.teks[0]!.spi).not.toBe(oldTek.spi);
    expect(ks.teks[0]!.createdAt).toBe(rekey.time);
    // The old SA is cut to TEK_SLT = MIN(remaining, MAX(90, MIN(5% of 3600, 3600))) = 180 s.
    expect(ks.teks.find((t) => t.spi === oldTek.spi)!.expiresAt).toBe(rekey.time + seconds(180));
    for (const device of ['Central', 'GM-1', 'GM-2']) {
      const policy = servicesOf(router(lab, device)).esp.groupPolicy('DMVPN', 'GDOI_GM')!;
      expect(policy.acl.map((e) => e.protocol)).toEqual(['gre', 'icmp']);
      expect(policy.teks.map((t) => t.spi)).toEqual([ks.teks[0]!.spi, oldTek.spi]);
    }
    const [shown] = await exec(lab, 'GM-1', ['show crypto gdoi']);
    expect(shown).toContain('   access-list  permit icmp any any');
    // Once the change has gone out, the next change is logged again.
    await configure(lab, ['ip access-list extended ACL', 'no permit icmp any any']);
    expect(gdoiLog(lab, seconds(610)).filter((l) => !l.includes('SEND_MCAST_REKEY'))).toEqual([
      POLICY_CHANGE,
    ]);
  }, 60_000);

  it('a transform set change goes out at once with `crypto gdoi ks rekey`; the old SA lives TEK_SLT', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(400));
    const ks = ksOf(lab);
    const oldTek = ks.teks[0]!;
    await configure(lab, ['crypto ipsec transform-set GDOI_TS esp-aes 256 esp-sha-hmac']);
    const [said] = await exec(lab, 'KS', ['crypto gdoi ks rekey']);
    expect(said).toBe('');
    await lab.kernel.runUntil(seconds(401));
    const gm2 = servicesOf(router(lab, 'GM-2')).gdoi.members.get('GDOI_GM')!;
    expect(gm2.teks.map((t) => t.transform.encryption)).toEqual(['esp-aes', 'esp-3des']);
    expect(gm2.teks[1]!.spi).toBe(oldTek.spi);
    expect(gm2.teks[1]!.expiresAt - seconds(400)).toBeLessThanOrEqual(seconds(181));
    await lab.kernel.runUntil(seconds(600));
    expect(gm2.teks.map((t) => t.transform.encryption)).toEqual(['esp-aes']);
    const [ping] = await exec(lab, 'GM-2', ['ping 192.168.100.2']);
    expect(ping).toContain('Success rate is 100 percent (5/5)');
  }, 60_000);

  it('a TEK lifetime change sends nothing; the next scheduled TEK rekey makes its TEK with it (table 1)', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(QUIET);
    const ks = ksOf(lab);
    const tek = ks.teks[0]!;
    await configure(lab, [
      'crypto ipsec profile GDOI_PROFILE',
      'set security-association lifetime seconds 7200',
    ]);
    expect(gdoiLog(lab, QUIET)).toEqual([POLICY_CHANGE]);
    const [running] = await exec(lab, 'KS', ['show running-config']);
    expect(running).toContain(
      'crypto ipsec profile GDOI_PROFILE\n set security-association lifetime seconds 7200\n set transform-set GDOI_TS',
    );
    // The KEK rekey at about 602 s repeats the old TEK: "the old SA remains active until its lifetime expires".
    await lab.kernel.runUntil(seconds(700));
    expect(ks.teks.map((t) => t.spi)).toEqual([tek.spi]);
    // The TEK rekey, 180 s before the old TEK expires, makes the new TEK with the new lifetime.
    await lab.kernel.runUntil(tek.expiresAt - seconds(170));
    expect(ks.teks[0]!.spi).not.toBe(tek.spi);
    expect(ks.teks[0]!.lifetime).toBe(7200);
    const [shown] = await exec(lab, 'GM-1', ['show crypto gdoi']);
    expect(shown).toMatch(/sa timing:remaining key lifetime \(sec\): \(71\d\d\)/);
  }, 60_000);

  it('an anti-replay change is carried by the next rekey with a new TEK; the old SA lives TEK_SLT', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(QUIET);
    const ks = ksOf(lab);
    const tek = ks.teks[0]!;
    await configure(lab, [...SERVER, 'sa ipsec 1', 'replay time window-size 10']);
    expect(gdoiLog(lab, QUIET)).toEqual([POLICY_CHANGE]);
    await lab.kernel.runUntil(seconds(610));
    const gm2 = servicesOf(router(lab, 'GM-2')).gdoi.members.get('GDOI_GM')!;
    expect(gm2.teks.map((t) => [t.spi, t.replay?.windowSize])).toEqual([
      [ks.teks[0]!.spi, 10],
      [tek.spi, 5],
    ]);
    const [shown] = await exec(lab, 'GM-2', ['show crypto gdoi']);
    expect(shown).toContain('Anti-Replay(Time Based) : 10 sec interval');
  }, 60_000);

  it('a KEK lifetime change sends nothing; the next KEK is made with the new lifetime', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(QUIET);
    const ks = ksOf(lab);
    const sent = ks.sent.length;
    await configure(lab, [...SERVER, 'rekey lifetime seconds 900']);
    expect(gdoiLog(lab, QUIET)).toEqual([POLICY_CHANGE]);
    await lab.kernel.runUntil(seconds(590));
    expect(ks.sent.length).toBe(sent);
    expect(ks.kek!.lifetime).toBe(300);
    await lab.kernel.runUntil(seconds(610));
    expect(ks.kek!.lifetime).toBe(900);
    const gm1 = servicesOf(router(lab, 'GM-1')).gdoi.members.get('GDOI_GM')!;
    expect(Math.round((gm1.kek!.expiresAt - lab.kernel.now) / 1e6)).toBeGreaterThan(880);
  }, 60_000);
});
