/**
 * A generic IOS command-grammar engine. Specs describe commands in a small DSL; a tree compiles them once into
 * a trie and matches typed lines the way the IOS parser does: keywords by case-insensitive unique prefix (an
 * exact keyword beats prefixes), keywords before parameters, and on failure the furthest point the line got
 * to (the caret column), `% Incomplete command.` or `% Ambiguous command:`.
 */
import { lengthFromMask, parseIpv4 } from '../net/ipv4-address';
import { INTERFACE_TYPES, interfaceNumber, splitInterfaceToken } from './interface-names';

export type ParamType = 'ipv4' | 'mask' | 'wildcard' | 'int' | 'word' | 'line' | 'interface' | 'hex';

export interface CommandSpec<C> {
  /** DSL: plain words are keywords; <name:type> or <name:int:1-65535> are params; [ ... ] optional; ( a | b ) alternatives; may nest. */
  syntax: string;
  /** Help text shown by `?` for keywords and params, keyed by keyword or param name. */
  help?: Record<string, string>;
  /** Accepts a leading `no` (config commands; default true in config modes, false otherwise). */
  noForm?: boolean;
  /** Syntax of the `no` form when it differs (IOS usually lets trailing arguments go: `no ip address`). */
  noSyntax?: string;
  run: (ctx: C, m: CommandMatch) => void;
}

export interface CommandMatch {
  readonly negated: boolean;
  /** Canonical (full) keywords that matched, in order. */
  readonly keywords: readonly string[];
  has(keyword: string): boolean;
  /** Param values by name: ipv4/mask/wildcard -> number (Ipv4), int -> number, word/line/hex -> string, interface -> canonical interface name string. */
  readonly params: Readonly<Record<string, string | number>>;
  /** 0-based column in the input line where each param started (for diagnostics about a value). */
  readonly columns: Readonly<Record<string, number>>;
}

export type MatchResult<C> =
  | { kind: 'ok'; spec: CommandSpec<C>; match: CommandMatch }
  | { kind: 'empty' }
  | { kind: 'invalid'; column: number } // 0-based column of the offending token in the input line
  | { kind: 'incomplete' }
  | { kind: 'ambiguous'; input: string };

export interface CommandTreeOptions {
  /** Config modes: specs accept `no` unless they say otherwise. */
  readonly noFormDefault?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// DSL

interface KeywordElem {
  readonly kind: 'kw';
  readonly word: string;
}

interface ParamElem {
  readonly kind: 'param';
  readonly name: string;
  readonly type: ParamType;
  readonly min?: number;
  readonly max?: number;
}

type Elem = KeywordElem | ParamElem;

type Ast =
  Elem | { kind: 'seq'; items: Ast[] } | { kind: 'opt'; body: Ast } | { kind: 'alt'; options: Ast[] };

const PARAM_TYPES: readonly ParamType[] = [
  'ipv4',
  'mask',
  'wildcard',
  'int',
  'word',
  'line',
  'interface',
  'hex',
];

function parseParam(token: string, syntax: string): ParamElem {
  const [name = '', type = 'word', range] = token.slice(1, -1).split(':');
  if (!PARAM_TYPES.includes(type as ParamType)) throw new Error(`bad param type in "${syntax}": ${token}`);
  if (range === undefined) return { kind: 'param', name, type: type as ParamType };
  const m = /^(\d+)-(\d+)$/.exec(range);
  if (!m) throw new Error(`bad range in "${syntax}": ${token}`);
  return { kind: 'param', name, type: type as ParamType, min: Number(m[1]), max: Number(m[2]) };
}

/** Recursive-descent parser of the DSL into an AST. */
function parseSyntax(syntax: string): Ast {
  const tokens = syntax.match(/<[^>]+>|[[\]()|]|[^\s[\]()|<>]+/g) ?? [];
  let pos = 0;
  const seq = (): Ast => {
    const options: Ast[] = [];
    let items: Ast[] = [];
    for (;;) {
      const t = tokens[pos];
      if (t === undefined || t === ']' || t === ')') break;
      pos++;
      if (t === '|') {
        options.push({ kind: 'seq', items });
        items = [];
      } else if (t === '[') {
        items.push({ kind: 'opt', body: seq() });
        if (tokens[pos++] !== ']') throw new Error(`unbalanced [ in "${syntax}"`);
      } else if (t === '(') {
        items.push(seq());
        if (tokens[pos++] !== ')') throw new Error(`unbalanced ( in "${syntax}"`);
      } else if (t.startsWith('<')) {
        items.push(parseParam(t, syntax));
      } else {
        items.push({ kind: 'kw', word: t });
      }
    }
    const last: Ast = { kind: 'seq', items };
    return options.length === 0 ? last : { kind: 'alt', options: [...options, last] };
  };
  const ast = seq();
  if (pos !== tokens.length) throw new Error(`unbalanced brackets in "${syntax}"`);
  return ast;
}

/** Every concrete path (keyword/param sequence) the AST allows. */
function expand(ast: Ast): Elem[][] {
  switch (ast.kind) {
    case 'kw':
    case 'param':
      return [[ast]];
    case 'opt':
      return [[], ...expand(ast.body)];
    case 'alt':
      return ast.options.flatMap(expand);
    case 'seq':
      return ast.items.reduce<Elem[][]>(
        (paths, item) => {
          const tails = expand(item);
          return paths.flatMap((p) => tails.map((t) => [...p, ...t]));
        },
        [[]],
      );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Trie

interface KeywordEdge {
  readonly word: string;
  help: string;
  readonly child: TrieNode;
  /** The `no` edge at the root: marks the match as negated and is not a keyword of the command. */
  readonly negates: boolean;
}

interface ParamEdge {
  readonly param: ParamElem;
  help: string;
  readonly child: TrieNode;
}

interface TrieNode {
  /** Keyed by lower-case keyword. */
  readonly keywords: Map<string, KeywordEdge>;
  readonly params: ParamEdge[];
  spec?: CommandSpec<never>;
}

function newNode(): TrieNode {
  return { keywords: new Map(), params: [] };
}

function sameParam(a: ParamElem, b: ParamElem): boolean {
  return a.name === b.name && a.type === b.type && a.min === b.min && a.max === b.max;
}

function insertPath(root: TrieNode, path: readonly Elem[], spec: CommandSpec<never>): void {
  let node = root;
  const help = spec.help ?? {};
  for (const elem of path) {
    if (elem.kind === 'kw') {
      const key = elem.word.toLowerCase();
      let edge = node.keywords.get(key);
      if (!edge) {
        edge = { word: elem.word, help: help[elem.word] ?? '', child: newNode(), negates: false };
        node.keywords.set(key, edge);
      } else if (edge.help === '' && help[elem.word]) edge.help = help[elem.word] ?? '';
      node = edge.child;
    } else {
      let edge = node.params.find((e) => sameParam(e.param, elem));
      if (!edge) {
        edge = { param: elem, help: help[elem.name] ?? '', child: newNode() };
        node.params.push(edge);
      } else if (edge.help === '' && help[elem.name]) edge.help = help[elem.name] ?? '';
      node = edge.child;
    }
  }
  // Two specs with the same path: the first one wins (as a duplicate IOS parse node would never be reached).
  node.spec ??= spec;
}

// ---------------------------------------------------------------------------------------------------------
// Matching

interface Token {
  readonly text: string;
  readonly start: number;
}

function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  for (const m of line.matchAll(/\S+/g)) tokens.push({ text: m[0], start: m.index });
  return tokens;
}

type Failure =
  { kind: 'invalid'; column: number } | { kind: 'incomplete' } | { kind: 'ambiguous'; column: number };

interface ParamValue {
  readonly value: string | number;
  /** Index of the next token. */
  readonly next: number;
}

/** A param that got partway: a bare interface type at the end of the line, or followed by a bad number. */
type ParamFailure = { readonly failure: Failure };

function matchParam(
  p: ParamElem,
  tokens: readonly Token[],
  i: number,
  line: string,
): ParamValue | ParamFailure | undefined {
  const tok = tokens[i];
  if (!tok) return undefined;
  const text = tok.text;
  switch (p.type) {
    case 'ipv4':
    case 'wildcard': {
      const a = parseIpv4(text);
      return a === undefined ? undefined : { value: a, next: i + 1 };
    }
    case 'mask': {
      const a = parseIpv4(text);
      return a === undefined || lengthFromMask(a) === undefined ? undefined : { value: a, next: i + 1 };
    }
    case 'int': {
      if (!/^\d+$/.test(text)) return undefined;
      const n = Number(text);
      if ((p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max)) return undefined;
      return { value: n, next: i + 1 };
    }
    case 'hex':
      return /^(0x)?[0-9a-f]+$/i.test(text) ? { value: text, next: i + 1 } : undefined;
    case 'word':
      return { value: text, next: i + 1 };
    case 'line':
      return { value: line.slice(tok.start).trimEnd(), next: tokens.length };
    case 'interface':
      return matchInterface(tokens, i);
  }
}

/** `Fa1/0` in one token, or `FastEthernet` `1/0` in two (IOS accepts both). */
function matchInterface(tokens: readonly Token[], i: number): ParamValue | ParamFailure | undefined {
  const head = splitInterfaceToken(tokens[i]?.text ?? '');
  if (!head) return undefined;
  if (head.number !== undefined) return { value: head.type.full + head.number, next: i + 1 };
  const numberToken = tokens[i + 1];
  if (!numberToken) return { failure: { kind: 'incomplete' } };
  const number = interfaceNumber(head.type, numberToken.text);
  if (number === undefined) return { failure: { kind: 'invalid', column: numberToken.start } };
  return { value: head.type.full + number, next: i + 2 };
}

interface Walk {
  readonly tokens: readonly Token[];
  readonly line: string;
  readonly keywords: string[];
  readonly params: Record<string, string | number>;
  readonly columns: Record<string, number>;
  negated: boolean;
}

/** How far a failure got: the furthest failure is the one IOS reports. */
function rank(f: Failure, lineLength: number): number {
  return f.kind === 'incomplete' ? lineLength + 1 : f.column;
}

interface Candidate {
  readonly child: TrieNode;
  readonly next: number;
  readonly keyword?: KeywordEdge;
  readonly param?: { readonly name: string; readonly value: string | number; readonly column: number };
}

/** Keyword candidates for one token: the exact keyword, else the unique prefix; several prefixes: ambiguous. */
function keywordCandidates(node: TrieNode, text: string): KeywordEdge[] | 'ambiguous' {
  const lower = text.toLowerCase();
  const exact = node.keywords.get(lower);
  if (exact) return [exact];
  const prefixed = [...node.keywords.values()].filter((e) => e.word.toLowerCase().startsWith(lower));
  return prefixed.length > 1 ? 'ambiguous' : prefixed;
}

/** Ways to consume token `i` (keywords first), and the failures of params that got partway. */
function candidates(
  node: TrieNode,
  w: Walk,
  i: number,
): { cands: Candidate[]; failures: Failure[] } | 'ambiguous' {
  const tok = w.tokens[i];
  if (!tok) return { cands: [], failures: [] };
  const kws = keywordCandidates(node, tok.text);
  if (kws === 'ambiguous') return 'ambiguous';
  const cands: Candidate[] = kws.map((e) => ({ child: e.child, next: i + 1, keyword: e }));
  const failures: Failure[] = [];
  for (const e of node.params) {
    const v = matchParam(e.param, w.tokens, i, w.line);
    if (v === undefined) continue;
    if ('failure' in v) failures.push(v.failure);
    else
      cands.push({
        child: e.child,
        next: v.next,
        param: { name: e.param.name, value: v.value, column: tok.start },
      });
  }
  return { cands, failures };
}

/** Depth-first search with backtracking; keywords are tried before params. */
function walk(node: TrieNode, i: number, w: Walk): CommandSpec<never> | Failure {
  const tok = w.tokens[i];
  if (!tok) return node.spec ?? { kind: 'incomplete' };
  const found = candidates(node, w, i);
  if (found === 'ambiguous') return { kind: 'ambiguous', column: tok.start };
  let best: Failure = { kind: 'invalid', column: tok.start };
  for (const f of found.failures) if (rank(f, w.line.length) > rank(best, w.line.length)) best = f;
  for (const c of found.cands) {
    apply(c, w);
    const r = walk(c.child, c.next, w);
    if (!('kind' in r)) return r;
    undo(c, w);
    if (rank(r, w.line.length) > rank(best, w.line.length)) best = r;
  }
  return best;
}

// `apply` and `undo` are a pair of plain functions, not an undo closure per candidate tried: a config load
// walks every line of every router's config (issue 18, bench/RESULTS.md).

function apply(c: Candidate, w: Walk): void {
  if (c.keyword?.negates) w.negated = true;
  else if (c.keyword) w.keywords.push(c.keyword.word);
  else if (c.param) {
    w.params[c.param.name] = c.param.value;
    w.columns[c.param.name] = c.param.column;
  }
}

function undo(c: Candidate, w: Walk): void {
  if (c.keyword?.negates) w.negated = false;
  else if (c.keyword) w.keywords.pop();
  else if (c.param) {
    delete w.params[c.param.name];
    delete w.columns[c.param.name];
  }
}

function makeMatch(w: Walk): CommandMatch {
  const keywords = [...w.keywords];
  const lower = new Set(keywords.map((k) => k.toLowerCase()));
  return {
    negated: w.negated,
    keywords,
    has: (k: string) => lower.has(k.toLowerCase()),
    params: { ...w.params },
    columns: { ...w.columns },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Help

function paramHelpWord(p: ParamElem): string {
  switch (p.type) {
    case 'ipv4':
    case 'mask':
    case 'wildcard':
      return 'A.B.C.D';
    case 'int':
      return p.min !== undefined && p.max !== undefined ? `<${p.min}-${p.max}>` : '<0-4294967295>';
    case 'word':
      return 'WORD';
    case 'line':
      return 'LINE';
    case 'hex':
      return 'Hex-string';
    case 'interface':
      return 'interface';
  }
}

export class CommandTree<C> {
  private readonly root: TrieNode = newNode();

  constructor(specs: readonly CommandSpec<C>[], options: CommandTreeOptions = {}) {
    const noRoot = newNode();
    for (const spec of specs) {
      const s = spec as unknown as CommandSpec<never>;
      for (const path of expand(parseSyntax(spec.syntax))) insertPath(this.root, path, s);
      if (spec.noForm ?? options.noFormDefault ?? false) {
        for (const path of expand(parseSyntax(spec.noSyntax ?? spec.syntax))) insertPath(noRoot, path, s);
      }
    }
    if (noRoot.keywords.size > 0 || noRoot.params.length > 0) {
      this.root.keywords.set('no', {
        word: 'no',
        help: 'Negate a command or set its defaults',
        child: noRoot,
        negates: true,
      });
    }
  }

  match(line: string): MatchResult<C> {
    const tokens = tokenize(line);
    if (tokens.length === 0) return { kind: 'empty' };
    const w: Walk = { tokens, line, keywords: [], params: {}, columns: {}, negated: false };
    const r = walk(this.root, 0, w);
    if (!('kind' in r)) return { kind: 'ok', spec: r as unknown as CommandSpec<C>, match: makeMatch(w) };
    if (r.kind === 'ambiguous') return { kind: 'ambiguous', input: line.trim() };
    return r;
  }

  /** Nodes reached by consuming every token of `tokens` (all readings, as IOS help does). */
  private reach(tokens: readonly Token[], line: string): { nodes: TrieNode[]; pendingType?: string } {
    let states: { node: TrieNode; i: number }[] = [{ node: this.root, i: 0 }];
    const done: TrieNode[] = [];
    let pendingType: string | undefined;
    const w: Walk = { tokens, line, keywords: [], params: {}, columns: {}, negated: false };
    while (states.length > 0) {
      const nextStates: { node: TrieNode; i: number }[] = [];
      for (const s of states) {
        if (s.i === tokens.length) {
          done.push(s.node);
          continue;
        }
        const found = candidates(s.node, w, s.i);
        if (found === 'ambiguous') continue;
        for (const c of found.cands) nextStates.push({ node: c.child, i: c.next });
        // `interface Loopback ` : the type is typed, the number comes next.
        const head = splitInterfaceToken(tokens[s.i]?.text ?? '');
        if (s.i === tokens.length - 1 && head && head.number === undefined) {
          if (s.node.params.some((e) => e.param.type === 'interface')) pendingType = head.type.full;
        }
      }
      states = nextStates;
    }
    return { nodes: done, pendingType };
  }

  /** `?` help: for "show ip " lists next tokens; for "show i" lists keywords starting with i. */
  help(partialLine: string): { word: string; help: string }[] {
    const tokens = tokenize(partialLine);
    const partial = /\s$/.test(partialLine) || tokens.length === 0 ? undefined : tokens.pop();
    const { nodes, pendingType } = this.reach(tokens, partialLine);
    const out = new Map<string, { word: string; help: string }>();
    const add = (word: string, help: string): void => {
      if (!out.has(word + '\0' + help)) out.set(word + '\0' + help, { word, help });
    };
    if (partial) {
      const lower = partial.text.toLowerCase();
      for (const n of nodes) {
        for (const e of n.keywords.values()) if (e.word.toLowerCase().startsWith(lower)) add(e.word, e.help);
        if (n.params.some((e) => e.param.type === 'interface')) {
          for (const t of INTERFACE_TYPES) if (t.full.toLowerCase().startsWith(lower)) add(t.full, t.help);
        }
      }
      return [...out.values()].sort((a, b) => a.word.localeCompare(b.word));
    }
    if (pendingType) {
      const type = INTERFACE_TYPES.find((t) => t.full === pendingType);
      add(type?.virtual ? '<0-2147483647>' : '<0-9>', `${pendingType} interface number`);
    }
    const keywords: { word: string; help: string }[] = [];
    const params: { word: string; help: string }[] = [];
    let terminal = false;
    for (const n of nodes) {
      for (const e of n.keywords.values()) keywords.push({ word: e.word, help: e.help });
      for (const e of n.params) {
        if (e.param.type === 'interface') {
          for (const t of INTERFACE_TYPES) keywords.push({ word: t.full, help: t.help });
        } else params.push({ word: paramHelpWord(e.param), help: e.help });
      }
      terminal ||= n.spec !== undefined;
    }
    keywords.sort((a, b) => a.word.localeCompare(b.word));
    for (const h of [...keywords, ...params]) add(h.word, h.help);
    if (terminal) add('<cr>', '');
    return [...out.values()];
  }

  /** Tab: returns the completed line (e.g. "sh" -> "show ") or undefined when not unique. */
  complete(partialLine: string): string | undefined {
    if (partialLine.length === 0 || /\s$/.test(partialLine)) return undefined;
    const tokens = tokenize(partialLine);
    const partial = tokens.pop();
    if (!partial) return undefined;
    const { nodes } = this.reach(tokens, partialLine);
    const lower = partial.text.toLowerCase();
    const words = new Set<string>();
    for (const n of nodes) {
      const exact = n.keywords.get(lower);
      if (exact) words.add(exact.word);
      else for (const e of n.keywords.values()) if (e.word.toLowerCase().startsWith(lower)) words.add(e.word);
      if (n.params.some((e) => e.param.type === 'interface')) {
        for (const t of INTERFACE_TYPES) if (t.full.toLowerCase().startsWith(lower)) words.add(t.full);
      }
    }
    if (words.size !== 1) return undefined;
    const [word = ''] = words;
    return partialLine.slice(0, partial.start) + word + ' ';
  }
}

/** IOS's diagnostic lines for a failed match, e.g. ['                       ^', "% Invalid input detected at '^' marker."] given the prompt length so the caret sits under the bad word. */
export function diagnosticLines<C>(result: MatchResult<C>, _line: string, promptLength: number): string[] {
  switch (result.kind) {
    case 'ok':
    case 'empty':
      return [];
    case 'invalid':
      return [' '.repeat(promptLength + result.column) + '^', "% Invalid input detected at '^' marker."];
    case 'incomplete':
      return ['% Incomplete command.'];
    case 'ambiguous':
      return [`% Ambiguous command:  "${result.input}"`];
  }
}

/** IOS's one-line message for a failed match (the text of a config-load diagnostic). */
export function diagnosticMessage<C>(result: MatchResult<C>): string {
  const lines = diagnosticLines(result, '', 0);
  return lines[lines.length - 1] ?? '';
}
