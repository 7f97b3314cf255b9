import { describe, expect, it } from 'vitest';
import { ByteReader, fromHex } from './bytes';
import {
  dissect,
  field,
  type Layer,
  registerIpProtocolDissector,
  registerUdpPortDissector,
  summarize,
} from './dissect';
import { encodeIcmp, icmpOriginal } from './icmp';
import { encodeIpv4, IP_PROTO, type Ipv4Header, ipv4Header } from './ipv4';
import { formatIpv4, parseIpv4 } from './ipv4-address';
import { encodeUdp } from './udp';

const ip = (text: string): number => parseIpv4(text) ?? 0;
// RFC 3692 experimental protocol numbers and a private port, so these test dissectors clash with no real one.
const EXPERIMENT_TUNNEL = 253;
const EXPERIMENT_BROKEN = 254;
const TEST_PORT = 65001;

function packet(
  init: Partial<Ipv4Header> & { protocol: number; src: string; dst: string },
  payload: Uint8Array,
) {
  const { src, dst, ...rest } = init;
  return encodeIpv4({ header: ipv4Header({ ...rest, source: ip(src), destination: ip(dst) }), payload });
}

const echo = packet(
  { protocol: IP_PROTO.ICMP, src: '11.11.11.11', dst: '1.1.1.1' },
  encodeIcmp({ kind: 'echo-request', identifier: 1, sequence: 0, data: fromHex('abcdabcd') }),
);

function udp(
  sourcePort: number,
  destinationPort: number,
  payload: Uint8Array,
  options: Ipv4Header['options'] = [],
) {
  const datagram = encodeUdp({ sourcePort, destinationPort, payload }, ip('10.1.1.1'), ip('10.1.1.2'));
  return packet({ protocol: IP_PROTO.UDP, src: '10.1.1.1', dst: '10.1.1.2', options }, datagram);
}

function expectRangesInside(layers: Layer[], frameLength: number): void {
  for (const layer of layers) {
    expect(0 <= layer.start && layer.start <= layer.end && layer.end <= frameLength).toBe(true);
    for (const f of layer.fields)
      expect(layer.start <= f.start && f.start <= f.end && f.end <= layer.end).toBe(true);
  }
}

// A toy IP-in-IP tunnel: a 2-byte header (magic), then an encapsulated IPv4 datagram.
registerIpProtocolDissector(EXPERIMENT_TUNNEL, (ctx) => {
  const magic = new ByteReader(ctx.bytes, 'tunnel').u16();
  const layer: Layer = {
    protocol: 'tunnel',
    title: 'Test tunnel',
    start: ctx.start,
    end: ctx.start + 2,
    fields: [field('tunnel.magic', 'Magic', magic, ctx.start, ctx.start + 2)],
  };
  return [layer, ...ctx.dissectIp(ctx.start + 2, ctx.end)];
});
registerIpProtocolDissector(EXPERIMENT_BROKEN, (ctx) => {
  new ByteReader(ctx.bytes, 'broken').u32();
  throw new TypeError('a bug in a dissector');
});
registerUdpPortDissector(TEST_PORT, (ctx) => [
  {
    protocol: 'test-rp',
    title: `Test RP from ${formatIpv4(ctx.source)}`,
    start: ctx.start,
    end: ctx.end,
    fields: [field('test.ports', 'Ports', `${ctx.sourcePort}->${ctx.destinationPort}`, ctx.start, ctx.end)],
    info: { name: 'TEST-RP announce', detail: `bytes=${ctx.bytes.length}` },
  },
]);

describe('dissect', () => {
  it('splits an ICMP echo into IPv4 and ICMP layers with byte ranges', () => {
    const layers = dissect(echo);
    expect(layers.map((l) => [l.protocol, l.start, l.end])).toEqual([
      ['ipv4', 0, 20],
      ['icmp', 20, 32],
    ]);
    const [ipLayer, icmpLayer] = layers;
    expect(ipLayer?.title).toBe('Internet Protocol Version 4, Src: 11.11.11.11, Dst: 1.1.1.1');
    expect(ipLayer?.fields.find((f) => f.name === 'ip.src')).toMatchObject({
      value: '11.11.11.11',
      start: 12,
      end: 16,
    });
    expect(ipLayer?.fields.find((f) => f.name === 'ip.checksum')?.value).toMatch(/\[correct\]$/);
    expect(icmpLayer?.fields.find((f) => f.name === 'icmp.seq')).toMatchObject({
      value: '0',
      start: 26,
      end: 28,
    });
    expectRangesInside(layers, echo.length);
  });

  it('shows the Router Alert option with its bytes', () => {
    const layers = dissect(udp(5000, 33434, fromHex('00'), [{ kind: 'router-alert', value: 0 }]));
    expect(layers[0]?.fields.find((f) => f.name === 'ip.opt.ra')).toMatchObject({ start: 20, end: 24 });
    expect(layers[0]?.end).toBe(24);
  });

  it('shows an unknown UDP payload as data', () => {
    const layers = dissect(udp(5000, 33434, fromHex('68656c6c6f')));
    expect(layers.map((l) => l.protocol)).toEqual(['ipv4', 'udp', 'data']);
    expect(layers[2]).toMatchObject({ start: 28, end: 33, title: 'Data (5 bytes)' });
    expect(layers[2]?.fields[0]?.value).toBe('68 65 6c 6c 6f');
  });

  it('hands a registered UDP port its payload, addresses and ports', () => {
    const frame = udp(TEST_PORT, TEST_PORT, fromHex('01020304'));
    const layers = dissect(frame);
    expect(layers.map((l) => l.protocol)).toEqual(['ipv4', 'udp', 'test-rp']);
    expect(layers[2]).toMatchObject({ title: 'Test RP from 10.1.1.1', start: 28, end: 32 });
    expect(layers[2]?.fields[0]?.value).toBe(`${TEST_PORT}->${TEST_PORT}`);
    expect(summarize(frame).summary).toBe('TEST-RP announce 10.1.1.1 > 10.1.1.2 bytes=4');
  });

  it('recurses into encapsulated IPv4 through a registered protocol', () => {
    const frame = packet(
      { protocol: EXPERIMENT_TUNNEL, src: '172.17.1.1', dst: '172.17.2.2' },
      Uint8Array.from([0xbe, 0xef, ...echo]),
    );
    const layers = dissect(frame);
    expect(layers.map((l) => [l.protocol, l.start])).toEqual([
      ['ipv4', 0],
      ['tunnel', 20],
      ['ipv4', 22],
      ['icmp', 42],
    ]);
    expectRangesInside(layers, frame.length);
    expect(summarize(frame)).toEqual({
      protocols: ['ipv4', 'tunnel', 'ipv4', 'icmp'],
      summary: 'ICMP echo request 11.11.11.11 > 1.1.1.1 id=1 seq=0 via tunnel 172.17.1.1 > 172.17.2.2',
    });
  });

  it('stops recursing after 8 nested headers', () => {
    let frame = echo;
    for (let i = 0; i < 10; i++) {
      frame = packet(
        { protocol: EXPERIMENT_TUNNEL, src: '1.1.1.1', dst: '2.2.2.2' },
        Uint8Array.from([0, 0, ...frame]),
      );
    }
    const layers = dissect(frame);
    expect(layers.filter((l) => l.protocol === 'ipv4')).toHaveLength(9);
    expect(layers.at(-1)?.title).toMatch(/^Nested too deep/);
  });

  it('shows fragments as raw data (no reassembly)', () => {
    const frame = packet(
      { protocol: IP_PROTO.UDP, src: '1.1.1.1', dst: '2.2.2.2', fragmentOffset: 10 },
      fromHex('0102'),
    );
    expect(dissect(frame).map((l) => l.title)).toEqual([
      expect.stringContaining('Internet Protocol'),
      'Fragment at offset 80 (2 bytes)',
    ]);
  });

  it('dissects the original datagram quoted in an ICMP time exceeded', () => {
    const original = icmpOriginal(udp(5000, 33434, fromHex('68656c6c6f')));
    const frame = packet(
      { protocol: IP_PROTO.ICMP, src: '10.1.1.3', dst: '10.1.1.1' },
      encodeIcmp({ kind: 'time-exceeded', code: 0, original }),
    );
    const layers = dissect(frame);
    expect(layers.map((l) => [l.protocol, l.start, l.end])).toEqual([
      ['ipv4', 0, 20],
      ['icmp', 20, 28],
      ['ipv4', 28, 48],
      ['data', 48, 56],
    ]);
    expect(layers[2]?.title).toBe(
      'Original datagram: Internet Protocol Version 4, Src: 10.1.1.1, Dst: 10.1.1.2',
    );
    expect(summarize(frame).summary).toBe(
      'ICMP time exceeded (TTL exceeded in transit) 10.1.1.3 > 10.1.1.1 original 10.1.1.1 > 10.1.1.2 udp',
    );
  });

  it('turns a throwing dissector into an error layer instead of throwing', () => {
    const frame = packet({ protocol: EXPERIMENT_BROKEN, src: '1.1.1.1', dst: '2.2.2.2' }, fromHex('01'));
    expect(dissect(frame)[1]).toMatchObject({
      protocol: '254',
      error: 'broken: truncated: need 4 bytes, 1 left (offset 0)',
    });
    const bug = packet({ protocol: EXPERIMENT_BROKEN, src: '1.1.1.1', dst: '2.2.2.2' }, fromHex('01020304'));
    expect(summarize(bug)).toEqual({
      protocols: ['ipv4', '254'],
      summary: 'malformed: 254: TypeError: a bug in a dissector',
    });
  });
});

describe('summarize', () => {
  it('summarizes an ICMP echo request for the trace', () => {
    expect(summarize(echo)).toEqual({
      protocols: ['ipv4', 'icmp'],
      summary: 'ICMP echo request 11.11.11.11 > 1.1.1.1 id=1 seq=0',
    });
  });

  it('summarizes UDP with ports and payload length', () => {
    expect(summarize(udp(5000, 33434, fromHex('68656c6c6f')))).toEqual({
      protocols: ['ipv4', 'udp'],
      summary: 'UDP 10.1.1.1 > 10.1.1.2 sport=5000 dport=33434 len=5',
    });
  });

  it('falls back to the IP protocol number when nothing dissects the payload', () => {
    const frame = packet(
      { protocol: IP_PROTO.ESP, src: '172.17.1.1', dst: '172.17.2.2' },
      fromHex('c0ffee01 00000001'),
    );
    expect(summarize(frame)).toEqual({
      protocols: ['ipv4'],
      summary: 'IPv4 172.17.1.1 > 172.17.2.2 proto=esp len=8',
    });
  });

  it('reports malformed input instead of throwing', () => {
    expect(summarize(new Uint8Array(0))).toEqual({
      protocols: ['ipv4'],
      summary: 'malformed: ipv4: truncated: need a 20-byte header, 0 left (offset 0)',
    });
    expect(summarize(echo.subarray(0, 25)).summary).toBe(
      'malformed: ipv4: total length 32 exceeds 25 bytes (offset 2)',
    );
    expect(summarize(echo.subarray(0, 25)).protocols).toEqual(['ipv4']);
    const shortUdp = udp(1, 2, new Uint8Array(0));
    shortUdp[25] = 4; // UDP Length 4 < 8
    expect(summarize(shortUdp)).toEqual({
      protocols: ['ipv4', 'udp'],
      summary: 'malformed: udp: length 4 < 8 (offset 4)',
    });
  });

  it('flags bad checksums', () => {
    const corrupted = echo.slice();
    corrupted[30] = 0; // ICMP data
    expect(summarize(corrupted).summary).toBe(
      'ICMP echo request 11.11.11.11 > 1.1.1.1 id=1 seq=0 [bad ICMP checksum]',
    );
    corrupted[8] = 1; // TTL
    expect(summarize(corrupted).summary).toMatch(/\[bad IPv4 header checksum, bad ICMP checksum\]$/);
  });
});
