/**
 * `show crypto gdoi ks policy`, `show crypto gdoi gm acl` and `show crypto gdoi gm rekey` on the reference lab.
 * The KS policy layout is published IOS output (networklessons forum, "KS1#show crypto gdoi ks policy":
 * fixed columns, `time to rekey` only on the newest TEK, two blank-padded lines after each TEK). The member
 * views follow genieparser's IOS-XE golden outputs (CiscoTestAutomation/genieparser, src/genie/libs/parser/
 * iosxe/tests/ShowCryptoGdoiGmRekeyDetail/cli/equal/golden_output_output.txt for the rekey counters and KEK SA
 * table; ShowCryptoGdoiGmAclLocal/cli/equal/golden_output_output.txt for ` ACL Configured Locally: `) and
 * the ACE format of the article's `show crypto gdoi` ("access-list  permit gre any any").
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { toHex } from '../../net/bytes';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, router } from '../../scenario/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import { KEK_EXPIRY_GRACE } from './timers';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

async function exec(lab: Lab, device: string, line: string): Promise<string> {
  return new CliSession(router(lab, device), { epochMs: lab.epochMs }).execute(line);
}

const hex8 = (spi: number): string => spi.toString(16).toUpperCase().padStart(8, '0');

describe('GDOI show commands', () => {
  it('show crypto gdoi ks policy: the KEK and each live TEK in IOS columns', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(430));
    await exec(lab, 'KS', 'crypto gdoi ks rekey'); // a second TEK, the first cut to TEK_SLT
    await lab.kernel.runUntil(seconds(440));
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    const now = lab.kernel.now;
    const s = (us: number): number => Math.floor(us / 1e6);
    const [newTek, oldTek] = ks.teks;
    const kek = ks.kek!;
    expect(await exec(lab, 'KS', 'show crypto gdoi ks policy')).toBe(
      [
        'Key Server Policy:',
        'For group GDOI_GROUP (handle: 2147483650) server 1.1.1.1 (handle: 2147483650):',
        '',
        `  # of teks : 2  Seq num : ${ks.seq}`,
        '  KEK POLICY (transport type : Multicast)',
        `    spi : 0x${toHex(kek.spi).toUpperCase()}`,
        '    management alg     : disabled    encrypt alg       : 3DES      ',
        '    crypto iv length   : 8           key size          : 24      ',
        `    orig life(sec): 300         remaining life(sec): ${String(s(kek.expiresAt - now)).padEnd(10)}`,
        // The next KEK rekey leaves 300 s after this KEK's, which left 1 s after the KEK was made.
        `    time to rekey (sec): ${String(Math.ceil((kek.createdAt + seconds(301) - now) / 1e6)).padEnd(10)}`,
        '    sig hash algorithm : enabled     sig key length    : 162     ',
        '    sig size           : 128       ',
        '    sig key name       : GDOI_KEYS',
        '',
        '  TEK POLICY (encaps : ENCAPS_TUNNEL)',
        `    spi                : 0x${hex8(newTek!.spi)}`,
        '    access-list        : ACL',
        '    transform          : esp-3des esp-md5-hmac ',
        '    alg key size       : 24            sig key size          : 16        ',
        `    orig life(sec)     : 3600          remaining life(sec)   : ${String(s(newTek!.expiresAt - now)).padEnd(10)}`,
        `    tek life(sec)      : 3600          elapsed time(sec)     : ${String(s(now - newTek!.createdAt)).padEnd(10)}`,
        '    override life (sec): 0             antireplay window size: 5         ',
        `    time to rekey (sec): ${String(Math.ceil(ks.tekRekeyIn()!)).padEnd(10)}`,
        '          ',
        '          ',
        '  TEK POLICY (encaps : ENCAPS_TUNNEL)',
        `    spi                : 0x${hex8(oldTek!.spi)}`,
        '    access-list        : ACL',
        '    transform          : esp-3des esp-md5-hmac ',
        '    alg key size       : 24            sig key size          : 16        ',
        `    orig life(sec)     : 3600          remaining life(sec)   : ${String(s(oldTek!.expiresAt - now)).padEnd(10)}`,
        `    tek life(sec)      : 3600          elapsed time(sec)     : ${String(s(now - oldTek!.createdAt)).padEnd(10)}`,
        '    override life (sec): 0             antireplay window size: 5         ',
        '    time to rekey (sec): n/a       ',
        '          ',
        '          ',
      ].join('\n'),
    );
    // The old TEK was cut to TEK_SLT (180 s) at the rekey, 10 s ago.
    expect(s(oldTek!.expiresAt - now)).toBe(170);
  }, 60_000);

  it('show crypto gdoi: "GM Reregisters in" counts down to the KEK or TEK re-registration, whichever is first', async () => {
    // Cisco 116737: "Reregisters in : 81 sec <=== Reregistration due to TEK or KEK, whichever comes first".
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(100));
    const gm = servicesOf(router(lab, 'GM-1')).gdoi.members.get('GDOI_GM')!;
    const reregIn = async (): Promise<number> =>
      Number(/GM Reregisters in {8}: (\d+) secs/.exec(await exec(lab, 'GM-1', 'show crypto gdoi'))![1]);
    // The KEK (300 s) runs out long before the TEK (3600 s): its re-registration is the one shown.
    const kekDue = Math.floor((gm.kek!.expiresAt + KEK_EXPIRY_GRACE - lab.kernel.now) / 1e6);
    expect(await reregIn()).toBe(kekDue);
    expect(kekDue).toBeLessThan(300);
    // Each KEK rekey received moves it on by one KEK lifetime.
    await lab.kernel.runUntil(seconds(400));
    expect(await reregIn()).toBe(Math.floor((gm.kek!.expiresAt + KEK_EXPIRY_GRACE - lab.kernel.now) / 1e6));
    expect(await reregIn()).toBeGreaterThan(150);
  }, 60_000);

  it('show crypto gdoi gm acl: the ACL downloaded from the KS and the local one', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(60));
    // ' ACL Downloaded From KS 1.1.1.1:' and its ACE: the article's show crypto gdoi;
    // ' ACL Configured Locally: ' with its trailing space: genieparser ShowCryptoGdoiGmAclLocal golden output.
    expect(await exec(lab, 'GM-1', 'show crypto gdoi gm acl')).toBe(
      [
        'Group Name: GDOI_GM',
        ' ACL Downloaded From KS 1.1.1.1:',
        '   access-list  permit gre any any',
        ' ACL Configured Locally: ',
      ].join('\n'),
    );
  }, 60_000);

  it('show crypto gdoi gm rekey: counters and the KEK SAs, which follow the KEK rekeys', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(20));
    // Before the first KEK rekey only New is filled, as in the golden output (taken with 0 rekeys received):
    //   Current : ---             ---               ---    ---        ---
    const before = (await exec(lab, 'GM-2', 'show crypto gdoi gm rekey')).split('\n');
    expect(before.slice(-2)).toEqual([
      'Current : ---             ---               ---    ---        ---',
      'Previous: ---             ---               ---    ---        ---',
    ]);
    await lab.kernel.runUntil(seconds(330));
    const gm = servicesOf(router(lab, 'GM-2')).gdoi.members.get('GDOI_GM')!;
    const cur = toHex(gm.kek!.spi).toUpperCase();
    const prev = toHex(gm.previousKek!.spi).toUpperCase();
    const connId = servicesOf(router(lab, 'GM-2')).ike.sas.find((s) => s.established)!.connId;
    // The golden row: 'New     : 44.44.44.1      15.15.15.1       44334   C5AC6039   A440633E'.
    const row = (label: string, spi: string): string =>
      `${label}: 239.10.10.1     1.1.1.1         ${String(connId).padStart(6)}   ${spi.slice(0, 8)}   ${spi.slice(16, 24)}`;
    expect(await exec(lab, 'GM-2', 'show crypto gdoi gm rekey')).toBe(
      [
        'Group GDOI_GM (Multicast)',
        '    Number of Rekeys received (cumulative)       : 1',
        '    Number of Rekeys received after registration : 1',
        '    Number of Rekey Acks sent                    : 0',
        '',
        'Rekey (KEK) SA information :',
        '          dst             src             conn-id  my-cookie  his-cookie',
        row('New     ', cur),
        row('Current ', cur),
        row('Previous', prev),
      ].join('\n'),
    );
    expect(cur).not.toBe(prev);
  }, 60_000);
});
