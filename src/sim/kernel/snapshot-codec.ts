/// <reference types="vite/client" />
// Bytes of the simulator's object graph (issue 18: a checkpoint that can be saved and shared). The same values
// as `copyGraph` (./snapshot.ts) keeps, written to a compressed byte string and read back in another page or
// process: class instances (their class named by module path and export name, `CodecRegistry`), `bound` and
// `boundFn` callbacks (the method named on the target's prototype chain, or a module-level function by
// registry), `stateless` functions, Maps, Sets, arrays, typed arrays and the buffers they share, bigint,
// undefined, -0 and NaN, cycles, CryptoKeys (exported, imported again) and settled Promises (their value).
//
// Layout: two sections, each a stream of values with its own string table. The first holds every object's shell
// (its kind, class, bytes: all that is needed to make it), in discovery order, so the reader makes every object
// before it fills any; the second holds what each object contains (fields, entries, elements, a callback's
// arguments), in the same order. Both are written and read without recursion, so a long chain of objects cannot
// exhaust the stack.
import { unzlibSync, zlibSync } from 'fflate';
import { sha256 } from '@noble/hashes/sha2.js';
import { ByteWriter } from '../net/bytes';
import { type BoundParts, boundParts, isStateless, rebindLater } from './bound';
import { isCryptoKey } from './snapshot';

/** Classes, functions and frozen constants the codec names instead of writing (see `simRegistry`). */
export interface CodecRegistry {
  /** Each registered value's name (`protocols/pim/hello.ts#HelloSender`). */
  readonly nameOf: ReadonlyMap<unknown, string>;
  readonly valueOf: ReadonlyMap<string, unknown>;
  /** A fingerprint of the registered code: a graph is read back only by the build that wrote it. */
  readonly build: string;
}

export interface CodecOptions {
  /** The registry (default: `simRegistry()`, every class and function exported by a src/sim module). */
  readonly registry?: CodecRegistry;
  /**
   * Objects written by name only, not by content (the run's trace recorder): `decodeGraph`'s `external` gives
   * the object that stands for each name.
   */
  readonly external?: ReadonlyMap<object, string>;
}

export interface DecodeOptions {
  readonly registry?: CodecRegistry;
  readonly external?: ReadonlyMap<string, unknown>;
}

/** Why a graph cannot be written or read, in words a user can act on. */
export class SnapshotCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotCodecError';
  }
}

/** Registry name prefix of the JavaScript built-in classes (`builtin#Error`). */
const BUILTIN = 'builtin#';

/**
 * A registry from module namespaces keyed by path (`kernel/timer.ts`): every exported class (with its prototype
 * methods as `Class.prototype.name` and static methods as `Class.name`), function, symbol and frozen object.
 */
export function registryOf(modules: ReadonlyMap<string, Readonly<Record<string, unknown>>>): CodecRegistry {
  const nameOf = new Map<unknown, string>();
  const valueOf = new Map<string, unknown>();
  const add = (name: string, v: unknown): void => {
    if (nameOf.has(v) || valueOf.has(name)) return;
    nameOf.set(v, name);
    valueOf.set(name, v);
  };
  for (const [name, ctor] of builtinClasses()) add(`${BUILTIN}${name}`, ctor);
  let text = '';
  for (const path of [...modules.keys()].sort()) {
    const ns = modules.get(path)!;
    for (const key of Object.keys(ns).sort()) {
      const v = ns[key];
      const name = `${path}#${key}`;
      if (typeof v === 'function') {
        add(name, v);
        addMembers(name, v, add);
        text += `${name}\n${Function.prototype.toString.call(v)}\n`;
      } else if (typeof v === 'symbol' || (typeof v === 'object' && v !== null && Object.isFrozen(v))) {
        add(name, v);
        text += `${name}\n`;
      }
    }
  }
  const digest = sha256(new TextEncoder().encode(text));
  const build = [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { nameOf, valueOf, build };
}

/** A class's static methods and its prototype's methods, under the class's name. */
function addMembers(name: string, fn: unknown, add: (name: string, v: unknown) => void): void {
  const proto = (fn as { prototype?: unknown }).prototype;
  if (typeof proto === 'object' && proto !== null) {
    for (const m of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, m);
      if (m !== 'constructor' && typeof d?.value === 'function') add(`${name}.prototype.${m}`, d.value);
    }
  }
  for (const m of Object.getOwnPropertyNames(fn)) {
    const d = Object.getOwnPropertyDescriptor(fn, m);
    if (typeof d?.value === 'function') add(`${name}.${m}`, d.value);
  }
}

const TYPED_ARRAYS = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
  'DataView',
] as const;

/** Built-in classes an instance of the simulator's state may have (for prototypes and subclass checks). */
function builtinClasses(): [string, unknown][] {
  const g = globalThis as unknown as Record<string, unknown>;
  const names = [
    'Object',
    'Array',
    'Map',
    'Set',
    'WeakMap',
    'WeakSet',
    'Date',
    'RegExp',
    'ArrayBuffer',
    'SharedArrayBuffer',
    'Promise',
    'Error',
    'TypeError',
    'RangeError',
    'SyntaxError',
    'ReferenceError',
    ...TYPED_ARRAYS,
  ];
  return names.filter((n) => typeof g[n] === 'function').map((n) => [n, g[n]]);
}

let simRegistryPromise: Promise<CodecRegistry> | undefined;

/**
 * Every class, function, symbol and frozen constant exported by a src/sim module (tests left out), keyed by the
 * module's path under src/sim and the export's name. Built once, on first use: Vite (the page, the worker,
 * Vitest) lists the modules at build time with `import.meta.glob`; elsewhere (tsx) there is no such list and the
 * caller passes its own registry.
 */
export function simRegistry(): Promise<CodecRegistry> {
  simRegistryPromise ??= loadSimRegistry();
  return simRegistryPromise;
}

async function loadSimRegistry(): Promise<CodecRegistry> {
  let found: Record<string, unknown>;
  try {
    // Eager: the modules are bundled with the worker as they already are (a lazy list would split the worker
    // into a chunk per module). This module and the file format built on it are left out (an import cycle).
    found = import.meta.glob(
      [
        '../**/*.ts',
        '!../**/*.test.ts',
        '!../**/*.test-support.ts',
        '!./snapshot-codec.ts',
        '!../scenario/checkpoint-file.ts',
      ],
      { eager: true },
    );
  } catch {
    simRegistryPromise = undefined;
    throw new SnapshotCodecError(
      'Saving or opening a moment needs the list of the simulator’s classes, which only the built page has.',
    );
  }
  const modules = new Map<string, Readonly<Record<string, unknown>>>();
  for (const path of Object.keys(found).sort())
    modules.set(
      path.replace(/^\.\.\//, '').replace(/^\.\//, 'kernel/'),
      found[path] as Readonly<Record<string, unknown>>,
    );
  return Promise.resolve(registryOf(modules));
}

// Value tags.
const T_UNDEFINED = 0;
const T_NULL = 1;
const T_TRUE = 2;
const T_FALSE = 3;
const T_INT = 4;
const T_FLOAT = 5;
const T_STRING = 6;
const T_BIGINT = 7;
const T_OBJECT = 8;
const T_SYMBOL_FOR = 9;
const T_SYMBOL_NAMED = 10;

// Shell kinds.
const K_PLAIN = 0;
const K_NULL_PROTO = 1;
const K_INSTANCE = 2;
const K_ARRAY = 3;
const K_MAP = 4;
const K_SET = 5;
const K_BUFFER = 6;
const K_SHARED_BUFFER = 7;
const K_VIEW = 8;
const K_DATE = 9;
const K_REGEXP = 10;
const K_WEAKMAP = 11;
const K_WEAKSET = 12;
const K_BOUND = 13;
const K_NAMED = 14;
const K_PROMISE = 15;
const K_CRYPTO_KEY = 16;
const K_EXTERNAL = 17;
/** Added to a kind: the object is frozen once filled. */
const FROZEN = 0x40;

const MAGIC = [0x47, 0x47, 0x52, 0x31]; // "GGR1": graph format 1

/**
 * The graph from `root` as compressed bytes. Rejects with `SnapshotCodecError` naming what cannot be written: a
 * closure, a class or function no module exports, a pending Promise, a CryptoKey that cannot be exported.
 */
export async function encodeGraph(root: unknown, options: CodecOptions = {}): Promise<Uint8Array> {
  const registry = options.registry ?? (await simRegistry());
  const encoder = new GraphEncoder(registry, options.external ?? new Map());
  const { shells, bodies } = await encoder.encode(root);
  const head = new Writer();
  head.bytes(new Uint8Array(MAGIC));
  head.text(registry.build);
  head.uint(shells.length);
  head.uint(bodies.length);
  const raw = new Uint8Array(head.length + shells.length + bodies.length);
  raw.set(head.finish(), 0);
  raw.set(shells, head.length);
  raw.set(bodies, head.length + shells.length);
  return zlibSync(raw, { level: 6 });
}

/**
 * The graph `encodeGraph` wrote, made again. Rejects with `SnapshotCodecError` (never anything else) when the
 * bytes are not such a graph, are damaged, or were written by another build.
 */
export async function decodeGraph(bytes: Uint8Array, options: DecodeOptions = {}): Promise<unknown> {
  const registry = options.registry ?? (await simRegistry());
  let raw: Uint8Array;
  try {
    raw = unzlibSync(bytes);
  } catch {
    throw new SnapshotCodecError('The saved state is damaged: it does not decompress.');
  }
  try {
    const head = new Reader(raw);
    if (MAGIC.some((b) => head.byte() !== b))
      throw new SnapshotCodecError('This is not a saved GETLab state.');
    const build = head.text();
    if (build !== registry.build)
      throw new SnapshotCodecError(
        `This state was saved by another version of GETLab (build ${build}; this is build ${registry.build}).`,
      );
    const shellLength = head.uint();
    const bodyLength = head.uint();
    if (head.offset + shellLength + bodyLength !== raw.length)
      throw new SnapshotCodecError('The saved state is damaged: its sections do not add up.');
    const shells = raw.subarray(head.offset, head.offset + shellLength);
    const bodies = raw.subarray(head.offset + shellLength);
    return await new GraphDecoder(registry, options.external ?? new Map()).decode(shells, bodies);
  } catch (e) {
    if (e instanceof SnapshotCodecError) throw e;
    throw new SnapshotCodecError(
      `The saved state is damaged (${e instanceof Error ? e.message : String(e)}).`,
    );
  }
}

/** Whether a settled native Promise is fulfilled, with its value, or rejected, with its reason; or pending. */
async function settledState(
  p: Promise<unknown>,
): Promise<{ ok: true; value: unknown } | { ok: false; reason: unknown } | undefined> {
  const pending = Symbol('pending');
  try {
    // An already settled promise's reaction is queued before the second one's: it wins the race.
    const v = await Promise.race([p, Promise.resolve(pending)]);
    return v === pending ? undefined : { ok: true, value: v };
  } catch (reason) {
    return { ok: false, reason };
  }
}

class GraphEncoder {
  private readonly ids = new Map<unknown, number>();
  /** Which object each one was met in (its id), for saying where something that cannot be saved is. */
  private readonly parents: number[] = [];
  private current = -1;
  private readonly queue: object[] = [];
  private readonly shells = new Writer();
  private readonly bodies = new Writer();
  /** Each prototype's methods by function, for callbacks bound to a method of their target. */
  private readonly methods = new Map<object, Map<unknown, string>>();
  private readonly registry: CodecRegistry;
  private readonly external: ReadonlyMap<object, string>;

  constructor(registry: CodecRegistry, external: ReadonlyMap<object, string>) {
    this.registry = registry;
    this.external = external;
  }

  async encode(root: unknown): Promise<{ shells: Uint8Array; bodies: Uint8Array }> {
    this.value(this.bodies, root);
    try {
      for (this.current = 0; this.current < this.queue.length; this.current++)
        await this.object(this.queue[this.current]!);
    } catch (e) {
      if (e instanceof SnapshotCodecError) throw new SnapshotCodecError(`${e.message} ${this.where()}`);
      throw e;
    }
    return { shells: this.shells.finish(), bodies: this.bodies.finish() };
  }

  /** The classes of the objects the one being written was reached through, from the root. */
  private where(): string {
    const chain: string[] = [];
    for (let id = this.current; id >= 0 && chain.length < 12; id = this.parents[id]!) {
      const o = this.queue[id] as { constructor?: { name?: string } };
      chain.push(typeof o === 'function' ? 'callback' : (o.constructor?.name ?? 'Object'));
    }
    return `(reached through ${chain.reverse().join(' > ')})`;
  }

  /** The object's id, given when first met; a view's buffer is met first, so the reader makes it first. */
  private id(o: object): number {
    const known = this.ids.get(o);
    if (known !== undefined) return known;
    if (ArrayBuffer.isView(o) && !this.external.has(o)) this.id(o.buffer);
    const id = this.queue.length;
    this.ids.set(o, id);
    this.queue.push(o);
    this.parents.push(this.current);
    return id;
  }

  private value(w: Writer, v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return w.byte(T_UNDEFINED);
      case 'boolean':
        return w.byte(v ? T_TRUE : T_FALSE);
      case 'number':
        if (Number.isSafeInteger(v) && Math.abs(v) < 2 ** 52 && !Object.is(v, -0)) {
          w.byte(T_INT);
          return w.uint(v >= 0 ? v * 2 : -v * 2 - 1);
        }
        w.byte(T_FLOAT);
        return w.float(v);
      case 'string':
        w.byte(T_STRING);
        return w.text(v);
      case 'bigint':
        w.byte(T_BIGINT);
        return w.text(v.toString(16));
      case 'symbol':
        return this.symbol(w, v);
      default:
        if (v === null) return w.byte(T_NULL);
        w.byte(T_OBJECT);
        return w.uint(this.id(v as object));
    }
  }

  private symbol(w: Writer, s: symbol): void {
    const global = Symbol.keyFor(s);
    if (global !== undefined) {
      w.byte(T_SYMBOL_FOR);
      return w.text(global);
    }
    const name = this.registry.nameOf.get(s);
    if (name === undefined)
      throw new SnapshotCodecError(
        `The state holds a symbol (${s.description ?? 'unnamed'}) that no module exports, so it cannot be saved.`,
      );
    w.byte(T_SYMBOL_NAMED);
    w.text(name);
  }

  /** Writes one object's shell and body. */
  private async object(o: object): Promise<void> {
    const s = this.shells;
    const external = this.external.get(o);
    if (external !== undefined) {
      s.byte(K_EXTERNAL);
      return s.text(external);
    }
    if (typeof o === 'function') return this.callback(o);
    const named = Object.isFrozen(o) ? this.registry.nameOf.get(o) : undefined;
    if (named !== undefined) {
      s.byte(K_NAMED);
      return s.text(named);
    }
    if (o instanceof Promise) return this.promise(o);
    if (isCryptoKey(o)) return this.cryptoKey(o);
    const frozen = Object.isFrozen(o) ? FROZEN : 0;
    if (Array.isArray(o)) return this.array(o, frozen);
    if (o instanceof Map) return this.map(o, frozen);
    if (o instanceof Set) return this.set(o, frozen);
    if (ArrayBuffer.isView(o)) return this.view(o);
    if (o instanceof ArrayBuffer) return this.buffer(o, K_BUFFER);
    if (typeof SharedArrayBuffer !== 'undefined' && o instanceof SharedArrayBuffer)
      return this.buffer(o, K_SHARED_BUFFER);
    if (o instanceof WeakMap) return s.byte(K_WEAKMAP);
    if (o instanceof WeakSet) return s.byte(K_WEAKSET);
    if (o instanceof Date) {
      s.byte(K_DATE);
      return s.float(o.getTime());
    }
    if (o instanceof RegExp) {
      s.byte(K_REGEXP);
      s.text(o.source);
      s.text(o.flags);
      return s.uint(o.lastIndex);
    }
    this.instance(o, frozen);
  }

  private instance(o: object, frozen: number): void {
    const proto = Object.getPrototypeOf(o) as object | null;
    if (proto === Object.prototype) this.shells.byte(K_PLAIN | frozen);
    else if (proto === null) this.shells.byte(K_NULL_PROTO | frozen);
    else {
      this.shells.byte(K_INSTANCE | frozen);
      this.shells.text(this.className(proto));
    }
    this.fields(o);
  }

  /** The registry's name of the class whose prototype is `proto`. */
  private className(proto: object): string {
    const ctor = (proto as { constructor?: unknown }).constructor;
    const name = this.registry.nameOf.get(ctor);
    if (name === undefined || (ctor as { prototype?: unknown }).prototype !== proto) {
      const shown = typeof ctor === 'function' ? ctor.name : 'an anonymous class';
      throw new SnapshotCodecError(
        `The state holds an object of class ${shown}, which no simulator module exports, so it cannot be saved.`,
      );
    }
    return name;
  }

  /** Own enumerable string keys and every own symbol key, as `copyGraph` copies them. */
  private fields(o: object): void {
    const b = this.bodies;
    const keys = Object.keys(o);
    const symbols = Object.getOwnPropertySymbols(o);
    b.uint(keys.length);
    for (const k of keys) {
      b.text(k);
      this.value(b, (o as Record<string, unknown>)[k]);
    }
    b.uint(symbols.length);
    for (const k of symbols) {
      this.symbol(b, k);
      this.value(b, (o as Record<symbol, unknown>)[k]);
    }
  }

  /** The class of a Map or Set subclass, or nothing for the built-in itself. */
  private collectionClass(o: object, base: object): void {
    const proto = Object.getPrototypeOf(o) as object;
    this.shells.text(proto === base ? '' : this.className(proto));
  }

  private array(a: readonly unknown[], frozen: number): void {
    this.shells.byte(K_ARRAY | frozen);
    this.bodies.uint(a.length);
    for (let i = 0; i < a.length; i++) this.value(this.bodies, a[i]);
  }

  private map(m: Map<unknown, unknown>, frozen: number): void {
    this.shells.byte(K_MAP | frozen);
    this.collectionClass(m, Map.prototype);
    this.bodies.uint(m.size);
    for (const [k, v] of m) {
      this.value(this.bodies, k);
      this.value(this.bodies, v);
    }
    this.fields(m);
  }

  private set(s: Set<unknown>, frozen: number): void {
    this.shells.byte(K_SET | frozen);
    this.collectionClass(s, Set.prototype);
    this.bodies.uint(s.size);
    for (const v of s) this.value(this.bodies, v);
    this.fields(s);
  }

  private buffer(b: ArrayBufferLike, kind: number): void {
    this.shells.byte(kind);
    this.shells.uint(b.byteLength);
    this.shells.bytes(new Uint8Array(b));
  }

  private view(v: ArrayBufferView): void {
    const s = this.shells;
    const type = TYPED_ARRAYS.indexOf(v.constructor.name as (typeof TYPED_ARRAYS)[number]);
    if (type < 0 || !TYPED_ARRAYS.some((n) => (globalThis as Record<string, unknown>)[n] === v.constructor))
      throw new SnapshotCodecError(`The state holds a ${v.constructor.name}, which cannot be saved.`);
    s.byte(K_VIEW);
    s.byte(type);
    s.uint(this.id(v.buffer));
    s.uint(v.byteOffset);
    s.uint(v instanceof DataView ? v.byteLength : (v as unknown as { length: number }).length);
  }

  private callback(f: object): void {
    const s = this.shells;
    const name = isStateless(f) ? this.registry.nameOf.get(f) : undefined;
    if (name !== undefined) {
      s.byte(K_NAMED);
      return s.text(name);
    }
    const parts: BoundParts | undefined = boundParts(f);
    if (!parts) {
      const text = Function.prototype.toString.call(f).replace(/\s+/g, ' ').slice(0, 80);
      const what = isStateless(f) ? 'a stateless function no module exports' : 'a closure';
      throw new SnapshotCodecError(`The state holds ${what} (${text}), so it cannot be saved.`);
    }
    s.byte(K_BOUND);
    const target = parts.target;
    if (target === undefined) {
      s.byte(2);
      s.text(this.functionName(parts.fn));
    } else if (typeof target === 'object' && target !== null) {
      const method = this.methodName(target, parts.fn);
      s.byte(method === undefined ? 0 : 1);
      s.text(method ?? this.functionName(parts.fn));
      s.uint(this.id(target));
    } else
      throw new SnapshotCodecError('The state holds a callback bound to a function, so it cannot be saved.');
    s.uint(parts.args.length);
    for (const a of parts.args) this.value(this.bodies, a);
  }

  /** The name under which `fn` is a method of `target`'s prototype chain, if it is one. */
  private methodName(target: object, fn: unknown): string | undefined {
    for (
      let p = Object.getPrototypeOf(target) as object | null;
      p;
      p = Object.getPrototypeOf(p) as object | null
    ) {
      let names = this.methods.get(p);
      if (!names) {
        names = new Map();
        for (const m of Object.getOwnPropertyNames(p)) {
          const d = Object.getOwnPropertyDescriptor(p, m);
          if (m !== 'constructor' && typeof d?.value === 'function' && !names.has(d.value))
            names.set(d.value, m);
        }
        this.methods.set(p, names);
      }
      const hit = names.get(fn);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  private functionName(fn: unknown): string {
    const name = this.registry.nameOf.get(fn);
    if (name === undefined) {
      const shown = (fn as { name?: string }).name || 'anonymous';
      throw new SnapshotCodecError(
        `The state holds a callback to the function ${shown}, which no simulator module exports, so it cannot be saved.`,
      );
    }
    return name;
  }

  private async promise(p: Promise<unknown>): Promise<void> {
    const state = await settledState(p);
    if (!state)
      throw new SnapshotCodecError(
        'The state holds work that has not finished (a pending promise): save again.',
      );
    this.shells.byte(K_PROMISE);
    this.bodies.byte(state.ok ? 1 : 0);
    this.value(this.bodies, state.ok ? state.value : String(state.reason));
  }

  private async cryptoKey(k: CryptoKey): Promise<void> {
    if (!k.extractable)
      throw new SnapshotCodecError(`The state holds a ${k.algorithm.name} key that cannot be exported.`);
    const format = k.type === 'secret' ? 'raw' : k.type === 'public' ? 'spki' : 'pkcs8';
    const bytes = new Uint8Array(await crypto.subtle.exportKey(format, k));
    const s = this.shells;
    s.byte(K_CRYPTO_KEY);
    s.text(format);
    s.text(JSON.stringify(importAlgorithm(k.algorithm)));
    s.text(k.usages.join(' '));
    s.uint(bytes.length);
    s.bytes(bytes);
  }
}

/** The parameters `importKey` needs to make a key of `algorithm` again. */
function importAlgorithm(algorithm: KeyAlgorithm): Record<string, unknown> {
  const a = algorithm as KeyAlgorithm & { hash?: KeyAlgorithm; namedCurve?: string; length?: number };
  return {
    name: a.name,
    ...(a.hash ? { hash: a.hash.name } : {}),
    ...(a.namedCurve !== undefined ? { namedCurve: a.namedCurve } : {}),
    ...(a.length !== undefined && a.name === 'HMAC' ? { length: a.length } : {}),
  };
}

/** What a shell's object still needs once every object exists. */
type Fill =
  | { readonly kind: 'fields'; readonly o: object }
  | { readonly kind: 'array'; readonly o: unknown[] }
  | { readonly kind: 'map'; readonly o: Map<unknown, unknown> }
  | { readonly kind: 'set'; readonly o: Set<unknown> }
  | { readonly kind: 'bound'; readonly argc: number; readonly fill: (args: unknown[]) => void }
  | { readonly kind: 'promise'; readonly settle: (ok: boolean, v: unknown) => void }
  | { readonly kind: 'none' };

/** A bound callback waiting for its target to exist. */
interface PendingCallback {
  readonly id: number;
  readonly how: number;
  readonly name: string;
  readonly target: number | undefined;
  readonly argc: number;
}

const NONE: Fill = { kind: 'none' };

class GraphDecoder {
  private readonly objects: unknown[] = [];
  private readonly fills: Fill[] = [];
  private readonly frozen: object[] = [];
  private bodies = new Reader(new Uint8Array(0));
  /** The body's length: no object holds more items than that. */
  private limit = 0;
  private readonly registry: CodecRegistry;
  private readonly external: ReadonlyMap<string, unknown>;

  constructor(registry: CodecRegistry, external: ReadonlyMap<string, unknown>) {
    this.registry = registry;
    this.external = external;
  }

  async decode(shellBytes: Uint8Array, bodyBytes: Uint8Array): Promise<unknown> {
    this.limit = bodyBytes.length;
    const shells = new Reader(shellBytes);
    const callbacks: PendingCallback[] = [];
    while (!shells.done) await this.shell(shells, callbacks);
    for (const c of callbacks) this.makeCallback(c);
    this.bodies = new Reader(bodyBytes);
    const root = this.value(this.bodies);
    for (let i = 0; i < this.fills.length; i++) this.fill(this.fills[i]!);
    if (!this.bodies.done)
      throw new SnapshotCodecError('The saved state is damaged: it has bytes left over.');
    for (const o of this.frozen) Object.freeze(o);
    return root;
  }

  private add(o: unknown, fill: Fill, frozen = false): void {
    this.objects.push(o);
    this.fills.push(fill);
    if (frozen) this.frozen.push(o as object);
  }

  private async shell(r: Reader, callbacks: PendingCallback[]): Promise<void> {
    const tag = r.byte();
    const kind = tag & ~FROZEN;
    const frozen = (tag & FROZEN) !== 0;
    switch (kind) {
      case K_PLAIN:
      case K_NULL_PROTO:
      case K_INSTANCE: {
        const proto =
          kind === K_PLAIN ? Object.prototype : kind === K_NULL_PROTO ? null : this.prototype(r.text());
        const o = Object.create(proto) as object;
        return this.add(o, { kind: 'fields', o }, frozen);
      }
      case K_ARRAY: {
        const o: unknown[] = [];
        return this.add(o, { kind: 'array', o }, frozen);
      }
      case K_MAP: {
        const o = this.collection(new Map<unknown, unknown>(), r.text(), Map);
        return this.add(o, { kind: 'map', o }, frozen);
      }
      case K_SET: {
        const o = this.collection(new Set<unknown>(), r.text(), Set);
        return this.add(o, { kind: 'set', o }, frozen);
      }
      case K_BUFFER:
      case K_SHARED_BUFFER:
        return this.add(this.buffer(r, kind), NONE);
      case K_VIEW:
        return this.add(this.view(r), NONE);
      case K_DATE:
        return this.add(new Date(r.float()), NONE);
      case K_REGEXP: {
        const o = new RegExp(r.text(), r.text());
        o.lastIndex = r.uint();
        return this.add(o, NONE);
      }
      case K_WEAKMAP:
        return this.add(new WeakMap(), NONE);
      case K_WEAKSET:
        return this.add(new WeakSet(), NONE);
      case K_NAMED:
        return this.add(this.named(r.text()), NONE);
      case K_EXTERNAL: {
        const name = r.text();
        if (!this.external.has(name))
          throw new SnapshotCodecError(`The saved state needs "${name}", not given.`);
        return this.add(this.external.get(name), NONE);
      }
      case K_BOUND: {
        const how = r.byte();
        const name = r.text();
        const target = how === 2 ? undefined : r.uint();
        callbacks.push({ id: this.objects.length, how, name, target, argc: r.uint() });
        return this.add(undefined, NONE);
      }
      case K_PROMISE:
        return this.promise();
      case K_CRYPTO_KEY:
        return this.add(await this.cryptoKey(r), NONE);
      default:
        throw new SnapshotCodecError(`The saved state is damaged: unknown object kind ${kind}.`);
    }
  }

  private named(name: string): unknown {
    if (!this.registry.valueOf.has(name))
      throw new SnapshotCodecError(
        `The saved state names ${name}, which this version of GETLab does not have.`,
      );
    return this.registry.valueOf.get(name);
  }

  private prototype(name: string): object {
    const ctor = this.named(name);
    const proto = typeof ctor === 'function' ? (ctor as { prototype?: unknown }).prototype : undefined;
    if (typeof proto !== 'object' || proto === null)
      throw new SnapshotCodecError(`The saved state names ${name} as a class, which it is not.`);
    return proto;
  }

  private collection<T extends object>(made: T, name: string, base: new () => T): T {
    if (name === '') return made;
    const proto = this.prototype(name);
    if (!(proto instanceof base))
      throw new SnapshotCodecError(`The saved state names ${name} as a ${base.name}, which it is not.`);
    Object.setPrototypeOf(made, proto);
    return made;
  }

  private buffer(r: Reader, kind: number): ArrayBufferLike {
    const length = r.count();
    const bytes = r.take(length);
    const shared = kind === K_SHARED_BUFFER && typeof SharedArrayBuffer !== 'undefined';
    const b = shared ? new SharedArrayBuffer(length) : new ArrayBuffer(length);
    new Uint8Array(b).set(bytes);
    return b;
  }

  private view(r: Reader): ArrayBufferView {
    const name = TYPED_ARRAYS[r.byte()];
    const buffer = this.objects[r.uint()];
    const offset = r.uint();
    const length = r.uint();
    const Ctor = name && (globalThis as Record<string, unknown>)[name];
    const isBuffer =
      buffer instanceof ArrayBuffer ||
      (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer);
    if (typeof Ctor !== 'function' || !isBuffer)
      throw new SnapshotCodecError('The saved state is damaged: a byte view without its buffer.');
    return new (Ctor as new (b: ArrayBufferLike, o: number, l: number) => ArrayBufferView)(
      buffer,
      offset,
      length,
    );
  }

  private promise(): void {
    let settle: (ok: boolean, v: unknown) => void = () => undefined;
    const p = new Promise<unknown>((resolve, reject) => {
      settle = (ok, v) => (ok ? resolve(v) : reject(new Error(String(v))));
    });
    // A rejected promise in state was already handled where it was made.
    p.catch(() => undefined);
    this.add(p, { kind: 'promise', settle });
  }

  private async cryptoKey(r: Reader): Promise<CryptoKey> {
    const format = r.text();
    const algorithm = JSON.parse(r.text()) as AlgorithmIdentifier;
    const usages = r.text().split(' ').filter(Boolean) as KeyUsage[];
    const bytes = r.take(r.count()).slice();
    if (format !== 'raw' && format !== 'spki' && format !== 'pkcs8')
      throw new SnapshotCodecError('The saved state is damaged: a key in an unknown format.');
    return crypto.subtle.importKey(format, bytes, algorithm, true, usages);
  }

  private makeCallback(c: PendingCallback): void {
    const target = c.target === undefined ? undefined : this.objects[c.target];
    if (c.how !== 2 && (typeof target !== 'object' || target === null))
      throw new SnapshotCodecError('The saved state is damaged: a callback without its object.');
    const fn = c.how === 1 ? methodOf(target as object, c.name) : this.named(c.name);
    if (typeof fn !== 'function')
      throw new SnapshotCodecError(
        `The saved state calls ${c.name}, which this version of GETLab does not have.`,
      );
    if (c.argc > this.limit) throw new SnapshotCodecError('The saved state is damaged: too many arguments.');
    // The callback's shape (with or without bound arguments) is chosen when it is made.
    const shape = new Array<unknown>(c.argc);
    const { callback, fill } = rebindLater({ target: undefined, fn: fn as BoundParts['fn'], args: shape });
    this.objects[c.id] = callback;
    this.fills[c.id] = {
      kind: 'bound',
      argc: c.argc,
      fill: (args) => fill(target as object | undefined, args),
    };
  }

  private fill(f: Fill): void {
    const b = this.bodies;
    switch (f.kind) {
      case 'fields':
        return this.fields(f.o);
      case 'array':
        for (let n = b.count(); n > 0; n--) f.o.push(this.value(b));
        return;
      case 'map':
        for (let n = b.count(); n > 0; n--) f.o.set(this.value(b), this.value(b));
        return this.fields(f.o);
      case 'set':
        for (let n = b.count(); n > 0; n--) f.o.add(this.value(b));
        return this.fields(f.o);
      case 'bound': {
        const args: unknown[] = [];
        for (let n = f.argc; n > 0; n--) args.push(this.value(b));
        return f.fill(args);
      }
      case 'promise': {
        const ok = b.byte() === 1;
        return f.settle(ok, this.value(b));
      }
      case 'none':
        return;
    }
  }

  private fields(o: object): void {
    const b = this.bodies;
    const target = o as Record<string | symbol, unknown>;
    for (let n = b.count(); n > 0; n--) {
      const k = b.text();
      const v = this.value(b);
      // An own `__proto__` field stays a field: assigning it would set the prototype.
      if (k === '__proto__')
        Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
      else target[k] = v;
    }
    for (let n = b.count(); n > 0; n--) {
      const k = this.symbolAfterTag(b);
      target[k] = this.value(b);
    }
  }

  private symbolAfterTag(r: Reader): symbol {
    const v = this.value(r);
    if (typeof v !== 'symbol')
      throw new SnapshotCodecError('The saved state is damaged: a field without a name.');
    return v;
  }

  private value(r: Reader): unknown {
    const tag = r.byte();
    switch (tag) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_TRUE:
        return true;
      case T_FALSE:
        return false;
      case T_INT: {
        const z = r.uint();
        return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      }
      case T_FLOAT:
        return r.float();
      case T_STRING:
        return r.text();
      case T_BIGINT: {
        const hex = r.text();
        const negative = hex.startsWith('-');
        if (!/^[0-9a-f]+$/.test(negative ? hex.slice(1) : hex))
          throw new SnapshotCodecError('The saved state is damaged: a bad big integer.');
        const n = BigInt(`0x${negative ? hex.slice(1) : hex}`);
        return negative ? -n : n;
      }
      case T_OBJECT: {
        const id = r.uint();
        if (id >= this.objects.length)
          throw new SnapshotCodecError('The saved state is damaged: a missing object.');
        return this.objects[id];
      }
      case T_SYMBOL_FOR:
        return Symbol.for(r.text());
      case T_SYMBOL_NAMED: {
        const s = this.named(r.text());
        if (typeof s !== 'symbol') throw new SnapshotCodecError('The saved state is damaged: a bad symbol.');
        return s;
      }
      default:
        throw new SnapshotCodecError(`The saved state is damaged: unknown value tag ${tag}.`);
    }
  }
}

/** A method of `target`'s prototype chain by name (never `constructor` or an accessor). */
function methodOf(target: object, name: string): unknown {
  for (
    let p = Object.getPrototypeOf(target) as object | null;
    p;
    p = Object.getPrototypeOf(p) as object | null
  ) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return name !== 'constructor' && typeof d.value === 'function' ? d.value : undefined;
  }
  return undefined;
}

/** Varints, floats and a string table (a repeated string costs its index) over the project's growable `ByteWriter`. */
class Writer {
  private readonly out = new ByteWriter(1024);
  private readonly strings = new Map<string, number>();
  private readonly encoder = new TextEncoder();

  get length(): number {
    return this.out.length;
  }

  byte(b: number): void {
    this.out.u8(b);
  }

  /** An unsigned integer below 2^53, 7 bits a byte. */
  uint(n: number): void {
    let v = n;
    while (v >= 0x80) {
      this.byte((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    this.byte(v);
  }

  float(x: number): void {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setFloat64(0, x);
    this.out.bytes(b);
  }

  bytes(b: Uint8Array): void {
    this.out.bytes(b);
  }

  /** A string: its index in the table when written before (index + 1), else 0 then its UTF-8 bytes. */
  text(s: string): void {
    const known = this.strings.get(s);
    if (known !== undefined) return this.uint(known + 1);
    this.strings.set(s, this.strings.size);
    const utf8 = this.encoder.encode(s);
    this.uint(0);
    this.uint(utf8.length);
    this.bytes(utf8);
  }

  finish(): Uint8Array {
    return this.out.finish();
  }
}

/** Reads what `Writer` wrote; every read is bounds-checked (a damaged file fails, never reads past its end). */
class Reader {
  offset = 0;
  private readonly strings: string[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  private readonly buf: Uint8Array;

  constructor(buf: Uint8Array) {
    this.buf = buf;
  }

  get done(): boolean {
    return this.offset >= this.buf.length;
  }

  byte(): number {
    if (this.offset >= this.buf.length)
      throw new SnapshotCodecError('The saved state is damaged: it ends too soon.');
    return this.buf[this.offset++]!;
  }

  uint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 0x80;
      if (scale > 2 ** 53) throw new SnapshotCodecError('The saved state is damaged: a number is too long.');
    }
    return n;
  }

  /** A count of items that follow, each at least a byte: never more than the bytes left. */
  count(): number {
    const n = this.uint();
    if (n > this.buf.length - this.offset + 1 && n > 0)
      throw new SnapshotCodecError('The saved state is damaged: a count larger than the file.');
    return n;
  }

  float(): number {
    const b = this.take(8);
    return new DataView(b.buffer, b.byteOffset, 8).getFloat64(0);
  }

  take(n: number): Uint8Array {
    if (n > this.buf.length - this.offset)
      throw new SnapshotCodecError('The saved state is damaged: it ends too soon.');
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  text(): string {
    const index = this.uint();
    if (index > 0) {
      const s = this.strings[index - 1];
      if (s === undefined) throw new SnapshotCodecError('The saved state is damaged: a missing string.');
      return s;
    }
    const s = this.decoder.decode(this.take(this.count()));
    this.strings.push(s);
    return s;
  }
}
