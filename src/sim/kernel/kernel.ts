import { EventQueue, type QueuedEvent } from './event-queue';
import { Prng } from './prng';
import type { SimTime } from './time';
import { TraceRecorder } from './trace';

/** An event handler. It may be async (WebCrypto is): the kernel awaits it before taking the next event. */
export type EventHandler = () => void | Promise<void>;

export type TimerHandle = QueuedEvent<EventHandler>;

/**
 * The discrete-event kernel: one clock, one queue, one PRNG, one trace. Every protocol timer and every
 * packet arrival is an event here; nothing runs between events, so the run is deterministic.
 */
export class Kernel {
  private readonly queue = new EventQueue<EventHandler>();
  private clock: SimTime = 0;
  private eventsRun = 0;
  /** Work an event started without awaiting it (see `track`). */
  private readonly detached = new Set<Promise<unknown>>();
  readonly prng: Prng;
  readonly trace: TraceRecorder;

  constructor(seed = 1, trace = new TraceRecorder()) {
    this.prng = new Prng(seed);
    this.trace = trace;
  }

  get now(): SimTime {
    return this.clock;
  }

  get eventsProcessed(): number {
    return this.eventsRun;
  }

  get pending(): number {
    return this.queue.size;
  }

  /** Runs `handler` after `delay` microseconds (0 = later at the same instant, after what is already queued). */
  schedule(delay: SimTime, handler: EventHandler): TimerHandle {
    return this.queue.push(this.clock + Math.max(0, Math.round(delay)), handler);
  }

  at(time: SimTime, handler: EventHandler): TimerHandle {
    return this.queue.push(Math.max(this.clock, Math.round(time)), handler);
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) handle.cancelled = true;
  }

  /** Time of the next live event, if any. */
  nextEventTime(): SimTime | undefined {
    this.dropCancelled();
    return this.queue.peek()?.time;
  }

  /** Runs the next event. Returns false when the queue is empty. */
  async step(): Promise<boolean> {
    this.dropCancelled();
    const ev = this.queue.pop();
    if (!ev) return false;
    this.clock = ev.time;
    this.eventsRun++;
    const result = ev.payload();
    if (result) await result;
    await this.settle();
    return true;
  }

  /**
   * Registers async work that belongs to the current event although its caller did not await it (a protocol
   * firing a send with `void`). The kernel finishes it before the next event, so a packet whose encryption
   * waits on WebCrypto still leaves at the instant it was sent, whatever the host's timing (DESIGN.md §4).
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.detached.add(work);
    const forget = (): void => {
      this.detached.delete(work);
    };
    work.then(forget, forget);
    return work;
  }

  private async settle(): Promise<void> {
    while (this.detached.size > 0) await Promise.allSettled([...this.detached]);
  }

  /** Runs every event up to and including `time`, then sets the clock to `time`. */
  async runUntil(time: SimTime): Promise<void> {
    for (;;) {
      this.dropCancelled();
      const head = this.queue.peek();
      if (!head || head.time > time) break;
      await this.step();
    }
    if (time > this.clock) this.clock = time;
  }

  /** Runs events until `done()` holds or `limit` is reached; returns whether `done()` held. */
  async runUntilCondition(done: () => boolean, limit: SimTime): Promise<boolean> {
    while (!done()) {
      this.dropCancelled();
      const head = this.queue.peek();
      if (!head || head.time > limit) {
        if (limit > this.clock) this.clock = limit;
        return done();
      }
      await this.step();
    }
    return true;
  }

  private dropCancelled(): void {
    while (this.queue.peek()?.cancelled) this.queue.pop();
  }
}
