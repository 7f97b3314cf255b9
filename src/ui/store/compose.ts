// Composes the page store from its slices with zustand's slice pattern: each slice gets the store's `set` and
// `get` (and the page's surroundings) and returns its part of the state; they reach each other through `get()`.
import { type StateCreator, createStore, type StoreApi } from 'zustand';
import type { Prefs } from '../share';
import { createBridgeSlice } from './bridge';
import { createConsolesSlice } from './consoles';
import { createEditorSlice } from './editor';
import type { StoreEnv } from './env';
import { createFaultsSlice } from './faults';
import { createLabSlice } from './lab';
import { createLessonsSlice } from './lessons';
import { createMulticastSlice } from './multicast';
import { createPlaybackSlice } from './playback';
import { createSessionSlice } from './session';
import type { SimState } from './state';
import { createTraceSlice } from './trace';
import { createViewSlice } from './view';

/** The whole store over `env`: every slice, each given the store's `set` and `get`. */
export function simStore(env: StoreEnv, prefs: Prefs): StateCreator<SimState> {
  return (set, get, api) => ({
    ...createBridgeSlice(set, get, env),
    ...createLabSlice(set, get, env),
    ...createPlaybackSlice(set, get, env),
    ...createTraceSlice(set, get),
    ...createConsolesSlice(set, get),
    ...createFaultsSlice(set, get),
    ...createMulticastSlice(set, get),
    ...createLessonsSlice(set, get),
    ...createViewSlice(set, get, prefs),
    ...createSessionSlice(set, get, env, api.subscribe),
    ...createEditorSlice(set, get, api.subscribe),
  });
}

/** A store of its own over `env` (tests drive one with a fake worker, no browser). */
export function createSimStore(
  env: StoreEnv,
  prefs: Prefs = { theme: 'light', projector: false },
): StoreApi<SimState> {
  return createStore<SimState>()(simStore(env, prefs));
}
