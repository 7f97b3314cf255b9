// Issue 18 (checkpoints): a checkpoint copies the simulator's object graph, and a closure cannot be copied. Every
// callback GDOI, IKE and ESP keep in state (KS and GM timers, the KS's signing-key lookup, IKE's PULL/PUSH/ACK
// hooks and UDP handlers, phase-1 retransmission and SA expiry, a PULL exchange's callbacks, ESP's hooks) must be a
// `bound`/`boundFn` callback or `stateless` (kernel/bound.ts). This walks those services in the shipped GET VPN
// labs as they run (registration, multicast and unicast rekeys with their retransmissions and ACK rounds, a
// registration whose phase 1 is being retransmitted) and lists what `copyGraph` could not copy.
import { describe, expect, it } from 'vitest';
import { closuresIn, savedAndRead, shippedLab } from '../../scenario/checkpoint.test-support';
import { CliSession } from '../../cli/cli-session';
import type { Router } from '../../device/router';
import { copyGraph } from '../../kernel/snapshot';
import { seconds, type SimTime } from '../../kernel/time';
import { GDOI_PORT, ISAKMP_PORT } from '../../net/isakmp';
import type { Lab } from '../../scenario/lab';
import { pseudotimeBook } from '../esp/anti-replay';
import { EspService, espOf } from '../esp/esp-service';
import { IkeService, ikeOf } from '../ike/ike-service';
import { GdoiService, gdoiOf } from './gdoi-service';

/** `router`'s GDOI, IKE and ESP services and the UDP handlers IKE sets on the router. */
function cryptoState(router: Router) {
  return {
    gdoi: gdoiOf(router),
    ike: ikeOf(router),
    esp: espOf(router),
    gdoiHandler: router.udpHandler(GDOI_PORT),
    isakmpHandler: router.udpHandler(ISAKMP_PORT),
  };
}

/** What the walk saw running, so that it is known to have walked live state. */
interface Seen {
  registered: number;
  retransmitting: boolean;
  ackRound: boolean;
  phase1Retransmitting: boolean;
}

async function walk(lab: Lab, moments: readonly SimTime[]): Promise<{ found: string[]; seen: Seen }> {
  const found = new Set<string>();
  const seen: Seen = { registered: 0, retransmitting: false, ackRound: false, phase1Retransmitting: false };
  for (const t of moments) {
    await lab.kernel.runUntil(t);
    for (const r of lab.routers) {
      for (const p of closuresIn(lab, r, cryptoState(r))) found.add(p);
      for (const ks of gdoiOf(r)?.keyServers.values() ?? []) {
        seen.retransmitting ||= ks.retransmitTimer.running;
        seen.ackRound ||= [...ks.members.values()].some((m) => m.awaitingAck);
      }
      seen.phase1Retransmitting ||= (ikeOf(r)?.sas ?? []).some((sa) => sa.state === 'MM_KEY_EXCH');
    }
    seen.registered = lab.routers
      .flatMap((r) => [...(gdoiOf(r)?.members.values() ?? [])])
      .filter((m) => m.status === 'Registered').length;
  }
  return { found: [...found], seen };
}

/** Every 0.5 s through registration, then every 5 s across the first two KEK rekeys (300 s, 600 s). */
const MOMENTS = [
  ...Array.from({ length: 60 }, (_, i) => seconds(0.5 * (i + 1))),
  ...Array.from({ length: 135 }, (_, i) => seconds(35 + 5 * i)),
];

describe('GDOI, IKE and ESP keep no closures in state (issue 18 checkpoints)', () => {
  it('the reference lab: every callback kept is bound or stateless, from boot through two KEK rekeys', async () => {
    const lab = shippedLab('getvpn-multicast-rekey');
    const { found, seen } = await walk(lab, MOMENTS);
    // The walk saw live GET VPN state: the three members (Central, GM-1, GM-2) registered and a multicast
    // rekey being retransmitted (the `rekey retransmit 10 number 2` of the article's KS).
    expect(seen.registered).toBe(3);
    expect(seen.retransmitting).toBe(true);
    expect(found).toEqual([]);
  }, 120_000);

  it('the unicast-rekey lab, one member unreachable: ACK rounds and their retransmissions keep no closure', async () => {
    const lab = shippedLab('getvpn-unicast-rekey');
    const early = await walk(
      lab,
      MOMENTS.filter((t) => t <= seconds(30)),
    );
    // The lesson's switch to unicast rekeys; then GM-2's loopback becomes unreachable from the KS side: its
    // rekeys and ACKs are lost, so every rekey's ACK round stays open through its retransmissions.
    const ks = new CliSession(lab.router('KS')!, { epochMs: lab.epochMs });
    for (const line of ['configure terminal', 'crypto gdoi group GDOI_GROUP', 'server local'])
      await ks.execute(line);
    await ks.execute('rekey transport unicast');
    const sp = new CliSession(lab.router('SP')!, { epochMs: lab.epochMs });
    for (const line of ['configure terminal', 'no ip route 12.12.12.12 255.255.255.255 172.37.1.1', 'end'])
      await sp.execute(line);
    const late = await walk(
      lab,
      MOMENTS.filter((t) => t > seconds(30)),
    );
    expect(early.seen.registered).toBe(3);
    expect(late.seen.ackRound).toBe(true);
    expect(late.seen.retransmitting).toBe(true);
    expect([...early.found, ...late.found]).toEqual([]);
  }, 120_000);

  it('a member whose phase 1 keeps being retransmitted (wrong pre-shared key) keeps no closure', async () => {
    const lab = shippedLab('getvpn-multicast-rekey');
    // Before GM-2 registers (2 s after boot): its key for the KS no longer matches, so main mode stops at
    // message 5 and IOS retransmits it every 10 s, five times, then deletes the SA and registration retries.
    const cli = new CliSession(lab.router('GM-2')!, { epochMs: lab.epochMs });
    for (const line of ['configure terminal', 'crypto isakmp key 0 wrong address 1.1.1.1', 'end'])
      await cli.execute(line);
    const moments = Array.from({ length: 140 }, (_, i) => seconds(0.5 * (i + 1)));
    const { found, seen } = await walk(lab, moments);
    expect(seen.phase1Retransmitting).toBe(true);
    // Central and GM-1 registered; GM-2 did not.
    expect(seen.registered).toBe(2);
    expect(gdoiOf(lab.router('GM-2')!)?.members.values().next().value?.status).toBe('Registering');
    expect(found).toEqual([]);
  }, 60_000);

  it('a saved checkpoint can name every class and function they keep, mid-rekey (kernel/snapshot-codec.ts)', async () => {
    const lab = shippedLab('getvpn-multicast-rekey');
    // 310 s: the first KEK rekey (300 s) has been sent and its retransmissions are pending.
    await lab.kernel.runUntil(seconds(310));
    const ksGroup = (s: ReturnType<typeof cryptoState>) => [...(s.gdoi?.keyServers.values() ?? [])];
    const gmView = (s: ReturnType<typeof cryptoState>) =>
      [...(s.gdoi?.members.values() ?? [])].map((m) => ({
        status: m.status,
        lastSeq: m.lastSeq,
        teks: m.teks.map((t) => t.spi),
        kek: m.kek?.spi,
      }));
    const ikeView = (s: ReturnType<typeof cryptoState>) => s.ike?.sas.map((sa) => `${sa.connId} ${sa.state}`);
    for (const r of lab.routers) {
      if (!gdoiOf(r)) continue;
      const state = cryptoState(r);
      const back = await savedAndRead(lab, r, cryptoState(r));
      expect(back.gdoi).toBeInstanceOf(GdoiService);
      expect(back.ike).toBeInstanceOf(IkeService);
      expect(back.esp).toBeInstanceOf(EspService);
      expect(back.gdoi).not.toBe(state.gdoi);
      expect(gmView(back), r.name).toEqual(gmView(state));
      expect(ikeView(back), r.name).toEqual(ikeView(state));
      expect(
        ksGroup(back).map((k) => [k.seq, k.retransmitRemaining(), [...k.members.keys()]]),
        r.name,
      ).toEqual(ksGroup(state).map((k) => [k.seq, k.retransmitRemaining(), [...k.members.keys()]]));
      expect(back.esp?.knownTeks().map((t) => t.spi)).toEqual(state.esp?.knownTeks().map((t) => t.spi));
    }
    // The KS's rekey is being retransmitted at the moment saved.
    expect(ksGroup(cryptoState(lab.router('KS')!))[0]?.retransmitRemaining()).toBeGreaterThan(0);
  }, 60_000);

  it('the lab-wide ESP pseudotime book lives on the kernel, so a copy of the kernel carries its stamps', async () => {
    const lab = shippedLab('getvpn-multicast-rekey');
    await lab.kernel.runUntil(seconds(60));
    const book = pseudotimeBook(lab.kernel);
    // The reference lab's GMs already exchange ESP (their pings): the book holds stamps.
    const stamped = [...lab.kernel.trace.all()].some(
      (r) => r.kind === 'packet' && r.protocols.includes('esp'),
    );
    expect(stamped).toBe(true);
    const copy = copyGraph(lab.kernel.labState);
    const copied = [...copy.values()][0];
    expect(copied).not.toBe(book);
    expect(copied).toEqual(book);
  }, 60_000);
});
