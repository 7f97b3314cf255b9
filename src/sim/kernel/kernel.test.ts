import { describe, expect, it } from 'vitest';
import { bound } from './bound';
import { Kernel } from './kernel';
import { copyGraph } from './snapshot';
import { Timer } from './timer';
import { seconds } from './time';
import type { ProblemRecord } from './trace';

/** A protocol-like owner of a timer: its expiry is a bound method, as issue 18's checkpoints require. */
class Hello {
  readonly kernel: Kernel;
  readonly timer: Timer;
  readonly sent: number[] = [];
  constructor(kernel: Kernel) {
    this.kernel = kernel;
    this.timer = new Timer(kernel, bound(this, this.expire));
  }
  private expire(): void {
    this.sent.push(this.kernel.now);
    this.timer.start(seconds(5));
  }
}

describe('Kernel', () => {
  it('runs events in time order and advances the clock to runUntil', async () => {
    const k = new Kernel(1);
    const seen: string[] = [];
    k.schedule(seconds(2), () => void seen.push(`b@${k.now}`));
    k.schedule(seconds(1), () => void seen.push(`a@${k.now}`));
    k.schedule(seconds(5), () => void seen.push(`c@${k.now}`));
    await k.runUntil(seconds(3));
    expect(seen).toEqual(['a@1000000', 'b@2000000']);
    expect(k.now).toBe(seconds(3));
    expect(k.pending).toBe(1);
  });

  // Issue 18 (steady state): a link delivers every frame through one handler given the frame as data.
  it("scheduleWith calls one shared handler with each event's data, in the order of schedule", async () => {
    const k = new Kernel(1);
    const seen: string[] = [];
    const shared = (frame: { id: number }): void => void seen.push(`frame ${frame.id}@${k.now}`);
    k.scheduleWith(seconds(1), shared, { id: 1 });
    k.schedule(seconds(1), () => void seen.push(`timer@${k.now}`));
    k.scheduleWith(seconds(1), shared, { id: 2 });
    k.cancel(k.scheduleWith(seconds(1), shared, { id: 3 }));
    k.scheduleWith(0, shared, { id: 0 });
    await k.runUntil(seconds(2));
    expect(seen).toEqual(['frame 0@0', 'frame 1@1000000', 'timer@1000000', 'frame 2@1000000']);
  });

  it('awaits async handlers before taking the next event', async () => {
    const k = new Kernel(1);
    const seen: string[] = [];
    k.schedule(0, async () => {
      await Promise.resolve();
      await new Promise<void>((r) => queueMicrotask(r));
      seen.push('slow');
    });
    k.schedule(0, () => void seen.push('fast'));
    await k.runUntil(1);
    expect(seen).toEqual(['slow', 'fast']);
  });

  it('skips cancelled events', async () => {
    const k = new Kernel(1);
    const seen: number[] = [];
    const h = k.schedule(10, () => void seen.push(1));
    k.schedule(20, () => void seen.push(2));
    k.cancel(h);
    await k.runUntil(100);
    expect(seen).toEqual([2]);
  });

  it('runUntilCondition stops as soon as the condition holds', async () => {
    const k = new Kernel(1);
    let count = 0;
    for (let i = 1; i <= 10; i++) k.schedule(i * 10, () => void count++);
    const ok = await k.runUntilCondition(() => count >= 3, 1000);
    expect(ok).toBe(true);
    expect(k.now).toBe(30);
    const never = await k.runUntilCondition(() => count >= 99, 500);
    expect(never).toBe(false);
    expect(k.now).toBe(500);
  });
});

describe('Timer', () => {
  it('restarts, reports remaining time and stops', async () => {
    const k = new Kernel(1);
    let fired = 0;
    const t = new Timer(k, () => void fired++);
    t.start(100);
    await k.runUntil(50);
    expect(t.remaining).toBe(50);
    t.start(100);
    await k.runUntil(120);
    expect(fired).toBe(0);
    await k.runUntil(150);
    expect(fired).toBe(1);
    expect(t.running).toBe(false);
    t.start(10);
    t.stop();
    await k.runUntil(1000);
    expect(fired).toBe(1);
  });
});

describe('Kernel and Timer copied by a checkpoint (issue 18)', () => {
  it("a copy's queued timer expiry runs on the copied timer and its owner, not on the original", async () => {
    const k = new Kernel(1);
    const hello = new Hello(k);
    hello.timer.start(seconds(5));
    await k.runUntil(seconds(7));
    const copy = copyGraph(hello);
    expect(copy.kernel).not.toBe(k);
    await copy.kernel.runUntil(seconds(16));
    expect(copy.sent).toEqual([seconds(5), seconds(10), seconds(15)]);
    expect(copy.timer.remaining).toBe(seconds(4));
    // The original did not move, and runs on by itself exactly as the copy did.
    expect(hello.sent).toEqual([seconds(5)]);
    expect(hello.timer.remaining).toBe(seconds(3));
    await k.runUntil(seconds(16));
    expect(hello.sent).toEqual(copy.sent);
  });

  it("a copy's watchdog reads the copied kernel's clock (its problem records carry the copy's time)", async () => {
    const k = new Kernel(1);
    await k.runUntil(seconds(3));
    const copy = copyGraph(k, { share: (o) => o === k.trace });
    await copy.runUntil(seconds(9));
    copy.watchdog.report('R1', 'recursion', 'IP Output Tunnel0 (test)');
    const records = k.trace.all().filter((r): r is ProblemRecord => r.kind === 'problem');
    expect(records.map((r) => [r.device, r.t])).toEqual([['R1', seconds(9)]]);
  });

  it('finishes work an event fired without awaiting it before the next event, and is settled only then', async () => {
    const k = new Kernel(1);
    const done: string[] = [];
    // A send that waits a few microtasks (as an encryption does) and fires another send at its end.
    const send = async (name: string, ticks: number): Promise<string> => {
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      done.push(`${name}@${k.now}`);
      if (name === 'a') void k.track(send('a2', 2));
      return name;
    };
    k.schedule(seconds(1), () => {
      const twice = send('b', 1);
      void k.track(send('a', 3));
      void k.track(twice);
      void k.track(twice); // tracked twice: still settles once it is done
    });
    await k.runUntil(seconds(1));
    // Everything the first event started, even what its work started after a wait, ran at its instant.
    expect(done).toEqual([`b@${seconds(1)}`, `a@${seconds(1)}`, `a2@${seconds(1)}`]);
    expect(k.settled).toBe(true);
    // Settled, the kernel holds no promise: a checkpoint copy of it succeeds and runs on.
    const copy = copyGraph(k, { share: (o) => o === k.trace });
    expect(copy.settled).toBe(true);
    await copy.runUntil(seconds(2));
    expect(copy.now).toBe(seconds(2));
    // Work tracked outside any event (a console command) is pending until it settles.
    const outside = k.track(send('c', 2));
    expect(k.settled).toBe(false);
    await outside;
    await Promise.resolve();
    expect(k.settled).toBe(true);
  });
});
