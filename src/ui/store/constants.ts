// Limits and lists the slices share.
import SCENARIO_INDEX from '../../../public/scenarios/index.json';

export interface ShippedScenario {
  readonly file: string;
  readonly label: string;
}

/**
 * The scenario picker's labs: every scenario public/scenarios/index.json lists (scripts/build-scenarios.py writes
 * it), read at build time, so a scenario shipped with its lessons is one click away.
 */
export const SHIPPED_SCENARIOS: readonly ShippedScenario[] = (
  SCENARIO_INDEX as readonly { file: string; title: string }[]
).map((s) => ({ file: s.file, label: s.title }));

export const DEFAULT_SCENARIO = 'getvpn-multicast-rekey.json';

export const SPEEDS: readonly number[] = [1, 10, 100, 1000];

/** How many trace records the page keeps for the event list (the worker keeps the full trace). */
export const TRACE_WINDOW = 2000;

/** Generated hub-and-spoke labs the scenario picker offers: spokes, and hubs (each its own DMVPN cloud). */
export const GENERATED_LABS: readonly { readonly spokes: number; readonly hubs: number }[] = [
  { spokes: 10, hubs: 1 },
  { spokes: 100, hubs: 1 },
  { spokes: 500, hubs: 1 },
  // Issue 18: the page stays fluid at 1,000 spokes and a 5,000-spoke lab loads and plays.
  { spokes: 1000, hubs: 1 },
  { spokes: 5000, hubs: 1 },
  { spokes: 100, hubs: 2 },
];

/** The picker's value for a generated lab: `generated:N` (one hub) or `generated:N:H`. */
export function generatedSource(spokes: number, hubs: number): string {
  return hubs === 1 ? `generated:${spokes}` : `generated:${spokes}:${hubs}`;
}

export function generatedLabel(spokes: number, hubs: number): string {
  return hubs === 1 ? `Hub and ${spokes} spokes` : `${hubs} hubs and ${spokes} spokes`;
}

/** Above this many devices the topology starts with Cytoscape's WebGL renderer (and panels refresh less often). */
export const WEBGL_THRESHOLD = 100;

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
