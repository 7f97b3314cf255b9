/**
 * Cisco IOS regular expressions, as the output modifiers (`| include`, `| begin` …) and BGP AS-path filters
 * read them. Source: Cisco, "Regular Expressions" appendix of the Cisco IOS Terminal Services / Configuration
 * Fundamentals guides ("Cisco Regular Expression Pattern Matching Characters"), and "Using the Cisco IOS
 * Command-Line Interface: Searching and Filtering Output" (cf-cli-search):
 *   .  any single character, including white space      *  0 or more of the preceding
 *   +  1 or more of the preceding                       ?  0 or 1 of the preceding
 *   ^  beginning of the string                          $  end of the string
 *   _  a comma (,), left brace ({), right brace (}), left parenthesis, right parenthesis, the beginning of
 *      the string, the end of the string, or a space
 *   [] a range of single characters ([^…] inverts it)   |  alternation
 *   () grouping (a multiplier applies to the group)     \  removes the special meaning of the next character
 * Matching is case sensitive and unanchored ("Regular expressions are case sensitive").
 *
 * The pattern is compiled to a Thompson NFA and simulated state-set by state-set: the time is linear in the
 * line length whatever the pattern, so no typed pattern can stall the console (a backtracking engine, such as
 * JavaScript's RegExp, takes exponential time on `(a*)*b`).
 */

/** A pattern IOS refuses; `column` is the 0-based offset in the pattern of the offending character. */
export class IosRegexError extends Error {
  readonly column: number;
  constructor(message: string, column: number) {
    super(message);
    this.column = column;
  }
}

type CharTest = (c: string) => boolean;

type Node =
  | { readonly kind: 'char'; readonly test: CharTest }
  | { readonly kind: 'bol' }
  | { readonly kind: 'eol' }
  | { readonly kind: 'concat'; readonly parts: Node[] }
  | { readonly kind: 'alt'; readonly options: Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: 0 | 1; readonly many: boolean };

/** The characters `_` stands for besides the start and end of the string (IOS: , { } ( ) and space). */
const DELIMITERS = new Set([',', '{', '}', '(', ')', ' ']);

class Parser {
  private i = 0;
  private readonly src: string;
  constructor(src: string) {
    this.src = src;
  }

  parse(): Node {
    const node = this.alternation();
    if (this.i < this.src.length) throw new IosRegexError('unmatched )', this.i);
    return node;
  }

  private alternation(): Node {
    const options = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(): Node {
    const parts: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      parts.push(this.repeated());
    }
    return { kind: 'concat', parts };
  }

  private repeated(): Node {
    const start = this.i;
    let node = this.atom();
    while (this.i < this.src.length && '*+?'.includes(this.src[this.i]!)) {
      const op = this.src[this.i++]!;
      if (node.kind === 'bol' || node.kind === 'eol') throw new IosRegexError('nothing to repeat', start);
      node = { kind: 'repeat', node, min: op === '+' ? 1 : 0, many: op !== '?' };
    }
    return node;
  }

  private atom(): Node {
    const at = this.i;
    const c = this.src[this.i++]!;
    switch (c) {
      case '.':
        return { kind: 'char', test: () => true };
      case '^':
        return { kind: 'bol' };
      case '$':
        return { kind: 'eol' };
      case '_':
        return {
          kind: 'alt',
          options: [{ kind: 'char', test: (x) => DELIMITERS.has(x) }, { kind: 'bol' }, { kind: 'eol' }],
        };
      case '*':
      case '+':
      case '?':
        throw new IosRegexError('nothing to repeat', at);
      case '(': {
        const inner = this.alternation();
        if (this.src[this.i] !== ')') throw new IosRegexError('unmatched (', at);
        this.i++;
        return inner;
      }
      case '[':
        return this.bracket(at);
      case '\\': {
        if (this.i >= this.src.length) throw new IosRegexError('trailing backslash', at);
        const literal = this.src[this.i++]!;
        return { kind: 'char', test: (x) => x === literal };
      }
      default:
        return { kind: 'char', test: (x) => x === c };
    }
  }

  /** `[a-dA-D\-\]]`, `[^\]d]`: ranges, and `\` to take `-` or `]` literally (IOS's examples). */
  private bracket(at: number): Node {
    let negate = false;
    if (this.src[this.i] === '^') {
      negate = true;
      this.i++;
    }
    const ranges: [string, string][] = [];
    let first = true;
    while (this.i < this.src.length && (this.src[this.i] !== ']' || first)) {
      first = false;
      const lo = this.bracketChar(at);
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== undefined && this.src[this.i + 1] !== ']') {
        this.i++;
        const hi = this.bracketChar(at);
        if (hi < lo) throw new IosRegexError('invalid range', at);
        ranges.push([lo, hi]);
      } else ranges.push([lo, lo]);
    }
    if (this.src[this.i] !== ']') throw new IosRegexError('unmatched [', at);
    this.i++;
    const inSet = (x: string): boolean => ranges.some(([lo, hi]) => x >= lo && x <= hi);
    return { kind: 'char', test: negate ? (x) => !inSet(x) : inSet };
  }

  private bracketChar(at: number): string {
    const c = this.src[this.i++]!;
    if (c !== '\\') return c;
    if (this.i >= this.src.length) throw new IosRegexError('unmatched [', at);
    return this.src[this.i++]!;
  }
}

// ---- Thompson NFA -----------------------------------------------------------------------------------------

type State =
  | { kind: 'char'; test: CharTest; out: number }
  | { kind: 'split'; out: number[] }
  | { kind: 'bol'; out: number }
  | { kind: 'eol'; out: number }
  | { kind: 'match' };

class NfaBuilder {
  readonly states: State[] = [];

  /** Compiles `node` so that it continues to state `next`; returns its entry state. */
  build(node: Node, next: number): number {
    switch (node.kind) {
      case 'char':
        return this.add({ kind: 'char', test: node.test, out: next });
      case 'bol':
      case 'eol':
        return this.add({ kind: node.kind, out: next });
      case 'concat':
        return node.parts.reduceRight((to, part) => this.build(part, to), next);
      case 'alt':
        return this.add({ kind: 'split', out: node.options.map((o) => this.build(o, next)) });
      case 'repeat':
        return this.repeat(node, next);
    }
  }

  private repeat(node: Extract<Node, { kind: 'repeat' }>, next: number): number {
    if (!node.many) {
      return this.add({ kind: 'split', out: [this.build(node.node, next), next] });
    }
    // loop: split(body → loop, next); `+` enters the body first, `*` the loop.
    const loop = this.add({ kind: 'split', out: [] });
    const body = this.build(node.node, loop);
    (this.states[loop] as { out: number[] }).out = [body, next];
    return node.min === 1 ? body : loop;
  }

  add(s: State): number {
    this.states.push(s);
    return this.states.length - 1;
  }
}

/** A compiled IOS regular expression. */
export class IosRegex {
  private readonly states: State[];
  private readonly start: number;

  /** Compiles `pattern`; throws `IosRegexError` for a pattern IOS refuses. */
  constructor(pattern: string) {
    const ast = new Parser(pattern).parse();
    const b = new NfaBuilder();
    const match = b.add({ kind: 'match' });
    this.start = b.build(ast, match);
    this.states = b.states;
  }

  /** True when the pattern matches anywhere in `line` (IOS output filters are unanchored). */
  test(line: string): boolean {
    let current = new Set<number>();
    for (let pos = 0; pos <= line.length; pos++) {
      // Unanchored search: a new attempt may start at every position.
      if (this.closure(this.start, pos, line, current)) return true;
      for (const s of current) if (this.states[s]!.kind === 'match') return true;
      if (pos === line.length) break;
      const c = line[pos]!;
      const next = new Set<number>();
      for (const s of current) {
        const st = this.states[s]!;
        if (st.kind === 'char' && st.test(c) && this.closure(st.out, pos + 1, line, next)) return true;
      }
      current = next;
    }
    return false;
  }

  /** Adds `s` and the states reachable from it without reading a character; true if one is the match. */
  private closure(s: number, pos: number, line: string, into: Set<number>): boolean {
    const stack = [s];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (into.has(i)) continue;
      into.add(i);
      const st = this.states[i]!;
      if (st.kind === 'match') return true;
      if (st.kind === 'split') stack.push(...st.out);
      else if (st.kind === 'bol' && pos === 0) stack.push(st.out);
      else if (st.kind === 'eol' && pos === line.length) stack.push(st.out);
    }
    return false;
  }
}
