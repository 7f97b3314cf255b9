import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventClass, TraceRecord } from './protocol';
import { encodeRecordColumns, RecordColumnsReader, transferables } from './record-columns';

const text = fc.string({ unit: 'binary', maxLength: 12 });

const typedArb: fc.Arbitrary<EventClass> = fc.record(
  {
    protocol: fc.constantFrom('pim', 'gdoi', 'esp', 'ipv4'),
    layers: fc.array(fc.constantFrom('esp', 'gre', 'pim', 'gdoi'), { maxLength: 4 }),
    kind: fc.constantFrom('packet', 'rekey-sent', 'rpf-fail', 'log', 'state'),
    drop: fc.record(
      { code: fc.constantFrom('rpf-failed', 'link-loss', 'other'), text },
      { noNullPrototype: true },
    ),
    code: text,
  },
  { noNullPrototype: true, requiredKeys: ['protocol', 'layers', 'kind'] },
) as fc.Arbitrary<EventClass>;

const t = fc.double({ noNaN: true, min: 0, max: 1e9 });
const device = fc.constantFrom('KS', 'Hub', 'Spoke1', 'Spoke999', 'constructor', '__proto__');

const packet = fc.record(
  {
    kind: fc.constant('packet' as const),
    t,
    event: fc.constantFrom('sent', 'received', 'dropped', 'delivered', 'forwarded'),
    device,
    iface: fc.constantFrom('Tunnel0', 'GigabitEthernet0/0'),
    link: text,
    frameId: fc.nat(),
    protocols: fc.array(fc.constantFrom('ipv4', 'udp', 'esp', 'gre', 'pim'), { maxLength: 5 }),
    summary: text,
    reason: text,
    overlayPeer: fc.constantFrom('192.0.2.1', '198.51.100.7'),
    typed: typedArb,
  },
  {
    noNullPrototype: true,
    requiredKeys: ['kind', 't', 'event', 'device', 'frameId', 'protocols', 'summary'],
  },
);
const log = fc.record(
  {
    kind: fc.constant('log' as const),
    t,
    device,
    level: fc.constantFrom('syslog', 'debug'),
    text,
    typed: typedArb,
  },
  { noNullPrototype: true, requiredKeys: ['kind', 't', 'device', 'level', 'text'] },
);
const state = fc.record(
  { kind: fc.constant('state' as const), t, device, what: text, detail: text, typed: typedArb },
  { noNullPrototype: true, requiredKeys: ['kind', 't', 'device', 'what', 'detail'] },
);
const problem = fc.record(
  {
    kind: fc.constant('problem' as const),
    t,
    device,
    problem: fc.constantFrom('event-flood', 'recursion', 'exception'),
    message: text,
    typed: typedArb,
  },
  { noNullPrototype: true, requiredKeys: ['kind', 't', 'device', 'problem', 'message'] },
);
const recordArb = fc.oneof(packet, log, state, problem) as fc.Arbitrary<TraceRecord>;

describe('record columns (the records batch as transferable typed arrays)', () => {
  it('round-trips any batch of records exactly, absent fields staying absent', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 40 }), (records) => {
        const reader = new RecordColumnsReader(encodeRecordColumns(records));
        expect(reader.count).toBe(records.length);
        expect(reader.all()).toStrictEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes one record on its own without decoding the others', () => {
    const records: TraceRecord[] = [
      { kind: 'log', t: 1, device: 'KS', level: 'syslog', text: '%GDOI-5-KS_SEND_MCAST_REKEY: Sending' },
      {
        kind: 'packet',
        t: 2,
        event: 'dropped',
        device: 'Spoke1',
        iface: 'Tunnel0',
        frameId: 7,
        protocols: ['ipv4', 'esp'],
        summary: 'ESP',
        reason: 'RPF failed',
        typed: {
          protocol: 'pim',
          layers: ['esp', 'gre', 'pim'],
          kind: 'packet',
          drop: { code: 'rpf-failed', text: 'x' },
        },
      },
    ];
    const reader = new RecordColumnsReader(encodeRecordColumns(records));
    expect(reader.recordAt(1)).toStrictEqual(records[1]);
  });

  it('lists every column buffer for transfer, each distinct', () => {
    const cols = encodeRecordColumns([{ kind: 'state', t: 0, device: 'Hub', what: 'nhrp', detail: 'up' }]);
    const buffers = transferables(cols);
    expect(buffers.every((b) => b instanceof ArrayBuffer)).toBe(true);
    expect(new Set(buffers).size).toBe(buffers.length);
    expect(buffers.length).toBe(9);
  });
});
