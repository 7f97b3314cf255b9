/**
 * The reference lab with `group 19` / `group 20` in every ISAKMP policy: main mode runs ECDH (RFC 5903) through
 * WebCrypto, members register, both ends of each phase-1 SA hold the same SKEYID, a wrong pre-shared key still
 * fails, and one seed still gives one trace.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { parseIpv4 } from '../../net/ipv4-address';
import { type Lab, loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';

const SCENARIO = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);

interface Scenario {
  devices: { name: string; config: string }[];
}

/** The scenario with `group N` (and `extra`) under every ISAKMP policy, GM-2's key to the KS replaced. */
function withGroup(group: number, gm2Key = 'cisco', extra = ''): string {
  const s = JSON.parse(SCENARIO) as Scenario;
  for (const d of s.devices) {
    d.config = d.config.replace(
      'crypto isakmp policy 10\n authentication pre-share\n',
      `crypto isakmp policy 10\n authentication pre-share\n group ${group}\n${extra}`,
    );
    if (d.name === 'GM-2') {
      d.config = d.config.replace(
        'crypto isakmp key 0 cisco address',
        `crypto isakmp key 0 ${gm2Key} address`,
      );
    }
  }
  return JSON.stringify(s);
}

function logs(lab: Lab, device: string): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device)
    .map((r) => (r.kind === 'log' ? r.text : ''));
}

async function run(text: string, seed?: number): Promise<Lab> {
  const lab = loadLab(text, seed).lab!;
  await lab.kernel.runUntil(seconds(40));
  return lab;
}

const ip = (t: string): number => parseIpv4(t) ?? 0;

describe('IKE main mode with ECDH groups (RFC 5903) in the reference lab', () => {
  it.each([19, 20])(
    'group %i: every member registers; KS and member derive the same SKEYID',
    async (group) => {
      const lab = await run(withGroup(group));
      const ks = servicesOf(lab.router('KS')!);
      expect(ks.gdoi.keyServers.get('GDOI_GROUP')!.members.size).toBe(3);
      for (const [gm, address] of [
        ['Central', '2.2.2.2'],
        ['GM-1', '11.11.11.11'],
        ['GM-2', '12.12.12.12'],
      ] as const) {
        expect(logs(lab, gm)).toContain(
          `%GDOI-5-GM_REGS_COMPL: Registration to KS 1.1.1.1 complete for group GDOI_GM using address ${address}`,
        );
        const mine = servicesOf(lab.router(gm)!).ike.sas.find((sa) => sa.peer === ip('1.1.1.1'))!;
        const theirs = ks.ike.sas.find((sa) => sa.peer === ip(address))!;
        expect(mine.policy?.group).toBe(group);
        expect(mine.group?.kind).toBe('ecp');
        // RFC 5903 §7: the KE data is x ‖ y, 64 bytes for P-256 and 96 for P-384.
        expect(mine.keI).toHaveLength(group === 19 ? 64 : 96);
        expect(mine.keys!.skeyid).toEqual(theirs.keys!.skeyid);
        expect(mine.keys!.skeyidE).toEqual(theirs.keys!.skeyidE);
      }
    },
    60_000,
  );

  it('group 21 (P-521) with `encryption aes 192`: 132-byte KE data, AES-192 phase-1 keys, registration', async () => {
    const lab = await run(withGroup(21, 'cisco', ' encryption aes 192\n'));
    const gm = servicesOf(lab.router('GM-1')!).ike.sas.find((sa) => sa.peer === ip('1.1.1.1'))!;
    const ks = servicesOf(lab.router('KS')!).ike.sas.find((sa) => sa.peer === ip('11.11.11.11'))!;
    expect(gm.policy).toMatchObject({ cipher: 'aes', keyBytes: 24, group: 21 });
    expect(gm.keI).toHaveLength(132);
    expect(gm.keys!.encryptionKey).toHaveLength(24);
    expect(gm.keys!.skeyid).toEqual(ks.keys!.skeyid);
    expect(servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!.members.size).toBe(3);
  }, 60_000);

  it('fails with a wrong pre-shared key as with MODP: IKMP_BAD_MESSAGE at the KS, GM-2 never registers', async () => {
    const lab = await run(withGroup(19, 'wrong'));
    expect(logs(lab, 'KS')).toContain(
      '%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 12.12.12.12 failed its sanity check or is malformed',
    );
    expect(logs(lab, 'GM-2').some((t) => t.startsWith('%GDOI-5-GM_REGS_COMPL'))).toBe(false);
    expect(logs(lab, 'GM-1').some((t) => t.startsWith('%GDOI-5-GM_REGS_COMPL'))).toBe(true);
    expect(servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!.members.size).toBe(2);
  }, 60_000);

  it('gives one trace per seed (the ECDH scalars come from the seeded PRNG)', async () => {
    const text = withGroup(19);
    const [a, b, c] = [await run(text, 1), await run(text, 1), await run(text, 2)];
    expect(a.kernel.trace.hash()).toBe(b.kernel.trace.hash());
    expect(c.kernel.trace.hash()).not.toBe(a.kernel.trace.hash());
  }, 90_000);
});
