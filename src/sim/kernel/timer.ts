import type { Kernel, TimerHandle } from './kernel';
import type { SimTime } from './time';

/**
 * A restartable one-shot timer, the shape of most protocol timers (hello, holdtime, expiry).
 *
 * Its queued event is `onExpire` itself (a bound method the protocol made, so a checkpoint copies it: kernel/
 * bound.ts), and its state is only that event's handle: the handle says when it is due and whether it has fired.
 * An own bound `fire` callback per timer and a `due` copy of the handle's time cost about 270 bytes per timer,
 * and a generated spoke holds about 36 timers (issue 18, 10,000 spokes, bench/RESULTS.md).
 */
export class Timer {
  private handle: TimerHandle | undefined;

  private readonly kernel: Kernel;
  private readonly onExpire: () => void | Promise<void>;

  constructor(kernel: Kernel, onExpire: () => void | Promise<void>) {
    this.kernel = kernel;
    this.onExpire = onExpire;
  }

  start(delay: SimTime): void {
    this.stop();
    this.handle = this.kernel.schedule(delay, this.onExpire);
  }

  stop(): void {
    this.kernel.cancel(this.handle);
    this.handle = undefined;
  }

  /**
   * Started and not fired yet. A fired event has left the queue without being cancelled; one the watchdog
   * cancelled or refused never fires, and its timer stays running until restarted or stopped.
   */
  get running(): boolean {
    const h = this.handle;
    return h !== undefined && (h.cancelled || !h.done);
  }

  /** Microseconds until expiry, or undefined when stopped (the `Expires` column of `show` commands). */
  get remaining(): SimTime | undefined {
    return this.running ? Math.max(0, this.handle!.time - this.kernel.now) : undefined;
  }
}
