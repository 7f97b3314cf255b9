/**
 * IOS interface names: the types GETLab routers have, their abbreviations (`fa1/0`, `Lo 0`, `serial2/0`),
 * canonical (`FastEthernet1/0`) and short (`Fa1/0`) forms, and the order IOS lists interfaces in.
 */

export interface InterfaceType {
  /** Canonical IOS type word. */
  readonly full: string;
  /** Short form used by `show ip interface brief`, `show ip mroute`, … */
  readonly short: string;
  /** Virtual interfaces (loopback, tunnel) take a plain unit number; hardware ones a slot/port path. */
  readonly virtual: boolean;
  /** `?` help text as IOS prints it in `interface ?`. */
  readonly help: string;
}

/** Listed in IOS `show running-config` order: virtual first, then hardware (ordered by slot, then by type). */
export const INTERFACE_TYPES: readonly InterfaceType[] = [
  { full: 'Loopback', short: 'Lo', virtual: true, help: 'Loopback interface' },
  { full: 'Tunnel', short: 'Tu', virtual: true, help: 'Tunnel interface' },
  { full: 'Ethernet', short: 'Et', virtual: false, help: 'IEEE 802.3' },
  { full: 'FastEthernet', short: 'Fa', virtual: false, help: 'FastEthernet IEEE 802.3' },
  { full: 'GigabitEthernet', short: 'Gi', virtual: false, help: 'GigabitEthernet IEEE 802.3z' },
  { full: 'Serial', short: 'Se', virtual: false, help: 'Serial' },
];

/** Rank of each type in running-config order. */
export const interfaceTypeOrder: Readonly<Record<string, number>> = Object.fromEntries(
  INTERFACE_TYPES.map((t, i) => [t.full, i]),
);

/**
 * The interface type a (case-insensitive) word abbreviates. IOS accepts any unique prefix; every type here
 * starts with a different letter, so one letter is enough (`e0/0`, `t10`).
 */
export function interfaceTypeFromWord(word: string): InterfaceType | undefined {
  if (word.length === 0) return undefined;
  const lower = word.toLowerCase();
  const matches = INTERFACE_TYPES.filter((t) => t.full.toLowerCase().startsWith(lower));
  return matches.length === 1 ? matches[0] : undefined;
}

const UNIT = /^\d+$/;
/** slot[/subslot]/port with an optional sub-interface (`1/0`, `0/0/1`, `1/0.100`). */
const PATH = /^\d+(\/\d+){0,2}(\.\d+)?$/;
const MAX_UNIT = 2147483647;

/** Validates the number part of an interface for its type; returns it normalised (no leading zeros). */
export function interfaceNumber(type: InterfaceType, text: string): string | undefined {
  if (type.virtual) {
    if (!UNIT.test(text) || Number(text) > MAX_UNIT) return undefined;
    return String(Number(text));
  }
  if (!PATH.test(text)) return undefined;
  // Every part within IOS's 32-bit unit range: a longer number printed as `1e+23`, which no parser reads back,
  // so a saved lab no longer loaded (issue 13 item 9). IOS rejects it with "% Invalid input detected at '^'
  // marker." under the number (Cisco, "Using the Cisco IOS Command-Line Interface": CLI error messages).
  const parts = text.match(/\d+/g) ?? [];
  if (parts.some((d) => Number(d) > MAX_UNIT)) return undefined;
  return text.replace(/\d+/g, (d) => String(Number(d)));
}

/** Splits `Fa1/0` into its type word and number; `{ type: 'Loopback' }` alone for a bare type word. */
export function splitInterfaceToken(token: string): { type: InterfaceType; number?: string } | undefined {
  const m = /^([A-Za-z-]+)(.*)$/.exec(token);
  if (!m) return undefined;
  const type = interfaceTypeFromWord(m[1] ?? '');
  if (!type) return undefined;
  const rest = m[2] ?? '';
  if (rest === '') return { type };
  const number = interfaceNumber(type, rest);
  return number === undefined ? undefined : { type, number };
}

/**
 * Canonical IOS name (`FastEthernet1/0`, `Loopback0`) of an interface written in full or abbreviated, with or
 * without a space between type and number (`Fastethernet 1/0`, `lo0`, `serial 2/0`).
 */
export function canonicalInterfaceName(text: string): string | undefined {
  const parts = text.trim().split(/\s+/);
  if (parts.length > 2 || parts[0] === '') return undefined;
  const head = splitInterfaceToken(parts[0] ?? '');
  if (!head) return undefined;
  if (parts.length === 2) {
    if (head.number !== undefined) return undefined;
    const number = interfaceNumber(head.type, parts[1] ?? '');
    return number === undefined ? undefined : head.type.full + number;
  }
  return head.number === undefined ? undefined : head.type.full + head.number;
}

/** `FastEthernet1/0` -> `Fa1/0`; names that are not canonical are returned unchanged. */
export function shortInterfaceName(name: string): string {
  const split = splitInterfaceToken(name);
  if (!split || split.number === undefined) return name;
  return split.type.short + split.number;
}

/** Type of a canonical name, or undefined. */
export function interfaceTypeOf(name: string): InterfaceType | undefined {
  return splitInterfaceToken(name)?.type;
}

function numberParts(name: string): number[] {
  return (name.match(/\d+/g) ?? []).map(Number);
}

function compareNumberLists(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * IOS running-config order: loopbacks, then tunnels (by unit), then hardware interfaces by slot/port (the
 * order of the router's slots), the type breaking ties.
 */
export function compareInterfaceNames(a: string, b: string): number {
  const ta = interfaceTypeOf(a);
  const tb = interfaceTypeOf(b);
  const ra = ta ? (interfaceTypeOrder[ta.full] ?? 99) : 99;
  const rb = tb ? (interfaceTypeOrder[tb.full] ?? 99) : 99;
  const va = ta?.virtual ?? false;
  const vb = tb?.virtual ?? false;
  if (va !== vb) return va ? -1 : 1;
  if (va && ra !== rb) return ra - rb;
  const byNumber = compareNumberLists(numberParts(a), numberParts(b));
  if (byNumber !== 0) return byNumber;
  return ra - rb || (a < b ? -1 : a > b ? 1 : 0);
}

/** Sorted copy in IOS order. */
export function sortInterfaceNames(names: readonly string[]): string[] {
  return [...names].sort(compareInterfaceNames);
}
