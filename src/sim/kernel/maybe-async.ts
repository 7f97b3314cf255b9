// Steps that are synchronous unless one really waits (AES through WebCrypto). A packet's path through a router
// is a chain of such steps; written as async functions, every step cost a promise and a microtask per packet
// even when nothing waited, and the microtasks interleaved the records of the sends one event makes (issue 18,
// steady state). These helpers run the next step at once when the previous one did not go asynchronous.

/** A step's result: nothing, or a promise when the step had to wait. */
export type MaybeAsync = void | Promise<void>;

/** Runs `next` after `pending`: at once when `pending` is not a promise. */
export function andThen(pending: MaybeAsync, next: () => MaybeAsync): MaybeAsync {
  return pending instanceof Promise ? pending.then(next) : next();
}

/** `value` once `pending` is done: at once when it is not a promise. */
export function thenValue<T>(pending: MaybeAsync, value: T): T | Promise<T> {
  return pending instanceof Promise ? pending.then(() => value) : value;
}
