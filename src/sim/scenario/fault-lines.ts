/**
 * The console lines of the teaching faults, read from a router's running-config: what `no` removes and what
 * puts it back. One implementation for the lesson buttons (lesson-actions.ts, the runner's `--check`) and the
 * page's faults panel (src/ui/faults.ts, through worker/page-helpers.ts). A leaf: it imports only types.
 */
import type { LessonFault } from './lesson-schema';

/** A line a fault removes, under the interface it belongs to (`interface Tunnel10`) or global. */
export interface FaultLine {
  readonly iface?: string;
  readonly line: string;
}

export interface FaultLines {
  readonly found: readonly FaultLine[];
  /** From `configure terminal` to `end`. */
  readonly apply: readonly string[];
  readonly undo: readonly string[];
}

const configure = (body: readonly string[]): string[] => ['configure terminal', ...body, 'end'];

function linesOf(found: readonly FaultLine[], negated: boolean): string[] {
  return found.flatMap((f) => {
    const line = negated ? `no ${f.line}` : f.line;
    return f.iface === undefined ? [line] : [f.iface, line, 'exit'];
  });
}

function faultOf(found: readonly FaultLine[]): FaultLines | undefined {
  if (found.length === 0) return undefined;
  return { found, apply: configure(linesOf(found, true)), undo: configure(linesOf(found, false)) };
}

/** Global lines (`ip mroute …`) that `test` accepts. */
export function globalLineFault(
  runningConfig: string,
  test: (line: string) => boolean,
): FaultLines | undefined {
  return faultOf(
    runningConfig
      .split('\n')
      .filter((l) => !l.startsWith(' ') && test(l))
      .map((line) => ({ line })),
  );
}

/** Lines under `interface Tunnel…` blocks that `test` accepts (the running-config indents a block's lines). */
export function tunnelLineFault(
  runningConfig: string,
  test: (line: string) => boolean,
): FaultLines | undefined {
  const found: FaultLine[] = [];
  let iface: string | undefined;
  for (const l of runningConfig.split('\n')) {
    if (!l.startsWith(' ')) iface = l.startsWith('interface Tunnel') ? l : undefined;
    else if (iface !== undefined && test(l.trim())) found.push({ iface, line: l.trim() });
  }
  return faultOf(found);
}

/**
 * A lesson's named fault: `mroute` removes the static mroutes (the article's RPF failure), `nbma-mode` removes
 * `ip pim nbma-mode` from the tunnels, `dr-priority` removes `ip pim dr-priority` from them (the hub then no
 * longer wins the DR election on its mGRE tunnel, RFC 7761 §4.3.2).
 */
export function faultLines(fault: LessonFault, runningConfig: string): FaultLines | undefined {
  switch (fault) {
    case 'mroute':
      return globalLineFault(runningConfig, (l) => l.startsWith('ip mroute '));
    case 'nbma-mode':
      return tunnelLineFault(runningConfig, (l) => l === 'ip pim nbma-mode');
    case 'dr-priority':
      return tunnelLineFault(runningConfig, (l) => l.startsWith('ip pim dr-priority '));
  }
}
