/**
 * The scenario file format (DESIGN.md §10): a public contract, written by hand by users and graders.
 * Validation reports every problem it finds in plain language instead of stopping at the first.
 */
export const SCENARIO_FORMAT = 'getlab-scenario/1';

export interface ScenarioDevice {
  readonly name: string;
  readonly role: 'router' | 'provider';
  readonly x?: number;
  readonly y?: number;
  /** IOS running-config text: the only thing that decides the device's behaviour. */
  readonly config: string;
}

export interface ScenarioLink {
  /** `"<device> <interface>"`, interface in full or IOS short form. */
  readonly a: string;
  readonly b: string;
  readonly delayMs?: number;
  /** Fraction of frames lost (0..1). */
  readonly loss?: number;
}

export interface Scenario {
  readonly format: typeof SCENARIO_FORMAT;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  /** ISO date the routers' clocks start at. */
  readonly clock?: string;
  readonly devices: readonly ScenarioDevice[];
  readonly links: readonly ScenarioLink[];
}

export interface SchemaProblem {
  readonly message: string;
  readonly device?: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Parses and validates scenario text. Returns the scenario (possibly with bad parts left out) and problems. */
export function parseScenario(text: string): { scenario?: Scenario; problems: SchemaProblem[] } {
  let raw: Json;
  try {
    raw = JSON.parse(text) as Json;
  } catch (e) {
    return { problems: [{ message: `The scenario file is not valid JSON: ${(e as Error).message}` }] };
  }
  if (!isObject(raw)) return { problems: [{ message: 'The scenario file must hold a JSON object.' }] };
  const problems: SchemaProblem[] = [];
  if (raw.format !== SCENARIO_FORMAT) {
    problems.push({
      message: `Unknown scenario format ${JSON.stringify(raw.format ?? null)}: expected "${SCENARIO_FORMAT}".`,
    });
    return { problems };
  }
  const devices = validateDevices(raw.devices, problems);
  const links = validateLinks(raw.links, problems);
  const seed = typeof raw.seed === 'number' && Number.isInteger(raw.seed) ? raw.seed : 1;
  if (raw.seed !== undefined && seed !== raw.seed)
    problems.push({ message: '"seed" must be an integer; using 1.' });
  const clock = typeof raw.clock === 'string' ? raw.clock : undefined;
  if (clock !== undefined && Number.isNaN(Date.parse(clock))) {
    problems.push({ message: `"clock" ${JSON.stringify(clock)} is not an ISO date; using the default.` });
  }
  return {
    scenario: {
      format: SCENARIO_FORMAT,
      title: typeof raw.title === 'string' ? raw.title : 'Untitled lab',
      description: typeof raw.description === 'string' ? raw.description : '',
      seed,
      clock: clock !== undefined && !Number.isNaN(Date.parse(clock)) ? clock : undefined,
      devices,
      links,
    },
    problems,
  };
}

function validateDevices(value: Json | undefined, problems: SchemaProblem[]): ScenarioDevice[] {
  if (!Array.isArray(value)) {
    problems.push({ message: '"devices" must be a list of devices.' });
    return [];
  }
  const out: ScenarioDevice[] = [];
  const seen = new Set<string>();
  value.forEach((d, i) => {
    if (!isObject(d) || typeof d.name !== 'string' || d.name.trim() === '') {
      problems.push({ message: `Device #${i + 1} has no "name".` });
      return;
    }
    const name = d.name.trim();
    if (/\s/.test(name)) {
      problems.push({ device: name, message: `Device name "${name}" must not contain spaces.` });
      return;
    }
    if (seen.has(name)) {
      problems.push({ device: name, message: `Two devices are named "${name}".` });
      return;
    }
    seen.add(name);
    if (typeof d.config !== 'string') {
      problems.push({ device: name, message: `Device "${name}" has no "config" text.` });
    }
    const role = d.role === 'provider' ? 'provider' : 'router';
    if (d.role !== undefined && d.role !== 'router' && d.role !== 'provider') {
      problems.push({ device: name, message: `Device "${name}": role must be "router" or "provider".` });
    }
    out.push({
      name,
      role,
      x: typeof d.x === 'number' ? d.x : undefined,
      y: typeof d.y === 'number' ? d.y : undefined,
      config: typeof d.config === 'string' ? d.config : '',
    });
  });
  return out;
}

function validateLinks(value: Json | undefined, problems: SchemaProblem[]): ScenarioLink[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push({ message: '"links" must be a list of links.' });
    return [];
  }
  const out: ScenarioLink[] = [];
  value.forEach((l, i) => {
    if (!isObject(l) || typeof l.a !== 'string' || typeof l.b !== 'string') {
      problems.push({ message: `Link #${i + 1} needs "a" and "b" as "<device> <interface>".` });
      return;
    }
    const delayMs = typeof l.delayMs === 'number' && l.delayMs >= 0 ? l.delayMs : undefined;
    if (l.delayMs !== undefined && delayMs === undefined) {
      problems.push({ message: `Link #${i + 1}: "delayMs" must be a number of milliseconds >= 0.` });
    }
    const loss = typeof l.loss === 'number' && l.loss >= 0 && l.loss <= 1 ? l.loss : undefined;
    if (l.loss !== undefined && loss === undefined) {
      problems.push({ message: `Link #${i + 1}: "loss" must be a fraction between 0 and 1.` });
    }
    out.push({ a: l.a, b: l.b, delayMs, loss });
  });
  return out;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
