/**
 * `clear crypto gdoi [group NAME]`, `clear crypto sa` and `clear crypto isakmp` on the reference lab, typed as
 * a user would.
 *
 * Sources: Cisco "GET VPN GM Removal and Policy Trigger", table 1 (after `clear crypto sa` a GM "will
 * re-register and download" the group's SAs); published IOS output of `clear crypto sa` on a GM, followed by
 * "%GDOI-4-GM_RE_REGISTER: The IPSec SA created for group ABC may have expired/been cleared, or didn't go
 * through. Re-register to KS."; Cisco 116737 (a GM whose KEK runs out re-registers); the IOS command reference
 * for `clear crypto isakmp` (deletes the active IKE SAs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { toHex } from '../../net/bytes';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import type { GroupMember } from './gm';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

async function exec(lab: Lab, device: string, line: string): Promise<string> {
  return new CliSession(router(lab, device), { epochMs: lab.epochMs }).execute(line);
}

function gm(lab: Lab, device: string): GroupMember {
  return servicesOf(router(lab, device)).gdoi.members.get('GDOI_GM')!;
}

describe('clear commands', () => {
  it('`clear crypto gdoi` on a GM deletes its keys and registers again at once', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    const member = gm(lab, 'GM-1');
    const registrations = member.succeededRegistrations;
    const at = lab.kernel.now;
    expect(await exec(lab, 'GM-1', 'clear crypto gdoi')).toBe('');
    // The keys are gone at once: ESP has no group policy until the registration completes.
    expect(member.teks).toEqual([]);
    expect(servicesOf(router(lab, 'GM-1')).esp.groupPolicy('DMVPN', 'GDOI_GM')).toBeUndefined();
    await lab.kernel.runUntil(at + seconds(2));
    expect(member.succeededRegistrations).toBe(registrations + 1);
    expect(member.status).toBe('Registered');
    const lines = logRecords(lab, 'GM-1', at).map((l) => l.text);
    expect(lines.slice(0, 3)).toEqual([
      '%GDOI-5-GM_CLEAR_REGISTER: Config: GM cleared gdoi configuration for the group GDOI_GM.',
      '%CRYPTO-5-GM_REGSTER: Start registration to KS 1.1.1.1 for group GDOI_GM using address 11.11.11.11',
      '%GDOI-5-GM_REGS_COMPL: Registration to KS 1.1.1.1 complete for group GDOI_GM using address 11.11.11.11',
    ]);
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    expect(member.teks[0]!.spi).toBe(ks.teks[0]!.spi);
    expect(await exec(lab, 'GM-1', 'ping 192.168.100.1')).toContain('Success rate is 100 percent (5/5)');
  }, 60_000);

  it('`clear crypto gdoi group NAME` names the group; an unknown group is refused', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    expect(await exec(lab, 'GM-2', 'clear crypto gdoi group NOPE')).toBe('% Group NOPE not found');
    const member = gm(lab, 'GM-2');
    const registrations = member.succeededRegistrations;
    expect(await exec(lab, 'GM-2', 'clear crypto gdoi group GDOI_GM')).toBe('');
    await lab.kernel.runUntil(seconds(102));
    expect(member.succeededRegistrations).toBe(registrations + 1);
  }, 60_000);

  it('`clear crypto sa` on a GM re-registers, logging GM_RE_REGISTER as IOS does', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    const at = lab.kernel.now;
    expect(await exec(lab, 'GM-2', 'clear crypto sa')).toBe('');
    await lab.kernel.runUntil(at + seconds(2));
    const lines = logRecords(lab, 'GM-2', at).map((l) => l.text);
    expect(lines.slice(0, 2)).toEqual([
      "%GDOI-4-GM_RE_REGISTER: The IPSec SA created for group GDOI_GM may have expired/been cleared, or didn't go through. Re-register to KS.",
      '%CRYPTO-5-GM_REGSTER: Start registration to KS 1.1.1.1 for group GDOI_GM using address 12.12.12.12',
    ]);
    expect(gm(lab, 'GM-2').status).toBe('Registered');
  }, 60_000);

  it('`clear crypto gdoi` on the KS drops its keys; members come back on new keys when their KEK runs out', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    const oldKek = toHex(ks.kek!.spi);
    expect(await exec(lab, 'KS', 'clear crypto gdoi')).toBe('');
    expect(ks.kek).toBeUndefined();
    expect(ks.members.size).toBe(0);
    expect(logRecords(lab, 'KS', seconds(100)).map((l) => l.text)).toContain(
      '%GDOI-5-KS_CLEAR_REGISTER: Config: KS cleared gdoi configuration for the group GDOI_GROUP.',
    );
    // Every member's KEK (made at about 2 s, 300 s lifetime) runs out; each re-registers and gets new keys.
    await lab.kernel.runUntil(seconds(320));
    expect(ks.kek).toBeDefined();
    expect(toHex(ks.kek!.spi)).not.toBe(oldKek);
    expect(ks.members.size).toBe(3);
    for (const device of ['Central', 'GM-1', 'GM-2']) {
      expect(toHex(gm(lab, device).kek!.spi)).toBe(toHex(ks.kek!.spi));
      expect(gm(lab, device).teks[0]!.spi).toBe(ks.teks[0]!.spi);
    }
    expect(await exec(lab, 'GM-2', 'ping 192.168.100.1')).toContain('Success rate is 100 percent (5/5)');
  }, 60_000);

  it('`clear crypto isakmp` deletes the ISAKMP SAs; GDOI keeps its KEK entry', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    expect(servicesOf(router(lab, 'GM-1')).ike.sas.length).toBeGreaterThan(0);
    expect(await exec(lab, 'GM-1', 'clear crypto isakmp')).toBe('');
    expect(servicesOf(router(lab, 'GM-1')).ike.sas).toEqual([]);
    const shown = await exec(lab, 'GM-1', 'show crypto isakmp sa');
    expect(shown).toMatch(/^239\.10\.10\.1 +1\.1\.1\.1 +GDOI_REKEY +0 ACTIVE$/m);
    expect(shown).not.toMatch(/GDOI_IDLE|QM_IDLE/);
  }, 60_000);
});
