/**
 * Negatable config parameters: a command that sets one field, whose `no` form clears it. The `no` form is
 * derived from the positive one: IOS takes `no` before a configuration command to disable the feature or put
 * the default back (Cisco, "Using the Command-Line Interface", section "Understanding no and default Forms of
 * Commands", e.g. the ME 3600X/3800X configuration guide), and accepts it with the trailing arguments left out
 * (`no ip mtu` as well as `no ip mtu 1400`). The cleared field reads as the IOS default, which the
 * running-config does not print.
 */
import type { ConfigCommand, ConfigContext } from './context';
import type { CommandMatch } from './grammar';

/** The keys of `T` whose property is optional: the only ones a `no` form may leave unset. */
export type OptionalKeys<T> = {
  [K in keyof T]-?: object extends Pick<T, K> ? K : never;
}[keyof T];

/** Runs `change` on the object a command edits, then reports the change (e.g. `editInterface`). */
export type Editor<T> = (ctx: ConfigContext, change: (target: T) => void) => void;

/**
 * The `no` syntax of a command: its leading keywords, then everything after them made optional
 * (`ip mtu <bytes:int:68-17916>` → `ip mtu [<bytes:int:68-17916>]`).
 */
export function negatedSyntax(syntax: string): string {
  const words = syntax.split(' ');
  const first = words.findIndex((w) => /^[<([]/.test(w));
  if (first < 0) return syntax;
  return `${words.slice(0, first).join(' ')} [${words.slice(first).join(' ')}]`;
}

/**
 * Stores `value` in `target[key]`, or leaves the field unset when the value is absent (the `no` form) or is
 * the IOS default (IOS does not print a default, so the model keeps it unset and round-trips the same text).
 */
export function assignNegatable<T extends object, K extends OptionalKeys<T>>(
  target: T,
  key: K,
  value: T[K] | undefined,
  defaultValue?: T[K],
): void {
  if (value === undefined || (defaultValue !== undefined && value === defaultValue)) delete target[key];
  else target[key] = value;
}

export interface NegatableParameter<T extends object, K extends OptionalKeys<T>> {
  /** Positive syntax; its `no` form is derived (`negatedSyntax`) unless IOS takes a shorter one. */
  readonly syntax: string;
  readonly noSyntax?: string;
  readonly help: Readonly<Record<string, string>>;
  readonly edit: Editor<T>;
  readonly key: K;
  /** The value the positive form stores; it may reference interfaces through `ctx`. */
  readonly value: (m: CommandMatch, ctx: ConfigContext) => T[K];
  /** The IOS default, stored as unset so it is not printed. */
  readonly defaultValue?: T[K];
}

/** A command that sets one field; `no` clears it. */
export function negatableParameter<T extends object, K extends OptionalKeys<T>>(
  p: NegatableParameter<T, K>,
): ConfigCommand {
  return {
    syntax: p.syntax,
    noSyntax: p.noSyntax ?? negatedSyntax(p.syntax),
    help: p.help,
    run: (ctx, m) =>
      p.edit(ctx, (target) =>
        assignNegatable(target, p.key, m.negated ? undefined : p.value(m, ctx), p.defaultValue),
      ),
  };
}

/** The boolean keys of `T`. */
export type FlagKeys<T> = { [K in keyof T]-?: T[K] extends boolean ? K : never }[keyof T];

export interface NegatableFlag<T extends object> {
  readonly syntax: string;
  readonly help: Readonly<Record<string, string>>;
  readonly edit: Editor<T>;
  readonly key: FlagKeys<T>;
}

/** A command that turns one feature on; `no` turns it off (`shutdown`, `ip pim autorp listener` …). */
export function negatableFlag<T extends object>(p: NegatableFlag<T>): ConfigCommand {
  return {
    syntax: p.syntax,
    help: p.help,
    run: (ctx, m) => p.edit(ctx, (target) => ((target[p.key] as boolean) = !m.negated)),
  };
}

/**
 * A command that adds one entry to a list (IOS keeps one copy, in the order typed); `no` removes it
 * (`ip igmp join-group`, `ip nhrp map`, `passive-interface` …).
 */
export function editListEntry<E>(list: E[], same: (e: E) => boolean, entry: E, negated: boolean): E[] {
  const kept = list.filter((e) => !same(e));
  if (!negated) kept.push(entry);
  return kept;
}
