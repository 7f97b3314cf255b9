import * as Comlink from 'comlink';
import type { SimApi } from './protocol';

let client: Comlink.Remote<SimApi> | undefined;

/**
 * The page's one simulation worker. A module-level singleton rather than a React hook: StrictMode runs
 * effects twice in development and would otherwise start two workers with two diverging labs.
 */
export function getSimClient(): Comlink.Remote<SimApi> {
  if (!client) {
    const worker = new Worker(new URL('./sim.worker.ts', import.meta.url), {
      type: 'module',
      name: 'getlab-sim',
    });
    client = Comlink.wrap<SimApi>(worker);
  }
  return client;
}
