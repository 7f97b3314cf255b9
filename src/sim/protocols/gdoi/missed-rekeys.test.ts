/**
 * The article's failure, completed: GM-2 without `ip mroute 1.1.1.1 255.255.255.255 192.168.100.1` receives
 * every multicast rekey on Tunnel10, where the RPF check (RPF interface Serial1/0, by the default route) drops
 * it. GM-2 never logs a rekey. As a GM version 1.0.4 (IOS 15.2(1)T and later, Cisco 116737 "GETVPN KEK Rekey
 * Behavior Change": "The GM maintains a timer to keep track of the remaining KEK lifetime and triggers a
 * reregistration if the KEK rekey is not received") it re-registers (GROUPKEY-PULL, unicast through the SP)
 * each time its KEK runs out, and 100–160 s before its TEK expires; it picks up the TEK the key server made at
 * its TEK rekey, and its GRE to the hub keeps flowing as ESP under the group's current SPI: the EIGRP adjacency
 * never drops and a ping over the tunnel works after the old TEK is gone. GM-1, with its mroute, receives
 * every rekey.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds, type SimTime } from '../../kernel/time';
import type { PacketRecord } from '../../kernel/trace';
import { peekEsp } from '../../net/esp';
import { decodeIpv4, IP_PROTO } from '../../net/ipv4';
import type { Lab } from '../../scenario/lab';
import { loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';
import type { KeyServerGroup } from './ks';
import { gdoiView } from './gdoi-view';
import type { GroupMember } from './gm';

const SCENARIO = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);
const CHANGE_AT = seconds(30);

function logs(lab: Lab, device: string, from = 0): { t: SimTime; text: string }[] {
  const out: { t: SimTime; text: string }[] = [];
  for (const r of lab.kernel.trace.all()) {
    if (r.kind === 'log' && r.device === device && r.t >= from) out.push({ t: r.t, text: r.text });
  }
  return out;
}

function packets(lab: Lab, device: string): PacketRecord[] {
  return lab.kernel.trace.all().filter((r): r is PacketRecord => r.kind === 'packet' && r.device === device);
}

/** SPI and time of every ESP frame GM-2 sent on its WAN interface in [from, to). */
function espSentByGm2(lab: Lab, from: SimTime, to: SimTime): { t: SimTime; spi: number }[] {
  const out: { t: SimTime; spi: number }[] = [];
  for (const p of packets(lab, 'GM-2')) {
    if (p.event !== 'sent' || p.iface !== 'Serial1/0' || p.t < from || p.t >= to) continue;
    const frame = lab.kernel.trace.frame(p.frameId);
    if (!frame) continue;
    const d = decodeIpv4(frame.bytes);
    if (d.header.protocol === IP_PROTO.ESP) out.push({ t: p.t, spi: peekEsp(d.payload).spi });
  }
  return out;
}

describe('GM-2 without its mroute (the article’s RPF failure)', () => {
  let lab: Lab;
  let ks: KeyServerGroup;
  let gm2: GroupMember;
  let firstTek: { spi: number; expiresAt: SimTime };

  beforeAll(async () => {
    lab = loadLab(SCENARIO).lab!;
    await lab.kernel.runUntil(CHANGE_AT);
    const cli = new CliSession(lab.router('GM-2')!, { epochMs: lab.epochMs });
    for (const line of ['configure terminal', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1', 'end']) {
      await cli.execute(line);
    }
    ks = servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    gm2 = servicesOf(lab.router('GM-2')!).gdoi.members.get('GDOI_GM')!;
    const tek = gm2.teks[0]!;
    firstTek = { spi: tek.spi, expiresAt: tek.expiresAt };
    // Every push until just before the KS's TEK rekey (at 3600 - 180 s after the first registration).
    await lab.kernel.runUntil(seconds(3300));
  }, 120_000);

  it('drops every multicast rekey at GM-2 on the RPF check; GM-1 logs each one', () => {
    const sent = logs(lab, 'KS', CHANGE_AT).filter((l) => l.text.startsWith('%GDOI-5-KS_SEND_MCAST_REKEY:'));
    expect(sent.length).toBeGreaterThanOrEqual(30); // 10 KEK rekeys, each sent 3 times
    const rpfDrops = packets(lab, 'GM-2').filter(
      (p) =>
        p.event === 'dropped' &&
        p.t >= CHANGE_AT &&
        p.protocols.includes('isakmp') &&
        (p.reason ?? '').includes('RPF'),
    );
    expect(rpfDrops).toHaveLength(sent.length);
    expect(rpfDrops[0]!.reason).toContain('1.1.1.1 arrived on Tunnel10 but the RPF interface is Serial1/0');
    expect(logs(lab, 'GM-2', CHANGE_AT).filter((l) => l.text.includes('%GDOI-5-GM_RECV_REKEY'))).toEqual([]);
    const gm1 = logs(lab, 'GM-1', CHANGE_AT).filter((l) => l.text.startsWith('%GDOI-5-GM_RECV_REKEY:'));
    // One receipt per push, same sequence numbers (a multicast rekey reaches GM-1 through the hub's tunnel).
    expect(gm1.map((l) => l.text.replace(/.* with seq # /, ''))).toEqual(
      sent.map((l) => l.text.replace(/.* with seq # /, '')),
    );
    expect(gm2.rekeysCumulative).toBe(0);
  });

  it('shows the page the key state: GM-2 with no rekey, GM-1 with the last sequence, the KS counters', () => {
    const hex = (spi: number): string => `0x${spi.toString(16).toUpperCase().padStart(8, '0')}`;
    const v2 = gdoiView(lab.router('GM-2')!).members[0]!;
    expect(v2).toMatchObject({
      group: 'GDOI_GM',
      status: 'Registered',
      currentTekSpi: hex(firstTek.spi),
      rekeysReceived: 0,
      lastSeq: 0,
      rekeyTransport: 'multicast',
    });
    expect(v2.previousTekSpi).toBeUndefined();
    expect(v2.tekSecondsToExpiry).toBe(Math.floor((firstTek.expiresAt - lab.kernel.now) / 1e6));
    const v1 = gdoiView(lab.router('GM-1')!).members[0]!;
    const gm1 = servicesOf(lab.router('GM-1')!).gdoi.members.get('GDOI_GM')!;
    expect(v1.rekeysReceived).toBe(ks.rekeysSent + ks.rekeysRetransmitted);
    expect(v1.lastSeq).toBe(ks.sent.at(-1)!.seq);
    expect(v1.kekSpi).toMatch(/^[0-9A-F]{32}$/);
    expect(v1.kekSecondsToExpiry).toBeGreaterThan(0);
    expect(v1.teks).toEqual([
      {
        spi: hex(firstTek.spi),
        transform: 'esp-3des esp-md5-hmac',
        secondsToExpiry: Math.floor((gm1.teks[0]!.expiresAt - lab.kernel.now) / 1e6),
        outbound: true,
      },
    ]);
    const k = gdoiView(lab.router('KS')!).keyServers[0]!;
    expect(k).toMatchObject({
      group: 'GDOI_GROUP',
      rekeyTransport: 'multicast',
      rekeyDestination: '239.10.10.1',
      seq: v1.lastSeq,
      rekeysSent: 10, // KEK rekeys at about 302, 602, … 3002 s
      rekeysRetransmitted: 20,
      kekSpi: v1.kekSpi,
      tekSpi: hex(firstTek.spi),
      removedMembers: [],
    });
    expect(k.members.map((m) => m.address)).toEqual(['2.2.2.2', '11.11.11.11', '12.12.12.12']);
    // GM version 1.0.4 (Cisco 116737): the KEK GM-2 downloaded ran out without a KEK rekey, so it registered
    // again each time, a few seconds after each KEK rekey it missed, and holds the group's current KEK.
    expect(v2.kekSpi).toBe(k.kekSpi);
    const kekRekeys = logs(lab, 'KS', CHANGE_AT)
      .filter((l) => l.text.startsWith('%GDOI-5-KS_SEND_MCAST_REKEY:') && l.text.endsWith('seq # 1'))
      .map((l) => l.t);
    const rereg = logs(lab, 'GM-2', CHANGE_AT).filter((l) => l.text.startsWith('%GDOI-4-GM_RE_REGISTER:'));
    expect(rereg).toHaveLength(kekRekeys.length);
    rereg.forEach((r, i) => {
      expect(r.t - kekRekeys[i]!).toBeGreaterThan(0);
      expect(r.t - kekRekeys[i]!).toBeLessThan(seconds(10));
    });
    expect(gm2.succeededRegistrations).toBe(1 + rereg.length);
  });

  it('re-registers 100–160 s before its TEK expires, gets the new TEK and keeps GRE flowing as ESP', async () => {
    await lab.kernel.runUntil(firstTek.expiresAt - seconds(60));
    // Between re-registration and rollover GM-2 holds both TEKs and still encrypts with the old one.
    const mid = gdoiView(lab.router('GM-2')!).members[0]!;
    expect(mid.previousTekSpi).toBe(`0x${firstTek.spi.toString(16).toUpperCase().padStart(8, '0')}`);
    expect(mid.teks.map((t) => t.outbound)).toEqual([false, true]);
    expect(mid.currentTekSpi).toBe(`0x${ks.teks[0]!.spi.toString(16).toUpperCase().padStart(8, '0')}`);
    await lab.kernel.runUntil(seconds(3700));
    // The KS made a new TEK at its TEK rekey; GM-2 missed that rekey too.
    const current = ks.teks[0]!;
    expect(current.spi).not.toBe(firstTek.spi);
    // The TEK-driven re-registration (the KEK-driven ones bring only the old TEK until the KS's TEK rekey).
    const rereg = logs(lab, 'GM-2', current.createdAt).find((l) =>
      l.text.startsWith('%GDOI-4-GM_RE_REGISTER:'),
    );
    expect(rereg).toBeDefined();
    expect(firstTek.expiresAt - rereg!.t).toBeGreaterThanOrEqual(seconds(100));
    expect(firstTek.expiresAt - rereg!.t).toBeLessThanOrEqual(seconds(160));
    expect(rereg!.t).toBeGreaterThan(current.createdAt);
    const done = logs(lab, 'GM-2', rereg!.t).find((l) => l.text.startsWith('%GDOI-5-GM_REGS_COMPL:'));
    expect(done!.t).toBeLessThan(firstTek.expiresAt);
    // Its TEK SPI follows the group's: the old one is gone, the new one is current.
    expect(gm2.teks.map((t) => t.spi)).toEqual([current.spi]);
    expect(servicesOf(lab.router('GM-2')!).esp.groupPolicy('DMVPN', 'GDOI_GM')?.teks[0]?.spi).toBe(
      current.spi,
    );

    // GM-2's GRE travelled as ESP throughout: the old SPI until the rollover 30 s before the old TEK expired,
    // the group's new SPI after.
    const before = espSentByGm2(lab, seconds(3300), firstTek.expiresAt - seconds(31));
    const after = espSentByGm2(lab, firstTek.expiresAt, seconds(3700));
    expect(before.length).toBeGreaterThan(10);
    expect(after.length).toBeGreaterThan(10);
    expect(new Set(before.map((e) => e.spi))).toEqual(new Set([firstTek.spi]));
    expect(new Set(after.map((e) => e.spi))).toEqual(new Set([current.spi]));
    // Nobody met an SPI it did not know, and the EIGRP adjacency over the tunnel never went down.
    for (const device of ['Central', 'GM-1', 'GM-2']) {
      expect(packets(lab, device).filter((p) => (p.reason ?? '').includes('unknown SPI'))).toEqual([]);
      expect(logs(lab, device).filter((l) => /%DUAL-5-NBRCHANGE.* is down/.test(l.text))).toEqual([]);
    }
    const ping = await new CliSession(lab.router('GM-2')!, { epochMs: lab.epochMs }).execute(
      'ping 192.168.100.1 source Tunnel10',
    );
    expect(ping).toContain('Success rate is 100 percent (5/5)');
    const pinged = espSentByGm2(lab, seconds(3700), lab.kernel.now + 1);
    expect(pinged.length).toBeGreaterThanOrEqual(5);
    expect(new Set(pinged.map((e) => e.spi))).toEqual(new Set([current.spi]));
  }, 120_000);
});
