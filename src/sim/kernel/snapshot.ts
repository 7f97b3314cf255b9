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
  return completeCopy(copyGraphInSlices(root, options));
}

/** Makes the rest of `copy` at once and returns it. */
export function completeCopy<T>(copy: SlicedCopy<T>): T {
  while (!copy.step(Infinity));
  return copy.result();
}

/** `copy`, whose complete result `f` turns into what the caller keeps (made once). */
export function mapCopy<T, U>(copy: SlicedCopy<T>, f: (copied: T) => U): SlicedCopy<U> {
  let made: { readonly value: U } | undefined;
  return {
    step: (objects) => copy.step(objects),
    result: () => (made ??= { value: f(copy.result()) }).value,
  };
}

/** A copy made a slice at a time (`copyGraphInSlices`). */
export interface SlicedCopy<T> {
  /** Copies about `objects` more objects; true once the copy is complete. */
  step(objects: number): boolean;
  /** The complete copy (throws before `step` said it is complete). */
  result(): T;
}

/**
 * `copyGraph` in slices, for a caller that must stay responsive (issue 18: a 1,000-spoke copy takes about a second,
 * and the worker answers no call meanwhile). `root` must not change until the copy is complete: copy only state
 * that nothing runs (a checkpoint). The copy is the one `copyGraph` makes, whatever the slices.
 */
export function copyGraphInSlices<T>(root: T, options: CopyOptions = {}): SlicedCopy<T> {
  const copier = new Copier(options);
  let copy: T | undefined;
  let complete = false;
  const fail = (e: unknown): never => {
    if (!(e instanceof UncopyableValue)) throw e;
    const paths = uncopyable(root, { ...options, limit: 5 });
    throw new UncopyableError(paths.length > 0 ? paths : [e.message]);
  };
  try {
    copy = copier.copy(root) as T;
  } catch (e) {
    fail(e);
  }
  return {
    step(objects: number): boolean {
      if (complete) return true;
      try {
        complete = copier.fill(objects);
      } catch (e) {
        fail(e);
      }
      if (complete && options.stats) options.stats.objects = copier.objects;
      return complete;
    },
    result(): T {
      if (!complete) throw new Error('The copy is not complete yet.');
      return copy as T;
    },
  };
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

/** What a copy made ahead of its contents still needs: its fields, elements or entries, or its callback's parts. */
type Fill = (copier: Copier, original: never, copy: never) => void;

/**
 * Copies an object graph with an explicit stack rather than recursion: `copy` makes an object's copy empty at once
 * (so cycles and sharing find it) and stacks the filling of its contents, which `fill` does, as many as asked. So a
 * copy can be made in slices, and no chain of objects, however long, overflows the call stack.
 */
class Copier {
  /** Each original already met and its copy (shared objects excepted): cycles and sharing survive. */
  private readonly done = new Map<unknown, unknown>();
  private readonly share: ((o: object) => boolean) | undefined;
  private readonly copyFrozen: boolean;
  /** Whether some `replace` entry maps to undefined (then a miss in `done` needs a second look). */
  private readonly replacesWithUndefined: boolean;
  /** Copies still to fill, as triples (how, original, copy), the last one first. */
  private readonly stack: unknown[] = [];

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

  /** Fills about `objects` stacked copies; true when none is left. */
  fill(objects: number): boolean {
    const stack = this.stack;
    for (let n = 0; n < objects && stack.length > 0; n++) {
      const copy = stack.pop() as never;
      const original = stack.pop() as never;
      (stack.pop() as Fill)(this, original, copy);
    }
    return stack.length === 0;
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
    if (Array.isArray(v)) return this.later(fillArray, v, new Array<unknown>(v.length));
    if (v instanceof Map) return this.later(fillMap, v, sameClass(v, new Map<unknown, unknown>()));
    if (v instanceof Set) return this.later(fillSet, v, sameClass(v, new Set<unknown>()));
    if (ArrayBuffer.isView(v)) return this.copyView(v);
    if (v instanceof ArrayBuffer) return this.keep(v, v.slice(0));
    if (v instanceof WeakSet) return this.keep(v, new WeakSet());
    if (v instanceof WeakMap) return this.keep(v, new WeakMap());
    if (v instanceof Date) return this.keep(v, new Date(v.getTime()));
    if (v instanceof RegExp) return this.copyRegExp(v);
    return this.later(fillFields, v, Object.create(Object.getPrototypeOf(v)) as object);
  }

  private keep<T>(original: unknown, copy?: T): T {
    const out = copy === undefined ? original : copy;
    this.done.set(original, out);
    return out as T;
  }

  /** Keeps `copy` as the copy of `original` and stacks the filling of its contents. */
  private later<T>(how: Fill, original: unknown, copy: T): T {
    this.done.set(original, copy);
    this.stack.push(how, original, copy);
    return copy;
  }

  private copyFunction(f: unknown): unknown {
    if (isStateless(f)) return this.keep(f);
    const parts: BoundParts | undefined = boundParts(f);
    if (!parts) throw new UncopyableValue(`a closure: ${describeFunction(f)}`);
    const later = rebindLater(parts);
    this.done.set(f, later.callback);
    this.stack.push(fillBound, parts, later);
    return later.callback;
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

  /** Own enumerable string keys, then own symbols (a Map's or Set's own fields too: a subclass's). */
  copyFields(from: object, to: object): void {
    const src = from as Record<string | symbol, unknown>;
    const dst = to as Record<string | symbol, unknown>;
    for (const k of Object.keys(from)) dst[k] = this.copy(src[k]);
    const symbols = Object.getOwnPropertySymbols(from);
    for (const s of symbols) dst[s] = this.copy(src[s]);
  }
}

function fillArray(c: Copier, a: readonly unknown[], out: unknown[]): void {
  for (let i = 0; i < a.length; i++) out[i] = c.copy(a[i]);
}

function fillMap(c: Copier, m: Map<unknown, unknown>, out: Map<unknown, unknown>): void {
  for (const [k, x] of m) out.set(c.copy(k), c.copy(x));
  c.copyFields(m, out);
}

function fillSet(c: Copier, s: Set<unknown>, out: Set<unknown>): void {
  for (const x of s) out.add(c.copy(x));
  c.copyFields(s, out);
}

function fillFields(c: Copier, o: object, out: object): void {
  c.copyFields(o, out);
}

function fillBound(c: Copier, parts: BoundParts, later: ReturnType<typeof rebindLater>): void {
  later.fill(
    c.copy(parts.target) as object | undefined,
    parts.args.map((a) => c.copy(a)),
  );
}

/** Values a copy refers to rather than copies: immutable by the simulator's rules (also bench/census.ts). */
export function isShared(v: object): boolean {
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
