/**
 * Loads a running-config text the way a router boots from NVRAM: line by line through a config session, every
 * bad line reported with IOS's message and skipped, the rest loaded.
 */
import { diagnosticMessage } from './grammar';
import { emptyRouterConfig, type RouterConfig } from './model';
import { ConfigSession, type InterfaceReference } from './session';

export interface ConfigDiagnostic {
  /** 1-based line number in the text. */
  readonly line: number;
  /** The line as written. */
  readonly text: string;
  /** 0-based column the message is about (the caret position). */
  readonly column: number;
  /** IOS's message, e.g. "% Invalid input detected at '^' marker." */
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

export interface ParsedConfig {
  readonly model: RouterConfig;
  readonly diagnostics: ConfigDiagnostic[];
}

interface PendingReference extends InterfaceReference {
  readonly line: number;
  readonly text: string;
}

export function parseConfig(text: string, defaultHostname = 'Router'): ParsedConfig {
  const session = new ConfigSession(emptyRouterConfig(defaultHostname));
  const diagnostics: ConfigDiagnostic[] = [];
  const references: PendingReference[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const r = session.apply(raw);
    const line = index + 1;
    if (r.kind === 'error') {
      const column = r.result.kind === 'invalid' ? r.result.column : raw.length - raw.trimStart().length;
      diagnostics.push({ line, text: raw, column, message: diagnosticMessage(r.result), severity: 'error' });
    } else if (r.kind === 'ok') {
      for (const ref of r.interfaceRefs) references.push({ ...ref, line, text: raw });
    } else if (r.kind === 'do') {
      diagnostics.push({
        line,
        text: raw,
        column: raw.length - raw.trimStart().length,
        message: '% Exec commands are not part of a configuration; line ignored.',
        severity: 'warning',
      });
    }
    // `end` in a config file is harmless: the next line re-enters global configuration.
  });
  diagnostics.push(...missingInterfaceWarnings(session, references));
  diagnostics.sort((a, b) => a.line - b.line);
  return { model: session.model, diagnostics };
}

/**
 * IOS accepts a reference to an interface the router does not have configured (the article's GM-1
 * `tunnel source serial 0/0`); it is kept in the config but cannot work, so it is a warning, checked once
 * every interface of the file is known.
 */
function missingInterfaceWarnings(
  session: ConfigSession,
  refs: readonly PendingReference[],
): ConfigDiagnostic[] {
  const known = new Set(session.model.interfaces.map((i) => i.name));
  return refs
    .filter((r) => !known.has(r.name))
    .map((r) => ({
      line: r.line,
      text: r.text,
      column: r.column,
      message: `% Warning: interface ${r.name} does not exist on this router; the command refers to nothing and cannot work.`,
      severity: 'warning' as const,
    }));
}
