import { ARENA_CHUNK_BYTES, ByteArena } from './byte-arena';
import type { SimTime } from './time';
import { FRAME_BYTES, FrameFifo, RECORD_BYTES, RecordRing } from './trace-ring';

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

/**
 * What a listener may ask for: records of a kind, or `dropped` (packet records of dropped packets alone: rare, so
 * a listener for them leaves every other packet record undescribed).
 */
export type TraceInterest = TraceRecord['kind'] | 'dropped';

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

/** Packet events by code: a record stores the index. */
const PACKET_EVENTS: readonly PacketEvent[] = ['sent', 'received', 'dropped', 'delivered', 'forwarded'];
/** Codes of packet events (an object of constant keys: a property read is cheaper than a `Map` lookup here). */
const EVENT_CODES: Readonly<Record<PacketEvent, number>> = {
  sent: 0,
  received: 1,
  dropped: 2,
  delivered: 3,
  forwarded: 4,
};

/**
 * A packet record whose `protocols` and `summary` are own enumerable accessors, computed on first read and then
 * kept. Own (not prototype) accessors, so a structured clone (comlink to the page), a spread or JSON copies them
 * like plain data. Made only when a record is read (`all`, `since`, listeners), so a run nobody watches never
 * dissects a packet: on a 100-spoke lab, building every summary eagerly cost more than the protocols themselves.
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

/** A point in a trace (`TraceRecorder.mark`): what a checkpoint needs to rewind the trace to it. */
export interface TraceMark {
  /** Records ever recorded. */
  readonly total: number;
  readonly hashState: number;
  readonly nextFrameId: number;
}

/**
 * Collects trace records and frames (issue 18: a compact store; with the page's 200,000 records and 64 MB of
 * frames the 1,000-spoke steady state peaks at about 0.6 GB instead of 1.3 GB, bench/RESULTS.md). Records are kept in a bounded ring of typed columns
 * (`trace-ring.ts`); packet bytes are copied once into a byte arena (`byte-arena.ts`), and a
 * record of the frame just added points at that frame's bytes. Records are objects again only when read, and
 * packet records are described (dissected) only then. Frames are kept for capture export up to a byte budget.
 */
export class TraceRecorder {
  private readonly records: RecordRing;
  private readonly frames = new FrameFifo();
  /** Frames' bytes, and a copy of each record's bytes that are not a stored frame's: two arenas, freed apart. */
  private readonly frameArena: ByteArena;
  private readonly recordArena: ByteArena;
  private readonly describers: PacketDescriber[] = [];
  /** Each listener with the record kinds it wants (undefined: all). */
  private readonly listeners = new Map<TraceListener, ReadonlySet<TraceInterest> | undefined>();
  /** Whether some listener wants packet records (which must then be made readable as they come). */
  private packetListeners = 0;
  /** Whether some listener wants the records of dropped packets only. */
  private dropListeners = 0;
  private readonly frameListeners = new Set<FrameListener>();
  private frameBytes = 0;
  private nextFrameId = 1;
  private droppedRecords = 0;
  private hashState = FNV_OFFSET;
  /** The bytes of the last frame added: a record of those same bytes need not hash or store them again. */
  private lastFrameBytes: Uint8Array | undefined;
  /** Arena position of the last frame's bytes (-1: not stored here). */
  private lastFramePos = -1;

  private readonly maxFrameBytes: number;

  /** `arenaChunkBytes`: the byte arenas' chunk size (tests make it small to see chunks released). */
  constructor(maxRecords = 200_000, maxFrameBytes = 64 * 1024 * 1024, arenaChunkBytes = ARENA_CHUNK_BYTES) {
    this.records = new RecordRing(maxRecords);
    this.frameArena = new ByteArena(arenaChunkBytes);
    this.recordArena = new ByteArena(arenaChunkBytes);
    this.maxFrameBytes = maxFrameBytes;
  }

  record(r: TraceRecord): void {
    this.hashState = fnv1a(this.hashState, recordLine(r));
    if (this.records.pushObject(r)) this.droppedRecords++;
    this.tell(r.kind, r);
  }

  /**
   * Records a packet event without describing it: `protocols` and `summary` are computed from `bytes` by
   * `describe` when the record is first read. The hash covers the record's fields and its bytes, so two runs
   * agree exactly when their packets do. The bytes are copied (or, when they are the frame just added, shared
   * with it), so the caller may reuse its buffer.
   */
  recordPacket(fields: PacketFields, bytes: Uint8Array, describe: PacketDescriber): void {
    let h = fnv1aPacketFields(this.hashState, fields);
    const ofFrame = bytes === this.lastFrameBytes;
    if (!ofFrame) h = fnv1aBytes(h, bytes);
    this.hashState = h;
    const shared = ofFrame && this.lastFramePos >= 0;
    const arena = shared ? FRAME_BYTES : RECORD_BYTES;
    const pos = shared ? this.lastFramePos : this.store(this.recordArena, RECORD_BYTES, bytes);
    if (this.packetListeners > 0 || (this.dropListeners > 0 && fields.event === 'dropped'))
      return this.keepTold(fields, arena, pos, bytes.length, describe);
    const at = { arena, pos, len: bytes.length };
    if (this.records.pushPacket(fields, EVENT_CODES[fields.event], this.describerId(describe), at))
      this.droppedRecords++;
  }

  /**
   * A packet record some listener wants: made readable now and kept whole in the ring, so a later read returns
   * the very object the listener saw (the worker's classifier caches by record: `stepMatching` classifies as the
   * records come, then drains them). Its bytes are an arena view, which keeps its chunk alive on its own.
   */
  private keepTold(
    fields: PacketFields,
    arena: number,
    pos: number,
    len: number,
    describe: PacketDescriber,
  ): void {
    const bytes = (arena === FRAME_BYTES ? this.frameArena : this.recordArena).view(pos, len);
    const r = new LazyPacketRecord(fields, bytes, describe) as unknown as PacketRecord;
    if (this.records.pushObject(r)) this.droppedRecords++;
    this.tell('packet', r);
  }

  private describerId(d: PacketDescriber): number {
    const i = this.describers.indexOf(d);
    if (i >= 0) return i;
    if (this.describers.length === 255) throw new RangeError('more than 255 packet describers');
    return this.describers.push(d) - 1;
  }

  /** Copies `bytes` into `arena`, first releasing chunks nothing reads any more when a new chunk is due. */
  private store(arena: ByteArena, which: number, bytes: Uint8Array): number {
    if (arena.needsChunk(bytes.length)) arena.release(this.floor(arena, which));
    return arena.append(bytes);
  }

  /** The oldest position of `arena` still read: by a stored frame or the last frame (frames' arena) and by a record. */
  private floor(arena: ByteArena, which: number): number {
    const second = arena.secondChunkStart;
    if (second === Infinity) return -1;
    let floor = Infinity;
    if (which === FRAME_BYTES) {
      if (this.frames.size > 0) floor = this.frames.at(0).pos;
      if (this.lastFramePos >= 0) floor = Math.min(floor, this.lastFramePos);
      if (floor < second) return floor;
    }
    return Math.min(floor, this.records.minPos(which));
  }

  /** Tells the listeners of `kind` about a record. */
  private tell(kind: TraceRecord['kind'], r: TraceRecord): void {
    if (this.listeners.size === 0) return;
    const dropped = r.kind === 'packet' && r.event === 'dropped';
    for (const [l, kinds] of this.listeners)
      if (!kinds || kinds.has(kind) || (dropped && kinds.has('dropped'))) l(r);
  }

  /** Stores a frame as it leaves an interface and returns its id. */
  addFrame(t: SimTime, link: string, from: string, bytes: Uint8Array): number {
    const id = this.nextFrameId++;
    if (this.frameListeners.size > 0) {
      const frame: Frame = { id, t, link, from, bytes };
      for (const l of this.frameListeners) l(frame);
    }
    const pos = this.store(this.frameArena, FRAME_BYTES, bytes);
    this.frames.push({ t, link, from, pos, len: bytes.length });
    this.frameBytes += bytes.length;
    if (this.frameBytes > this.maxFrameBytes) this.trimFrames();
    this.hashState = fnv1aBytes(this.hashState, bytes);
    this.lastFrameBytes = bytes;
    this.lastFramePos = pos;
    return id;
  }

  private trimFrames(): void {
    while (this.frameBytes > this.maxFrameBytes * 0.8 && this.frames.size > 1) {
      this.frameBytes -= this.frames.length(0);
      this.frames.shift();
    }
  }

  /** Bytes the recorder's arenas hold (frames and records' copies): bounded by the ring and the frame budget. */
  get heldBytes(): number {
    return this.frameArena.heldBytes + this.recordArena.heldBytes;
  }

  /** Id of the oldest stored frame. */
  private get firstFrameId(): number {
    return this.nextFrameId - this.frames.size;
  }

  /** The frame with `id`, its bytes a copy of their own (safe to post to the page or keep). */
  frame(id: number): Frame | undefined {
    const i = id - this.firstFrameId;
    if (!Number.isInteger(i) || i < 0 || i >= this.frames.size) return undefined;
    const f = this.frameAt(i);
    return { ...f, bytes: f.bytes.slice() };
  }

  private frameAt(i: number): Frame {
    const f = this.frames.at(i);
    const bytes = this.frameArena.view(f.pos, f.len);
    return {
      id: this.firstFrameId + i,
      t: f.t,
      link: f.link,
      from: f.from,
      bytes,
    };
  }

  /** Every stored frame, oldest first; their bytes are views of the recorder's arena (read them, don't post them). */
  allFrames(): readonly Frame[] {
    return Array.from({ length: this.frames.size }, (_, i) => this.frameAt(i));
  }

  /** Every record in the ring (packet records describe themselves when their summary is read). */
  all(): readonly TraceRecord[] {
    return this.exposeFrom(0);
  }

  get total(): number {
    return this.records.size + this.droppedRecords;
  }

  /** Records with absolute index >= `from` (indices count records ever recorded). */
  since(from: number): TraceRecord[] {
    return this.exposeFrom(Math.max(0, from - this.droppedRecords));
  }

  /** The ring's records from its `start`th on, made readable (fresh objects each call). */
  private exposeFrom(start: number): TraceRecord[] {
    const out: TraceRecord[] = [];
    for (let i = start; i < this.records.size; i++) out.push(this.expose(this.records.slot(i)));
    return out;
  }

  private expose(slot: number): TraceRecord {
    const ring = this.records;
    if (ring.isObject(slot)) return ring.object(slot) as TraceRecord;
    const p = ring.packet(slot);
    const fields: { -readonly [K in keyof PacketFields]: PacketFields[K] } = {
      t: p.t,
      event: PACKET_EVENTS[p.event]!,
      device: p.device,
      frameId: p.frameId,
    };
    if (p.iface !== undefined) fields.iface = p.iface;
    if (p.link !== undefined) fields.link = p.link;
    if (p.reason !== undefined) fields.reason = p.reason;
    if (p.overlayPeer !== undefined) fields.overlayPeer = p.overlayPeer;
    const bytes = (p.arena === FRAME_BYTES ? this.frameArena : this.recordArena).view(p.pos, p.len);
    return new LazyPacketRecord(fields, bytes, this.describers[p.describer]!) as unknown as PacketRecord;
  }

  /**
   * Calls `l` with every new record, or only with records of `kinds`: a listener for logs alone leaves packet
   * records undescribed (cheap).
   */
  subscribe(l: TraceListener, kinds?: readonly TraceInterest[]): () => void {
    if (this.listeners.has(l)) return () => this.unsubscribe(l);
    const wanted = kinds ? new Set(kinds) : undefined;
    this.listeners.set(l, wanted);
    if (!wanted || wanted.has('packet')) this.packetListeners++;
    else if (wanted.has('dropped')) this.dropListeners++;
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
    else if (wanted.has('dropped')) this.dropListeners--;
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
    if (keep >= 0 && keep <= this.records.size) this.records.truncate(keep);
    else {
      this.records.truncate(0);
      this.droppedRecords = mark.total;
    }
    // Frame ids stay contiguous: a mark ahead of the stored frames leaves none.
    const first = this.firstFrameId;
    this.frames.truncate(mark.nextFrameId <= this.nextFrameId ? mark.nextFrameId - first : 0);
    this.frameBytes = 0;
    for (let i = 0; i < this.frames.size; i++) this.frameBytes += this.frames.length(i);
    this.nextFrameId = mark.nextFrameId;
    this.hashState = mark.hashState;
    this.lastFrameBytes = lastFrame;
    const last = this.frames.size > 0 ? this.frames.at(this.frames.size - 1) : undefined;
    this.lastFramePos = last && lastFrame && last.len === lastFrame.length ? last.pos : -1;
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
