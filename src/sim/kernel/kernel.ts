import { bound } from './bound';
import { EventQueue, type QueuedEvent } from './event-queue';
import { Prng } from './prng';
import type { SimTime } from './time';
import { TraceRecorder } from './trace';
import {
  describeThrown,
  MAX_EVENTS_PER_INSTANT,
  MAX_NESTING,
  MAX_WORK_PER_EVENT,
  Watchdog,
} from './watchdog';

/** An event handler. It may be async (WebCrypto is): the kernel awaits it before taking the next event. */
export type EventHandler = () => void | Promise<void>;

/** A handler shared by many events, each with its own data (`scheduleWith`). */
export type EventHandlerWith<A> = (arg: A) => void | Promise<void>;

export type TimerHandle = QueuedEvent<EventHandler>;

/**
 * The discrete-event kernel: one clock, one queue, one PRNG, one trace. Every protocol timer and every
 * packet arrival is an event here; nothing runs between events, so the run is deterministic.
 */
export class Kernel {
  private readonly queue = new EventQueue<EventHandler>();
  private clock: SimTime = 0;
  private eventsRun = 0;
  /**
   * Work an event started without awaiting it (see `track`): how much of it is unsettled, and the promises to
   * wait on (emptied whenever all have settled). A count and a list, not a set with a closure per work that
   * removes it: every packet sent is tracked (issue 18, steady state).
   */
  private detachedCount = 0;
  private detached: Promise<unknown>[] = [];
  private readonly detachedSettled = bound(this, this.workSettled);
  readonly prng: Prng;
  readonly trace: TraceRecorder;
  readonly watchdog: Watchdog;
  /** Lab-wide protocol state by name (ESP's pseudotime book): kept here, a checkpoint copies it (issue 18). */
  readonly labState = new Map<string, unknown>();
  /** The router whose event runs now (or whose console/config work runs, see `runAs`). */
  private currentOwner: string | undefined;
  /** Events run at the current instant, and the instant (the flood check). */
  private instant: SimTime = -1;
  private instantEvents = 0;
  private instantScheduled = 0;
  /** Owners whose work at the current instant the watchdog stopped: what they schedule for now is dropped. */
  private readonly quenched = new Set<string | undefined>();
  /** Synchronous packet-output nesting and outputs so far in the running event (see `enterOutput`). */
  private nesting = 0;
  private eventWork = 0;
  private eventAborted = false;

  constructor(seed = 1, trace = new TraceRecorder()) {
    this.prng = new Prng(seed);
    this.trace = trace;
    // Bound, not a closure, so a checkpoint's copy of the watchdog reads the copied kernel's clock.
    this.watchdog = new Watchdog(trace, bound(this, this.readClock));
  }

  private readClock(): SimTime {
    return this.clock;
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

  /** No event is running and no work an event started is still pending: the state can be checkpointed. */
  get settled(): boolean {
    return this.detachedCount === 0;
  }

  /** The router whose work runs now, if known. */
  get owner(): string | undefined {
    return this.currentOwner;
  }

  /**
   * Runs `handler` after `delay` microseconds (0 = later at the same instant, after what is already queued). The
   * event belongs to `owner`, by default to whoever's work schedules it. A delay that is not a finite number
   * is read as 0 (NaN would corrupt the queue's order).
   */
  schedule(delay: SimTime, handler: EventHandler, owner = this.currentOwner): TimerHandle {
    const d = Number.isFinite(delay) ? Math.max(0, Math.round(delay)) : 0;
    return this.push(this.clock + d, handler, owner);
  }

  /**
   * `schedule` for a handler shared by many events: it is called with `arg`. A link delivers every frame through
   * one such handler instead of a callback made per frame (issue 18, steady state). `arg` must not be undefined.
   */
  scheduleWith<A>(
    delay: SimTime,
    handler: EventHandlerWith<A>,
    arg: A,
    owner = this.currentOwner,
  ): TimerHandle {
    const d = Number.isFinite(delay) ? Math.max(0, Math.round(delay)) : 0;
    return this.push(this.clock + d, handler as EventHandler, owner, arg);
  }

  at(time: SimTime, handler: EventHandler, owner = this.currentOwner): TimerHandle {
    const t = Number.isFinite(time) ? Math.max(this.clock, Math.round(time)) : this.clock;
    return this.push(t, handler, owner);
  }

  private push(time: SimTime, handler: EventHandler, owner: string | undefined, arg?: unknown): TimerHandle {
    if (time !== this.clock) return this.queue.push(time, handler, owner, arg);
    if (this.instant !== time) this.newInstant(time);
    // Work the watchdog stopped at this instant does not come back at this instant (nor take memory).
    if (this.quenched.size > 0 && this.quenched.has(owner)) return deadEvent(time, handler, owner);
    const ev = this.queue.push(time, handler, owner, arg);
    // One handler queueing a flood for now is stopped before it runs, not after.
    if (++this.instantScheduled > MAX_EVENTS_PER_INSTANT) this.stopFlood();
    return ev;
  }

  /** Runs `fn` as `owner`'s work (a console line, a config change, boot): what it schedules belongs to it. */
  runAs<T>(owner: string, fn: () => T): T {
    const previous = this.currentOwner;
    this.currentOwner = owner;
    try {
      return fn();
    } finally {
      this.currentOwner = previous;
    }
  }

  /**
   * Called on entering a packet output (and paired with `leaveOutput`): false when the watchdog stops it, because
   * outputs nest deeper than `MAX_NESTING` synchronously (a route that sends a tunnel's packets back into the
   * tunnel) or the running event has done more than `MAX_WORK_PER_EVENT` of them (the same loop through
   * asynchronous crypto). The rest of that event's output is then dropped.
   */
  enterOutput(iface: string): boolean {
    if (this.eventAborted) return false;
    if (this.nesting >= MAX_NESTING || ++this.eventWork > MAX_WORK_PER_EVENT) {
      this.eventAborted = true;
      const why =
        this.nesting >= MAX_NESTING ? `nested ${MAX_NESTING} deep` : `${MAX_WORK_PER_EVENT} in one event`;
      this.watchdog.report(this.currentOwner, 'recursion', `IP Output ${iface} (${why})`);
      return false;
    }
    this.nesting++;
    return true;
  }

  leaveOutput(): void {
    if (this.nesting > 0) this.nesting--;
  }

  cancel(handle: TimerHandle | undefined): void {
    if (handle) this.queue.cancel(handle);
  }

  /** Runs the next event. Returns false when the queue is empty. */
  async step(): Promise<boolean> {
    if (this.detachedCount > 0) await this.settle();
    const ev = this.next(Number.MAX_SAFE_INTEGER);
    if (!ev) return false;
    await this.run(ev);
    return true;
  }

  /**
   * Registers async work that belongs to the current event although its caller did not await it (a protocol
   * firing a send with `void`). The kernel finishes it before the next event, so a packet whose encryption
   * waits on WebCrypto still leaves at the instant it was sent, whatever the host's timing (docs/DESIGN.md
   * §4).
   */
  track<T>(work: Promise<T>): Promise<T> {
    this.detachedCount++;
    this.detached.push(work);
    work.then(this.detachedSettled, this.detachedSettled);
    return work;
  }

  private workSettled(): void {
    // All settled: the list lets go of them (a checkpoint, taken when settled, holds no promise).
    if (--this.detachedCount === 0) this.detached = [];
  }

  private async settle(): Promise<void> {
    while (this.detachedCount > 0) {
      // What is tracked while this batch is awaited goes to a new list, awaited next round.
      const batch = this.detached;
      this.detached = [];
      await Promise.allSettled(batch);
    }
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
    if (ev.time !== this.instant) this.newInstant(ev.time);
    this.clock = ev.time;
    this.eventsRun++;
    this.currentOwner = ev.owner;
    this.nesting = 0;
    this.eventWork = 0;
    this.eventAborted = false;
    if (++this.instantEvents > MAX_EVENTS_PER_INSTANT) this.stopFlood();
    let result: void | Promise<void>;
    try {
      // Without an argument when it has none: a bound callback given one would copy its bound arguments.
      result = ev.arg === undefined ? ev.payload() : (ev.payload as EventHandlerWith<unknown>)(ev.arg);
    } catch (e) {
      this.watchdog.report(ev.owner, 'exception', describeThrown(e));
      result = undefined;
    }
    if (result) return this.finish(result, ev.owner);
    return this.detachedCount > 0 ? this.settle() : undefined;
  }

  private async finish(result: Promise<void>, owner: string | undefined): Promise<void> {
    try {
      await result;
    } catch (e) {
      this.watchdog.report(owner, 'exception', describeThrown(e));
    }
    if (this.detachedCount > 0) await this.settle();
  }

  private newInstant(time: SimTime): void {
    this.instant = time;
    this.instantEvents = 0;
    this.instantScheduled = 0;
    if (this.quenched.size > 0) this.quenched.clear();
  }

  /**
   * More than `MAX_EVENTS_PER_INSTANT` events at one instant: simulated time cannot move. The owner with the most
   * events queued for this instant is the runaway; its events for this instant are dropped and it cannot queue
   * more for this instant, so the clock moves on and everyone else keeps working.
   */
  private stopFlood(): void {
    const live = this.queue.liveAt(this.clock);
    const counts = new Map<string | undefined, number>();
    for (const e of live) counts.set(e.owner, (counts.get(e.owner) ?? 0) + 1);
    let offender = this.currentOwner;
    let most = counts.get(offender) ?? 0;
    for (const [owner, n] of counts) {
      if (n > most) {
        offender = owner;
        most = n;
      }
    }
    for (const e of live) if (e.owner === offender) this.queue.cancel(e);
    this.quenched.add(offender);
    this.instantEvents = 0;
    this.instantScheduled = 0;
    this.watchdog.report(offender, 'event-flood', `${most} events queued for this instant`);
  }

  /** Runs every event up to and including `time`, then sets the clock to `time`. */
  async runUntil(time: SimTime): Promise<void> {
    const end = this.limitOf(time);
    if (this.detachedCount > 0) await this.settle();
    for (let ev = this.next(end); ev; ev = this.next(end)) {
      const pending = this.run(ev);
      if (pending) await pending;
    }
    if (end > this.clock) this.clock = end;
  }

  /**
   * A time to run to, as an integer the clock can hold: NaN is "now", anything past 2^53 µs (285 years) is 2^53
   * µs. An Infinity or NaN clock broke every timer and IOS timestamp after it ("*undefined NaN", issue 13).
   */
  private limitOf(time: SimTime): SimTime {
    if (Number.isNaN(time)) return this.clock;
    return Math.min(Number.MAX_SAFE_INTEGER, Math.floor(time));
  }

  /** Runs events until `done()` holds or `limit` is reached; returns whether `done()` held. */
  async runUntilCondition(done: () => boolean, until: SimTime): Promise<boolean> {
    const limit = this.limitOf(until);
    if (this.detachedCount > 0) await this.settle();
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

/** The handle of an event the watchdog refused: already cancelled and done, it never runs. */
function deadEvent(time: SimTime, payload: EventHandler, owner: string | undefined): TimerHandle {
  return { time, seq: -1, payload, arg: undefined, owner, cancelled: true, done: true };
}
