/**
 * The trace's stores as columns (issue 18, steady-state memory): one record or frame is a few numbers (time, event
 * code, a position in a byte arena) and references to the lab's own name strings (shared, never copied), not an
 * object graph of its own. Both are circular: the oldest entry is overwritten or shifted out in O(1), with no
 * `splice` of a 250,000-entry array. Names are kept as string references, not interned ids: interning cost a
 * `Map` lookup per name per record (0.3 s of a 300-spoke steady run) to save 16 bytes a record.
 */

/** Marks a record slot that holds a whole record object (a log, state or problem record): no bytes. */
export const OBJECT_SLOT = -1;

/** The names and numbers of a packet record the ring keeps (the trace's `PacketFields`, less the event). */
export interface RingFields {
  readonly t: number;
  readonly device: string;
  readonly iface?: string;
  readonly link?: string;
  readonly frameId: number;
  readonly reason?: string;
  readonly overlayPeer?: string;
}

/** Where a packet record's bytes are and how to describe them. */
export interface RingBytes {
  /** Which arena holds the bytes: `FRAME_BYTES` (the frame's own) or `RECORD_BYTES` (a copy for the record). */
  readonly arena: number;
  readonly pos: number;
  readonly len: number;
}

/** One packet record as read back. */
export interface PacketSlot extends RingFields, RingBytes {
  readonly event: number;
  readonly describer: number;
}

/** A record's bytes are those of a stored frame, in the frames' arena. */
export const FRAME_BYTES = 0;
/** A record's bytes were copied for it, in the records' arena. */
export const RECORD_BYTES = 1;

/**
 * The last `max` records, oldest first. Columns grow by doubling up to `max` (a scratch recorder of a checkpoint
 * filler or a small lab never allocates the page's 200,000 slots) and then wrap.
 */
export class RecordRing {
  private cap = 0;
  private head = 0;
  private count = 0;
  private t = new Float64Array(0);
  private frameId = new Float64Array(0);
  private pos = new Float64Array(0);
  private len = new Int32Array(0);
  private event = new Uint8Array(0);
  private describer = new Uint8Array(0);
  private arena = new Uint8Array(0);
  private device: (string | undefined)[] = [];
  private iface: (string | undefined)[] = [];
  private link: (string | undefined)[] = [];
  private peer: (string | undefined)[] = [];
  /** A packet record's drop reason, or a whole non-packet record. */
  private extra: unknown[] = [];
  /** Whether the last record added overwrote the oldest. */
  private evicted = false;
  private readonly max: number;

  constructor(max: number) {
    this.max = Math.max(1, max);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a packet record; returns true when the oldest record was overwritten to make room. */
  pushPacket(f: RingFields, event: number, describer: number, bytes: RingBytes): boolean {
    const slot = this.claim();
    this.t[slot] = f.t;
    this.event[slot] = event;
    this.device[slot] = f.device;
    this.iface[slot] = f.iface;
    this.link[slot] = f.link;
    this.frameId[slot] = f.frameId;
    this.peer[slot] = f.overlayPeer;
    this.describer[slot] = describer;
    this.arena[slot] = bytes.arena;
    this.pos[slot] = bytes.pos;
    this.len[slot] = bytes.len;
    this.extra[slot] = f.reason;
    return this.evicted;
  }

  /** Adds a record kept whole; returns true when the oldest record was overwritten to make room. */
  pushObject(r: object): boolean {
    const slot = this.claim();
    this.len[slot] = OBJECT_SLOT;
    this.pos[slot] = -1;
    this.extra[slot] = r;
    return this.evicted;
  }

  /** The slot of the `i`th record, oldest first. */
  slot(i: number): number {
    return (this.head + i) % this.cap;
  }

  isObject(slot: number): boolean {
    return this.len[slot] === OBJECT_SLOT;
  }

  object(slot: number): unknown {
    return this.extra[slot];
  }

  packet(slot: number): PacketSlot {
    return {
      t: this.t[slot]!,
      event: this.event[slot]!,
      device: this.device[slot]!,
      iface: this.iface[slot],
      link: this.link[slot],
      frameId: this.frameId[slot]!,
      overlayPeer: this.peer[slot],
      reason: this.extra[slot] as string | undefined,
      describer: this.describer[slot]!,
      arena: this.arena[slot]!,
      pos: this.pos[slot]!,
      len: this.len[slot]!,
    };
  }

  /**
   * The smallest position a record still reads in `arena` (Infinity when none does): the first such record's.
   * Positions grow with the ring's order in each arena: a record's own copy is appended after every earlier one,
   * and a record of a frame points at the last frame added, never before an earlier record's frame; a rewind keeps
   * a prefix and goes on from its last frame. (The fast-check property in trace.test.ts releases chunks of 64 bytes
   * across rewinds and reads every record back.)
   */
  minPos(arena: number): number {
    for (let i = 0; i < this.count; i++) {
      const s = this.slot(i);
      if (this.len[s] !== OBJECT_SLOT && this.arena[s] === arena) return this.pos[s]!;
    }
    return Infinity;
  }

  /** Keeps only the oldest `keep` records (a rewind). */
  truncate(keep: number): void {
    for (let i = keep; i < this.count; i++) {
      const s = this.slot(i);
      this.extra[s] = this.device[s] = this.iface[s] = this.link[s] = this.peer[s] = undefined;
    }
    this.count = Math.max(0, Math.min(keep, this.count));
  }

  /** The slot for a new record; sets `evicted` when it was the oldest record's. */
  private claim(): number {
    if (this.count === this.cap && this.cap < this.max)
      this.grow(Math.min(this.max, Math.max(64, this.cap * 2)));
    this.evicted = this.count === this.cap;
    if (!this.evicted) return this.slot(this.count++);
    const slot = this.head;
    this.head = (this.head + 1) % this.cap;
    return slot;
  }

  /** New columns of `cap` slots holding the records oldest first from slot 0. */
  private grow(cap: number): void {
    const at = { head: this.head, count: this.count, cap: this.cap };
    this.t = regrow(this.t, new Float64Array(cap), at);
    this.frameId = regrow(this.frameId, new Float64Array(cap), at);
    this.pos = regrow(this.pos, new Float64Array(cap), at);
    this.len = regrow(this.len, new Int32Array(cap), at);
    this.event = regrow(this.event, new Uint8Array(cap), at);
    this.describer = regrow(this.describer, new Uint8Array(cap), at);
    this.arena = regrow(this.arena, new Uint8Array(cap), at);
    this.device = reorder(this.device, at);
    this.iface = reorder(this.iface, at);
    this.link = reorder(this.link, at);
    this.peer = reorder(this.peer, at);
    this.extra = reorder(this.extra, at);
    this.head = 0;
    this.cap = cap;
  }
}

type Column = Float64Array | Int32Array | Uint8Array;

/** Where a circular store's entries are: from `head`, `count` of them, wrapping at `cap`. */
interface RingSpan {
  readonly head: number;
  readonly count: number;
  readonly cap: number;
}

/** `to` with `from`'s entries oldest first from index 0 (two block copies). */
function regrow<C extends Column>(from: C, to: C, at: RingSpan): C {
  const first = Math.min(at.count, at.cap - at.head);
  to.set(from.subarray(at.head, at.head + first));
  to.set(from.subarray(0, at.count - first), first);
  return to;
}

/** `from`'s entries oldest first from index 0, as a new array. */
function reorder<T>(from: T[], at: RingSpan): T[] {
  const first = Math.min(at.count, at.cap - at.head);
  return from.slice(at.head, at.head + first).concat(from.slice(0, at.count - first));
}

/** One stored frame's columns. */
export interface FrameSlot {
  readonly t: number;
  readonly link: string;
  readonly from: string;
  readonly pos: number;
  readonly len: number;
}

/** Stored frames, oldest first, shifted out from the front (the byte budget) in O(1); grows by doubling. */
export class FrameFifo {
  private cap = 0;
  private head = 0;
  private count = 0;
  private t = new Float64Array(0);
  private pos = new Float64Array(0);
  private len = new Int32Array(0);
  private link: string[] = [];
  private from: string[] = [];

  get size(): number {
    return this.count;
  }

  push(f: FrameSlot): void {
    if (this.count === this.cap) this.grow(Math.max(64, this.cap * 2));
    const s = (this.head + this.count) % this.cap;
    this.t[s] = f.t;
    this.pos[s] = f.pos;
    this.len[s] = f.len;
    this.link[s] = f.link;
    this.from[s] = f.from;
    this.count++;
  }

  /** The `i`th stored frame, oldest first. */
  at(i: number): FrameSlot {
    const s = (this.head + i) % this.cap;
    return { t: this.t[s]!, link: this.link[s]!, from: this.from[s]!, pos: this.pos[s]!, len: this.len[s]! };
  }

  /** Bytes of the `i`th stored frame. */
  length(i: number): number {
    return this.len[(this.head + i) % this.cap]!;
  }

  /** Drops the oldest frame. */
  shift(): void {
    this.head = (this.head + 1) % this.cap;
    this.count--;
  }

  /** Keeps only the oldest `keep` frames (a rewind). */
  truncate(keep: number): void {
    this.count = Math.max(0, Math.min(keep, this.count));
  }

  private grow(cap: number): void {
    const at = { head: this.head, count: this.count, cap: this.cap };
    this.t = regrow(this.t, new Float64Array(cap), at);
    this.pos = regrow(this.pos, new Float64Array(cap), at);
    this.len = regrow(this.len, new Int32Array(cap), at);
    this.link = reorder(this.link, at);
    this.from = reorder(this.from, at);
    this.head = 0;
    this.cap = cap;
  }
}
