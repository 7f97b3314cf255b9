/**
 * Packet bytes of the trace, copied into big shared chunks (issue 18, steady-state memory). A trace record that
 * kept the caller's `Uint8Array` kept its view object (about 100 bytes of header) and its whole ArrayBuffer, often
 * a bigger buffer than the packet; a 1,000-spoke lab's 200,000-record ring with 64 MB of frames cost ~380 MB that
 * way. Here a slice is a position and a length: positions only grow (a run never reuses bytes, so a view handed
 * out earlier stays valid), and chunks wholly before the oldest position still in use are dropped.
 */

/** Bytes per chunk at most: big enough that starting one (and checking what can be released) is rare. */
export const ARENA_CHUNK_BYTES = 1024 * 1024;

/**
 * Bytes of the first chunk: chunks then grow with what the arena holds (a new chunk is as big as all the others),
 * so a recorder that keeps little (a checkpoint filler's scratch recorder, a test's lab) never takes a megabyte.
 */
const FIRST_CHUNK_BYTES = 4096;

const EMPTY = new Uint8Array(0);

export class ByteArena {
  private readonly chunks: Uint8Array[] = [];
  /** Position of each chunk's first byte (positions count every byte ever appended, plus skipped chunk tails). */
  private readonly starts: number[] = [];
  /** Position of the next byte appended. */
  private end = 0;
  /** Bytes left in the last chunk. */
  private room = 0;
  private readonly chunkBytes: number;
  /** Bytes in `chunks`. */
  private held = 0;

  constructor(chunkBytes = ARENA_CHUNK_BYTES) {
    this.chunkBytes = chunkBytes;
  }

  /** Copies `bytes` in and returns their position. */
  append(bytes: Uint8Array): number {
    const n = bytes.length;
    if (n === 0) return this.end; // an empty packet needs no chunk (`view` of 0 bytes reads none)
    if (n > this.room) this.startChunk(n);
    const last = this.chunks.length - 1;
    const at = this.end;
    this.chunks[last]!.set(bytes, at - this.starts[last]!);
    this.end += n;
    this.room -= n;
    return at;
  }

  /** Whether the next `n` bytes appended start a new chunk (the moment to release old ones). */
  needsChunk(n: number): boolean {
    return n > this.room;
  }

  /** The `n` bytes at `at`, as a view of their chunk (valid for as long as the caller keeps it). */
  view(at: number, n: number): Uint8Array {
    if (n === 0) return EMPTY;
    const i = this.chunkAt(at);
    const from = at - this.starts[i]!;
    return this.chunks[i]!.subarray(from, from + n);
  }

  /** Whether `a` and the `n` bytes at `at` are equal. */
  equals(at: number, n: number, a: Uint8Array): boolean {
    if (a.length !== n) return false;
    const v = this.view(at, n);
    for (let i = 0; i < n; i++) if (v[i] !== a[i]) return false;
    return true;
  }

  /** Position of the first byte of the oldest chunk after the first: what `release` needs to pass to free one. */
  get secondChunkStart(): number {
    return this.starts.length > 1 ? this.starts[1]! : Infinity;
  }

  /** Drops every chunk that ends at or before `floor` (the oldest position still read), keeping the last one. */
  release(floor: number): void {
    let k = 0;
    while (k < this.chunks.length - 1 && this.starts[k + 1]! <= floor) k++;
    if (k === 0) return;
    for (let i = 0; i < k; i++) this.held -= this.chunks[i]!.length;
    this.chunks.splice(0, k);
    this.starts.splice(0, k);
  }

  /** Bytes held in chunks (for tests and figures). */
  get heldBytes(): number {
    return this.held;
  }

  private startChunk(n: number): void {
    const grown = Math.min(this.chunkBytes, Math.max(FIRST_CHUNK_BYTES, this.held));
    const size = Math.max(grown, n);
    this.held += size;
    this.chunks.push(new Uint8Array(size));
    this.starts.push(this.end);
    this.room = size;
  }

  /** The chunk holding position `at`: a binary search over chunk starts. */
  private chunkAt(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    if (this.starts.length === 0 || this.starts[lo]! > at) throw new RangeError(`byte ${at} was released`);
    return lo;
  }
}
