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

export type TraceRecord = PacketRecord | LogRecord | StateRecord;

export interface Frame {
  readonly id: number;
  readonly t: SimTime;
  readonly link: string;
  readonly from: string;
  readonly bytes: Uint8Array;
}

export type TraceListener = (record: TraceRecord) => void;

/**
 * Collects trace records and frames. Records are kept in a bounded ring (the UI fetches windows of it);
 * frames are kept for capture export up to a byte budget.
 */
export class TraceRecorder {
  private readonly records: TraceRecord[] = [];
  private readonly frames: Frame[] = [];
  private readonly listeners = new Set<TraceListener>();
  private frameBytes = 0;
  private nextFrameId = 1;
  private droppedRecords = 0;
  private hashState = 0x811c9dc5;

  private readonly maxRecords: number;
  private readonly maxFrameBytes: number;

  constructor(maxRecords = 200_000, maxFrameBytes = 64 * 1024 * 1024) {
    this.maxRecords = maxRecords;
    this.maxFrameBytes = maxFrameBytes;
  }

  record(r: TraceRecord): void {
    this.records.push(r);
    // Trim in chunks so the ring costs O(1) amortised per record.
    if (this.records.length > this.maxRecords * 1.25) {
      const excess = this.records.length - this.maxRecords;
      this.records.splice(0, excess);
      this.droppedRecords += excess;
    }
    this.hashState = fnv1a(this.hashState, recordLine(r));
    for (const l of this.listeners) l(r);
  }

  /** Stores a frame as it leaves an interface and returns its id. */
  addFrame(t: SimTime, link: string, from: string, bytes: Uint8Array): number {
    const id = this.nextFrameId++;
    this.frames.push({ id, t, link, from, bytes });
    this.frameBytes += bytes.length;
    if (this.frameBytes > this.maxFrameBytes) this.trimFrames();
    this.hashState = fnv1a(this.hashState, hex(bytes));
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

  all(): readonly TraceRecord[] {
    return this.records;
  }

  get total(): number {
    return this.records.length + this.droppedRecords;
  }

  /** Records with absolute index >= `from` (indices count records ever recorded). */
  since(from: number): TraceRecord[] {
    const start = Math.max(0, from - this.droppedRecords);
    return this.records.slice(start);
  }

  subscribe(l: TraceListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** A hash over every record and frame so far: two runs with one seed must agree. */
  hash(): string {
    return (this.hashState >>> 0).toString(16).padStart(8, '0');
  }
}

export function recordLine(r: TraceRecord): string {
  switch (r.kind) {
    case 'packet':
      return `${r.t} ${r.event} ${r.device} ${r.iface ?? ''} ${r.frameId} ${r.protocols.join('/')} ${r.summary} ${r.reason ?? ''}`;
    case 'log':
      return `${r.t} log ${r.device} ${r.text}`;
    case 'state':
      return `${r.t} state ${r.device} ${r.what} ${r.detail}`;
  }
}

function fnv1a(h: number, s: string): number {
  let x = h;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 0x01000193);
  return x >>> 0;
}

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
