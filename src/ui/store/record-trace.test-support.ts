// Records a lab's run through the worker API, kernel event by kernel event, as a `TraceRecording` the replay
// worker plays (tests record the reference lab with the real API; `scripts/record-trace.ts` writes one to a file).
import type { SimApi, SimTime } from '../../worker/protocol';
import { RECORDING_FORMAT, type RecordedEvent, type TraceRecording } from './replay-worker';

/** Steps in a row that move neither the clock nor the trace: the lab has nothing scheduled. */
const IDLE_STEPS = 100;

/**
 * Loads `scenario` into `api`, runs it event by event up to `until`, and records the events, the prompts, the
 * running-configs and the answers of `shows` (`[device, line]`) at the end.
 */
export async function recordTrace(
  api: SimApi,
  scenario: string,
  until: SimTime,
  shows: readonly (readonly [string, string])[] = [],
): Promise<TraceRecording> {
  const loaded = await api.load(scenario);
  if (!loaded.ok || !loaded.lab)
    throw new Error(`The scenario did not load: ${JSON.stringify(loaded.problems)}`);
  const lab = loaded.lab;
  const events: RecordedEvent[] = [];
  let idle = 0;
  let now = lab.now;
  while (idle < IDLE_STEPS) {
    const b = await api.step();
    if (b.now > until) break;
    idle = b.records.length === 0 && b.now === now ? idle + 1 : 0;
    now = b.now;
    if (b.records.length > 0) events.push({ t: b.now, records: b.records });
  }
  const names = lab.devices.map((d) => d.name);
  return {
    format: RECORDING_FORMAT,
    scenario,
    lab,
    events,
    prompts: await Promise.all(names.map(async (n) => [n, await api.prompt(n)] as const)),
    configs: await Promise.all(names.map(async (n) => [n, await api.runningConfig(n)] as const)),
    answers: await Promise.all(
      shows.map(async ([device, line]) => ({ device, line, output: await api.show(device, line) })),
    ),
  };
}
