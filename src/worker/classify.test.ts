// The worker's classifier on every packet type of a 700 s capture of the reference lab (the article's lab): each
// record's protocol, encapsulation, kind and drop code, checked against the decoded (and decrypted) bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { dropCode } from './classify';
import type { EventClass, FrameView, LayerView, SimApi, TraceRecord } from './protocol';
import { REFERENCE, SECOND } from './reference-lab.test-support';

const MILLISECOND = 1_000;

let api: SimApi;
let records: readonly TraceRecord[];

beforeAll(async () => {
  api = createSimApi();
  await api.load(REFERENCE);
  records = (await api.runUntil(700 * SECOND)).records;
}, 60_000);

const typedOf = (r: TraceRecord): EventClass => {
  if (!r.typed) throw new Error(`record without class: ${JSON.stringify(r)}`);
  return r.typed;
};

const packets = (): Extract<TraceRecord, { kind: 'packet' }>[] =>
  records.filter((r): r is Extract<TraceRecord, { kind: 'packet' }> => r.kind === 'packet');

const logs = (kind: EventClass['kind']): TraceRecord[] =>
  records.filter((r) => r.kind === 'log' && typedOf(r).kind === kind);

/** The encapsulation a dissection shows, as the classifier names it (exchange type decides GDOI vs ISAKMP). */
function expectedLayers(layers: readonly LayerView[]): string[] {
  return layers
    .filter((l) => !['ipv4', 'udp', 'data'].includes(l.protocol))
    .map((l) => {
      if (l.protocol !== 'isakmp') return l.protocol;
      const exchange = l.fields.find((f) => f.name === 'isakmp.exchangetype')?.value ?? '';
      // RFC 6407: GROUPKEY-PULL is exchange 32, GROUPKEY-PUSH 33 (RFC 8263's ACK 35); main mode 2 is IKE phase 1.
      return /\((32|33|35)\)$/.test(exchange) ? 'gdoi' : 'isakmp';
    });
}

describe('event classifier on the reference lab (700 s)', () => {
  it('gives every record a class', () => {
    expect(records.length).toBeGreaterThan(5000);
    for (const r of records) expect(typedOf(r).kind).toBeTruthy();
  });

  it('names each cleartext packet type by its innermost protocol, as its frame dissects', async () => {
    const seen = new Map<string, Extract<TraceRecord, { kind: 'packet' }>>();
    for (const r of packets()) {
      if (r.frameId > 0 && !r.protocols.includes('esp')) seen.set(r.protocols.join('/'), r);
    }
    // Every cleartext type of the lab: PIM, PIMv1 in IGMP, IGMP, EIGRP, Auto-RP, ISAKMP/GDOI, GRE with NHRP
    // and with each of those inside.
    expect([...seen.keys()].sort()).toEqual(
      expect.arrayContaining([
        'ipv4/gre/ipv4/eigrp',
        'ipv4/gre/ipv4/pim',
        'ipv4/gre/ipv4/udp/autorp',
        'ipv4/gre/nhrp',
        'ipv4/igmp',
        'ipv4/igmp/pim',
        'ipv4/pim',
        'ipv4/udp/autorp',
        'ipv4/udp/isakmp',
      ]),
    );
    for (const r of seen.values()) {
      const frame = (await api.frame(r.frameId)) as FrameView;
      const layers = expectedLayers(frame.layers);
      expect(typedOf(r).layers, r.summary).toEqual(layers);
      expect(typedOf(r).protocol).toBe(layers[layers.length - 1]);
    }
  });

  it('classes GROUPKEY-PULL and GROUPKEY-PUSH as GDOI and only IKE main mode as ISAKMP (both on UDP 848)', async () => {
    const udp848 = packets().filter((r) => r.frameId > 0 && r.protocols.join('/') === 'ipv4/udp/isakmp');
    const byProtocol = new Map<string, number>();
    for (const r of udp848) {
      const frame = (await api.frame(r.frameId)) as FrameView;
      expect(typedOf(r).layers).toEqual(expectedLayers(frame.layers));
      byProtocol.set(typedOf(r).protocol, (byProtocol.get(typedOf(r).protocol) ?? 0) + 1);
    }
    expect(byProtocol.get('gdoi')).toBeGreaterThan(0);
    expect(byProtocol.get('isakmp')).toBeGreaterThan(0);
  });

  it('classes every record carrying ISAKMP as its dissector names it, tunnelled or not (frames and inner packets)', () => {
    const carrying = packets().filter((r) => r.protocols.includes('isakmp'));
    expect(new Set(carrying.map((r) => `${r.event} ${r.protocols.join('/')}`)).size).toBeGreaterThan(4);
    for (const r of carrying) {
      // The dissector's summary names the exchange's protocol: GDOI for exchanges 32, 33 and 35 (RFC 6407).
      const named = r.summary.startsWith('GDOI') ? 'gdoi' : 'isakmp';
      expect(typedOf(r).protocol, `${r.device} ${r.event} ${r.summary}`).toBe(named);
      expect(typedOf(r).layers).toEqual([...(r.protocols.includes('gre') ? ['gre'] : []), named]);
    }
  });

  it('knows what every ESP packet carries: ESP ⊃ GRE ⊃ X, as decrypting it with the group TEK shows', async () => {
    const esp = packets().filter((r) => r.protocols.join('/') === 'ipv4/esp');
    expect(esp.length).toBeGreaterThan(1000);
    const inner = new Set<string>();
    for (const r of esp) {
      const layers = typedOf(r).layers;
      expect(layers.slice(0, 2), `${r.device} ${r.event} ${r.summary}`).toEqual(['esp', 'gre']);
      inner.add(layers.slice(2).join('/'));
    }
    // Each kind the hub tunnels: routing, multicast control, Auto-RP, GDOI rekeys.
    expect([...inner].sort()).toEqual(
      expect.arrayContaining(['eigrp', 'gdoi', 'igmp', 'igmp/pim', 'pim', 'autorp']),
    );
    // Checked against the decrypted bytes for each distinct inner type, on a sender's frame.
    const sample = new Map<string, Extract<TraceRecord, { kind: 'packet' }>>();
    for (const r of esp) if (r.event === 'sent') sample.set(typedOf(r).layers.join('/'), r);
    for (const r of sample.values()) {
      const frame = (await api.frame(r.frameId)) as FrameView;
      expect(frame.decrypted).toBeDefined();
      expect(typedOf(r).layers).toEqual(['esp', ...expectedLayers(frame.decrypted?.layers ?? [])]);
    }
  });

  it('marks rekeys sent and received from the packets, as many as the KS and members log', () => {
    const sentLogs = logs('rekey-sent');
    const sentPackets = packets().filter((r) => typedOf(r).kind === 'rekey-sent');
    expect(sentLogs.length).toBeGreaterThan(0);
    expect(sentLogs.every((r) => r.device === 'KS')).toBe(true);
    expect(sentPackets.map((r) => [r.device, r.t])).toEqual(sentLogs.map((r) => [r.device, r.t]));
    const receivedLogs = logs('rekey-received');
    const receivedPackets = packets().filter((r) => typedOf(r).kind === 'rekey-received');
    // A member logs %GDOI-5-GM_RECV_REKEY once it has processed the push: 140 ms after "Received Rekey
    // Message!" in the article's debug (36.975 → 37.115); GETLab's member takes 44 ms + 4 ms per step.
    expect(receivedPackets.map((r) => r.device)).toEqual(receivedLogs.map((r) => r.device));
    receivedPackets.forEach((p, i) => {
      const delay = receivedLogs[i]!.t - p.t;
      expect(delay).toBeGreaterThan(100 * MILLISECOND);
      expect(delay).toBeLessThan(250 * MILLISECOND);
    });
  });

  it('counts three registrations by 10 s, and adjacencies from the IOS message codes', () => {
    const early = logs('registration').filter((r) => r.t <= 10 * SECOND);
    expect(early.map((r) => r.device).sort()).toEqual(['Central', 'GM-1', 'GM-2']);
    expect(logs('adjacency-up').length).toBeGreaterThan(0);
    expect(logs('adjacency-down')).toEqual([]);
    const gdoiLog = logs('registration')[0];
    expect(gdoiLog && typedOf(gdoiLog)).toMatchObject({ protocol: 'gdoi', code: 'GDOI-5-GM_REGS_COMPL' });
  });

  it("codes the hub's only drop at t = 0: no NHRP multicast destination yet", () => {
    const drops = packets().filter((r) => r.event === 'dropped');
    expect(drops).toHaveLength(1);
    expect(typedOf(drops[0]!)).toMatchObject({
      kind: 'drop',
      protocol: 'igmp',
      drop: { code: 'no-nhrp-multicast' },
    });
  });

  it('codes the reasons the simulator writes', () => {
    expect(
      dropCode(
        'RPF check failed: 1.1.1.1 arrived on Tunnel10 but the RPF interface is Serial1/0 (unicast route)',
      ),
    ).toBe('rpf-failed');
    expect(dropCode('lost on the link (loss 100%)')).toBe('link-loss');
    expect(dropCode('no route to 10.9.9.9')).toBe('no-route');
    expect(dropCode('TTL expired in transit')).toBe('ttl-expired');
    expect(dropCode('something new')).toBe('other');
  });
});

describe('stepping by class (simulation mode’s Next and Back)', () => {
  it('the GDOI filter finds the first registration, then the first rekey, one kernel event per step', async () => {
    const sim = createSimApi();
    await sim.load(REFERENCE);
    const first = await sim.stepMatching(['gdoi'], 3600 * SECOND);
    const step = first.records.slice(first.step?.from);
    const pull = step.find((r) => r.kind === 'packet' && r.typed?.protocol === 'gdoi');
    expect(pull?.kind === 'packet' && pull.summary).toContain('GROUPKEY-PULL');
    // One kernel event: one device at one instant.
    expect(new Set(step.map((r) => `${r.device} ${r.t}`)).size).toBe(1);
    let rekey: TraceRecord | undefined;
    for (let i = 0; i < 400 && !rekey; i++) {
      const b = await sim.stepMatching(['gdoi'], 3600 * SECOND);
      rekey = b.records.slice(b.step?.from).find((r) => r.typed?.kind === 'rekey-sent');
    }
    expect(rekey?.device).toBe('KS');
    expect(rekey!.t).toBeGreaterThan(290 * SECOND);
    expect(rekey!.t).toBeLessThan(310 * SECOND);
  });

  it('rewinds to the end of an earlier step: the same records, the same trace', async () => {
    const sim = createSimApi();
    await sim.load(REFERENCE);
    await sim.runUntil(5 * SECOND);
    const a = await sim.stepMatching(['pim'], 3600 * SECOND);
    const hash = await sim.traceHash();
    await sim.stepMatching(['pim'], 3600 * SECOND);
    const back = await sim.rewindToRecord(a.step!.end, a.now);
    expect(back.batch.total).toBe(a.step!.end);
    expect(await sim.traceHash()).toBe(hash);
    expect(back.batch.records.slice(-(a.records.length - a.step!.from))).toEqual(
      a.records.slice(a.step!.from),
    );
  });
});
