// The worker bridge: the page's one queue of worker calls, the Stop offer for a long call, and the failure of every
// pending call when the worker dies. State is per store (closure), never module-level.
import type { PageApi } from '../../worker/protocol';
import type { StoreEnv } from './env';
import type { BridgeSlice, GetState, SetState } from './state';

/** How long a worker call runs before the page offers to stop it (wall ms). */
export const BUSY_AFTER_MS = 2500;

/** Why a worker call will never answer: its worker was stopped or crashed (the page recovers on its own). */
export class WorkerGoneError extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'WorkerGoneError';
  }
}

interface DeathSignal {
  readonly promise: Promise<never>;
  readonly reject: (e: Error) => void;
}

function deathSignal(): DeathSignal {
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<never>((_, r) => (reject = r));
  promise.catch(() => undefined);
  return { promise, reject };
}

export function createBridgeSlice(set: SetState, get: GetState, env: StoreEnv): BridgeSlice {
  // The worker runs one call at a time in practice, but its handlers await (WebCrypto), so two calls could
  // interleave: a console command would then run in the middle of a `runUntil`. Chaining every call keeps the
  // lab's history the one the user caused.
  let queue: Promise<unknown> = Promise.resolve();
  let pendingCalls = 0;
  let busyTimer: ReturnType<typeof setTimeout> | undefined;
  let death = deathSignal();

  function clearBusy(): void {
    if (busyTimer !== undefined) clearTimeout(busyTimer);
    busyTimer = undefined;
    if (get().busy) set({ busy: false });
  }

  /** Fails at once if the worker dies; a long call offers Stop. */
  function watchCall<T>(call: Promise<T>): Promise<T> {
    if (pendingCalls++ === 0) busyTimer = setTimeout(() => set({ busy: true }), BUSY_AFTER_MS);
    const settle = (): void => {
      if (--pendingCalls > 0) return;
      pendingCalls = 0;
      clearBusy();
    };
    return Promise.race([call, death.promise]).finally(settle);
  }

  env.worker.onError((message) => {
    set({ failure: `The simulator crashed: ${message}` });
    death.reject(new WorkerGoneError(`the simulator crashed (${message})`));
    death = deathSignal();
  });

  return {
    busy: false,
    call<T>(job: (api: PageApi) => Promise<T>): Promise<T> {
      const run = (): Promise<T> => job(env.worker.api());
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return watchCall(next);
    },
    workPending() {
      return pendingCalls > 0;
    },
    restartWorker(why) {
      death.reject(new WorkerGoneError(why));
      death = deathSignal();
      pendingCalls = 0;
      clearBusy();
      env.worker.restart();
      // Calls queued on the replaced worker never answer: the new queue does not wait for them.
      queue = Promise.resolve();
      set({ failure: undefined, busy: false });
    },
  };
}
