import * as Comlink from 'comlink';
import type { PageApi } from './protocol';

let client: Comlink.Remote<PageApi> | undefined;
let worker: Worker | undefined;
const errorListeners = new Set<(message: string) => void>();

/** Tells `listener` when the worker dies of an uncaught error (out of memory, a crash outside any call). */
export function onWorkerError(listener: (message: string) => void): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

/**
 * Stops the worker (a hung or crashed one) and forgets it: the next getSimClient() starts a fresh one. Calls still
 * pending on the old one never settle; the caller must stop waiting for them.
 */
export function resetSimClient(): void {
  worker?.terminate();
  worker = undefined;
  client = undefined;
}

/**
 * The page's one simulation worker. A module-level singleton rather than a React hook: StrictMode runs
 * effects twice in development and would otherwise start two workers with two diverging labs.
 */
export function getSimClient(): Comlink.Remote<PageApi> {
  if (!client) {
    const w = new Worker(new URL('./sim.worker.ts', import.meta.url), {
      type: 'module',
      name: 'getlab-sim',
    });
    w.addEventListener('error', (e) => {
      if (w !== worker) return;
      for (const l of errorListeners) l(e.message || 'the simulation worker stopped');
    });
    worker = w;
    client = Comlink.wrap<PageApi>(w);
  }
  return client;
}
