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
    if (handle) this.queue.cancel(handle);
  }

  /** Runs the next event. Returns false when the queue is empty. */
  async step(): Promise<boolean> {
    const ev = this.next(Number.MAX_SAFE_INTEGER);
    if (!ev) return false;
    await this.run(ev);
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

  /** Pops the next live event due at or before `limit`, or undefined. */
  private next(limit: SimTime): TimerHandle | undefined {
    this.dropCancelled();
    const head = this.queue.peek();
    if (!head || head.time > limit) return undefined;
    return this.queue.pop();
  }

  /**
   * Runs one event and whatever it tracked. Returns a promise only when there is something to wait for: a
   * synchronous handler with nothing tracked costs no promise and no microtask, so the run loops below stay
   * synchronous through runs of such events (the kernel bench's 2M events/s; bench/RESULTS.md).
   */
  private run(ev: TimerHandle): Promise<void> | undefined {
    this.clock = ev.time;
    this.eventsRun++;
    const result = ev.payload();
    if (result) return this.finish(result);
    return this.detached.size > 0 ? this.settle() : undefined;
  }

  private async finish(result: Promise<void>): Promise<void> {
    await result;
    if (this.detached.size > 0) await this.settle();
  }

  /** Runs every event up to and including `time`, then sets the clock to `time`. */
  async runUntil(time: SimTime): Promise<void> {
    for (let ev = this.next(time); ev; ev = this.next(time)) {
      const pending = this.run(ev);
      if (pending) await pending;
    }
    if (time > this.clock) this.clock = time;
  }

  /** Runs events until `done()` holds or `limit` is reached; returns whether `done()` held. */
  async runUntilCondition(done: () => boolean, limit: SimTime): Promise<boolean> {
    while (!done()) {
      const ev = this.next(limit);
      if (!ev) {
        if (limit > this.clock) this.clock = limit;
        return done();
      }
      const pending = this.run(ev);
      if (pending) await pending;
    }
    return true;
  }

  private dropCancelled(): void {
    while (this.queue.peek()?.cancelled) this.queue.pop();
  }
}
