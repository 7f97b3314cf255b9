import { CommandTree, diagnosticLines, type MatchResult } from '../config/grammar';
import { ConfigSession } from '../config/session';
import type { Router } from '../device/router';
import { EXEC_COMMANDS, type ExecContext } from './exec-commands';

/** IOS console modes above configuration: `Router>` and `Router#`. */
export type ExecMode = 'user' | 'privileged';

export interface CliEnvironment {
  /** Unix milliseconds at simulated time 0 (for `show clock` and timestamps). */
  readonly epochMs: number;
}

const execTree = new CommandTree<ExecContext>(EXEC_COMMANDS.filter((c) => c.modes.includes('privileged')));
const userTree = new CommandTree<ExecContext>(EXEC_COMMANDS.filter((c) => c.modes.includes('user')));

/**
 * One console session on a router, as a terminal line: user and privileged EXEC, then the configuration
 * modes of `ConfigSession`. The page, the runner and tests all drive routers through this.
 */
export class CliSession {
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
    session.onChange((change) => this.router.configChanged(change));
    this.config = session;
  }

  leaveConfigMode(): void {
    this.config = undefined;
    this.router.log('syslog', `%SYS-5-CONFIG_I: Configured from console by console`);
  }

  private async executeExec(line: string, promptLength: number): Promise<string> {
    const result = this.tree().match(line);
    if (result.kind === 'empty') return '';
    if (result.kind !== 'ok') return this.diagnostic(result, line, promptLength);
    const ctx: ExecContext = { session: this, router: this.router, out: [] };
    result.spec.run(ctx, result.match);
    if (ctx.pending) await ctx.pending;
    return ctx.out.join('\n');
  }

  private async executeConfig(line: string, promptLength: number): Promise<string> {
    const session = this.config!;
    const r = session.apply(line);
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
    const entries = this.config ? this.config.help(partial) : this.tree().help(partial);
    if (entries.length === 0) return '% Unrecognized command';
    const width = Math.max(...entries.map((e) => e.word.length));
    const endsWithSpace = partial === '' || /\s$/.test(partial);
    if (!endsWithSpace) return entries.map((e) => e.word).join('  ');
    return entries.map((e) => `  ${e.word.padEnd(width)}  ${e.help}`).join('\n');
  }

  /** Tab: completes the last word when it is unambiguous. */
  complete(partial: string): string {
    return (this.config ? this.config.complete(partial) : this.tree().complete(partial)) ?? partial;
  }

  private tree(): CommandTree<ExecContext> {
    return this.mode === 'privileged' ? execTree : userTree;
  }
}
