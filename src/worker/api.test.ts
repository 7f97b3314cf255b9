import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE, SECOND } from './reference-lab.test-support';

describe('worker API for the page', () => {
  it('gives the page every wire protocol’s colour and the legend from the protocol descriptors', async () => {
    const api = createSimApi();
    const { lab } = await api.load(REFERENCE);
    const styles = lab?.wireStyles ?? [];
    const colorOf = new Map(styles.map((s) => [s.id, s.color]));
    // What the page drew before the descriptors held it (src/ui/hops.ts's table): the colours a user knows.
    expect(colorOf.get('pim')).toBe('#1565c0');
    expect(colorOf.get('gdoi')).toBe('#c62828');
    expect(colorOf.get('ipv4')).toBe('#607d8b');
    const legend = styles.filter((s) => s.legendOrder !== undefined).map((s) => s.label);
    expect(legend.slice(0, 3)).toEqual(['ESP', 'GRE', 'NHRP']);
    expect(legend).toContain('Auto-RP');
    expect((await api.lab())?.wireStyles).toEqual(styles);
  });

  it('lists the router panel’s protocol tabs from the protocol descriptors, and builds their typed views', async () => {
    const api = createSimApi();
    const { lab } = await api.load(REFERENCE);
    // The tabs the panel showed before the descriptors held them, with the same show commands.
    expect(lab?.routerViews?.map((v) => [v.id, v.label, v.commands])).toEqual([
      ['nhrp', 'NHRP', ['show ip nhrp', 'show dmvpn']],
      ['pim', 'PIM', ['show ip pim neighbor', 'show ip mroute']],
      ['gdoi', 'GDOI', ['show crypto gdoi']],
    ]);
    expect(lab?.routerViews?.filter((v) => v.hasState).map((v) => v.id)).toEqual(['pim', 'gdoi']);
    await api.runUntil(60 * SECOND);
    // Built by each protocol's `routerViews[].state`: the hub is GM-1's PIM neighbour and DR on Tunnel10.
    const pim = await api.pimView('GM-1');
    expect(pim.neighbors).toContainEqual(
      expect.objectContaining({ address: '192.168.100.1', iface: 'Tunnel10', dr: true }),
    );
    expect((await api.gdoiView('GM-1')).members[0]?.group).toBe('GDOI_GM');
    await expect(api.pimView('NO-SUCH')).rejects.toThrow('There is no device named "NO-SUCH".');
  });

  it('rewinds to an earlier moment by replaying the console lines at their simulated times', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(20 * SECOND);
    for (const line of ['configure terminal', 'interface Serial1/0', 'shutdown', 'end']) {
      await api.exec('GM-2', line);
    }
    await api.runUntil(40 * SECOND);
    const original = await api.traceHash();
    const originalCommands = await api.commands();

    const back = await api.rewind(30 * SECOND);
    expect(back.batch.now).toBe(30 * SECOND);
    expect(back.commands.map((c) => c.line)).toEqual(originalCommands.map((c) => c.line));
    expect(
      back.lab.devices.find((d) => d.name === 'GM-2')?.interfaces.find((i) => i.short === 'Se1/0')?.status,
    ).toBe('administratively down');
    await api.runUntil(40 * SECOND);
    expect(await api.traceHash()).toBe(original);

    // Before the shutdown was typed: the line is forgotten and the interface is up again.
    const earlier = await api.rewind(10 * SECOND);
    expect(earlier.commands).toEqual([]);
    const se = earlier.lab.devices
      .find((d) => d.name === 'GM-2')
      ?.interfaces.find((i) => i.short === 'Se1/0');
    expect(se?.status).toBe('up');
  });

  it('returns a frame with its layer tree decoded from its bytes', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const batch = await api.runUntil(2 * SECOND);
    const sent = batch.records.find((r) => r.kind === 'packet' && r.event === 'sent' && r.link !== undefined);
    if (sent?.kind !== 'packet') throw new Error('no frame was sent');
    const frame = await api.frame(sent.frameId);
    expect(frame?.bytes.length).toBeGreaterThan(20);
    expect(frame?.layers.map((l) => l.protocol)).toEqual(sent.protocols);
    const ttl = frame?.layers[0]?.fields.find((f) => f.name === 'ip.ttl');
    expect(ttl?.end).toBe(9);
    expect(structuredClone(frame)).toEqual(frame);
  });

  it('steps to the next event of a chosen protocol, skipping the others', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const batch = await api.stepMatching(['eigrp'], 60 * SECOND);
    const last = batch.records[batch.records.length - 1];
    expect(last?.kind === 'packet' && last.protocols.includes('eigrp')).toBe(true);
    expect(batch.records.some((r) => r.kind === 'packet' && r.protocols.includes('nhrp'))).toBe(true);
  });

  it("reports each router's RPF interface towards the KS and the spokes' ip mroute lines", async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(30 * SECOND);
    const view = await api.multicastView('1.1.1.1', '239.10.10.1');
    const gm2 = view.rpf.find((r) => r.device === 'GM-2');
    expect(gm2).toMatchObject({ interface: 'Tunnel10', kind: 'static-mroute', neighbor: '192.168.100.1' });
    expect(view.mroutes.find((m) => m.device === 'GM-2')?.lines).toEqual([
      'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1',
    ]);
    expect(view.mroutes.find((m) => m.device === 'Central')?.lines).toEqual([]);
  });
});

describe('multicastView: trees for the page', () => {
  /** The reference lab with the spokes joining on Loopback0: they send PIM joins, tracked per spoke on the hub. */
  function spokesJoinOnLoopback(): string {
    const scenario = JSON.parse(REFERENCE) as { devices: { name: string; config: string }[] };
    for (const d of scenario.devices) {
      d.config = d.config.replace(' ip igmp join-group 239.10.10.1\n', '');
      if (d.name.startsWith('GM-'))
        d.config = d.config.replace(
          /(interface Loopback 0\n ip address \S+ \S+\n ip pim sparse-mode\n)/,
          '$1 ip igmp join-group 239.10.10.1\n',
        );
    }
    return JSON.stringify(scenario);
  }

  it('gives each router its RPF toward the source and its entry for the group, per neighbour on nbma tunnels', async () => {
    const api = createSimApi();
    await api.load(spokesJoinOnLoopback());
    await api.runUntil(180 * SECOND);
    const view = await api.multicastView('1.1.1.1', '239.10.10.1');
    expect(view.rpf.find((r) => r.device === 'GM-2')).toMatchObject({
      interface: 'Tunnel10',
      neighbor: '192.168.100.1',
      kind: 'static-mroute',
      viaTunnel: true,
    });
    expect(view.rpf.find((r) => r.device === 'Central')).toMatchObject({
      interface: 'FastEthernet0/0',
      kind: 'unicast',
      viaTunnel: false,
    });
    const central = view.entries.find((e) => e.device === 'Central');
    expect(central).toMatchObject({
      entry: '(*, 239.10.10.1)',
      kind: 'star',
      rp: '1.1.1.1',
      incoming: 'FastEthernet0/0',
      rpfNeighbor: '10.1.1.2',
    });
    expect(central?.outgoing.map((o) => [o.iface, o.nextHop, o.reason])).toEqual([
      ['Tunnel10', '192.168.100.2', 'pim'],
      ['Tunnel10', '192.168.100.3', 'pim'],
    ]);
    expect(view.entries.find((e) => e.device === 'GM-2')).toMatchObject({
      incoming: 'Tunnel10',
      rpfNeighbor: '192.168.100.1',
      outgoing: [{ iface: 'Loopback0', reason: 'local', passive: false }],
    });
    // Once the KS sends, the routers on the source tree report their (S,G) entry instead.
    await api.exec('KS', 'ping 239.10.10.1 source Loopback0');
    const after = await api.multicastView('1.1.1.1', '239.10.10.1');
    expect(after.entries.find((e) => e.device === 'Central')?.entry).toBe('(1.1.1.1, 239.10.10.1)');
  });

  // Issue 18: while the page plays, it reads the lab view every 0.5–2 s; a 5,000-spoke view is 4.5 MB and ~130 ms
  // to build and as long to copy, so the worker sends the clock alone when the view the page holds is unchanged.
  it('while playing, the view comes whole only when the one the page holds is not the newest or has changed', async () => {
    const api = createSimApi();
    const loaded = (await api.load(REFERENCE)).lab;
    await api.runUntil(60 * SECOND);
    // The page holds the view the load gave: nothing but time changed since.
    expect(await api.labIfChanged(loaded?.serial)).toEqual({
      unchanged: true,
      now: 60 * SECOND,
      clock: expect.stringMatching(/^\*\d\d:\d\d:\d\d\.\d{3} UTC /),
    });
    // A page holding no numbered view, or not the newest one, gets the whole view.
    const whole = await api.labIfChanged();
    expect(whole && 'devices' in whole).toBe(true);
    const newest = whole && 'devices' in whole ? whole.serial : undefined;
    expect(newest).toBeGreaterThan(loaded?.serial ?? Infinity);
    const stale = await api.labIfChanged(loaded?.serial);
    expect(stale && 'devices' in stale ? stale.serial : undefined).toBeGreaterThan(newest ?? Infinity);
    const held = stale && 'devices' in stale ? stale.serial : undefined;
    await api.runUntil(61 * SECOND);
    expect(await api.labIfChanged(held)).toMatchObject({ unchanged: true, now: 61 * SECOND });

    for (const line of ['configure terminal', 'interface Serial1/0', 'shutdown', 'end'])
      await api.exec('GM-2', line);
    await api.runUntil(62 * SECOND);
    const changed = await api.labIfChanged(held);
    const gm2 = changed && 'devices' in changed ? changed.devices.find((d) => d.name === 'GM-2') : undefined;
    expect(gm2?.interfaces.find((i) => i.short === 'Se1/0')?.status).toBe('administratively down');
  });
});
