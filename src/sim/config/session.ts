/**
 * A configuration session (`configure terminal` until `end`): the mode stack and the model it edits. Lines
 * are matched in the current mode, then (as IOS does, which is what makes pasted configs work) in each parent
 * mode up to global; the mode that accepted the line becomes the current one.
 */
import type { ConfigArea, ConfigChange, ConfigContext, ConfigModeName, ModeFrame } from './context';
import type { MatchResult } from './grammar';
import { emptyRouterConfig, type RouterConfig } from './model';
import { modeDefinition, modeTree } from './modes';

export type FailedMatch = Extract<
  MatchResult<ConfigContext>,
  { kind: 'invalid' | 'incomplete' | 'ambiguous' }
>;

/** An interface a command named (`tunnel source serial 0/0`): the loader checks it exists. */
export interface InterfaceReference {
  readonly name: string;
  /** 0-based column of the name in the line. */
  readonly column: number;
}

export type ConfigLineResult =
  /** Accepted (or a blank/comment line, `ignored`). `output` holds what IOS prints for it, if anything. */
  | {
      readonly kind: 'ok';
      readonly mode: ConfigModeName;
      readonly output: readonly string[];
      readonly interfaceRefs: readonly InterfaceReference[];
      readonly ignored: boolean;
    }
  /** `end`, Ctrl-Z, or `exit` from global: leave configuration mode. */
  | { readonly kind: 'end' }
  /** `do <line>`: run `line` in exec mode; the session stays where it is. */
  | { readonly kind: 'do'; readonly line: string }
  /** Rejected in every mode tried; `mode` is the mode whose attempt got furthest (the one IOS reports). */
  | { readonly kind: 'error'; readonly mode: ConfigModeName; readonly result: FailedMatch };

export type ConfigChangeListener = (change: ConfigChange) => void;

function failureRank(r: FailedMatch, line: string): number {
  if (r.kind === 'incomplete') return line.length + 1;
  if (r.kind === 'invalid') return r.column;
  return line.length - line.trimStart().length;
}

export class ConfigSession {
  readonly model: RouterConfig;
  private stack: ModeFrame[] = [{ mode: 'global' }];
  private readonly listeners = new Set<ConfigChangeListener>();

  constructor(model: RouterConfig = emptyRouterConfig()) {
    this.model = model;
  }

  get frame(): ModeFrame {
    return this.stack[this.stack.length - 1] ?? { mode: 'global' };
  }

  get mode(): ConfigModeName {
    return this.frame.mode;
  }

  /** IOS prompt suffix of the current mode, e.g. `(config-if)`; the caller prefixes the hostname. */
  promptSuffix(): string {
    return modeDefinition(this.mode).prompt;
  }

  /** Registers a change listener; returns the function that removes it. */
  onChange(listener: ConfigChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ctrl-Z: back to global for the next `configure terminal`. */
  end(): void {
    this.stack = [{ mode: 'global' }];
  }

  /** `?` help in the current mode. */
  help(partialLine: string): { word: string; help: string }[] {
    return modeTree(this.mode).help(partialLine);
  }

  /** Tab completion in the current mode. */
  complete(partialLine: string): string | undefined {
    return modeTree(this.mode).complete(partialLine);
  }

  apply(line: string): ConfigLineResult {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('!')) {
      return { kind: 'ok', mode: this.mode, output: [], interfaceRefs: [], ignored: true };
    }
    let best: { mode: ConfigModeName; result: FailedMatch } | undefined;
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth] ?? { mode: 'global' };
      const result = modeTree(frame.mode).match(line);
      if (result.kind === 'ok') {
        this.stack = this.stack.slice(0, depth + 1);
        return this.run(result, frame);
      }
      if (result.kind === 'empty') continue;
      if (!best || failureRank(result, line) > failureRank(best.result, line))
        best = { mode: frame.mode, result };
    }
    return best
      ? { kind: 'error', ...best }
      : { kind: 'ok', mode: this.mode, output: [], interfaceRefs: [], ignored: true };
  }

  private run(
    result: Extract<MatchResult<ConfigContext>, { kind: 'ok' }>,
    frame: ModeFrame,
  ): ConfigLineResult {
    const ctx = new LineContext(this.model, frame, this.stack);
    result.spec.run(ctx, result.match);
    for (const c of ctx.changes) for (const l of this.listeners) l(c);
    const outcome = ctx.outcome;
    if (outcome === 'end') {
      this.end();
      return { kind: 'end' };
    }
    if (typeof outcome === 'object') return { kind: 'do', line: outcome.exec };
    return { kind: 'ok', mode: this.mode, output: ctx.output, interfaceRefs: ctx.refs, ignored: false };
  }
}

/**
 * What one accepted line's command sees and what it reports. A class, not an object literal of eight arrow
 * functions: a pasted or loaded config runs this once per line (about 50 per generated spoke), and the closures
 * (each wrapped by esbuild's keepNames under tsx) were a top allocation site of a 10,000-spoke load (issue 18,
 * bench/RESULTS.md).
 */
class LineContext implements ConfigContext {
  readonly output: string[] = [];
  readonly refs: InterfaceReference[] = [];
  readonly changes: ConfigChange[] = [];
  outcome: 'stay' | 'end' | { exec: string } = 'stay';

  readonly model: RouterConfig;
  readonly frame: ModeFrame;
  /** The session's mode stack, edited in place by `enter` and `exitMode`. */
  private readonly stack: ModeFrame[];

  constructor(model: RouterConfig, frame: ModeFrame, stack: ModeFrame[]) {
    this.model = model;
    this.frame = frame;
    this.stack = stack;
  }

  enter(f: ModeFrame): void {
    this.stack.push(f);
  }

  exitMode(): void {
    if (this.stack.length > 1) this.stack.pop();
    else this.outcome = 'end';
  }

  leaveConfig(): void {
    this.outcome = 'end';
  }

  exec(line: string): void {
    this.outcome = { exec: line };
  }

  changed(area: ConfigArea, name?: string): void {
    this.changes.push(name === undefined ? { area } : { area, name });
  }

  print(text: string): void {
    this.output.push(text);
  }

  referenceInterface(name: string, column: number): void {
    this.refs.push({ name, column });
  }
}
