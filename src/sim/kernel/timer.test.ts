import { describe, expect, it } from 'vitest';
import { expectWatchdogExceptions } from '../../test-setup';
import { bound } from './bound';
import { Kernel } from './kernel';
import { copyGraph } from './snapshot';
import { Timer } from './timer';
import { seconds } from './time';

/** A holdtime-like owner: records what its timer reports from inside its own expiry. */
class Holder {
  readonly timer: Timer;
  readonly seenInside: { running: boolean; remaining: number | undefined }[] = [];
  readonly kernel: Kernel;
  constructor(kernel: Kernel) {
    this.kernel = kernel;
    this.timer = new Timer(kernel, bound(this, this.expire));
  }
  private expire(): void {
    this.seenInside.push({ running: this.timer.running, remaining: this.timer.remaining });
  }
}

// The timer keeps only its queued event's handle (issue 18: no own callback, no copy of the due time per timer);
// these pin down what `running` and `remaining` (the `Expires` column of `show` commands) said before.
describe('Timer state from its queued event (issue 18)', () => {
  it('is stopped inside its own expiry and after it, and runs again once restarted there', async () => {
    const k = new Kernel(1);
    const h = new Holder(k);
    h.timer.start(seconds(3));
    expect(h.timer.running).toBe(true);
    expect(h.timer.remaining).toBe(seconds(3));
    await k.runUntil(seconds(4));
    expect(h.seenInside).toEqual([{ running: false, remaining: undefined }]);
    expect(h.timer.running).toBe(false);
    expect(h.timer.remaining).toBeUndefined();
    h.timer.start(seconds(2));
    await k.runUntil(seconds(5));
    expect(h.timer.remaining).toBe(seconds(1));
  });

  it('is stopped after an expiry that threw (the watchdog reports it and the lab runs on)', async () => {
    expectWatchdogExceptions();
    const k = new Kernel(1);
    const t = new Timer(k, () => {
      throw new Error('boom');
    });
    t.start(10);
    await k.runUntil(20);
    expect(t.running).toBe(false);
    expect(t.remaining).toBeUndefined();
  });

  it('reads a negative or non-finite delay as now, as the kernel queues it', async () => {
    const k = new Kernel(1);
    await k.runUntil(100);
    const t = new Timer(k, () => undefined);
    t.start(-5);
    expect(t.remaining).toBe(0);
    t.start(Number.NaN);
    expect(t.remaining).toBe(0);
    await k.runUntil(101);
    expect(t.running).toBe(false);
  });

  it('a stopped timer never fires; a restarted one fires once, at the last start', async () => {
    const k = new Kernel(1);
    const fired: number[] = [];
    const t = new Timer(k, () => void fired.push(k.now));
    t.start(50);
    t.stop();
    expect(t.running).toBe(false);
    t.start(30);
    t.start(40);
    await k.runUntil(100);
    expect(fired).toEqual([40]);
  });

  it('a checkpoint copy keeps a running timer running and a fired one stopped', async () => {
    const k = new Kernel(1);
    const running = new Holder(k);
    const fired = new Holder(k);
    running.timer.start(seconds(10));
    fired.timer.start(seconds(1));
    await k.runUntil(seconds(2));
    const copy = copyGraph({ running, fired });
    expect(copy.running.timer.remaining).toBe(seconds(8));
    expect(copy.fired.timer.running).toBe(false);
    await copy.running.kernel.runUntil(seconds(11));
    expect(copy.running.seenInside).toHaveLength(1);
    expect(running.seenInside).toHaveLength(0);
  });
});
