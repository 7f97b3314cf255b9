import { CommandTree, diagnosticLines, type MatchResult } from '../config/grammar';
import { ConfigSession } from '../config/session';
import type { Router } from '../device/router';
import { bound } from '../kernel/bound';
import { addressSnapshot, noteConsoleAddresses } from './address-method';
import { EXEC_COMMANDS } from './exec-commands';
import type { CliEnvironment, ExecContext, ExecMode, ExecSession } from './exec-types';
import {
  applyFilter,
  completeFilter,
  filterHelp,
  type OutputFilter,
  parseFilter,
  splitPipe,
} from './output-filter';

export type { CliEnvironment, ExecMode } from './exec-types';

const execTree = new CommandTree<ExecContext>(EXEC_COMMANDS.filter((c) => c.modes.includes('privileged')));
const userTree = new CommandTree<ExecContext>(EXEC_COMMANDS.filter((c) => c.modes.includes('user')));

/**
 * One console session on a router, as a terminal line: user and privileged EXEC, then the configuration
 * modes of `ConfigSession`. The page, the runner and tests all drive routers through this.
 */
export class CliSession implements ExecSession {
  readonly router: Router;
  readonly env: CliEnvironment;
  mode: ExecMode;
  readonly history: string[] = [];
  private config: ConfigSession | undefined;

  constructor(router: Router, env: CliEnvironment, mode: ExecMode = 'privileged') {
    this.router = router;
    this.env = env;
    this.mode = mode;
  }

  get inConfigMode(): boolean {
    return this.config !== undefined;
  }

  prompt(): string {
    const host = this.router.hostname;
    if (this.config) return `${host}${this.config.promptSuffix()}#`;
    return `${host}${this.mode === 'privileged' ? '#' : '>'}`;
  }

  /** Runs one line as typed at the prompt; returns what the console prints after it. */
  async execute(line: string): Promise<string> {
    if (line.trim() !== '') this.history.push(line);
    const promptLength = this.prompt().length;
    if (this.config) return this.executeConfig(line, promptLength);
    return this.executeExec(line, promptLength);
  }

  enterConfigMode(): void {
    const session = new ConfigSession(this.router.config);
    // Bound, not a closure: a checkpoint copies console sessions with the lab (kernel/bound.ts).
    session.onChange(bound(this.router, this.router.configChanged));
    this.config = session;
  }

  leaveConfigMode(): void {
    this.config = undefined;
    this.router.log('syslog', `%SYS-5-CONFIG_I: Configured from console by console`);
  }

  private async executeExec(line: string, promptLength: number): Promise<string> {
    const { command, modifier, modifierColumn } = splitPipe(line);
    const result = this.tree().match(command);
    if (result.kind === 'empty') {
      // `| include x` with no command: the bar itself is the invalid input.
      if (modifier === undefined) return '';
      return diagnosticLines({ kind: 'invalid', column: modifierColumn - 1 }, line, promptLength).join('\n');
    }
    if (result.kind !== 'ok') return this.diagnostic(result, line, promptLength);
    let filter: OutputFilter | undefined;
    if (modifier !== undefined) {
      const parsed = parseFilter(modifier);
      if (parsed.kind === 'regex') return parsed.message;
      if (parsed.kind === 'invalid') {
        return diagnosticLines(
          { kind: 'invalid', column: modifierColumn + parsed.column },
          line,
          promptLength,
        ).join('\n');
      }
      if (parsed.kind !== 'ok') return this.diagnostic(parsed, line, promptLength);
      filter = parsed.filter;
    }
    const ctx: ExecContext = { session: this, router: this.router, out: [] };
    result.spec.run(ctx, result.match);
    if (ctx.pending) await ctx.pending;
    const output = ctx.out.join('\n');
    return filter ? applyFilter(filter, output) : output;
  }

  private async executeConfig(line: string, promptLength: number): Promise<string> {
    const session = this.config!;
    const before = addressSnapshot(this.router);
    const r = session.apply(line);
    noteConsoleAddresses(this.router, before);
    if (r.kind === 'end') {
      this.leaveConfigMode();
      return '';
    }
    if (r.kind === 'do') {
      return this.executeExec(r.line, promptLength);
    }
    if (r.kind === 'error') return this.diagnostic(r.result, line, promptLength);
    return r.output.join('\n');
  }

  private diagnostic(result: MatchResult<unknown>, line: string, promptLength: number): string {
    // A lone unknown word in EXEC is taken as a host name to telnet to, as IOS does.
    if (!this.config && result.kind === 'invalid' && result.column === 0 && /^\S+$/.test(line.trim())) {
      return [
        `Translating "${line.trim()}"`,
        '',
        '% Unknown command or computer name, or unable to find computer address',
      ].join('\n');
    }
    return diagnosticLines(result, line, promptLength).join('\n');
  }

  /** IOS `?`: the next words and their help, for the text typed so far. */
  help(partial: string): string {
    const entries = this.helpEntries(partial);
    if (entries.length === 0) return '% Unrecognized command';
    const width = Math.max(...entries.map((e) => e.word.length));
    const endsWithSpace = partial === '' || /\s$/.test(partial);
    if (!endsWithSpace) return entries.map((e) => e.word).join('  ');
    return entries.map((e) => `  ${e.word.padEnd(width)}  ${e.help}`).join('\n');
  }

  /**
   * The `?` entries: after `|` the output modifiers; at the end of a complete EXEC command IOS lists
   * `|  Output modifiers` above `<cr>`.
   */
  private helpEntries(partial: string): { word: string; help: string }[] {
    const execLine = this.config ? doLine(partial) : partial;
    if (execLine === undefined) return this.config!.help(partial);
    const { command, modifier } = splitPipe(execLine);
    if (modifier !== undefined) return this.tree().match(command).kind === 'ok' ? filterHelp(modifier) : [];
    const entries = this.config ? this.config.help(partial) : this.tree().help(partial);
    const cr = entries.findIndex((e) => e.word === '<cr>');
    if (cr < 0 || /\S$/.test(partial)) return entries;
    return [...entries.slice(0, cr), { word: '|', help: 'Output modifiers' }, ...entries.slice(cr)];
  }

  /** Tab: completes the last word when it is unambiguous (after `|`, the modifier). */
  complete(partial: string): string {
    const execLine = this.config ? doLine(partial) : partial;
    const { modifier } = splitPipe(execLine ?? '');
    if (execLine !== undefined && modifier !== undefined) {
      const done = completeFilter(modifier);
      return done === undefined ? partial : partial.slice(0, partial.length - modifier.length) + done;
    }
    return (this.config ? this.config.complete(partial) : this.tree().complete(partial)) ?? partial;
  }

  private tree(): CommandTree<ExecContext> {
    return this.mode === 'privileged' ? execTree : userTree;
  }
}

/** The EXEC command of a `do …` line typed in configuration mode, or undefined for a config command. */
function doLine(partial: string): string | undefined {
  const m = /^\s*do\s+(.*)$/i.exec(partial);
  return m ? m[1] : undefined;
}
