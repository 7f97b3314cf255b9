/**
 * The classroom's central story, end to end: remove GM-2's `ip mroute 1.1.1.1 255.255.255.255 192.168.100.1`
 * at some time, put it back later, and GM-2 is back on the group's current KEK and TEK within one KEK lifetime
 * plus its registration, with no operator action, and ESP between GM-1 and GM-2 works again.
 *
 * Sources: Cisco 116737 "GETVPN KEK Rekey Behavior Change" (IOS 15.2(1)T, GM version 1.0.4): "The GM maintains
 * a timer to keep track of the remaining KEK lifetime and triggers a reregistration if the KEK rekey is not
 * received"; the re-registration syslog as published IOS output prints it after `clear crypto sa`:
 * "%GDOI-4-GM_RE_REGISTER: The IPSec SA created for group ABC may have expired/been cleared, or didn't go
 * through. Re-register to KS."
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds, type SimTime } from '../../kernel/time';
import { toHex } from '../../net/bytes';
import { peekEsp } from '../../net/esp';
import { decodeIpv4, IP_PROTO } from '../../net/ipv4';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import { KEK_EXPIRY_GRACE } from './timers';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;
const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1';
/** The reference lab's `rekey lifetime seconds 300`. */
const KEK_LIFETIME = seconds(300);
/** A GROUPKEY-PULL through the SP takes well under this. */
const REGISTRATION = seconds(5);

async function configure(lab: Lab, device: string, lines: string[]): Promise<void> {
  const cli = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  for (const line of ['configure terminal', ...lines, 'end']) await cli.execute(line);
}

async function ping(lab: Lab, device: string, line: string): Promise<string> {
  return new CliSession(router(lab, device), { epochMs: lab.epochMs }).execute(line);
}

function keyState(lab: Lab): { gmKek: string; ksKek: string; gmTek: number; ksTek: number } {
  const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
  const gm = servicesOf(router(lab, 'GM-2')).gdoi.members.get('GDOI_GM')!;
  return {
    gmKek: toHex(gm.kek!.spi),
    ksKek: toHex(ks.kek!.spi),
    gmTek: gm.teks[0]!.spi,
    ksTek: ks.teks[0]!.spi,
  };
}

function kekRekeysBetween(lab: Lab, from: SimTime, to: SimTime): number {
  return logRecords(lab, 'KS', from).filter(
    (l) => l.t < to && l.text.startsWith('%GDOI-5-KS_SEND_MCAST_REKEY:') && l.text.endsWith('seq # 1'),
  ).length;
}

/** Removes the mroute at `removeAt`, restores it at `restoreAt`, runs one KEK lifetime plus registration. */
async function removeAndRestore(removeAt: number, restoreAt: number): Promise<Lab> {
  const lab = loadTestLab(SCENARIO);
  await lab.kernel.runUntil(seconds(removeAt));
  await configure(lab, 'GM-2', [`no ${MROUTE}`]);
  await lab.kernel.runUntil(seconds(restoreAt));
  await configure(lab, 'GM-2', [MROUTE]);
  await lab.kernel.runUntil(seconds(restoreAt) + KEK_LIFETIME + KEK_EXPIRY_GRACE + REGISTRATION);
  return lab;
}

/** After recovery: GM-2 takes every multicast rekey again, with no re-registration, and ESP works. */
async function expectRecovered(lab: Lab): Promise<void> {
  const state = keyState(lab);
  expect(state.gmKek).toBe(state.ksKek);
  expect(state.gmTek).toBe(state.ksTek);
  const from = lab.kernel.now;
  await lab.kernel.runUntil(from + KEK_LIFETIME + seconds(10));
  const sent = logRecords(lab, 'KS', from).filter((l) => l.text.startsWith('%GDOI-5-KS_SEND_MCAST_REKEY:'));
  const got = logRecords(lab, 'GM-2', from).filter((l) => l.text.startsWith('%GDOI-5-GM_RECV_REKEY:'));
  expect(sent.length).toBeGreaterThan(0);
  expect(got.map((l) => l.text.replace(/.* with seq # /, ''))).toEqual(
    sent.map((l) => l.text.replace(/.* with seq # /, '')),
  );
  expect(logRecords(lab, 'GM-2', from).filter((l) => l.text.includes('GM_RE_REGISTER'))).toEqual([]);
  // The hub keeps EIGRP split horizon on Tunnel10 (IOS default), so the spokes reach each other's tunnel
  // addresses, not their LANs. Every echo travels as ESP under the group's current TEK.
  const pingFrom = lab.kernel.now;
  expect(await ping(lab, 'GM-1', 'ping 192.168.100.3')).toContain('Success rate is 100 percent (5/5)');
  expect(await ping(lab, 'GM-2', 'ping 192.168.100.2')).toContain('Success rate is 100 percent (5/5)');
  const spis = espSpisSent(lab, 'GM-2', pingFrom);
  expect(spis.length).toBeGreaterThanOrEqual(10);
  expect(new Set(spis)).toEqual(new Set([keyState(lab).ksTek]));
}

/** The SPI of every ESP packet `device` sent on its WAN interface from `from` on. */
function espSpisSent(lab: Lab, device: string, from: SimTime): number[] {
  const out: number[] = [];
  for (const r of lab.kernel.trace.all()) {
    if (r.kind !== 'packet' || r.device !== device || r.event !== 'sent' || r.t < from) continue;
    if (r.iface !== 'Serial1/0') continue;
    const frame = lab.kernel.trace.frame(r.frameId);
    if (!frame) continue;
    const d = decodeIpv4(frame.bytes);
    if (d.header.protocol === IP_PROTO.ESP) out.push(peekEsp(d.payload).spi);
  }
  return out;
}

describe('GM-2 recovers after its mroute is removed and restored (GM version 1.0.4)', () => {
  it('removed and restored between two KEK rekeys: nothing missed, still on the current keys', async () => {
    const lab = await removeAndRestore(30, 250);
    expect(kekRekeysBetween(lab, seconds(30), seconds(250))).toBe(0);
    await expectRecovered(lab);
  }, 60_000);

  it('removed across one KEK rekey: the KEK runs out, GM-2 re-registers and is current again', async () => {
    const lab = await removeAndRestore(280, 420);
    expect(kekRekeysBetween(lab, seconds(280), seconds(420))).toBe(1);
    await expectRecovered(lab);
  }, 60_000);

  it('removed for three KEK lifetimes and more: re-registers at each missed KEK rekey, IOS log lines', async () => {
    const lab = await removeAndRestore(100, 1150);
    expect(kekRekeysBetween(lab, seconds(100), seconds(1150))).toBeGreaterThanOrEqual(3);
    const lines = logRecords(lab, 'GM-2', seconds(100)).filter((l) => l.t < seconds(1150));
    const rereg = lines.filter((l) => l.text.startsWith('%GDOI-4-GM_RE_REGISTER:'));
    expect(rereg.length).toBeGreaterThanOrEqual(3);
    const i = lines.indexOf(rereg[0]!);
    expect(lines.slice(i, i + 3).map((l) => l.text)).toEqual([
      "%GDOI-4-GM_RE_REGISTER: The IPSec SA created for group GDOI_GM may have expired/been cleared, or didn't go through. Re-register to KS.",
      '%CRYPTO-5-GM_REGSTER: Start registration to KS 1.1.1.1 for group GDOI_GM using address 12.12.12.12',
      expect.stringMatching(
        /^%GDOI-5-GM_REGS_COMPL: Registration to KS 1\.1\.1\.1 complete for group GDOI_GM/,
      ),
    ]);
    await expectRecovered(lab);
  }, 60_000);

  it('removed across the TEK rekey and a KEK rekey: GM-2 ends on the new TEK and KEK', async () => {
    const lab = await removeAndRestore(3300, 3750);
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    expect(ks.teks[0]!.createdAt).toBeGreaterThan(seconds(3300));
    await expectRecovered(lab);
  }, 60_000);
});
