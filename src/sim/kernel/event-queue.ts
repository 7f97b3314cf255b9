import type { SimTime } from './time';

/** One scheduled event. `seq` breaks ties between events at the same time: insertion order wins. */
export interface QueuedEvent<T> {
  readonly time: SimTime;
  readonly seq: number;
  readonly payload: T;
  /**
   * What the payload is called with (undefined: called with nothing): data for a handler shared by many events,
   * so that a link delivery needs no callback made per frame (issue 18, steady state).
   */
  readonly arg: unknown;
  /** The router whose work this is (the kernel's watchdog stops work per owner), if known. */
  readonly owner: string | undefined;
  cancelled: boolean;
  /** Set once the event has left the queue (run, or dropped after cancellation). */
  done: boolean;
}

/** Binary min-heap ordered by (time, seq), so a scenario plus a seed always replays in the same order. */
export class EventQueue<T> {
  private heap: QueuedEvent<T>[] = [];
  private nextSeq = 0;
  /** Cancelled events still in the heap. */
  private cancelledInHeap = 0;

  get size(): number {
    return this.heap.length;
  }

  push(time: SimTime, payload: T, owner?: string, arg?: unknown): QueuedEvent<T> {
    const event: QueuedEvent<T> = {
      time,
      seq: this.nextSeq++,
      payload,
      arg,
      owner,
      cancelled: false,
      done: false,
    };
    this.heap.push(event);
    this.siftUp(this.heap.length - 1);
    return event;
  }

  peek(): QueuedEvent<T> | undefined {
    return this.heap[0];
  }

  pop(): QueuedEvent<T> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
    top.done = true;
    if (top.cancelled) this.cancelledInHeap--;
    return top;
  }

  /**
   * Cancels an event; it stays in the heap (skipped when it comes up) until cancelled events are the majority,
   * then the heap is rebuilt without them. Protocol timers restart on every hello, so without this a big lab's
   * heap fills with dead timers (a 1000-spoke hub restarts one per neighbour hello).
   */
  cancel(event: QueuedEvent<T>): void {
    if (event.cancelled || event.done) return;
    event.cancelled = true;
    this.cancelledInHeap++;
    if (this.cancelledInHeap > 1024 && this.cancelledInHeap * 2 > this.heap.length) this.compact();
  }

  /** Live events due at `time` (a linear scan: the watchdog's rare look at what floods one instant). */
  liveAt(time: SimTime): QueuedEvent<T>[] {
    return this.heap.filter((e) => e.time === time && !e.cancelled);
  }

  /** Drops cancelled events and restores the heap order; (time, seq) keys are unchanged, so is the run order. */
  private compact(): void {
    this.heap = this.heap.filter((e) => {
      if (e.cancelled) e.done = true;
      return !e.cancelled;
    });
    this.cancelledInHeap = 0;
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private less(a: QueuedEvent<T>, b: QueuedEvent<T>): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let i = index;
    const item = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!this.less(item, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = item;
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    const n = heap.length;
    let i = index;
    const item = heap[i]!;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.less(heap[right]!, heap[left]!)) child = right;
      if (!this.less(heap[child]!, item)) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = item;
  }
}
