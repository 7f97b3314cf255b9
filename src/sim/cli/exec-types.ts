// The types an EXEC command is written against (issue 16). A leaf module: protocol CLIs import it, and it
// imports nothing from the CLI that iterates them, so `cli/exec-commands.ts` can list every protocol's commands
// through the registry without an import cycle.
import type { CommandSpec } from '../config/grammar';
import type { Router } from '../device/router';

/** IOS console modes above configuration: `Router>` and `Router#`. */
export type ExecMode = 'user' | 'privileged';

export interface CliEnvironment {
  /** Unix milliseconds at simulated time 0 (for `show clock` and timestamps). */
  readonly epochMs: number;
}

/** What an EXEC command may use of the console session it runs in (implemented by `CliSession`). */
export interface ExecSession {
  mode: ExecMode;
  readonly env: CliEnvironment;
  readonly history: readonly string[];
  prompt(): string;
  enterConfigMode(): void;
}

export interface ExecContext {
  readonly session: ExecSession;
  readonly router: Router;
  readonly out: string[];
  /** Set by commands that take simulated time (ping, traceroute); the session awaits it. */
  pending?: Promise<void>;
}

export interface ExecCommand extends CommandSpec<ExecContext> {
  readonly modes: readonly ExecMode[];
}

/** One `debug …` option: the words typed, the flag protocols test, and IOS's on/off message. */
export interface DebugOption {
  /** Words after `debug`, e.g. `ip pim`. */
  readonly words: string;
  /** Flag name protocols pass to `router.debugLog`. */
  readonly flag: string;
  /** `IP PIM` in `IP PIM debugging is on`. */
  readonly title: string;
  readonly help: Record<string, string>;
}
