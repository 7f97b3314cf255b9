// Copies of the simulator's object graph (issue 18: checkpoints). Between two kernel events the whole state of a
// lab is plain data reachable from the `Lab`: class instances, Maps, Sets, arrays, typed arrays, and callbacks
// made by `bound` (./bound.ts). A copy keeps every object's class, every cycle and every sharing (two fields
// pointing at one object point at one copy), so the copy runs on exactly as the original would.
import { type BoundParts, boundParts, isStateless, rebindLater } from './bound';

export interface CopyOptions {
  /** Objects that are not copied: the copy refers to the same object (the run's trace recorder). */
  readonly share?: (o: object) => boolean;
  /** Objects replaced in the copy by the given value (a restored lab gets the run's trace recorder). */
  readonly replace?: ReadonlyMap<object, unknown>;
  /** Told how many objects the copy made (a checkpoint's size, roughly). */
  readonly stats?: { objects: number };
  /** Copies frozen objects too, unfrozen (tests compare a copy that shares them with one that does not). */
  readonly copyFrozen?: boolean;
}

/**
 * Byte arrays their maker promised never to write again (a typed array cannot be frozen). A copy shares them as it
 * shares frozen objects. A pure identity registry: it holds no simulator state, so it may live outside the graph.
 */
const immutableBytes = new WeakSet<Uint8Array>();

/** Marks `bytes` as never written again, so checkpoints share it instead of copying it; returns `bytes`. */
export function immutableBytesOf(bytes: Uint8Array): Uint8Array {
  immutableBytes.add(bytes);
  return bytes;
}

/** What the copier cannot copy, with where it was found. */
export class UncopyableError extends Error {
  readonly paths: readonly string[];

  constructor(paths: readonly string[]) {
    super(`The simulator state cannot be copied: ${paths.join('; ')}`);
    this.name = 'UncopyableError';
    this.paths = paths;
  }
}

/**
 * A deep copy of `root`. Functions must be `bound`/`boundFn` callbacks (made again on the copied target) or
 * `stateless` (shared); any other function is a closure over hidden state and throws `UncopyableError`, naming its
 * path. Promises and CryptoKeys are shared (the state holds only ones that resolve to, or are, immutable keys), and
 * so are frozen objects. A WeakSet or WeakMap is copied empty: the simulator keeps only per-event scratch in them.
 */
export function copyGraph<T>(root: T, options: CopyOptions = {}): T {
  try {
    const copier = new Copier(options);
    const copy = copier.copy(root) as T;
    if (options.stats) options.stats.objects = copier.objects;
    return copy;
  } catch (e) {
    if (!(e instanceof UncopyableValue)) throw e;
    const paths = uncopyable(root, { ...options, limit: 5 });
    throw new UncopyableError(paths.length > 0 ? paths : [e.message]);
  }
}

/** Paths (from `root`) of the values `copyGraph` cannot copy, at most `limit` of them. */
export function uncopyable(root: unknown, options: CopyOptions & { readonly limit?: number } = {}): string[] {
  const found: string[] = [];
  const limit = options.limit ?? 50;
  const seen = new Set<unknown>();
  const visit = (v: unknown, path: string): void => {
    if (found.length >= limit || v === null || (typeof v !== 'object' && typeof v !== 'function')) return;
    if (seen.has(v) || options.replace?.has(v) || options.share?.(v) === true) return;
    seen.add(v);
    if (typeof v === 'function') {
      const parts = boundParts(v);
      if (parts) {
        visit(parts.target, `${path}<target>`);
        parts.args.forEach((a, i) => visit(a, `${path}<arg ${i}>`));
      } else if (!isStateless(v)) found.push(`${path}: ${describeFunction(v)}`);
      return;
    }
    if (isShared(v) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return;
    if (v instanceof Map) {
      for (const [k, x] of v) {
        visit(k, `${path}.<key>`);
        visit(x, `${path}.get(${keyName(k)})`);
      }
    } else if (v instanceof Set) {
      for (const x of v) visit(x, `${path}.<element>`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${path}[${i}]`));
      return;
    }
    if (v instanceof WeakMap || v instanceof WeakSet) return;
    // A Map's or Set's own fields too (a subclass's), as `copyGraph` copies them.
    for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k], `${path}.${k}`);
  };
  visit(root, '');
  return found;
}

class UncopyableValue extends Error {}

class Copier {
  /** Each original already met and its copy (shared objects excepted): cycles and sharing survive. */
  private readonly done = new Map<unknown, unknown>();
  private readonly share: ((o: object) => boolean) | undefined;
  private readonly copyFrozen: boolean;
  /** Whether some `replace` entry maps to undefined (then a miss in `done` needs a second look). */
  private readonly replacesWithUndefined: boolean;

  get objects(): number {
    return this.done.size;
  }

  constructor(options: CopyOptions) {
    this.share = options.share;
    this.copyFrozen = options.copyFrozen === true;
    let undefinedValue = false;
    for (const [from, to] of options.replace ?? []) {
      this.done.set(from, to);
      if (to === undefined) undefinedValue = true;
    }
    this.replacesWithUndefined = undefinedValue;
  }

  copy(v: unknown): unknown {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    // A frozen object is shared: it is its own copy, found without a lookup in `done` (the identity map is most of
    // a copy's cost; a 1000-spoke lab holds ~200,000 frozen pseudotime stamps and routes).
    if (typeof v === 'object' && !this.copyFrozen && Object.isFrozen(v)) return v;
    // One lookup for an object met first (most of them): only a `replace` entry can map to undefined.
    const hit = this.done.get(v);
    if (hit !== undefined) return hit;
    if (this.replacesWithUndefined && this.done.has(v)) return undefined;
    if (typeof v === 'function') return this.copyFunction(v);
    // A shared object is its own copy: it needs no entry in `done` (the identity map is most of a copy's cost).
    if ((isShared(v) && !(this.copyFrozen && Object.isFrozen(v))) || this.share?.(v) === true) return v;
    if (Array.isArray(v)) return this.copyArray(v);
    if (v instanceof Map) return this.copyMap(v);
    if (v instanceof Set) return this.copySet(v);
    if (ArrayBuffer.isView(v)) return this.copyView(v);
    if (v instanceof ArrayBuffer) return this.keep(v, v.slice(0));
    if (v instanceof WeakSet) return this.keep(v, new WeakSet());
    if (v instanceof WeakMap) return this.keep(v, new WeakMap());
    if (v instanceof Date) return this.keep(v, new Date(v.getTime()));
    if (v instanceof RegExp) return this.copyRegExp(v);
    return this.copyObject(v);
  }

  private keep<T>(original: unknown, copy?: T): T {
    const out = copy === undefined ? original : copy;
    this.done.set(original, out);
    return out as T;
  }

  private copyFunction(f: unknown): unknown {
    if (isStateless(f)) return this.keep(f);
    const parts: BoundParts | undefined = boundParts(f);
    if (!parts) throw new UncopyableValue(`a closure: ${describeFunction(f)}`);
    const { callback, fill } = rebindLater(parts);
    this.keep(f, callback);
    fill(
      this.copy(parts.target) as object | undefined,
      parts.args.map((a) => this.copy(a)),
    );
    return callback;
  }

  private copyArray(a: readonly unknown[]): unknown[] {
    const out: unknown[] = this.keep(a, new Array<unknown>(a.length));
    for (let i = 0; i < a.length; i++) out[i] = this.copy(a[i]);
    return out;
  }

  private copyMap(m: Map<unknown, unknown>): Map<unknown, unknown> {
    const out = this.keep(m, sameClass(m, new Map<unknown, unknown>()));
    for (const [k, x] of m) out.set(this.copy(k), this.copy(x));
    this.copyFields(m, out);
    return out;
  }

  private copySet(s: Set<unknown>): Set<unknown> {
    const out = this.keep(s, sameClass(s, new Set<unknown>()));
    for (const x of s) out.add(this.copy(x));
    this.copyFields(s, out);
    return out;
  }

  /** A view on a copy of its buffer: views that shared a buffer still share one. */
  private copyView(v: ArrayBufferView): ArrayBufferView {
    const buffer = this.copy(v.buffer) as ArrayBuffer;
    if (v instanceof DataView) return this.keep(v, new DataView(buffer, v.byteOffset, v.byteLength));
    const Ctor = v.constructor as new (b: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
    const length = (v as unknown as { length: number }).length;
    return this.keep(v, new Ctor(buffer, v.byteOffset, length));
  }

  private copyRegExp(r: RegExp): RegExp {
    const out = this.keep(r, new RegExp(r.source, r.flags));
    out.lastIndex = r.lastIndex;
    return out;
  }

  private copyObject(o: object): object {
    const out = this.keep(o, Object.create(Object.getPrototypeOf(o)) as object);
    this.copyFields(o, out);
    return out;
  }

  private copyFields(from: object, to: object): void {
    const src = from as Record<string | symbol, unknown>;
    const dst = to as Record<string | symbol, unknown>;
    for (const k of Object.keys(from)) dst[k] = this.copy(src[k]);
    const symbols = Object.getOwnPropertySymbols(from);
    for (const s of symbols) dst[s] = this.copy(src[s]);
  }
}

/** Values a copy refers to rather than copies: immutable by the simulator's rules. */
function isShared(v: object): boolean {
  return (
    v instanceof Promise ||
    Object.isFrozen(v) ||
    isCryptoKey(v) ||
    (v instanceof Uint8Array && immutableBytes.has(v))
  );
}

export function isCryptoKey(v: object): v is CryptoKey {
  return typeof CryptoKey !== 'undefined' && v instanceof CryptoKey;
}

/** A Map or Set of the original's class (a subclass keeps its methods). */
function sameClass<T extends object>(original: T, made: T): T {
  const proto = Object.getPrototypeOf(original) as object;
  if (proto !== Object.getPrototypeOf(made)) Object.setPrototypeOf(made, proto);
  return made;
}

function describeFunction(f: unknown): string {
  return Function.prototype.toString.call(f).replace(/\s+/g, ' ').slice(0, 80);
}

function keyName(k: unknown): string {
  return typeof k === 'string' || typeof k === 'number' ? JSON.stringify(k) : typeof k;
}
