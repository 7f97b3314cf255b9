// The timeline's markers come from the worker (issue 18): every registration, rekey sent, RPF drop and configuration
// change of the run, also those before a jump's window of records, and after a rewind those up to its moment.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { EventClassifier } from './classify';
import { markerOf } from './markers';
import { markerOfClass } from './page-helpers';
import type { Marker, TraceBatch, TraceRecord } from './protocol';
import { REFERENCE } from './reference-lab.test-support';

const S = 1_000_000;

const log = (text: string): TraceRecord => ({ kind: 'log', t: 5, device: 'GM-1', level: 'syslog', text });
const dropped = (reason: string): TraceRecord => ({
  kind: 'packet',
  t: 7,
  event: 'dropped',
  device: 'GM-2',
  iface: 'Tunnel10',
  frameId: 0,
  protocols: ['ipv4', 'udp', 'gdoi'],
  summary: 'GDOI rekey',
  reason,
});

/** The central story: GM-2's static mroute removed at 320 s (its RPF check then fails on the rekeys). */
const NO_MROUTE = ['configure terminal', 'no ip mroute 1.1.1.1 255.255.255.255 192.168.100.1', 'end'];

/** The markers the page would read off every record of a batch, one by one, from the worker's classes. */
function markersOfRecords(records: readonly TraceRecord[]): Marker[] {
  return records.flatMap((r) => (r.typed ? (markerOfClass(r, r.typed) ?? []) : []));
}

describe('timeline markers', () => {
  it('marks registrations, rekeys sent, RPF drops and configuration changes (IOS message codes, drop reasons)', () => {
    expect(markerOf(log('%GDOI-5-GM_REGS_COMPL: Registration to KS 1.1.1.1 complete'))?.kind).toBe(
      'registration',
    );
    expect(markerOf(log('%GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey'))?.kind).toBe('rekey');
    expect(markerOf(log('%SYS-5-CONFIG_I: Configured from console by console'))?.kind).toBe('config');
    // Neither a DMVPN session nor a member's receipt is a registration or a rekey sent (issue 14: "Rekey (9)").
    expect(markerOf(log('%DMVPN-5-NHRP_NHS_UP: Tunnel10'))).toBeUndefined();
    expect(markerOf(log('%GDOI-5-GM_RECV_REKEY: Received Rekey'))).toBeUndefined();
    expect(markerOf(log('%LINK-3-UPDOWN: Interface Serial1/0'))).toBeUndefined();
    const rpf = dropped('RPF check failed: 1.1.1.1 arrived on Tunnel10');
    expect(markerOf(rpf)).toEqual({
      t: 7,
      kind: 'rpf-drop',
      device: 'GM-2',
      text: 'GDOI rekey: RPF check failed: 1.1.1.1 arrived on Tunnel10',
    });
    expect(markerOf(dropped('TTL expired in transit'))).toBeUndefined();
    // The worker's shortcut gives what the full classifier's class gives the page's recorded-trace player.
    const classifier = new EventClassifier(
      () => undefined,
      () => false,
    );
    for (const r of [
      log('%GDOI-5-GM_REGS_COMPL: x'),
      log('%SYS-5-CONFIG_I: y'),
      log('%PIM-5-NBRCHG: z'),
      rpf,
    ])
      expect(markerOfClass(r, classifier.classify(r))).toEqual(markerOf(r));
  });

  it('a jump ahead carries the markers of every record, not only of its window', async () => {
    // Straight: every record of the run reaches the caller (no window), the page's markers read off them.
    const straight = createSimApi();
    await straight.load(REFERENCE);
    const everything: TraceRecord[] = [];
    const gathered: Marker[] = [];
    const take = (b: TraceBatch): void => {
      everything.push(...b.records);
      gathered.push(...(b.markers ?? []));
    };
    take(await straight.runUntil(320 * S));
    for (const line of NO_MROUTE) gathered.push(...((await straight.exec('GM-2', line)).markers ?? []));
    take(await straight.runUntil(1000 * S));
    const expected = markersOfRecords(everything);
    expect(gathered.filter((m) => m.kind !== 'config')).toEqual(expected);
    const kinds = new Set(expected.map((m) => m.kind));
    expect([...kinds].sort()).toEqual(['registration', 'rekey', 'rpf-drop']);
    expect(gathered.filter((m) => m.kind === 'config').map((m) => [m.t, m.device])).toEqual([
      [320 * S, 'GM-2'],
    ]);

    // The page's jump: runs with a window of 2,000 records, as its Run to does.
    const page = createSimApi();
    await page.load(REFERENCE);
    const jumped: Marker[] = [];
    const first = await page.runUntil(320 * S, 2000);
    jumped.push(...(first.markers ?? []));
    for (const line of NO_MROUTE) jumped.push(...((await page.exec('GM-2', line)).markers ?? []));
    const jump = await page.runUntil(1000 * S, 2000);
    jumped.push(...(jump.markers ?? []));
    // The window began long after 320 s: its records alone showed none of the first minute's registrations and not the first RPF drops.
    expect(jump.records[0]!.t).toBeGreaterThan(700 * S);
    const fromWindows = markersOfRecords([...first.records, ...jump.records]);
    expect(fromWindows.filter((m) => m.t < 60 * S)).toEqual([]);
    expect(gathered.filter((m) => m.t < 60 * S && m.kind === 'registration').length).toBeGreaterThan(0);
    expect(fromWindows.filter((m) => m.kind === 'rpf-drop').length).toBeLessThan(
      gathered.filter((m) => m.kind === 'rpf-drop').length,
    );
    expect(jumped).toEqual(gathered);
    // And the log lines the window left out come along for the consoles: with the window's own, every line.
    const logsOf = (rs: readonly TraceRecord[]): string[] =>
      rs.flatMap((r) => (r.kind === 'log' ? [`${r.t} ${r.device} ${r.text}`] : []));
    const printed = logsOf([...(jump.logsLeftOut ?? []), ...jump.records]);
    expect(jump.logsLeftOut?.length).toBeGreaterThan(0);
    expect(printed).toEqual(logsOf(everything).filter((line) => Number(line.split(' ')[0]) > 320 * S));
  });

  it('a rewind carries the markers up to its moment, from a checkpoint or re-simulated from t = 0', async () => {
    const straight = async (toS: number): Promise<Marker[]> => {
      const api = createSimApi({ checkpoints: { minMs: 1e12, copyFactor: 0 } });
      await api.load(REFERENCE);
      const out = [...((await api.runUntil(320 * S)).markers ?? [])];
      for (const line of NO_MROUTE) out.push(...((await api.exec('GM-2', line)).markers ?? []));
      if (toS > 320) out.push(...((await api.runUntil(toS * S)).markers ?? []));
      return out;
    };
    for (const spacing of [
      { minMs: 0, copyFactor: 0 },
      { minMs: 1e12, copyFactor: 0 },
    ]) {
      const api = createSimApi({ checkpoints: spacing });
      await api.load(REFERENCE);
      await api.runUntil(320 * S, 100);
      for (const line of NO_MROUTE) await api.exec('GM-2', line);
      await api.runUntil(1000 * S, 100);
      for (const toS of [700, 330]) {
        const back = await api.rewind(toS * S, 100);
        expect(back.batch.markers, `rewound to ${toS} s`).toEqual(await straight(toS));
      }
      // Before the console line: its configuration change and the RPF drops after it are gone.
      const early = await api.rewind(200 * S, 100);
      expect(early.batch.markers?.some((m) => m.kind === 'config' || m.kind === 'rpf-drop')).toBe(false);
      expect(early.batch.markers?.some((m) => m.kind === 'registration')).toBe(true);
      // And a run on from there marks what happens next again, once.
      const on = await api.runUntil(400 * S, 100);
      expect([...(early.batch.markers ?? []), ...(on.markers ?? [])]).toEqual(
        (await straight(400)).filter((m) => m.kind !== 'config' && m.kind !== 'rpf-drop'),
      );
    }
  }, 120_000);
});
