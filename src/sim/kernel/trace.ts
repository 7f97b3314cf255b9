import type { SimTime } from './time';

/** What happened to a packet at one point of its path. */
export type PacketEvent = 'sent' | 'received' | 'dropped' | 'delivered' | 'forwarded';

export interface PacketRecord {
  readonly kind: 'packet';
  readonly t: SimTime;
  readonly event: PacketEvent;
  readonly device: string;
  /** Interface the packet left or arrived on (IOS full name). */
  readonly iface?: string;
  /** Link id (`A Serial1/0--B Serial2/0`) for sent frames. */
  readonly link?: string;
  /** Id of the frame on the wire; fetch its bytes with `TraceRecorder.frame(id)`. */
  readonly frameId: number;
  /** Outermost-to-innermost protocol names, e.g. `['ipv4', 'udp', 'autorp']`. */
  readonly protocols: readonly string[];
  readonly summary: string;
  /** Why it was dropped, in words a student can read. */
  readonly reason?: string;
  /** For a packet sent into a tunnel: the NBMA address of the tunnel peer (the overlay edge it takes). */
  readonly overlayPeer?: string;
}

export interface LogRecord {
  readonly kind: 'log';
  readonly t: SimTime;
  readonly device: string;
  /** `syslog` lines carry a %FACILITY-SEV-MNEMONIC; `debug` lines come from `debug …` commands. */
  readonly level: 'syslog' | 'debug';
  readonly text: string;
}

export interface StateRecord {
  readonly kind: 'state';
  readonly t: SimTime;
  readonly device: string;
  readonly what: string;
  readonly detail: string;
}

/**
 * Something the lab itself stopped so it could go on (the kernel's watchdog, `kernel/watchdog.ts`): the page
 * lists it among Problems. `device` is the router whose work was stopped, or `lab`.
 */
export interface ProblemRecord {
  readonly kind: 'problem';
  readonly t: SimTime;
  readonly device: string;
  readonly problem: 'event-flood' | 'recursion' | 'exception';
  /** Plain-language sentence for the Problems panel. */
  readonly message: string;
}

export type TraceRecord = PacketRecord | LogRecord | StateRecord | ProblemRecord;

export interface Frame {
  readonly id: number;
  readonly t: SimTime;
  readonly link: string;
  readonly from: string;
  readonly bytes: Uint8Array;
}

export type TraceListener = (record: TraceRecord) => void;

/** Told of every frame as it is added, before the byte budget can drop it (`--pcap` streams from here). */
export type FrameListener = (frame: Frame) => void;

/** What a packet record says about its bytes; computed only when someone reads it (see `recordPacket`). */
export interface PacketDescription {
  readonly protocols: string[];
  readonly summary: string;
}

/** Turns packet bytes into their protocol list and one-line summary (the dissector's `summarize`). */
export type PacketDescriber = (bytes: Uint8Array) => PacketDescription;

/** A packet record's own fields: everything but what is derived from its bytes. */
export type PacketFields = Omit<PacketRecord, 'kind' | 'protocols' | 'summary'>;

/**
 * A packet record as the ring stores it: its fields, its bytes and how to describe them. It becomes a
 * `PacketRecord` only when read (`all`, `since`, listeners), so a run nobody watches never dissects a packet:
 * on a 100-spoke lab, building every summary eagerly cost more than the protocols themselves (bench/RESULTS.md).
 */
class PendingPacket {
  readonly fields: PacketFields;
  readonly bytes: Uint8Array;
  readonly describe: PacketDescriber;

  constructor(fields: PacketFields, bytes: Uint8Array, describe: PacketDescriber) {
    this.fields = fields;
    this.bytes = bytes;
    this.describe = describe;
  }
}

type Entry = TraceRecord | PendingPacket;

/**
 * A packet record whose `protocols` and `summary` are own enumerable accessors, computed on first read and then
 * kept. Own (not prototype) accessors, so a structured clone (comlink to the page), a spread or JSON copies them
 * like plain data.
 */
class LazyPacketRecord {
  readonly #bytes: Uint8Array;
  readonly #describe: PacketDescriber;
  #description: PacketDescription | undefined;

  constructor(fields: PacketFields, bytes: Uint8Array, describe: PacketDescriber) {
    Object.assign(this, { kind: 'packet' }, fields);
    this.#bytes = bytes;
    this.#describe = describe;
    Object.defineProperties(this, LAZY_FIELDS);
  }

  static describe(r: LazyPacketRecord): PacketDescription {
    r.#description ??= r.#describe(r.#bytes);
    return r.#description;
  }

  static bytes(r: unknown): Uint8Array | undefined {
    return r instanceof LazyPacketRecord ? r.#bytes : undefined;
  }
}

/**
 * The bytes a packet record was made from (the packet as the device saw it: a tunnel's inner packet has no frame
 * on a link), for the worker's event classifier. Undefined for records not made by `recordPacket`.
 */
export function packetRecordBytes(r: TraceRecord): Uint8Array | undefined {
  return LazyPacketRecord.bytes(r);
}

/** Shared accessor functions: every lazy record gets the same ones, so they all keep one hidden class. */
const LAZY_FIELDS: PropertyDescriptorMap = {
  protocols: {
    get(this: LazyPacketRecord): readonly string[] {
      return LazyPacketRecord.describe(this).protocols;
    },
    enumerable: true,
  },
  summary: {
    get(this: LazyPacketRecord): string {
      return LazyPacketRecord.describe(this).summary;
    },
    enumerable: true,
  },
};

function expose(e: Entry): TraceRecord {
  if (!(e instanceof PendingPacket)) return e;
  return new LazyPacketRecord(e.fields, e.bytes, e.describe) as unknown as PacketRecord;
}

/** A point in a trace (`TraceRecorder.mark`): what a checkpoint needs to rewind the trace to it. */
export interface TraceMark {
  /** Records ever recorded. */
  readonly total: number;
  readonly hashState: number;
  readonly nextFrameId: number;
}

/**
 * Collects trace records and frames. Records are kept in a bounded ring (the UI fetches windows of it); packet
 * records are described (dissected) only when read. Frames are kept for capture export up to a byte budget.
 */
export class TraceRecorder {
  private readonly records: Entry[] = [];
  private readonly frames: Frame[] = [];
  /** Each listener with the record kinds it wants (undefined: all). */
  private readonly listeners = new Map<TraceListener, ReadonlySet<TraceRecord['kind']> | undefined>();
  /** Whether some listener wants packet records (which must then be made readable as they come). */
  private packetListeners = 0;
  private readonly frameListeners = new Set<FrameListener>();
  private frameBytes = 0;
  private nextFrameId = 1;
  private droppedRecords = 0;
  private hashState = FNV_OFFSET;
  /** The bytes of the last frame added: a record of those same bytes need not hash them again. */
  private lastFrameBytes: Uint8Array | undefined;

  private readonly maxRecords: number;
  private readonly maxFrameBytes: number;

  constructor(maxRecords = 200_000, maxFrameBytes = 64 * 1024 * 1024) {
    this.maxRecords = maxRecords;
    this.maxFrameBytes = maxFrameBytes;
  }

  record(r: TraceRecord): void {
    this.hashState = fnv1a(this.hashState, recordLine(r));
    this.push(r);
  }

  /**
   * Records a packet event without describing it: `protocols` and `summary` are computed from `bytes` by
   * `describe` when the record is first read. The hash covers the record's fields and its bytes, so two runs
   * agree exactly when their packets do. `bytes` must not change afterwards (packets are immutable here).
   */
  recordPacket(fields: PacketFields, bytes: Uint8Array, describe: PacketDescriber): void {
    let h = fnv1aPacketFields(this.hashState, fields);
    if (bytes !== this.lastFrameBytes) h = fnv1aBytes(h, bytes);
    this.hashState = h;
    this.push(new PendingPacket(fields, bytes, describe));
  }

  private push(e: Entry): void {
    this.records.push(e);
    // Trim in chunks so the ring costs O(1) amortised per record.
    if (this.records.length > this.maxRecords * 1.25) {
      const excess = this.records.length - this.maxRecords;
      this.records.splice(0, excess);
      this.droppedRecords += excess;
    }
    if (this.listeners.size === 0) return;
    const kind = e instanceof PendingPacket ? 'packet' : e.kind;
    if (kind === 'packet' && this.packetListeners === 0) return;
    const r = expose(e);
    if (r !== e) this.records[this.records.length - 1] = r;
    for (const [l, kinds] of this.listeners) if (!kinds || kinds.has(kind)) l(r);
  }

  /** Stores a frame as it leaves an interface and returns its id. */
  addFrame(t: SimTime, link: string, from: string, bytes: Uint8Array): number {
    const id = this.nextFrameId++;
    const frame: Frame = { id, t, link, from, bytes };
    this.frames.push(frame);
    for (const l of this.frameListeners) l(frame);
    this.frameBytes += bytes.length;
    if (this.frameBytes > this.maxFrameBytes) this.trimFrames();
    this.hashState = fnv1aBytes(this.hashState, bytes);
    this.lastFrameBytes = bytes;
    return id;
  }

  private trimFrames(): void {
    let drop = 0;
    while (this.frameBytes > this.maxFrameBytes * 0.8 && drop < this.frames.length - 1) {
      this.frameBytes -= this.frames[drop]!.bytes.length;
      drop++;
    }
    this.frames.splice(0, drop);
  }

  frame(id: number): Frame | undefined {
    // Frames are appended in id order, so a binary search finds one.
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const f = this.frames[mid]!;
      if (f.id === id) return f;
      if (f.id < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  allFrames(): readonly Frame[] {
    return this.frames;
  }

  /** Every record in the ring (packet records describe themselves when their summary is read). */
  all(): readonly TraceRecord[] {
    return this.exposeFrom(0);
  }

  get total(): number {
    return this.records.length + this.droppedRecords;
  }

  /** Records with absolute index >= `from` (indices count records ever recorded). */
  since(from: number): TraceRecord[] {
    const start = Math.max(0, from - this.droppedRecords);
    return this.exposeFrom(start).slice(start);
  }

  /** Replaces stored entries from `start` on by readable records (once each) and returns the ring. */
  private exposeFrom(start: number): TraceRecord[] {
    const rs = this.records;
    for (let i = start; i < rs.length; i++) {
      const e = rs[i]!;
      if (e instanceof PendingPacket) rs[i] = expose(e);
    }
    return rs as TraceRecord[];
  }

  /**
   * Calls `l` with every new record, or only with records of `kinds`: a listener for logs alone leaves packet
   * records undescribed (cheap).
   */
  subscribe(l: TraceListener, kinds?: readonly TraceRecord['kind'][]): () => void {
    if (this.listeners.has(l)) return () => this.unsubscribe(l);
    const wanted = kinds ? new Set(kinds) : undefined;
    this.listeners.set(l, wanted);
    if (!wanted || wanted.has('packet')) this.packetListeners++;
    return () => this.unsubscribe(l);
  }

  /**
   * Calls `l` with every frame from now on. The frame store keeps only a byte budget's worth; a listener sees
   * all of them, so an export can be complete for any run length.
   */
  subscribeFrames(l: FrameListener): () => void {
    this.frameListeners.add(l);
    return () => this.frameListeners.delete(l);
  }

  private unsubscribe(l: TraceListener): void {
    if (!this.listeners.has(l)) return;
    const wanted = this.listeners.get(l);
    this.listeners.delete(l);
    if (!wanted || wanted.has('packet')) this.packetListeners--;
  }

  /** Where the trace is now, for a checkpoint (issue 18): plain numbers. */
  mark(): TraceMark {
    return {
      total: this.total,
      hashState: this.hashState,
      nextFrameId: this.nextFrameId,
    };
  }

  /** The bytes of the last frame added (a checkpoint copies them with the lab: see `rewindTo`). */
  get lastFrame(): Uint8Array | undefined {
    return this.lastFrameBytes;
  }

  /**
   * Goes back to `mark`: every record and frame after it is dropped, and the hash is the mark's, so a run
   * continued from a checkpoint taken at the mark records and hashes exactly what the original run did. A mark
   * ahead of what this recorder holds (a fresh recorder, or records the ring no longer has) leaves it empty at the
   * mark's counters. `lastFrame` is the checkpoint's copy of the last frame's bytes: the hash skips a record's
   * bytes when they are the very bytes of the frame just added, so that identity must survive the copy.
   */
  rewindTo(mark: TraceMark, lastFrame: Uint8Array | undefined): void {
    const keep = mark.total - this.droppedRecords;
    if (keep >= 0 && keep <= this.records.length) this.records.length = keep;
    else {
      this.records.length = 0;
      this.droppedRecords = mark.total;
    }
    let frames = this.frames.length;
    while (frames > 0 && this.frames[frames - 1]!.id >= mark.nextFrameId) frames--;
    this.frames.length = frames;
    this.frameBytes = this.frames.reduce((n, f) => n + f.bytes.length, 0);
    this.nextFrameId = mark.nextFrameId;
    this.hashState = mark.hashState;
    this.lastFrameBytes = lastFrame;
  }

  /** A hash over every record and frame so far: two runs with one seed must agree. */
  hash(): string {
    return (this.hashState >>> 0).toString(16).padStart(8, '0');
  }
}

export function recordLine(r: TraceRecord): string {
  switch (r.kind) {
    case 'packet':
      return `${packetLine(r)} ${r.protocols.join('/')} ${r.summary}`;
    case 'log':
      return `${r.t} log ${r.device} ${r.text}`;
    case 'state':
      return `${r.t} state ${r.device} ${r.what} ${r.detail}`;
    case 'problem':
      return `${r.t} problem ${r.device} ${r.problem} ${r.message}`;
  }
}

/** FNV-1a over a packet record's fields, field by field: no string is built per packet. */
function fnv1aPacketFields(h: number, r: PacketFields): number {
  let x = fnv1aNumber(h, r.t);
  x = fnv1a(x, r.event);
  x = fnv1a(x, r.device);
  x = fnv1a(x, r.iface ?? '');
  x = fnv1a(x, r.link ?? '');
  x = fnv1aNumber(x, r.frameId);
  x = fnv1a(x, r.reason ?? '');
  return fnv1a(x, r.overlayPeer ?? '');
}

/** FNV-1a over a non-negative integer below 2^53, as two 32-bit words (then a separator). */
function fnv1aNumber(h: number, n: number): number {
  let x = Math.imul(h ^ (n >>> 0), FNV_PRIME);
  x = Math.imul(x ^ Math.floor(n / 0x1_0000_0000), FNV_PRIME);
  return Math.imul(x ^ 0x20, FNV_PRIME) >>> 0;
}

/** The hashed part of a packet record besides its bytes. */
function packetLine(r: PacketFields): string {
  return `${r.t} ${r.event} ${r.device} ${r.iface ?? ''} ${r.link ?? ''} ${r.frameId} ${r.reason ?? ''} ${r.overlayPeer ?? ''}`;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(h: number, s: string): number {
  let x = h;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), FNV_PRIME);
  return x >>> 0;
}

/** FNV-1a over raw bytes: no hex string per frame. */
function fnv1aBytes(h: number, bytes: Uint8Array): number {
  let x = h;
  for (let i = 0; i < bytes.length; i++) x = Math.imul(x ^ bytes[i]!, FNV_PRIME);
  return x >>> 0;
}
