/**
 * Lessons as data (scenario format `getlab-scenario/2`, docs/scenario.schema.json): steps with Markdown text,
 * buttons that run actions, and declarative checks on the lab's typed state. Validation reports every problem
 * with its JSON path and keeps the valid parts; it never throws. Names a user writes are only compared or used
 * as Map keys, never as object keys.
 */

/** The worker's trace event kinds (src/worker/protocol.ts `EventKind`) a check may wait for. */
export const EVENT_KINDS = [
  'registration',
  'rekey-sent',
  'rekey-received',
  'key-installed',
  'rpf-drop',
  'drop',
  'config-change',
  'adjacency-up',
  'adjacency-down',
  'packet',
  'log',
  'state',
  'problem',
] as const;
export type LessonEventKind = (typeof EVENT_KINDS)[number];

/** The faults a button can apply or undo (what the page's fault panel does). */
export const LESSON_FAULTS = ['mroute', 'nbma-mode', 'dr-priority'] as const;
export type LessonFault = (typeof LESSON_FAULTS)[number];

/** What a lesson button does, as plain JSON, times in simulated seconds (the page's lessons panel runs these). */
export type LessonAction =
  | { readonly kind: 'run-to'; readonly seconds: number }
  | { readonly kind: 'run-for'; readonly seconds: number }
  /** Until the key server `ks` has sent its next rekey. */
  | { readonly kind: 'next-rekey'; readonly ks: string }
  /** Until `member` receives a rekey after its last configuration change, at most `maxSeconds`. */
  | { readonly kind: 'until-rekey'; readonly member: string; readonly maxSeconds: number }
  /** Console lines on a device (configuration lines go inside `configure terminal` … `end` themselves). */
  | { readonly kind: 'cli'; readonly device: string; readonly lines: readonly string[] }
  /** Applies (`on`) or undoes a named fault on a device. */
  | { readonly kind: 'fault'; readonly fault: LessonFault; readonly device: string; readonly on: boolean }
  | { readonly kind: 'all'; readonly actions: readonly LessonAction[] };

/** The actions that only run the lab on in simulated time (the worker's `runLesson` runs these). */
export type LessonRunAction = Extract<
  LessonAction,
  { kind: 'run-to' | 'run-for' | 'next-rekey' | 'until-rekey' }
>;

export const RUN_ACTION_KINDS: readonly LessonRunAction['kind'][] = [
  'run-to',
  'run-for',
  'next-rekey',
  'until-rekey',
];

/** True for an action that only runs the lab on. */
export function isRunAction(action: LessonAction): action is LessonRunAction {
  return (RUN_ACTION_KINDS as readonly string[]).includes(action.kind);
}

export interface LessonButton {
  readonly label: string;
  readonly action: LessonAction;
  /** A button that breaks something: the fault it applies (`mroute:GM-2`) and the button that undoes it. */
  readonly breaks?: { readonly fault: string; readonly undo: LessonButton };
}

/** Declarative checks on typed state; a check carries the label the student reads (one inside `not` may not). */
export type LessonCheck = { readonly label?: string } & (
  | {
      readonly kind: 'rpf';
      readonly device: string;
      readonly source: string;
      readonly interface?: string;
      readonly neighbor?: string;
    }
  /** The member holds its group's current TEK: the newest its key server made. */
  | { readonly kind: 'gm-current-tek'; readonly device: string; readonly group?: string }
  | {
      readonly kind: 'adjacency';
      readonly device: string;
      readonly protocol: 'eigrp' | 'pim' | 'nhrp';
      readonly neighbor: string;
      readonly interface?: string;
      /** Default true: the adjacency is up. False: it is absent. */
      readonly up?: boolean;
    }
  | { readonly kind: 'event-since-step'; readonly device: string; readonly event: LessonEventKind }
  | { readonly kind: 'rekey-since-change'; readonly member: string }
  /** The last resort: the command's output matches an IOS regular expression. */
  | {
      readonly kind: 'show-matches';
      readonly device: string;
      readonly command: string;
      readonly pattern: string;
    }
  /**
   * The PIM designated router the device elected on an interface (RFC 7761 §4.3.2; `show ip pim interface … detail`
   * "PIM DR"): `address` is the DR's address on that link, the device's own when it elected itself.
   */
  | {
      readonly kind: 'pim-dr';
      readonly device: string;
      readonly interface: string;
      readonly address: string;
    }
  /** The device's RP for the group (`show ip pim rp mapping`): optionally which RP, learnt how. */
  | {
      readonly kind: 'rp-mapping';
      readonly device: string;
      readonly group: string;
      readonly rp?: string;
      readonly origin?: RpOrigin;
    }
  /** The device holds the (*,G) entry, or (S,G) with `source`; optionally dense (D) or sparse (S). */
  | {
      readonly kind: 'mroute';
      readonly device: string;
      readonly group: string;
      readonly source?: string;
      readonly mode?: 'dense' | 'sparse';
    }
  /** The device's routing table holds exactly this prefix (`show ip route`): optionally from which protocol, via what. */
  | {
      readonly kind: 'route';
      readonly device: string;
      /** `a.b.c.d/len`, the network as `show ip route` prints it. */
      readonly prefix: string;
      readonly protocol?: RouteProtocol;
      readonly nextHop?: string;
      readonly interface?: string;
    }
  /** The device's NHRP cache maps a tunnel address to an NBMA address (`show ip nhrp`): optionally which, how learnt. */
  | {
      readonly kind: 'nhrp-entry';
      readonly device: string;
      /** The tunnel (protocol) address. */
      readonly address: string;
      readonly nbma?: string;
      readonly type?: NhrpEntryKind;
      readonly interface?: string;
    }
  /**
   * The key server on the device sent exactly `count` GROUPKEY-PUSH messages since the step began (one per member
   * for a unicast rekey, one to the group for a multicast one); optionally only unicast or multicast ones, only
   * retransmissions (true) or only first transmissions (false), only those sent to one address.
   */
  | {
      readonly kind: 'rekey-count';
      readonly device: string;
      readonly count: number;
      readonly transport?: RekeyTransport;
      readonly retransmission?: boolean;
      readonly destination?: string;
    }
  | { readonly kind: 'not'; readonly check: LessonCheck }
);

/** How a `rekey-count` check wants the rekeys sent: to each member, or to the multicast rekey group. */
export const REKEY_TRANSPORTS = ['unicast', 'multicast'] as const;
export type RekeyTransport = (typeof REKEY_TRANSPORTS)[number];

/** Where an `rp-mapping` check wants the RP learnt: `ip pim rp-address`, Auto-RP or BSR. */
export const RP_ORIGINS = ['static', 'auto-rp', 'bsr'] as const;
export type RpOrigin = (typeof RP_ORIGINS)[number];

/** Where a `route` check wants the route from (`show ip route` codes C, S, D; `eigrp` takes D and D EX). */
export const ROUTE_PROTOCOLS = ['connected', 'static', 'eigrp'] as const;
export type RouteProtocol = (typeof ROUTE_PROTOCOLS)[number];

/** An NHRP entry's `Type:` in `show ip nhrp`: `static` from `ip nhrp map`, `dynamic` when learnt. */
export const NHRP_ENTRY_KINDS = ['static', 'dynamic'] as const;
export type NhrpEntryKind = (typeof NHRP_ENTRY_KINDS)[number];

export interface LessonStepData {
  readonly title: string;
  /** Markdown; the page renders it without raw HTML. */
  readonly text: string;
  readonly actions: readonly LessonButton[];
  readonly checks: readonly LessonCheck[];
  /** Run when the student leaves the step (a debug the step turned on is turned off). */
  readonly leave?: LessonAction;
}

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly steps: readonly LessonStepData[];
}

export interface PathProblem {
  readonly path: string;
  readonly message: string;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

/** Longest allowed `maxSeconds`/`seconds`: a simulated day keeps a lesson's run bounded. */
export const MAX_ACTION_SECONDS = 86_400;

/** Validates `lessons`; returns the valid lessons (bad parts left out) and one problem per fault found. */
export function validateLessons(value: unknown, problems: PathProblem[]): Lesson[] {
  if (value === undefined) return [];
  const v = value as Json;
  if (!Array.isArray(v)) {
    problems.push({ path: '/lessons', message: '"lessons" must be a list of lessons.' });
    return [];
  }
  const out: Lesson[] = [];
  const ids = new Set<string>();
  v.forEach((l, i) => {
    const path = `/lessons/${i}`;
    if (!isObject(l)) return void problems.push({ path, message: `Lesson #${i + 1} must be an object.` });
    const id = str(l, 'id', path, problems);
    const title = str(l, 'title', path, problems);
    if (id !== undefined && ids.has(id))
      problems.push({ path: `${path}/id`, message: `Two lessons have the id "${id}".` });
    const steps = list(l.steps, `${path}/steps`, problems, validateStep);
    if (id === undefined || title === undefined || ids.has(id)) return;
    ids.add(id);
    out.push({ id, title, steps });
  });
  return out;
}

function validateStep(s: Json, path: string, problems: PathProblem[]): LessonStepData | undefined {
  if (!isObject(s)) return void problems.push({ path, message: 'A step must be an object.' });
  const title = str(s, 'title', path, problems);
  const text = str(s, 'text', path, problems);
  const actions = list(s.actions ?? [], `${path}/actions`, problems, validateButton);
  const checks = list(s.checks ?? [], `${path}/checks`, problems, validateCheck);
  const leave = s.leave === undefined ? undefined : validateAction(s.leave, `${path}/leave`, problems);
  if (title === undefined || text === undefined) return undefined;
  return { title, text, actions, checks, ...(leave ? { leave } : {}) };
}

function validateButton(b: Json, path: string, problems: PathProblem[]): LessonButton | undefined {
  if (!isObject(b)) return void problems.push({ path, message: 'A button must be an object.' });
  const label = str(b, 'label', path, problems);
  const action = validateAction(b.action, `${path}/action`, problems);
  let breaks: LessonButton['breaks'];
  if (b.breaks !== undefined) {
    const bp = `${path}/breaks`;
    if (!isObject(b.breaks)) problems.push({ path: bp, message: '"breaks" must be an object.' });
    else {
      const fault = str(b.breaks, 'fault', bp, problems);
      const undo = validateButton(b.breaks.undo ?? null, `${bp}/undo`, problems);
      if (fault !== undefined && undo) breaks = { fault, undo };
    }
  }
  if (label === undefined || !action) return undefined;
  return { label, action, ...(breaks ? { breaks } : {}) };
}

const ACTION_KINDS = ['run-to', 'run-for', 'next-rekey', 'until-rekey', 'cli', 'fault', 'all'];

/** One action; undefined (with problems) when it cannot be run. */
export function validateAction(
  a: Json | undefined,
  path: string,
  problems: PathProblem[],
): LessonAction | undefined {
  if (!isObject(a)) return void problems.push({ path, message: 'An action must be an object.' });
  const kind = a.kind;
  const before = problems.length;
  const ok = (x: LessonAction): LessonAction | undefined => (problems.length === before ? x : undefined);
  switch (kind) {
    case 'run-to':
    case 'run-for': {
      const seconds = num(a, 'seconds', path, problems);
      return seconds === undefined ? undefined : ok({ kind, seconds });
    }
    case 'next-rekey': {
      const ks = str(a, 'ks', path, problems);
      return ks === undefined ? undefined : ok({ kind, ks });
    }
    case 'until-rekey': {
      const member = str(a, 'member', path, problems);
      const maxSeconds = num(a, 'maxSeconds', path, problems);
      return member === undefined || maxSeconds === undefined ? undefined : ok({ kind, member, maxSeconds });
    }
    case 'cli': {
      const device = str(a, 'device', path, problems);
      const lines = strings(a.lines, `${path}/lines`, problems);
      return device === undefined || !lines ? undefined : ok({ kind, device, lines });
    }
    case 'fault': {
      const fault = oneOf(a, 'fault', LESSON_FAULTS, path, problems);
      const device = str(a, 'device', path, problems);
      const on = a.on;
      if (typeof on !== 'boolean')
        problems.push({ path: `${path}/on`, message: '"on" must be true or false.' });
      return fault === undefined || device === undefined || typeof on !== 'boolean'
        ? undefined
        : ok({ kind, fault, device, on });
    }
    case 'all': {
      const actions = list(a.actions, `${path}/actions`, problems, validateAction);
      return ok({ kind, actions });
    }
    default:
      problems.push({
        path: `${path}/kind`,
        message: `Unknown action ${JSON.stringify(kind ?? null)}: expected one of ${ACTION_KINDS.join(', ')}.`,
      });
      return undefined;
  }
}

const CHECK_KINDS = [
  'rpf',
  'gm-current-tek',
  'adjacency',
  'event-since-step',
  'rekey-since-change',
  'show-matches',
  'rp-mapping',
  'mroute',
  'route',
  'nhrp-entry',
  'rekey-count',
  'pim-dr',
  'not',
];

/** One check; undefined (with problems) when it cannot be evaluated. */
export function validateCheck(c: Json, path: string, problems: PathProblem[]): LessonCheck | undefined {
  if (!isObject(c)) return void problems.push({ path, message: 'A check must be an object.' });
  const before = problems.length;
  // A label is what the student reads; a check inside `not` may go without one.
  const label = c.label === undefined ? undefined : str(c, 'label', path, problems);
  const check = checkBody(c, path, problems);
  return problems.length === before && check
    ? { ...(label !== undefined ? { label } : {}), ...check }
    : undefined;
}

function checkBody(c: JsonObject, path: string, problems: PathProblem[]): LessonCheck | undefined {
  const s = (k: string): string => str(c, k, path, problems) ?? '';
  const opt = (k: string): string | undefined => (c[k] === undefined ? undefined : s(k));
  switch (c.kind) {
    case 'rpf': {
      const check = { kind: 'rpf' as const, device: s('device'), source: s('source') };
      const iface = opt('interface');
      const neighbor = opt('neighbor');
      if (iface === undefined && neighbor === undefined)
        problems.push({ path, message: 'An "rpf" check needs "interface" or "neighbor" (or both).' });
      return {
        ...check,
        ...(iface !== undefined ? { interface: iface } : {}),
        ...(neighbor ? { neighbor } : {}),
      };
    }
    case 'gm-current-tek': {
      const group = opt('group');
      return { kind: 'gm-current-tek', device: s('device'), ...(group !== undefined ? { group } : {}) };
    }
    case 'adjacency': {
      const protocol = oneOf(c, 'protocol', ['eigrp', 'pim', 'nhrp'] as const, path, problems) ?? 'pim';
      const iface = opt('interface');
      if (c.up !== undefined && typeof c.up !== 'boolean')
        problems.push({ path: `${path}/up`, message: '"up" must be true or false.' });
      return {
        kind: 'adjacency',
        device: s('device'),
        protocol,
        neighbor: s('neighbor'),
        ...(iface !== undefined ? { interface: iface } : {}),
        ...(typeof c.up === 'boolean' ? { up: c.up } : {}),
      };
    }
    case 'event-since-step': {
      const event = oneOf(c, 'event', EVENT_KINDS, path, problems) ?? 'log';
      return { kind: 'event-since-step', device: s('device'), event };
    }
    case 'rekey-since-change':
      return { kind: 'rekey-since-change', member: s('member') };
    case 'show-matches': {
      const command = s('command');
      if (command !== '' && !/^\s*sh(o(w)?)?\s/i.test(command))
        problems.push({ path: `${path}/command`, message: `"${command}" is not a show command.` });
      return { kind: 'show-matches', device: s('device'), command, pattern: s('pattern') };
    }
    case 'pim-dr':
      return { kind: 'pim-dr', device: s('device'), interface: s('interface'), address: s('address') };
    case 'rp-mapping': {
      const rp = opt('rp');
      const origin = c.origin === undefined ? undefined : oneOf(c, 'origin', RP_ORIGINS, path, problems);
      return {
        kind: 'rp-mapping',
        device: s('device'),
        group: s('group'),
        ...(rp !== undefined ? { rp } : {}),
        ...(origin !== undefined ? { origin } : {}),
      };
    }
    case 'mroute': {
      const source = opt('source');
      const modes = ['dense', 'sparse'] as const;
      const mode = c.mode === undefined ? undefined : oneOf(c, 'mode', modes, path, problems);
      return {
        kind: 'mroute',
        device: s('device'),
        group: s('group'),
        ...(source !== undefined ? { source } : {}),
        ...(mode !== undefined ? { mode } : {}),
      };
    }
    case 'route': {
      const protocol =
        c.protocol === undefined ? undefined : oneOf(c, 'protocol', ROUTE_PROTOCOLS, path, problems);
      const nextHop = opt('nextHop');
      const iface = opt('interface');
      const prefix = s('prefix');
      if (prefix !== '' && !/^\s*\d+\.\d+\.\d+\.\d+\/\d{1,2}\s*$/.test(prefix))
        problems.push({ path: `${path}/prefix`, message: `"${prefix}" is not a prefix (a.b.c.d/len).` });
      return {
        kind: 'route',
        device: s('device'),
        prefix,
        ...(protocol !== undefined ? { protocol } : {}),
        ...(nextHop !== undefined ? { nextHop } : {}),
        ...(iface !== undefined ? { interface: iface } : {}),
      };
    }
    case 'nhrp-entry': {
      const nbma = opt('nbma');
      const type = c.type === undefined ? undefined : oneOf(c, 'type', NHRP_ENTRY_KINDS, path, problems);
      const iface = opt('interface');
      return {
        kind: 'nhrp-entry',
        device: s('device'),
        address: s('address'),
        ...(nbma !== undefined ? { nbma } : {}),
        ...(type !== undefined ? { type } : {}),
        ...(iface !== undefined ? { interface: iface } : {}),
      };
    }
    case 'rekey-count': {
      const count = c.count;
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        problems.push({ path: `${path}/count`, message: '"count" must be a whole number from 0.' });
      const transport =
        c.transport === undefined ? undefined : oneOf(c, 'transport', REKEY_TRANSPORTS, path, problems);
      if (c.retransmission !== undefined && typeof c.retransmission !== 'boolean')
        problems.push({ path: `${path}/retransmission`, message: '"retransmission" must be true or false.' });
      const destination = opt('destination');
      return {
        kind: 'rekey-count',
        device: s('device'),
        count: typeof count === 'number' ? count : 0,
        ...(transport !== undefined ? { transport } : {}),
        ...(typeof c.retransmission === 'boolean' ? { retransmission: c.retransmission } : {}),
        ...(destination !== undefined ? { destination } : {}),
      };
    }
    case 'not': {
      const inner = validateCheck(c.check ?? null, `${path}/check`, problems);
      return inner ? { kind: 'not', check: inner } : undefined;
    }
    default:
      problems.push({
        path: `${path}/kind`,
        message: `Unknown check ${JSON.stringify(c.kind ?? null)}: expected one of ${CHECK_KINDS.join(', ')}.`,
      });
      return undefined;
  }
}

function list<T>(
  value: Json | undefined,
  path: string,
  problems: PathProblem[],
  item: (v: Json, path: string, problems: PathProblem[]) => T | undefined,
): T[] {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `${quoted(path)} must be a list.` });
    return [];
  }
  const out: T[] = [];
  value.forEach((v, i) => {
    const x = item(v, `${path}/${i}`, problems);
    if (x !== undefined) out.push(x);
  });
  return out;
}

function str(o: JsonObject, key: string, path: string, problems: PathProblem[]): string | undefined {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  if (typeof v === 'string' && v.trim() !== '') return v;
  problems.push({ path: `${path}/${key}`, message: `"${key}" must be non-empty text.` });
  return undefined;
}

function num(o: JsonObject, key: string, path: string, problems: PathProblem[]): number | undefined {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_ACTION_SECONDS) return v;
  problems.push({
    path: `${path}/${key}`,
    message: `"${key}" must be a number of simulated seconds from 0 to ${MAX_ACTION_SECONDS}.`,
  });
  return undefined;
}

function strings(v: Json | undefined, path: string, problems: PathProblem[]): string[] | undefined {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  problems.push({ path, message: `${quoted(path)} must be a list of text lines.` });
  return undefined;
}

function oneOf<T extends string>(
  o: JsonObject,
  key: string,
  allowed: readonly T[],
  path: string,
  problems: PathProblem[],
): T | undefined {
  const v = Object.hasOwn(o, key) ? o[key] : undefined;
  const found = allowed.find((a) => a === v);
  if (found === undefined)
    problems.push({
      path: `${path}/${key}`,
      message: `"${key}" must be one of ${allowed.join(', ')}, not ${JSON.stringify(v ?? null)}.`,
    });
  return found;
}

function quoted(path: string): string {
  return `"${path.slice(path.lastIndexOf('/') + 1)}"`;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
