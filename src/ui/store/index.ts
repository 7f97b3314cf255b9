// The page's store: one slice per job (state.ts has the shape, compose.ts puts them together). Only the actions
// talk to the worker, through the bridge's one queue; components read through narrow selectors. `createSimStore`
// makes a store over any worker port (a recorded trace in tests); `useSim` is the page's.
export {
  DEFAULT_SCENARIO,
  GENERATED_LABS,
  SHIPPED_SCENARIOS,
  SPEEDS,
  TRACE_WINDOW,
  WEBGL_THRESHOLD,
  generatedLabel,
  generatedSource,
} from './constants';
export type { ShippedScenario } from './constants';
export { createSimStore } from './compose';
export { lessonCheckKey } from './lessons';
export type { FrameClock, StoreEnv, WorkerPort } from './env';
export { useSim } from './page';
export type * from './state';
