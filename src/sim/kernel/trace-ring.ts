/**
 * The trace's stores as typed columns (issue 18, steady-state memory): one record or frame is a few numbers (time,
 * event code, interned names, a position in the byte arena), not an object graph. Both are circular: the oldest
 * entry is overwritten or shifted out in O(1), with no `splice` of a 250,000-entry array.
 */

/** Turns strings (device, interface, link names: a lab's own, so a bounded set) into small ids and back. */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];

  id(name: string | undefined): number {
    if (name === undefined) return -1;
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  name(id: number): string | undefined {
    return id < 0 ? undefined : this.names[id];
  }
}

/** Marks a record slot that holds a whole record object (a log, state or problem record): no bytes. */
export const OBJECT_SLOT = -1;

/** One packet record's columns, as `RecordRing.pushPacket` takes them. */
export interface PacketSlot {
  readonly t: number;
  readonly event: number;
  readonly device: number;
  readonly iface: number;
  readonly link: number;
  readonly frameId: number;
  readonly peer: number;
  readonly describer: number;
  /** Which arena holds the bytes: `FRAME_BYTES` (the frame's own) or `RECORD_BYTES` (a copy for the record). */
  readonly arena: number;
  readonly pos: number;
  readonly len: number;
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
  private device = new Int32Array(0);
  private iface = new Int32Array(0);
  private link = new Int32Array(0);
  private peer = new Int32Array(0);
  /** A packet record's drop reason (free text: not interned), or a whole non-packet record. */
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
  pushPacket(p: PacketSlot, reason: string | undefined): boolean {
    const slot = this.claim();
    this.t[slot] = p.t;
    this.event[slot] = p.event;
    this.device[slot] = p.device;
    this.iface[slot] = p.iface;
    this.link[slot] = p.link;
    this.frameId[slot] = p.frameId;
    this.peer[slot] = p.peer;
    this.describer[slot] = p.describer;
    this.arena[slot] = p.arena;
    this.pos[slot] = p.pos;
    this.len[slot] = p.len;
    this.extra[slot] = reason;
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

  packet(slot: number): PacketSlot & { readonly reason: string | undefined } {
    return {
      t: this.t[slot]!,
      event: this.event[slot]!,
      device: this.device[slot]!,
      iface: this.iface[slot]!,
      link: this.link[slot]!,
      frameId: this.frameId[slot]!,
      peer: this.peer[slot]!,
      describer: this.describer[slot]!,
      arena: this.arena[slot]!,
      pos: this.pos[slot]!,
      len: this.len[slot]!,
      reason: this.extra[slot] as string | undefined,
    };
  }

  /**
   * The smallest position a record still reads in `arena` (Infinity when none does); stops early at one below
   * `below`, all a release needs to know.
   */
  minPos(arena: number, below = Infinity): number {
    let min = Infinity;
    for (let i = 0; i < this.count; i++) {
      const s = this.slot(i);
      if (this.len[s] === OBJECT_SLOT || this.arena[s] !== arena) continue;
      const p = this.pos[s]!;
      if (p < min) min = p;
      if (min < below) return min;
    }
    return min;
  }

  /** Keeps only the oldest `keep` records (a rewind). */
  truncate(keep: number): void {
    for (let i = keep; i < this.count; i++) this.extra[this.slot(i)] = undefined;
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
    const order = Array.from({ length: this.count }, (_, i) => this.slot(i));
    this.t = regrow(this.t, new Float64Array(cap), order);
    this.frameId = regrow(this.frameId, new Float64Array(cap), order);
    this.pos = regrow(this.pos, new Float64Array(cap), order);
    this.len = regrow(this.len, new Int32Array(cap), order);
    this.event = regrow(this.event, new Uint8Array(cap), order);
    this.describer = regrow(this.describer, new Uint8Array(cap), order);
    this.arena = regrow(this.arena, new Uint8Array(cap), order);
    this.device = regrow(this.device, new Int32Array(cap), order);
    this.iface = regrow(this.iface, new Int32Array(cap), order);
    this.link = regrow(this.link, new Int32Array(cap), order);
    this.peer = regrow(this.peer, new Int32Array(cap), order);
    const extra = new Array<unknown>(cap);
    order.forEach((s, i) => (extra[i] = this.extra[s]));
    this.extra = extra;
    this.head = 0;
    this.cap = cap;
  }
}

type Column = Float64Array | Int32Array | Uint8Array;

function regrow<C extends Column>(from: C, to: C, order: readonly number[]): C {
  for (let i = 0; i < order.length; i++) to[i] = from[order[i]!]!;
  return to;
}

/** One stored frame's columns. */
export interface FrameSlot {
  readonly t: number;
  readonly link: number;
  readonly from: number;
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
  private link = new Int32Array(0);
  private from = new Int32Array(0);

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
    const order = Array.from({ length: this.count }, (_, i) => (this.head + i) % this.cap);
    this.t = regrow(this.t, new Float64Array(cap), order);
    this.pos = regrow(this.pos, new Float64Array(cap), order);
    this.len = regrow(this.len, new Int32Array(cap), order);
    this.link = regrow(this.link, new Int32Array(cap), order);
    this.from = regrow(this.from, new Int32Array(cap), order);
    this.head = 0;
    this.cap = cap;
  }
}
