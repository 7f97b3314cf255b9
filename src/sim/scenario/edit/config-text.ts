/**
 * Line edits on a device's config text: the editor writes into the text the user (or a template) wrote, keeping
 * its comments and spelling. Which interface a line belongs to is decided by a config session reading the text
 * as the router does (IOS changes mode by command, not by indentation: GM-2's unindented `ip address` in the
 * article is still under `interface Serial 1/0`).
 */
import { emptyRouterConfig } from '../../config/model';
import { ConfigSession } from '../../config/session';

/** The interface each line is in after the router reads it (undefined: not in interface mode). */
export function lineInterfaces(lines: readonly string[]): (string | undefined)[] {
  const session = new ConfigSession(emptyRouterConfig());
  return lines.map((line) => {
    const r = session.apply(line);
    if (r.kind === 'end') session.end();
    const frame = session.frame;
    return frame.mode === 'interface' ? frame.name : undefined;
  });
}

export function splitLines(config: string): string[] {
  return config.split(/\r?\n/);
}

/** The index of the last `end` line, where global lines are added before (the text's end if none). */
function endIndex(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if ((lines[i] ?? '').trim() === 'end') return i;
  let last = lines.length;
  while (last > 0 && (lines[last - 1] ?? '').trim() === '') last--;
  return last;
}

/** The [first, last] line indexes of `iface`'s block, first being its `interface` line. */
function interfaceBlock(lines: readonly string[], iface: string): [number, number] | undefined {
  const modes = lineInterfaces(lines);
  const first = modes.findIndex((m) => m === iface);
  if (first < 0) return undefined;
  let last = first;
  while (last + 1 < lines.length && modes[last + 1] === iface) last++;
  // The block's closing `!` (or blank lines) belongs to it too.
  return [first, last];
}

const IP_ADDRESS = /^\s*ip\s+address\s/i;

/**
 * Gives `iface` the address (`ip address A M`): replaces the address lines of its block, or adds the block
 * before `end`. The interface name is written in its canonical form.
 */
export function setInterfaceAddress(config: string, iface: string, address: string, mask: string): string {
  const lines = splitLines(config);
  const line = ` ip address ${address} ${mask}`;
  const block = interfaceBlock(lines, iface);
  if (!block) return addInterfaceBlock(config, iface, [line]);
  const [first, last] = block;
  const body = lines.slice(first + 1, last + 1).filter((l) => !IP_ADDRESS.test(l));
  // After the description, where the article writes it.
  const at = body.findIndex((l) => !/^\s*description\s/i.test(l));
  body.splice(at < 0 ? body.length : at, 0, line);
  return [...lines.slice(0, first + 1), ...body, ...lines.slice(last + 1)].join('\n');
}

/** Adds a line at the end of `iface`'s block (before its closing `!`); the block is added if missing. */
export function addInterfaceLine(config: string, iface: string, line: string): string {
  const lines = splitLines(config);
  const block = interfaceBlock(lines, iface);
  if (!block) return addInterfaceBlock(config, iface, [line]);
  const [first, last] = block;
  let at = last;
  while (at > first && /^\s*(!.*)?$/.test(lines[at] ?? '')) at--;
  return [...lines.slice(0, at + 1), line, ...lines.slice(at + 1)].join('\n');
}

/** Sets (or adds) the `description` of `iface`. */
export function setInterfaceDescription(config: string, iface: string, description: string): string {
  const lines = splitLines(config);
  const block = interfaceBlock(lines, iface);
  if (!block) return addInterfaceBlock(config, iface, [` description ${description}`]);
  const [first, last] = block;
  const body = lines.slice(first + 1, last + 1).filter((l) => !/^\s*description\s/i.test(l));
  return [
    ...lines.slice(0, first + 1),
    ` description ${description}`,
    ...body,
    ...lines.slice(last + 1),
  ].join('\n');
}

/** True when the config has an `interface` block for `iface`. */
export function hasInterfaceBlock(config: string, iface: string): boolean {
  return lineInterfaces(splitLines(config)).includes(iface);
}

/**
 * Adds `interface <iface>` with its body lines and a closing `!`: after the config's last interface block, where
 * IOS lists interfaces (before `end` when it has none).
 */
export function addInterfaceBlock(config: string, iface: string, body: readonly string[]): string {
  const lines = splitLines(config);
  const modes = lineInterfaces(lines);
  let last = -1;
  for (let i = 0; i < modes.length; i++) if (modes[i] !== undefined) last = i;
  const block = [`interface ${iface}`, ...body, '!'];
  if (last < 0) return addGlobalLines(config, block);
  // Comments and blank lines read in interface mode after the last block belong to what follows it.
  let after = last;
  const isRemark = (l: string): boolean => l.trim() === '' || (l.trim().startsWith('!') && l.trim() !== '!');
  while (after > 0 && isRemark(lines[after] ?? '')) after--;
  const closed = (lines[after] ?? '').trim() === '!';
  return [...lines.slice(0, after + 1), ...(closed ? [] : ['!']), ...block, ...lines.slice(after + 1)].join(
    '\n',
  );
}

/** Adds `ip route` lines after the config's last `ip route` (before `end` when it has none). */
export function addRouteLines(config: string, routes: readonly string[]): string {
  return addGlobalLinesAfter(config, (l) => /^ip\s+route\s/i.test(l), routes);
}

/** Adds global lines before the config's `end` (at its end when it has none). */
export function addGlobalLines(config: string, added: readonly string[]): string {
  const lines = splitLines(config);
  const at = endIndex(lines);
  return [...lines.slice(0, at), ...added, ...lines.slice(at)].join('\n');
}

/**
 * Adds global lines right after the last line of the config that `isAnchor` accepts (before `end` when none
 * does): a new `crypto isakmp key` goes beside the others.
 */
export function addGlobalLinesAfter(
  config: string,
  isAnchor: (line: string) => boolean,
  added: readonly string[],
): string {
  const lines = splitLines(config);
  let at = -1;
  for (let i = 0; i < lines.length; i++) if (isAnchor(lines[i] ?? '')) at = i;
  if (at < 0) return addGlobalLines(config, added);
  return [...lines.slice(0, at + 1), ...added, ...lines.slice(at + 1)].join('\n');
}

/** Sets the `hostname` line (adds it first when there is none). */
export function setHostname(config: string, name: string): string {
  const lines = splitLines(config);
  const modes = lineInterfaces(lines);
  const i = lines.findIndex((l, k) => modes[k] === undefined && /^\s*hostname(\s|$)/i.test(l));
  if (i < 0) return [`hostname ${name}`, ...lines].join('\n');
  return [...lines.slice(0, i), `hostname ${name}`, ...lines.slice(i + 1)].join('\n');
}

/** A name as a whole token: not part of a longer name (`GM-1` is not in `GM-10`). */
function tokenPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}(?=$|[^A-Za-z0-9_.-])`, 'g');
}

/** Renames `from` to `to` where a `description` line names it. */
export function renameInDescriptions(config: string, from: string, to: string): string {
  const pattern = tokenPattern(from);
  return splitLines(config)
    .map((l) => (/^\s*description\s/i.test(l) ? l.replace(pattern, (_m, pre: string) => `${pre}${to}`) : l))
    .join('\n');
}
