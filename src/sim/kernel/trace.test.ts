import { describe, expect, it } from 'vitest';
import { TraceRecorder } from './trace';

describe('TraceRecorder', () => {
  it('keeps a bounded window, counts what it dropped and serves records since an index', () => {
    const t = new TraceRecorder(100);
    for (let i = 0; i < 300; i++)
      t.record({ kind: 'log', t: i, device: 'R1', level: 'debug', text: `line ${i}` });
    expect(t.total).toBe(300);
    expect(t.all().length).toBeLessThanOrEqual(125);
    const tail = t.since(290);
    expect(tail.map((r) => (r.kind === 'log' ? r.text : ''))).toEqual(
      Array.from({ length: 10 }, (_, i) => `line ${290 + i}`),
    );
  });

  it('finds frames by id and hashes what was recorded', () => {
    const a = new TraceRecorder();
    const b = new TraceRecorder();
    for (const t of [a, b]) {
      t.addFrame(5, 'L', 'R1', new Uint8Array([1, 2, 3]));
      t.addFrame(6, 'L', 'R2', new Uint8Array([4]));
    }
    expect(a.frame(2)?.bytes).toEqual(new Uint8Array([4]));
    expect(a.frame(3)).toBeUndefined();
    expect(a.hash()).toBe(b.hash());
    b.record({ kind: 'state', t: 7, device: 'R1', what: 'x', detail: 'y' });
    expect(a.hash()).not.toBe(b.hash());
  });
});
