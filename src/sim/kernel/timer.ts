import { bound } from './bound';
import type { Kernel, TimerHandle } from './kernel';
import type { SimTime } from './time';

/** A restartable one-shot timer, the shape of most protocol timers (hello, holdtime, expiry). */
export class Timer {
  private handle: TimerHandle | undefined;
  private due: SimTime | undefined;

  private readonly kernel: Kernel;
  private readonly onExpire: () => void | Promise<void>;

  constructor(kernel: Kernel, onExpire: () => void | Promise<void>) {
    this.kernel = kernel;
    this.onExpire = onExpire;
  }

  start(delay: SimTime): void {
    this.stop();
    this.due = this.kernel.now + Math.max(0, Math.round(delay));
    // A bound method, not a closure: a checkpoint copies the queued event with the timer (kernel/bound.ts).
    this.handle = this.kernel.schedule(delay, bound(this, this.fire));
  }

  private fire(): void | Promise<void> {
    this.handle = undefined;
    this.due = undefined;
    return this.onExpire();
  }

  stop(): void {
    this.kernel.cancel(this.handle);
    this.handle = undefined;
    this.due = undefined;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  /** Microseconds until expiry, or undefined when stopped (the `Expires` column of `show` commands). */
  get remaining(): SimTime | undefined {
    return this.due === undefined ? undefined : Math.max(0, this.due - this.kernel.now);
  }
}
