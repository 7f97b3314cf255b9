/**
 * `crypto gdoi ks rekey` on the reference lab's key server: a rekey leaves at once with a new TEK, every member
 * receives it over the multicast tree, and the superseded TEK keeps only its short lifetime (TEK_SLT).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { loadLab, type Lab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';

const SCENARIO = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);

async function exec(lab: Lab, device: string, command: string): Promise<string> {
  const cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  await cli.execute('enable');
  const out = await cli.execute(command);
  return typeof out === 'string' ? out : JSON.stringify(out);
}

function rekeyLogs(lab: Lab, from: number): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.t >= from && r.text.includes('REKEY'))
    .map((r) => (r.kind === 'log' ? `${r.device} ${r.text}` : ''));
}

describe('crypto gdoi ks rekey', () => {
  it('sends a multicast rekey now, received by every member, and shortens the old TEK to 180 s', async () => {
    const lab = loadLab(SCENARIO).lab!;
    await lab.kernel.runUntil(seconds(60));
    const ks = servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    const oldSpi = ks.teks[0]!.spi;
    expect(await exec(lab, 'KS', 'crypto gdoi ks rekey')).toBe('');
    await lab.kernel.runUntil(seconds(62));

    const logs = rekeyLogs(lab, seconds(60));
    expect(logs.filter((l) => l.startsWith('KS %GDOI-5-KS_SEND_MCAST_REKEY'))).toHaveLength(1);
    for (const gm of ['Central', 'GM-1', 'GM-2']) {
      expect(logs.some((l) => l.startsWith(`${gm} %GDOI-5-GM_RECV_REKEY`))).toBe(true);
      const member = [...servicesOf(lab.router(gm)!).gdoi.members.values()][0]!;
      // Newest first: the new TEK, then the superseded one with 180 s left (5 % of 3600 s, at least 90 s).
      expect(member.teks.map((t) => t.spi)).toEqual([ks.teks[0]!.spi, oldSpi]);
      expect(Math.round((member.teks[1]!.expiresAt - lab.kernel.now) / 1e6)).toBeGreaterThanOrEqual(177);
      expect(Math.round((member.teks[1]!.expiresAt - lab.kernel.now) / 1e6)).toBeLessThanOrEqual(180);
    }
    expect(await exec(lab, 'KS', 'show crypto gdoi ks rekey')).toMatch(/Number of Rekeys sent\s*: 1\b/);
  }, 60_000);

  it('names an unknown group, and a group nobody has registered with yet', async () => {
    const lab = loadLab(SCENARIO).lab!;
    expect(await exec(lab, 'KS', 'crypto gdoi ks group nosuch rekey')).toBe(
      '% Group nosuch is not a key server group',
    );
    expect(await exec(lab, 'KS', 'crypto gdoi ks group GDOI_GROUP rekey')).toBe(
      '% Group GDOI_GROUP has no keys yet: no member has registered',
    );
    expect(await exec(lab, 'GM-1', 'crypto gdoi ks rekey')).toBe('% No key server group is configured');
  });
});
