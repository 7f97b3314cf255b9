/**
 * Issue 13 item 3: replayed GROUPKEY-PUSH messages are never accepted. RFC 6407 §4 (and §4.2.1): a group
 * member drops a push whose SEQ is not greater than the last one it accepted under that KEK; a TEK-only rekey
 * repeats the current KEK and must not reset that counter (only a new KEK starts a new one: the article's IOS
 * debug "New Kek is received, reset last_seq_num to 0"). IOS logs the refusal as
 * `%GDOI-3-GDOI_REKEY_SEQ_FAILURE` (a push under a KEK the member no longer holds fails as
 * `%GDOI-3-GDOI_REKEY_FAILURE`), and nothing about the member's keys or lifetimes changes.
 *
 * The reference lab runs two hours, with GM-2's mroute removed for a while so that it misses pushes; then
 * every push the KS sent is replayed to every member, as an attacker in the provider network would send it
 * (UDP 848 from 1.1.1.1 to the member's registration address, injected on the SP link), at seeded random
 * times.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { Prng } from '../../kernel/prng';
import { seconds } from '../../kernel/time';
import { toHex } from '../../net/bytes';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { GDOI_PORT } from '../../net/isakmp';
import { encodeUdp } from '../../net/udp';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import type { GroupMember } from './gm';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

/** Each member, its registration address and the SP interface that faces it. */
const MEMBERS = [
  { device: 'Central', address: '2.2.2.2', spIface: 'Serial1/0' },
  { device: 'GM-1', address: '11.11.11.11', spIface: 'Serial1/1' },
  { device: 'GM-2', address: '12.12.12.12', spIface: 'Serial1/2' },
] as const;

function member(lab: Lab, device: string): GroupMember {
  return servicesOf(router(lab, device)).gdoi.members.get('GDOI_GM')!;
}

/** Everything a replay must leave alone. */
function keyState(gm: GroupMember): unknown {
  return {
    kek: gm.kek && [toHex(gm.kek.spi), gm.kek.expiresAt],
    previousKek: gm.previousKek && toHex(gm.previousKek.spi),
    teks: gm.teks.map((t) => [t.spi, t.createdAt, t.expiresAt]),
    rekeys: gm.rekeysCumulative,
    lastSeq: gm.lastSeq,
    registrations: gm.succeededRegistrations,
  };
}

/** The push as an attacker re-sends it: KS address to the member, UDP 848 both ways. */
function replayFrame(push: Uint8Array, to: string): Uint8Array {
  const source = parseIpv4('1.1.1.1')!;
  const destination = parseIpv4(to)!;
  const udp = encodeUdp(
    { sourcePort: GDOI_PORT, destinationPort: GDOI_PORT, payload: push },
    source,
    destination,
  );
  return encodeIpv4({ header: ipv4Header({ protocol: IP_PROTO.UDP, source, destination }), payload: udp });
}

async function configure(lab: Lab, device: string, line: string): Promise<void> {
  const cli = new CliSession(router(lab, device), { epochMs: lab.epochMs });
  for (const l of ['configure terminal', line, 'end']) await cli.execute(l);
}

describe('replayed GROUPKEY-PUSH messages (RFC 6407 §4)', () => {
  it('are all refused, with the IOS log line, and change no key or lifetime', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(30));
    await configure(lab, 'GM-2', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    await lab.kernel.runUntil(seconds(1000));
    await configure(lab, 'GM-2', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1');
    // Two hours, then until the KEK rekey due just after has been sent and retransmitted.
    await lab.kernel.runUntil(seconds(7200 + 130));
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    const pushes = [...ks.sent];
    expect(pushes.length).toBeGreaterThan(60);
    // GM-2 missed the pushes sent while its mroute was gone: those are replayed too.
    const missed = logRecords(lab, 'GM-2', seconds(30)).filter((l) => l.text.includes('GM_RE_REGISTER'));
    expect(missed.length).toBeGreaterThanOrEqual(3);

    // Replays go out in the quiet part of the KEK period after the run, when no real push is due: the last
    // KEK rekey and its retransmissions are over and the next one is minutes away.
    const lastPush = pushes.at(-1)!.time;
    expect(lab.kernel.now - lastPush).toBeLessThan(seconds(60));
    const windowStart = lab.kernel.now + seconds(1);
    const windowEnd = lastPush + seconds(150);
    const prng = new Prng(2026);
    const plan = MEMBERS.flatMap((m) =>
      pushes.map((p) => ({ ...m, push: p, at: windowStart + prng.nextInt(0, windowEnd - windowStart) })),
    ).sort((a, b) => a.at - b.at);
    const before = new Map(MEMBERS.map((m) => [m.device, keyState(member(lab, m.device))]));
    const rejectedBefore = new Map(MEMBERS.map((m) => [m.device, member(lab, m.device).rejected.length]));

    for (const r of plan) {
      await lab.kernel.runUntil(r.at);
      lab.transmit('SP', r.spIface, replayFrame(r.push.bytes, r.address));
    }
    await lab.kernel.runUntil(windowEnd + seconds(1));
    expect(ks.sent.at(-1)!.time).toBe(lastPush); // no real push in the window

    for (const m of MEMBERS) {
      const gm = member(lab, m.device);
      expect(keyState(gm)).toEqual(before.get(m.device));
      expect(gm.rejected.length - rejectedBefore.get(m.device)!, m.device).toBe(pushes.length);
      const lines = logRecords(lab, m.device, windowStart).map((l) => l.text);
      expect(lines.filter((l) => l.startsWith('%GDOI-5-GM_RECV_REKEY'))).toEqual([]);
      const refusals = lines.filter(
        (l) => l.startsWith('%GDOI-3-GDOI_REKEY_SEQ_FAILURE:') || l.startsWith('%GDOI-3-GDOI_REKEY_FAILURE:'),
      );
      expect(refusals).toHaveLength(pushes.length);
      // The pushes under the KEKs this member still holds fail on their sequence number.
      expect(refusals.filter((l) => l.includes('GDOI_REKEY_SEQ_FAILURE')).length).toBeGreaterThanOrEqual(3);
      expect(refusals.find((l) => l.includes('SEQ_FAILURE'))).toMatch(
        /^%GDOI-3-GDOI_REKEY_SEQ_FAILURE: Failed to process rekey seq # \d+ in seq payload for group GDOI_GM, last seq # \d+$/,
      );
    }
  }, 60_000);

  it('a TEK-only rekey keeps the KEK counter: the push it follows cannot be replayed after it', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(400));
    const ks = servicesOf(router(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    const cli = new CliSession(router(lab, 'KS'), { epochMs: lab.epochMs });
    await cli.execute('crypto gdoi ks rekey');
    await lab.kernel.runUntil(seconds(540));
    const tekRekey = ks.sent.filter((p) => p.time >= seconds(400));
    expect(tekRekey.length).toBe(3); // sent, then retransmitted twice
    const gm1 = member(lab, 'GM-1');
    const state = keyState(gm1);
    for (const p of tekRekey) lab.transmit('SP', 'Serial1/1', replayFrame(p.bytes, '11.11.11.11'));
    await lab.kernel.runUntil(seconds(545));
    expect(keyState(gm1)).toEqual(state);
    const lines = logRecords(lab, 'GM-1', seconds(540)).map((l) => l.text);
    expect(lines.filter((l) => l.includes('GDOI_REKEY_SEQ_FAILURE'))).toHaveLength(3);
  }, 60_000);
});
