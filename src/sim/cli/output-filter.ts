/**
 * IOS output modifiers: `show … | include|exclude|begin|section|count <regex>`. Source: Cisco, "Using the
 * Cisco IOS Command-Line Interface", section "Searching and Filtering show Command Output" (cf-cli-search):
 * "| {begin | include | exclude} regular-expression"; begin shows output "beginning with the line that
 * matches", include "lines that contain a match", exclude "lines that do not contain a match"; `section`
 * "Filter a section of output", `count` "Count number of lines which match regular expression". The regex
 * takes the rest of the line (a `|` inside it is alternation), as in `show run | include ip|interface`.
 */
import { CommandTree, type CommandMatch } from '../config/grammar';
import { IosRegex, IosRegexError } from './ios-regex';

export type OutputModifier = 'begin' | 'exclude' | 'include' | 'section' | 'count';

export interface OutputFilter {
  readonly modifier: OutputModifier;
  readonly regex: IosRegex;
}

interface FilterContext {
  result?: { modifier: OutputModifier; pattern: string };
}

/** IOS 15's `?` list after `|` (the five GETLab implements; append/redirect/tee/format write to files). */
const MODIFIER_HELP: Record<OutputModifier, string> = {
  begin: 'Begin with the line that matches',
  count: 'Count number of lines which match regular expression',
  exclude: 'Exclude lines that match',
  include: 'Include lines that match',
  section: 'Filter a section of output',
};

const filterTree = new CommandTree<FilterContext>(
  (Object.keys(MODIFIER_HELP) as OutputModifier[]).map((modifier) => ({
    syntax: `${modifier} <regex:line>`,
    help: { [modifier]: MODIFIER_HELP[modifier], regex: 'Regular Expression' },
    run: (ctx: FilterContext, m: CommandMatch) => {
      ctx.result = { modifier, pattern: String(m.params['regex']) };
    },
  })),
);

/** Splits `show x | include y` at the first `|` that starts a word: the command and the modifier text. */
export function splitPipe(line: string): { command: string; modifier?: string; modifierColumn: number } {
  const m = /(^|\s)\|/.exec(line);
  if (!m) return { command: line, modifierColumn: line.length };
  const bar = m.index + m[1]!.length;
  return { command: line.slice(0, bar), modifier: line.slice(bar + 1), modifierColumn: bar + 1 };
}

export type FilterParse =
  | { kind: 'ok'; filter: OutputFilter }
  | { kind: 'invalid'; column: number }
  | { kind: 'incomplete' }
  | { kind: 'ambiguous'; input: string }
  | { kind: 'regex'; message: string };

/** Parses the text after `|` (`inc Tunnel`, `s router`); columns are relative to that text. */
export function parseFilter(text: string): FilterParse {
  const r = filterTree.match(text);
  if (r.kind === 'empty' || r.kind === 'incomplete') return { kind: 'incomplete' };
  if (r.kind === 'invalid') return { kind: 'invalid', column: r.column };
  if (r.kind === 'ambiguous') return { kind: 'ambiguous', input: r.input };
  const ctx: FilterContext = {};
  r.spec.run(ctx, r.match);
  const { modifier, pattern } = ctx.result!;
  try {
    return { kind: 'ok', filter: { modifier, regex: new IosRegex(pattern) } };
  } catch (e) {
    // [M] IOS's wording for a pattern it cannot compile: no published output found (Cisco's CLI String
    // Search chapter documents the syntax, not this error; genieparser and issue threads have no instance).
    if (e instanceof IosRegexError) return { kind: 'regex', message: '% Invalid regular expression' };
    throw e;
  }
}

/** `?` after `|`: the modifiers, or `LINE` for the expression. */
export function filterHelp(text: string): { word: string; help: string }[] {
  return filterTree.help(text);
}

/** Tab after `|`: `inc` → `include `. */
export function completeFilter(text: string): string | undefined {
  return filterTree.complete(text);
}

/** Applies the modifier to a command's output lines. */
export function applyFilter(filter: OutputFilter, output: string): string {
  const lines = output === '' ? [] : output.split('\n');
  const re = filter.regex;
  switch (filter.modifier) {
    case 'include':
      return lines.filter((l) => re.test(l)).join('\n');
    case 'exclude':
      return lines.filter((l) => !re.test(l)).join('\n');
    case 'begin': {
      const at = lines.findIndex((l) => re.test(l));
      return at < 0 ? '' : lines.slice(at).join('\n');
    }
    case 'count':
      return `Number of lines which match regexp = ${lines.filter((l) => re.test(l)).length}`;
    case 'section':
      return section(lines, re).join('\n');
  }
}

/**
 * A line that matches and the lines indented under it (the running-config's `interface Tunnel10` and its
 * commands). A matching indented line comes alone when nothing is indented under it: `| section ospf`
 * prints `router ospf 1` with its block and an interface's ` ip ospf cost 10` line by itself.
 */
function section(lines: readonly string[], re: IosRegex): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (!re.test(line)) {
      i++;
      continue;
    }
    out.push(line);
    const depth = indent(line);
    i++;
    while (i < lines.length && indent(lines[i]!) > depth) out.push(lines[i++]!);
  }
  return out;
}

function indent(line: string): number {
  return /^ */.exec(line)![0].length;
}
