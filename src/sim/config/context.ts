/**
 * What a config command sees when it runs: the model it edits, the sub-mode it runs in, and the session
 * operations (enter a sub-mode, leave, print, report a change). Also small helpers the command files share.
 */
import type { Ipv4 } from '../net/ipv4-address';
import type { CommandMatch, CommandSpec } from './grammar';
import { compareInterfaceNames } from './interface-names';
import { emptyInterfaceConfig, type InterfaceConfig, type RouterConfig } from './model';

/**
 * The configuration modes and what each frame of the mode stack keys the object it edits by. The core declares
 * its own modes here; a protocol declares its sub-modes in its own folder by module augmentation, so adding one
 * never edits this file:
 *
 *     declare module '../../config/context' {
 *       interface ConfigModeFrames { 'router-eigrp': { readonly asNumber: number } }
 *     }
 *
 * `config/modes.ts` gives each declared mode its prompt and commands from the protocol descriptors.
 */
export interface ConfigModeFrames {
  global: object;
  interface: { readonly name: string };
  'std-nacl': { readonly acl: string };
  'ext-nacl': { readonly acl: string };
}

export type ConfigModeName = keyof ConfigModeFrames & string;

/** One level of the mode stack, with the key of the object the sub-mode edits. */
export type ModeFrame = {
  [M in ConfigModeName]: { readonly mode: M } & ConfigModeFrames[M];
}[ConfigModeName];

/**
 * What a config change is about. The core's areas are here; a protocol adds its own by module augmentation
 * (`interface ConfigAreas { eigrp: true }`), like its sub-modes.
 */
export interface ConfigAreas {
  hostname: true;
  global: true;
  interface: true;
  routing: true;
  acl: true;
  /** Crypto config, shared by IKE, ESP and GDOI (each re-reads its part). */
  crypto: true;
  /** `ip multicast-routing`, `ip mroute`, and the multicast protocols' global lines. */
  multicast: true;
}

export type ConfigArea = keyof ConfigAreas & string;

/** What a successful line changed, for listeners that re-read part of the config. */
export interface ConfigChange {
  readonly area: ConfigArea;
  /** Interface, ACL, group, map … name when the change is about one object. */
  readonly name?: string;
}

export interface ConfigContext {
  readonly model: RouterConfig;
  readonly frame: ModeFrame;
  /** Pushes a sub-mode (the command created or selected the object it edits). */
  enter(frame: ModeFrame): void;
  /** `exit`: one level up (leaves config mode from global). */
  exitMode(): void;
  /** `end` / Ctrl-Z. */
  leaveConfig(): void;
  /** `do <line>`: the caller runs the line in exec mode. */
  exec(line: string): void;
  changed(area: ConfigArea, name?: string): void;
  /** A line IOS prints on the console for this command. */
  print(line: string): void;
  /** The command names an interface that may not exist; the loader checks it once the whole config is in. */
  referenceInterface(name: string, column: number): void;
}

export type ConfigCommand = CommandSpec<ConfigContext>;

/** The frame when it is of the expected mode (trees are per mode, so a mismatch is a programming error). */
export function frameAs<M extends ModeFrame['mode']>(
  ctx: ConfigContext,
  mode: M,
): Extract<ModeFrame, { mode: M }> {
  if (ctx.frame.mode !== mode) throw new Error(`command for ${mode} run in ${ctx.frame.mode}`);
  return ctx.frame as Extract<ModeFrame, { mode: M }>;
}

/**
 * Interfaces by name, per interface list: every `(config-if)` line looks its interface up, and a linear search
 * made a config of 64,000 loopbacks quadratic to load (issue 13 item 8). Rebuilt when the list's length is not
 * the one it was built for (an interface was added or removed some other way).
 */
const interfaceIndex = new WeakMap<
  InterfaceConfig[],
  { length: number; byName: Map<string, InterfaceConfig> }
>();

function interfacesByName(list: InterfaceConfig[]): { length: number; byName: Map<string, InterfaceConfig> } {
  let index = interfaceIndex.get(list);
  if (!index || index.length !== list.length) {
    index = { length: list.length, byName: new Map(list.map((i) => [i.name, i])) };
    interfaceIndex.set(list, index);
  }
  return index;
}

export function findInterface(model: RouterConfig, name: string): InterfaceConfig | undefined {
  return interfacesByName(model.interfaces).byName.get(name);
}

/** Creates the interface if needed, keeping the list in IOS order (as IOS keeps its interface table). */
export function ensureInterface(model: RouterConfig, name: string): InterfaceConfig {
  const index = interfacesByName(model.interfaces);
  const existing = index.byName.get(name);
  if (existing) return existing;
  const created = emptyInterfaceConfig(name);
  insertSorted(model.interfaces, created, (a, b) => compareInterfaceNames(a.name, b.name));
  index.byName.set(name, created);
  index.length = model.interfaces.length;
  return created;
}

/** The interface the current `(config-if)` frame edits. */
export function currentInterface(ctx: ConfigContext): InterfaceConfig {
  const name = frameAs(ctx, 'interface').name;
  return ensureInterface(ctx.model, name);
}

/** Inserts after every element that does not sort after it (stable for equal keys). */
export function insertSorted<T>(list: T[], item: T, compare: (a: T, b: T) => number): void {
  let i = list.length;
  while (i > 0 && compare(list[i - 1] as T, item) > 0) i--;
  list.splice(i, 0, item);
}

/** Removes every element the predicate selects; returns how many went. */
export function removeWhere<T>(list: T[], pred: (x: T) => boolean): number {
  let removed = 0;
  for (let i = list.length - 1; i >= 0; i--) {
    if (pred(list[i] as T)) {
      list.splice(i, 1);
      removed++;
    }
  }
  return removed;
}

/**
 * A command that names an object with a sub-mode (`crypto gdoi group G`, `router eigrp 10`): the positive form
 * creates the object if it is new (kept sorted when `compare` is given, as IOS lists policies and processes) and
 * returns true (the caller enters its sub-mode); `no` removes it and returns false.
 */
export function selectOrRemove<T>(
  list: T[],
  same: (x: T) => boolean,
  create: () => T,
  negated: boolean,
  compare?: (a: T, b: T) => number,
): boolean {
  if (negated) {
    removeWhere(list, same);
    return false;
  }
  if (!list.some(same)) {
    if (compare) insertSorted(list, create(), compare);
    else list.push(create());
  }
  return true;
}

/** The last keyword of the match (`hash md5` → `md5`). */
export function lastKeyword(m: CommandMatch): string {
  return m.keywords[m.keywords.length - 1] ?? '';
}

export function ipParam(m: CommandMatch, name: string): Ipv4 {
  const v = m.params[name];
  if (typeof v !== 'number') throw new Error(`missing ipv4 param ${name}`);
  return v;
}

export function optIpParam(m: CommandMatch, name: string): Ipv4 | undefined {
  const v = m.params[name];
  return typeof v === 'number' ? v : undefined;
}

export function intParam(m: CommandMatch, name: string): number {
  return ipParam(m, name);
}

export function optIntParam(m: CommandMatch, name: string): number | undefined {
  return optIpParam(m, name);
}

export function strParam(m: CommandMatch, name: string): string {
  const v = m.params[name];
  if (typeof v !== 'string') throw new Error(`missing string param ${name}`);
  return v;
}

export function optStrParam(m: CommandMatch, name: string): string | undefined {
  const v = m.params[name];
  return typeof v === 'string' ? v : undefined;
}
