/**
 * The scenario file format (docs/DESIGN.md §10): a public contract, written by hand by users and graders.
 * Validation reports every problem it finds in plain language instead of stopping at the first.
 */
import { type Lesson, type PathProblem, validateLessons } from './lesson-schema';

export const SCENARIO_FORMAT = 'getlab-scenario/1';
/** Format 2 adds `lessons` (lesson-schema.ts); a v1 file loads unchanged. JSON Schema: docs/scenario.schema.json. */
export const SCENARIO_FORMAT_V2 = 'getlab-scenario/2';
export type ScenarioFormat = typeof SCENARIO_FORMAT | typeof SCENARIO_FORMAT_V2;

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
  readonly format: ScenarioFormat;
  readonly title: string;
  readonly description: string;
  readonly seed: number;
  /** ISO date the routers' clocks start at. */
  readonly clock?: string;
  readonly devices: readonly ScenarioDevice[];
  readonly links: readonly ScenarioLink[];
  /** Format 2: the lab's lessons, with their buttons and checks. */
  readonly lessons?: readonly Lesson[];
}

export interface SchemaProblem {
  readonly message: string;
  readonly device?: string;
  /** `warning`: the lab loads with a default in place of the bad value. Absent: an error. */
  readonly severity?: 'warning';
  /** The JSON pointer of the bad value (`/lessons/0/steps/1/checks/0/device`), where one is known. */
  readonly path?: string;
}

/**
 * The IOS software clock's range: IOS takes dates from 1 January 1993 to 31 December 2035 (Cisco IOS
 * `absolute` time-range command: "The minimum start is 00:00 1 January 1993 ... The maximum end time is 23:59
 * 31 December 2035"). Inside it the pcap's 32-bit seconds field (until 2106) and IOS timestamps never overflow.
 */
export const CLOCK_MIN = Date.UTC(1993, 0, 1);
export const CLOCK_MAX = Date.UTC(2035, 11, 31, 23, 59, 59);
/** A link's one-way delay is at most a day: more is no network, and keeps simulated microseconds exact. */
export const MAX_DELAY_MS = 86_400_000;

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
  const format = raw.format === SCENARIO_FORMAT_V2 ? SCENARIO_FORMAT_V2 : SCENARIO_FORMAT;
  if (raw.format !== format) {
    problems.push({
      message: `Unknown scenario format ${JSON.stringify(raw.format ?? null)}: expected "${SCENARIO_FORMAT}" or "${SCENARIO_FORMAT_V2}".`,
    });
    return { problems };
  }
  if (format === SCENARIO_FORMAT && raw.lessons !== undefined)
    problems.push({
      severity: 'warning',
      path: '/lessons',
      message: `"lessons" needs format "${SCENARIO_FORMAT_V2}"; the lessons are left out.`,
    });
  const lessons = format === SCENARIO_FORMAT_V2 ? lessonsOf(raw.lessons, problems) : undefined;
  const devices = validateDevices(raw.devices, problems);
  const links = validateLinks(raw.links, problems);
  const seed = typeof raw.seed === 'number' && Number.isSafeInteger(raw.seed) ? raw.seed : 1;
  if (raw.seed !== undefined && seed !== raw.seed)
    problems.push({ message: '"seed" must be an integer; using 1.' });
  return {
    scenario: {
      format,
      title: textField(raw.title, 'title', 'Untitled lab', problems),
      description: textField(raw.description, 'description', '', problems),
      seed,
      clock: validClock(raw.clock, problems),
      devices,
      links,
      ...(lessons && lessons.length > 0 ? { lessons } : {}),
    },
    problems,
  };
}

/**
 * The scenario as a format 2 document (what `--save` writes): the fields that loaded, format 1's as they were
 * (a v1 file is a v2 file without lessons), absent optional fields left out.
 */
export function scenarioV2Text(scenario: Scenario): string {
  return `${JSON.stringify({ ...scenario, format: SCENARIO_FORMAT_V2 }, null, 2)}\n`;
}

/** Format 2's lessons; a bad part is left out with a warning (the lab itself still loads and runs). */
function lessonsOf(value: Json | undefined, problems: SchemaProblem[]): Lesson[] {
  const found: PathProblem[] = [];
  const lessons = validateLessons(value, found);
  for (const p of found) problems.push({ severity: 'warning', path: p.path, message: p.message });
  return lessons;
}

/** An optional text field: anything but a string is reported and replaced by `fallback`. */
function textField(
  value: Json | undefined,
  name: string,
  fallback: string,
  problems: SchemaProblem[],
): string {
  if (typeof value === 'string') return value;
  if (value !== undefined) {
    problems.push({
      severity: 'warning',
      message: `"${name}" must be text, not ${describeJson(value)}; using ${JSON.stringify(fallback)}.`,
    });
  }
  return fallback;
}

/** `clock`: an ISO date inside the IOS clock's range, else the default (reported). */
function validClock(value: Json | undefined, problems: SchemaProblem[]): string | undefined {
  if (value === undefined) return undefined;
  const example = 'such as "2026-07-07T22:55:00Z"';
  if (typeof value !== 'string') {
    problems.push({
      severity: 'warning',
      message: `"clock" must be an ISO date ${example}, not ${describeJson(value)}; using the default.`,
    });
    return undefined;
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    problems.push({ message: `"clock" ${JSON.stringify(value)} is not an ISO date; using the default.` });
    return undefined;
  }
  if (ms < CLOCK_MIN || ms > CLOCK_MAX) {
    problems.push({
      severity: 'warning',
      message: `"clock" ${JSON.stringify(value)} is outside the IOS clock's range (1993 to 2035); using the default.`,
    });
    return undefined;
  }
  return value;
}

/** What a JSON value is, in words: `a number`, `a list`, … */
function describeJson(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value === 'boolean' ? 'true/false value' : typeof value}`;
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
    for (const axis of ['x', 'y'] as const) {
      const v = d[axis];
      if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) {
        problems.push({
          severity: 'warning',
          device: name,
          message: `Device "${name}": "${axis}" must be a finite number; the device is placed automatically.`,
        });
      }
    }
    out.push({
      name,
      role,
      x: typeof d.x === 'number' && Number.isFinite(d.x) ? d.x : undefined,
      y: typeof d.y === 'number' && Number.isFinite(d.y) ? d.y : undefined,
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
    // JSON.parse reads 1e999 as Infinity: a delay no event could ever wait out.
    const delayMs =
      typeof l.delayMs === 'number' &&
      Number.isFinite(l.delayMs) &&
      l.delayMs >= 0 &&
      l.delayMs <= MAX_DELAY_MS
        ? l.delayMs
        : undefined;
    if (l.delayMs !== undefined && delayMs === undefined) {
      problems.push({
        message: `Link #${i + 1}: "delayMs" must be a number of milliseconds from 0 to ${MAX_DELAY_MS} (one day); using 1.`,
      });
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
