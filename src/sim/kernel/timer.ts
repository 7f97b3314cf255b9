import { bound } from './bound';
import type { Kernel, TimerHandle } from './kernel';
import type { SimTime } from './time';

/** A restartable one-shot timer, the shape of most protocol timers (hello, holdtime, expiry). */
export class Timer {
  private handle: TimerHandle | undefined;
  private due: SimTime | undefined;

  private readonly kernel: Kernel;
  private readonly onExpire: () => void | Promise<void>;

  /**
   * The queued event: a bound method, not a closure, so a checkpoint copies it with the timer (kernel/bound.ts).
   * Made once, not at every start (hello timers restart all the time).
   */
  private readonly expiry: () => void | Promise<void>;

  constructor(kernel: Kernel, onExpire: () => void | Promise<void>) {
    this.kernel = kernel;
    this.onExpire = onExpire;
    this.expiry = bound(this, this.fire);
  }

  start(delay: SimTime): void {
    this.stop();
    this.due = this.kernel.now + Math.max(0, Math.round(delay));
    this.handle = this.kernel.schedule(delay, this.expiry);
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
