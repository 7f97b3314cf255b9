import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type PacketRecord,
  packetRecordBytes,
  type TraceMark,
  type TraceRecord,
  TraceRecorder,
} from './trace';

const summarize = (b: Uint8Array): { protocols: string[]; summary: string } => ({
  protocols: ['test'],
  summary: `len ${b.length} first ${b[0] ?? '-'}`,
});
const bytesOf = (n: number, seed: number): Uint8Array =>
  Uint8Array.from({ length: n }, (_, i) => (seed * 7 + i) & 0xff);
const LINK = 'R1 Serial1/0--R2 Serial2/0';

/** A frame sent on LINK and its `sent` record, as `Lab.transmit` records them (the record shares the frame's bytes). */
function send(t: TraceRecorder, at: number, bytes: Uint8Array): number {
  const frameId = t.addFrame(at, LINK, 'R1', bytes);
  t.recordPacket(
    { t: at, event: 'sent', device: 'R1', iface: 'Serial1/0', link: LINK, frameId },
    bytes,
    summarize,
  );
  return frameId;
}

describe('TraceRecorder', () => {
  it('keeps a bounded window, counts what it dropped and serves records since an index', () => {
    const t = new TraceRecorder(100);
    for (let i = 0; i < 300; i++)
      t.record({ kind: 'log', t: i, device: 'R1', level: 'debug', text: `line ${i}` });
    expect(t.total).toBe(300);
    expect(t.all().length).toBe(100);
    const tail = t.since(290);
    expect(tail.map((r) => (r.kind === 'log' ? r.text : ''))).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${290 + i}`),
    );
    // An index the ring no longer holds serves from its oldest record.
    expect((t.since(0)[0] as { text: string }).text).toBe('line 200');
  });

  it('finds frames by id and hashes what was recorded', () => {
    const a = new TraceRecorder();
    const b = new TraceRecorder();
    for (const t of [a, b]) {
      t.addFrame(5, 'L', 'R1', new Uint8Array([1, 2, 3]));
      t.addFrame(6, 'L', 'R2', new Uint8Array([4]));
    }
    expect(a.frame(2)?.bytes).toEqual(new Uint8Array([4]));
    expect(a.frame(2)).toMatchObject({ id: 2, t: 6, link: 'L', from: 'R2' });
    expect(a.frame(3)).toBeUndefined();
    expect(a.frame(0)).toBeUndefined();
    expect(a.frame(1.5)).toBeUndefined();
    expect(a.hash()).toBe(b.hash());
    b.record({ kind: 'state', t: 7, device: 'R1', what: 'x', detail: 'y' });
    expect(a.hash()).not.toBe(b.hash());
  });

  it('hashes a sequence exactly as the array-of-objects recorder did before the compact store (53f37680)', () => {
    // The golden value was printed by the recorder of commit a8d9a76 for this sequence: the trace hashes of every
    // lab (bench/trace-hashes.ts) depend on it, whatever the ring size.
    const run = (t: TraceRecorder): string => {
      for (let i = 0; i < 500; i++) {
        const bytes = Uint8Array.from({ length: 20 + (i % 37) }, (_, k) => (i * 7 + k) & 0xff);
        const link = `R${i % 3} Serial1/0--R9 Serial2/0`;
        const id = t.addFrame(i * 10, link, `R${i % 3}`, bytes);
        t.recordPacket(
          { t: i * 10, event: 'sent', device: `R${i % 3}`, iface: 'Serial1/0', link, frameId: id },
          bytes,
          summarize,
        );
        if (i % 5 === 0)
          t.recordPacket(
            {
              t: i * 10 + 1,
              event: 'dropped',
              device: 'R9',
              iface: 'Serial2/0',
              frameId: id,
              reason: 'lost',
            },
            bytes.slice(),
            summarize,
          );
        if (i % 7 === 0)
          t.recordPacket(
            {
              t: i * 10 + 2,
              event: 'forwarded',
              device: 'R9',
              iface: 'Tunnel0',
              frameId: 0,
              overlayPeer: '10.0.0.1',
            },
            bytes.subarray(4),
            summarize,
          );
        if (i % 11 === 0)
          t.record({ kind: 'log', t: i * 10 + 3, device: 'R9', level: 'syslog', text: `%X-5-Y: line ${i}` });
      }
      return t.hash();
    };
    expect(run(new TraceRecorder())).toBe('53f37680');
    expect(run(new TraceRecorder(50, 1000, 64))).toBe('53f37680');
  });

  it("keeps a record's bytes readable after the ring wrapped, its frame was trimmed and the caller reused its buffer", () => {
    // 64-byte arena chunks, a 100-byte frame budget: old chunks are released as the run goes on.
    const t = new TraceRecorder(10, 100, 64);
    const buffer = new Uint8Array(30);
    for (let i = 0; i < 200; i++) {
      const frame = bytesOf(30, i);
      send(t, i, frame);
      buffer.set(bytesOf(30, 1000 + i));
      t.recordPacket(
        { t: i, event: 'received', device: 'R2', iface: 'Serial2/0', frameId: 0 },
        buffer,
        summarize,
      );
    }
    expect(t.total).toBe(400);
    const records = t.all() as PacketRecord[];
    expect(records.length).toBe(10);
    // The oldest sent record's frame is no longer stored, but the record still reads its bytes.
    expect(t.frame(records[0]!.frameId)).toBeUndefined();
    expect(packetRecordBytes(records[0]!)).toEqual(bytesOf(30, 195));
    expect(records[0]!.summary).toBe(`len 30 first ${bytesOf(30, 195)[0]}`);
    expect(packetRecordBytes(records[1]!)).toEqual(bytesOf(30, 1195));
    // 4 frames (120 bytes) pass the budget: trimmed to 80 % of it, 2 frames.
    expect(t.allFrames().map((f) => f.id)).toEqual([199, 200]);
    expect(t.frame(200)?.bytes).toEqual(bytesOf(30, 199));
    // 12,000 bytes went through; the arenas keep a few chunks' worth (what the 10 records and 2 frames read).
    expect(t.heldBytes).toBeLessThanOrEqual(10 * 64);
  });

  it('tells listeners of the kinds they want, with readable packet records', () => {
    const t = new TraceRecorder(5);
    const logs: TraceRecord[] = [];
    const all: TraceRecord[] = [];
    t.subscribe((r) => logs.push(r), ['log']);
    const stop = t.subscribe((r) => all.push(r));
    send(t, 1, bytesOf(8, 1));
    t.record({ kind: 'log', t: 2, device: 'R1', level: 'syslog', text: '%SYS-5-CONFIG_I' });
    stop();
    send(t, 3, bytesOf(8, 2));
    expect(logs.map((r) => r.kind)).toEqual(['log']);
    expect(all.map((r) => r.kind)).toEqual(['packet', 'log']);
    // A read returns the very records the listener saw (the worker's classifier caches by record), and the record
    // sent after the listener left reads back the same way as one nobody watched.
    const read = t.all();
    expect(read[0]).toBe(all[0]);
    expect(read[1]).toBe(all[1]);
    expect(packetRecordBytes(read[2]!)).toEqual(bytesOf(8, 2));
    expect((read[2] as PacketRecord).frameId).toBe(2);
    expect({ ...all[0] }).toEqual({
      kind: 'packet',
      t: 1,
      event: 'sent',
      device: 'R1',
      iface: 'Serial1/0',
      link: LINK,
      frameId: 1,
      protocols: ['test'],
      summary: `len 8 first ${bytesOf(8, 1)[0]}`,
    });
  });
});

/** One step of a random trace run. */
type Op =
  | { readonly op: 'log' }
  | { readonly op: 'send'; readonly len: number }
  | { readonly op: 'copy'; readonly len: number; readonly reason?: string; readonly peer?: string }
  | { readonly op: 'read'; readonly back: number }
  | { readonly op: 'listen' }
  | { readonly op: 'mark' }
  | { readonly op: 'rewind'; readonly which: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.constant<Op>({ op: 'log' }),
  fc.record({ op: fc.constant('send' as const), len: fc.integer({ min: 0, max: 40 }) }),
  fc.record(
    {
      op: fc.constant('copy' as const),
      len: fc.integer({ min: 0, max: 40 }),
      reason: fc.constantFrom('lost', 'no route'),
      peer: fc.constantFrom('10.0.0.1', '10.0.0.2'),
    },
    { requiredKeys: ['op', 'len'] },
  ),
  fc.record({ op: fc.constant('read' as const), back: fc.integer({ min: -5, max: 40 }) }),
  fc.constant<Op>({ op: 'listen' }),
  fc.constant<Op>({ op: 'mark' }),
  fc.record({ op: fc.constant('rewind' as const), which: fc.nat() }),
);

/** What the recorder should hold, kept as plain arrays of everything. */
interface Model {
  records: { readonly r: Record<string, unknown>; readonly bytes?: Uint8Array }[];
  dropped: number;
  frames: { readonly id: number; readonly bytes: Uint8Array }[];
  nextFrameId: number;
  marks: { readonly mark: TraceMark; readonly lastFrame: Uint8Array | undefined }[];
  lastFrame: Uint8Array | undefined;
  /** Stops the listener the run subscribed (records made while it listens are kept whole). */
  unlisten?: () => void;
}

function modelPush(m: Model, max: number, r: Record<string, unknown>, bytes?: Uint8Array): void {
  m.records.push({ r, bytes: bytes?.slice() });
  m.dropped = Math.max(m.dropped, m.records.length - max);
}

function modelFrame(m: Model, budget: number, bytes: Uint8Array): void {
  m.frames.push({ id: m.nextFrameId++, bytes: bytes.slice() });
  let sum = m.frames.reduce((n, f) => n + f.bytes.length, 0);
  if (sum <= budget) return;
  while (sum > budget * 0.8 && m.frames.length > 1) sum -= m.frames.shift()!.bytes.length;
}

function applyOp(t: TraceRecorder, m: Model, o: Op, step: number, max: number, budget: number): void {
  switch (o.op) {
    case 'log': {
      const r = { kind: 'log', t: step, device: 'R1', level: 'debug', text: `line ${step}` } as const;
      t.record(r);
      modelPush(m, max, r);
      return;
    }
    case 'send': {
      const bytes = bytesOf(o.len, step);
      const frameId = send(t, step, bytes);
      modelFrame(m, budget, bytes);
      m.lastFrame = bytes;
      const r = {
        kind: 'packet',
        t: step,
        event: 'sent',
        device: 'R1',
        iface: 'Serial1/0',
        link: LINK,
        frameId,
      };
      modelPush(m, max, r, bytes);
      return;
    }
    case 'copy': {
      const bytes = bytesOf(o.len, step + 500);
      const f = { t: step, event: 'forwarded', device: 'R2', frameId: 0 } as const;
      const fields = { ...f, ...(o.reason && { reason: o.reason }), ...(o.peer && { overlayPeer: o.peer }) };
      t.recordPacket(fields, bytes, summarize);
      bytes.fill(0xee); // the caller reuses its buffer
      modelPush(m, max, { kind: 'packet', ...fields }, bytesOf(o.len, step + 500));
      return;
    }
    case 'read':
      return checkRead(t, m, m.records.length - o.back);
    case 'listen':
      if (m.unlisten) m.unlisten();
      m.unlisten = m.unlisten ? undefined : t.subscribe(() => undefined);
      return;
    case 'mark':
      m.marks.push({ mark: t.mark(), lastFrame: t.lastFrame?.slice() });
      return;
    case 'rewind': {
      if (m.marks.length === 0) return;
      const { mark, lastFrame } = m.marks[o.which % m.marks.length]!;
      t.rewindTo(mark, lastFrame);
      m.marks = m.marks.filter((k) => k.mark.total <= mark.total);
      if (mark.total < m.dropped) m.dropped = mark.total;
      m.records.length = mark.total;
      m.frames = m.frames.filter((f) => f.id < mark.nextFrameId);
      m.nextFrameId = mark.nextFrameId;
      return;
    }
  }
}

function checkRead(t: TraceRecorder, m: Model, from: number): void {
  const got = t.since(from);
  const want = m.records.slice(Math.max(from, m.dropped));
  expect(got.length).toBe(want.length);
  got.forEach((r, i) => {
    const w = want[i]!;
    if (!w.bytes) return expect(r).toEqual(w.r);
    expect({ ...r }).toEqual({ ...w.r, ...summarize(w.bytes) });
    expect(packetRecordBytes(r)).toEqual(w.bytes);
  });
}

describe('TraceRecorder against a plain array model (fast-check)', () => {
  it('serves the same records, bytes and frames over random record, trim, rewind and read sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 120 }),
        fc.array(opArb, { maxLength: 120 }),
        (max, budget, ops) => {
          const t = new TraceRecorder(max, budget, 64);
          const wide = new TraceRecorder(1000, 1 << 20);
          const m: Model = {
            records: [],
            dropped: 0,
            frames: [],
            nextFrameId: 1,
            marks: [],
            lastFrame: undefined,
          };
          const w: Model = {
            records: [],
            dropped: 0,
            frames: [],
            nextFrameId: 1,
            marks: [],
            lastFrame: undefined,
          };
          ops.forEach((o, step) => {
            applyOp(t, m, o, step, max, budget);
            applyOp(wide, w, o, step, 1000, 1 << 20);
          });
          checkRead(t, m, 0);
          expect(t.total).toBe(m.records.length);
          expect(t.allFrames().map((f) => [f.id, [...f.bytes]])).toEqual(
            m.frames.map((f) => [f.id, [...f.bytes]]),
          );
          for (const f of m.frames) expect(t.frame(f.id)?.bytes).toEqual(f.bytes);
          // The hash does not depend on what the ring and frame store keep.
          expect(t.hash()).toBe(wide.hash());
          // Chunks nothing reads are released: each arena keeps a chunk per stored frame or record at most (a
          // chunk is started only for bytes that do not fit the last one), plus the one being filled. A rewind
          // leaves its dropped future's bytes between kept ones until the ring passes them: not bounded here.
          if (ops.some((o) => o.op === 'rewind')) return;
          const stored = m.frames.length + (m.records.length - m.dropped);
          expect(t.heldBytes).toBeLessThanOrEqual((stored + 2) * 64);
        },
      ),
      { numRuns: 500 },
    );
  });
  it('tells a listener of dropped packets about those alone, and records and hashes as without it', () => {
    const run = (listen: boolean): { told: TraceRecord[]; t: TraceRecorder } => {
      const t = new TraceRecorder(10);
      const told: TraceRecord[] = [];
      if (listen) t.subscribe((r) => told.push(r), ['dropped']);
      send(t, 1, bytesOf(8, 1));
      t.recordPacket(
        { t: 2, event: 'dropped', device: 'R2', iface: 'Tunnel10', frameId: 0, reason: 'RPF check failed' },
        bytesOf(8, 2),
        summarize,
      );
      t.record({ kind: 'log', t: 3, device: 'R1', level: 'syslog', text: '%SYS-5-CONFIG_I' });
      return { told, t };
    };
    const watched = run(true);
    const plain = run(false);
    expect(watched.told.map((r) => (r.kind === 'packet' ? r.event : r.kind))).toEqual(['dropped']);
    expect((watched.told[0] as PacketRecord).summary).toBe(`len 8 first ${bytesOf(8, 2)[0]}`);
    expect(watched.t.hash()).toBe(plain.t.hash());
    expect(watched.t.all().map((r) => ({ ...r }))).toEqual(plain.t.all().map((r) => ({ ...r })));
  });
});
