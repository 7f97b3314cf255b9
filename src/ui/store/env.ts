// What the page store needs from its surroundings, passed in rather than read from globals: the page gives it the
// simulation worker and the browser's storage and animation frames; a unit test gives it a fake worker that plays
// a recorded trace, an in-memory storage and frames it advances by hand.
import type { PageApi } from '../../worker/protocol';
import type { KeyValueStore } from '../persistence';

/** The door to the simulator: the worker API, and its life (restart after a hang, death by a crash). */
export interface WorkerPort {
  /** The worker's API (in the page, comlink's proxy of `src/worker/api.ts`). */
  api(): PageApi;
  /** Stops the worker; the next `api()` starts a fresh one (calls pending on the old one never settle). */
  restart(): void;
  /** Tells `listener` when the worker dies of an uncaught error; returns the unsubscribe function. */
  onError(listener: (message: string) => void): () => void;
}

/** Animation frames and the wall clock they are stamped with (`requestAnimationFrame` in the page). */
export interface FrameClock {
  request(callback: (wallMs: number) => void): number;
  cancel(id: number): void;
  now(): number;
}

export interface StoreEnv {
  readonly worker: WorkerPort;
  /** Where saved work lives (localStorage); absent when the browser disables storage. */
  readonly storage?: KeyValueStore;
  readonly frames: FrameClock;
  /** Fetches a shipped scenario's text. */
  fetchText(url: string): Promise<string>;
  /** Asks the user a yes/no question (`window.confirm`). */
  confirm(message: string): boolean;
  /** The URL shipped scenarios are under (Vite's BASE_URL). */
  readonly baseUrl: string;
  /** This tab's id in saved work (two tabs saving one lab are told apart by it). */
  readonly tabId: string;
}
