import { describe, expect, it } from 'vitest';
import type { LabView, TraceRecord } from '../worker/protocol';
import {
  addressOwner,
  encapsulationLabel,
  groupSteps,
  hopOf,
  linkAt,
  type Marker,
  markerCounts,
  matchesProtocols,
  stepDurationMs,
  wireStyles,
  wrapText,
} from './hops';

const iface = (name: string, short: string, address?: string) => ({
  name,
  short,
  status: 'up',
  protocol: 'up' as const,
  ...(address ? { address } : {}),
});

const LAB: LabView = {
  title: 't',
  description: '',
  now: 0,
  clock: '',
  problems: [],
  devices: [
    { name: 'Central', role: 'router', interfaces: [iface('Serial2/0', 'Se2/0', '172.17.1.1/24')] },
    { name: 'SP', role: 'provider', interfaces: [] },
    { name: 'GM-1', role: 'router', interfaces: [iface('Serial1/0', 'Se1/0', '172.27.1.1/24')] },
    { name: 'GM-2', role: 'router', interfaces: [iface('Serial1/0', 'Se1/0', '172.37.1.1/24')] },
  ],
  links: [
    {
      id: 'Central Serial2/0--SP Serial1/0',
      a: { device: 'Central', iface: 'Serial2/0' },
      b: { device: 'SP', iface: 'Serial1/0' },
      delayMs: 5,
      loss: 0,
      up: true,
    },
  ],
  overlay: [
    {
      id: 'Central Tunnel10==GM-1 Tunnel10',
      a: { device: 'Central', iface: 'Tunnel10' },
      b: { device: 'GM-1', iface: 'Tunnel10' },
      kind: 'hub-spoke',
      nbmaA: '172.17.1.1',
      nbmaB: '172.27.1.1',
    },
  ],
};

const packet = (over: Partial<TraceRecord & { kind: 'packet' }>): TraceRecord => ({
  kind: 'packet',
  t: 1000,
  event: 'sent',
  device: 'Central',
  frameId: 1,
  protocols: ['ipv4', 'gre', 'ipv4', 'eigrp'],
  summary: 'EIGRP Hello',
  ...over,
});

describe('hops from trace records', () => {
  it('puts a frame sent on a link on that physical link, towards the far device', () => {
    const hop = hopOf(packet({ iface: 'Serial2/0', link: 'Central Serial2/0--SP Serial1/0' }), 7, LAB);
    expect(hop).toMatchObject({
      kind: 'link',
      from: 'Central',
      to: 'SP',
      edgeId: 'Central Serial2/0--SP Serial1/0',
    });
  });

  it('puts the inner packet on the overlay edge towards the device owning the NBMA address', () => {
    const hop = hopOf(
      packet({ iface: 'Tunnel10', overlayPeer: '172.27.1.1', protocols: ['ipv4', 'eigrp'] }),
      1,
      LAB,
    );
    expect(hop).toMatchObject({ kind: 'overlay', to: 'GM-1', edgeId: 'Central Tunnel10==GM-1 Tunnel10' });
  });

  it('finds a peer without an overlay edge yet by its interface address', () => {
    const hop = hopOf(packet({ iface: 'Tunnel10', overlayPeer: '172.37.1.1' }), 1, LAB);
    expect(hop).toMatchObject({ kind: 'overlay', to: 'GM-2' });
    expect(hop?.edgeId).toBeUndefined();
  });

  it('stops a dropped packet at its device with the reason, and ignores receptions', () => {
    const drop = hopOf(packet({ event: 'dropped', device: 'GM-2', reason: 'RPF check failed' }), 1, LAB);
    expect(drop).toMatchObject({ kind: 'drop', from: 'GM-2', reason: 'RPF check failed' });
    expect(hopOf(packet({ event: 'received' }), 1, LAB)).toBeUndefined();
  });

  it('finds the link at a device interface and the device holding an address', () => {
    expect(linkAt(LAB, 'SP', 'Serial1/0')?.id).toBe('Central Serial2/0--SP Serial1/0');
    expect(linkAt(LAB, 'Central', 'Serial2/0')?.id).toBe('Central Serial2/0--SP Serial1/0');
    expect(linkAt(LAB, 'GM-1', 'Serial1/0')).toBeUndefined();
    expect(addressOwner(LAB, '172.37.1.1')).toBe('GM-2');
    expect(addressOwner(LAB, '10.9.9.9')).toBeUndefined();
  });

  it('groups hops of one instant into one step so replicated copies fan out together', () => {
    const a = hopOf(packet({ overlayPeer: '172.27.1.1' }), 1, LAB);
    const b = hopOf(packet({ overlayPeer: '172.37.1.1' }), 2, LAB);
    const c = hopOf(packet({ t: 6000, link: 'Central Serial2/0--SP Serial1/0' }), 3, LAB);
    if (!a || !b || !c) throw new Error('hops expected');
    expect(groupSteps([a, b, c]).map((s) => s.map((h) => h.seq))).toEqual([[1, 2], [3]]);
  });
});

describe('labels, markers and pacing', () => {
  // Wire styles as the worker sends them in a lab view (LabView.wireStyles): IPv4 and UDP unlisted, then the legend.
  const WIRE = wireStyles([
    { id: 'ipv4', label: 'IPv4', color: '#607d8b' },
    { id: 'udp', label: 'UDP', color: '#78909c' },
    { id: 'pim', label: 'PIM', color: '#1565c0', legendOrder: 5 },
    { id: 'autorp', label: 'Auto-RP', color: '#5c6bc0', legendOrder: 6 },
    { id: 'esp', label: 'ESP', color: '#7b1fa2', legendOrder: 1 },
    { id: 'gre', label: 'GRE', color: '#00838f', legendOrder: 2 },
  ]);

  it('labels the encapsulation outermost first without the IPv4 and UDP carriers', () => {
    expect(encapsulationLabel(['ipv4', 'esp', 'ipv4', 'gre', 'ipv4', 'pim'], WIRE)).toBe('ESP ⊃ GRE ⊃ PIM');
    expect(encapsulationLabel(['ipv4', 'udp', 'autorp'], WIRE)).toBe('Auto-RP');
    expect(encapsulationLabel(['ipv4'], WIRE)).toBe('IPv4');
  });

  it('takes labels, colours and the legend from the worker’s wire styles, legend in its order', () => {
    expect(WIRE.legend).toEqual(['esp', 'gre', 'pim', 'autorp']);
    expect(WIRE.color('autorp')).toBe('#5c6bc0');
    // A protocol no descriptor styles is drawn grey and named in capitals; an undecoded payload is "Data".
    expect([WIRE.color('bsr'), WIRE.name('bsr'), WIRE.name('data')]).toEqual(['#455a64', 'BSR', 'Data']);
    // Before a lab loads there are no styles, and no legend.
    expect(wireStyles().legend).toEqual([]);
  });

  it('counts markers by kind, once per markers array', () => {
    const at = (kind: Marker['kind'], t: number): Marker => ({ t, kind, device: 'GM-2', text: '' });
    const markers = [at('config', 1), at('rekey', 2), at('config', 3)];
    expect(markerCounts(markers).get('config')).toBe(2);
    expect(markerCounts(markers).get('rekey')).toBe(1);
    expect(markerCounts(markers).get('rpf-drop')).toBeUndefined();
    expect(markerCounts(markers)).toBe(markerCounts(markers));
    expect(markerCounts([...markers, at('config', 4)]).get('config')).toBe(3);
  });

  it('filters records by protocol; logs pass only an empty filter', () => {
    expect(matchesProtocols(packet({}), ['eigrp'])).toBe(true);
    expect(matchesProtocols(packet({}), ['pim'])).toBe(false);
    expect(matchesProtocols({ kind: 'log', t: 0, device: 'A', level: 'debug', text: 'x' }, ['pim'])).toBe(
      false,
    );
    expect(matchesProtocols({ kind: 'log', t: 0, device: 'A', level: 'debug', text: 'x' }, [])).toBe(true);
  });

  it('plays a step over 400 to 800 ms whatever the simulated link delay', () => {
    expect(stepDurationMs(1)).toBe(800);
    expect(stepDurationMs(1000)).toBe(400);
    expect(stepDurationMs(10)).toBeGreaterThan(stepDurationMs(100));
  });

  it('wraps a long drop reason to short lines', () => {
    const lines = wrapText(
      'RPF check failed: 1.1.1.1 arrived on Serial1/0 but the RPF interface is Tunnel10',
      30,
    );
    expect(lines.every((l) => l.length <= 30)).toBe(true);
    expect(lines.join(' ')).toContain('Tunnel10');
  });
});
