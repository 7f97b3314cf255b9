// Callbacks as data (issue 18, checkpoints). A checkpoint copies the whole simulator's object graph, and a
// closure cannot be copied: what it captured is hidden from JavaScript. So every function the simulator keeps
// in its state (a timer's expiry, a kernel event, a packet handler, a listener) is made here, from a target, a
// method of its class (or a module-level function) and the arguments bound to it. The snapshot copier reads
// these three and builds the same callback on the copied target (`./snapshot.ts`).

/** What a bound callback is made of. */
export interface BoundParts {
  /** The object the method runs on (undefined for a module-level function). */
  readonly target: object | undefined;
  /** A method of the target's class, or a module-level function: never a closure over state. */
  readonly fn: (...args: never[]) => unknown;
  readonly args: readonly unknown[];
}

const PARTS = Symbol('bound-parts');
const STATELESS = Symbol('stateless');

type Callable = ((...args: never[]) => unknown) & { [PARTS]?: BoundParts; [STATELESS]?: true };

/**
 * `fn` called on `target` with `args` first, then the caller's arguments: `bound(this, this.expire, key)` in
 * place of `() => this.expire(key)`. `fn` must be a method of `target`'s class, not an arrow function, since the
 * copy calls the same `fn` on the copied target.
 */
export function bound<T extends object, A extends unknown[], B extends unknown[], R>(
  target: T,
  fn: (this: T, ...args: [...A, ...B]) => R,
  ...args: A
): (...rest: B) => R {
  return make(target, fn, args) as (...rest: B) => R;
}

/** A module-level function with `args` bound first: `boundFn(receiveEigrp, router, NONE)`. */
export function boundFn<A extends unknown[], B extends unknown[], R>(
  fn: (...args: [...A, ...B]) => R,
  ...args: A
): (...rest: B) => R {
  return make(undefined, fn, args) as (...rest: B) => R;
}

function make(target: object | undefined, fn: Callable, args: readonly unknown[]): Callable {
  return shell({ target, fn, args });
}

/** A callback's parts, mutable until a copier fills them in (`rebindLater`). */
interface MutableParts {
  target: object | undefined;
  readonly fn: Callable;
  args: readonly unknown[];
}

/**
 * The callback itself reads its parts when called, so a copier can make the callback first and fill in the copied
 * target and arguments after (a target that holds its own callback is a cycle).
 */
function shell(parts: MutableParts): Callable {
  const f = parts.args.length === 0 ? callerOf(parts) : callerWithArgsOf(parts);
  f[PARTS] = parts;
  return f;
}

// The two callers below are ANONYMOUS function expressions on purpose: a named one (or one assigned to a `const`)
// gets esbuild's keepNames wrapper under tsx, a `defineProperty` per callback made, which cost ten times the
// closure itself; a link delivery makes one per frame (issue 18, bench/RESULTS.md). Native `bind` was slower still.

function callerOf(parts: MutableParts): Callable {
  return function (...rest: unknown[]): unknown {
    return (parts.fn as (...a: unknown[]) => unknown).apply(parts.target, rest);
  };
}

function callerWithArgsOf(parts: MutableParts): Callable {
  return function (...rest: unknown[]): unknown {
    const args = rest.length === 0 ? (parts.args as unknown[]) : [...parts.args, ...rest];
    return (parts.fn as (...a: unknown[]) => unknown).apply(parts.target, args);
  };
}

/** The parts of a callback made by `bound`/`boundFn`, or undefined for any other function. */
export function boundParts(f: unknown): BoundParts | undefined {
  return typeof f === 'function' ? (f as Callable)[PARTS] : undefined;
}

/** Rebuilds a bound callback from (copied) parts. */
export function rebind(parts: BoundParts): (...rest: unknown[]) => unknown {
  return make(parts.target, parts.fn as Callable, parts.args) as (...rest: unknown[]) => unknown;
}

/**
 * A callback shaped like `original` (same method, same number of bound arguments) whose target and arguments
 * are set later by `fill`: how a copier copies a cycle through a callback.
 */
export function rebindLater(original: BoundParts): {
  readonly callback: (...rest: unknown[]) => unknown;
  readonly fill: (target: object | undefined, args: readonly unknown[]) => void;
} {
  const parts = { target: undefined as object | undefined, fn: original.fn as Callable, args: original.args };
  return {
    callback: shell(parts) as (...rest: unknown[]) => unknown,
    fill(target, args) {
      parts.target = target;
      parts.args = args;
    },
  };
}

/**
 * Marks a module-level function that keeps no state of its own (a dissector, a formatter), so a checkpoint
 * may share it as it is. Returns it.
 */
export function stateless<F extends (...args: never[]) => unknown>(fn: F): F {
  (fn as Callable)[STATELESS] = true;
  return fn;
}

export function isStateless(f: unknown): boolean {
  return typeof f === 'function' && (f as Callable)[STATELESS] === true;
}
