// The page's one store, over the browser: the simulation worker (or, when a test put a recorded trace on the
// page, a fake worker playing it), localStorage, animation frames and fetch.
import { create } from 'zustand';
import { getSimClient, onWorkerError, resetSimClient } from '../../worker/client';
import type { PageApi } from '../../worker/protocol';
import type { KeyValueStore } from '../persistence';
import { prefsFromStorage } from '../share';
import { simStore } from './compose';
import type { StoreEnv, WorkerPort } from './env';
import { type TraceRecording, replayWorker } from './replay-worker';
import type { SimState } from './state';

/** The worker of `src/worker/sim.worker.ts`, through comlink. */
const simWorker: WorkerPort = {
  // Comlink's proxy is a PageApi: every method is async and takes and returns plain data.
  api: (): PageApi => getSimClient(),
  restart: resetSimClient,
  onError: onWorkerError,
};

function localStore(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
  return res.text();
}

/** A recorded trace a test put on the page before it loaded (`window.__getlabReplay`): played instead of a worker. */
function recordingOnPage(): TraceRecording | undefined {
  return (globalThis as { __getlabReplay?: TraceRecording }).__getlabReplay;
}

function pageEnv(): StoreEnv {
  const recording = recordingOnPage();
  return {
    worker: recording ? replayWorker(recording) : simWorker,
    storage: localStore(),
    frames: {
      request: (cb) => requestAnimationFrame(cb),
      cancel: (id) => cancelAnimationFrame(id),
      now: () => performance.now(),
    },
    fetchText,
    confirm: (message) => globalThis.confirm(message),
    baseUrl: import.meta.env.BASE_URL,
    tabId: globalThis.crypto?.randomUUID?.() ?? `tab-${Date.now()}`,
  };
}

export const useSim = create<SimState>()(simStore(pageEnv(), prefsFromStorage()));
