import type { Kernel, TimerHandle } from '../../kernel/kernel';
import type { SimTime } from '../../kernel/time';

/**
 * A restartable one-shot timer on the kernel clock (RFC 7761 timers: Expiry, Join, Neighbor Liveness …).
 * `remaining` feeds the `Uptime/Expires` columns of `show` commands.
 */
export class ProtocolTimer {
  private readonly kernel: Kernel;
  private readonly fire: () => void | Promise<void>;
  private handle: TimerHandle | undefined;
  private due: SimTime | undefined;

  constructor(kernel: Kernel, fire: () => void | Promise<void>) {
    this.kernel = kernel;
    this.fire = fire;
  }

  /** (Re)starts the timer to fire after `delay`. */
  start(delay: SimTime): void {
    this.stop();
    this.due = this.kernel.now + Math.max(0, Math.round(delay));
    this.handle = this.kernel.schedule(delay, () => {
      this.handle = undefined;
      this.due = undefined;
      return this.fire();
    });
  }

  stop(): void {
    this.kernel.cancel(this.handle);
    this.handle = undefined;
    this.due = undefined;
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  /** Microseconds until it fires, or undefined when stopped. */
  get remaining(): SimTime | undefined {
    return this.due === undefined ? undefined : Math.max(0, this.due - this.kernel.now);
  }
}
