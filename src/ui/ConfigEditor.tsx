import { useCallback, useEffect, useMemo, useState } from 'react';
import type { LineDiagnostic } from './config-diff';
import { diffConfig } from './config-diff';
import { useSim } from './store';

interface Loaded {
  /** The running-config the edit started from (what the diff is taken against). */
  readonly base: string;
  readonly text: string;
  /** How many configuration changes the page had seen when it was read. */
  readonly changes: number;
}

/**
 * A router's running-config in a plain-text editor with line numbers. Apply sends the difference through the
 * console in configuration mode, as a student would type it; what IOS rejects is shown at the line.
 */
export function ConfigEditor({ device }: { device: string }) {
  const runningConfig = useSim((s) => s.runningConfig);
  const applyConfig = useSim((s) => s.applyConfig);
  // Configuration changes anywhere (console, faults, lessons) add a marker: the editor re-reads then.
  const configChanges = useSim((s) => s.configVersion);
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [diagnostics, setDiagnostics] = useState<readonly LineDiagnostic[]>([]);
  const [removals, setRemovals] = useState<readonly LineDiagnostic[]>([]);
  const [applying, setApplying] = useState(false);
  const [status, setStatus] = useState('');
  const dirty = loaded !== undefined && loaded.text !== loaded.base;
  // Changed elsewhere since it was read, with edits of the user's in the way of following it.
  const stale = loaded !== undefined && dirty && configChanges > loaded.changes;

  const reload = useCallback(async (): Promise<void> => {
    const text = await runningConfig(device);
    setLoaded({ base: text, text, changes: useSim.getState().configVersion });
    setDiagnostics([]);
    setRemovals([]);
  }, [device, runningConfig]);

  // Read on open, and again after a configuration change elsewhere unless the user has unapplied edits.
  useEffect(() => {
    if (applying || dirty) return;
    let cancelled = false;
    void runningConfig(device).then((text) => {
      if (cancelled) return;
      setLoaded((l) => (l && l.text !== l.base ? l : { base: text, text, changes: configChanges }));
    });
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new configuration change (or device) re-reads
  }, [device, runningConfig, configChanges]);

  const pending = useMemo(() => (loaded ? diffConfig(loaded.base, loaded.text).length : 0), [loaded]);

  async function apply(): Promise<void> {
    if (!loaded) return;
    setApplying(true);
    setStatus('Applying…');
    try {
      const result = await applyConfig(device, loaded.base, loaded.text);
      const base = await runningConfig(device);
      const failed = result.diagnostics.length + result.removals.length;
      setDiagnostics(result.diagnostics);
      setRemovals(result.removals);
      // Rejected lines stay in the editor to be fixed; a clean apply shows the running-config as IOS orders it.
      setLoaded({
        base,
        text: failed > 0 ? loaded.text : base,
        changes: useSim.getState().configVersion,
      });
      const sent = Math.max(0, result.sent.length - 2);
      setStatus(
        failed > 0
          ? `${failed} line${failed === 1 ? '' : 's'} rejected`
          : sent > 0
            ? `Applied (${sent} line${sent === 1 ? '' : 's'})`
            : 'Nothing to apply',
      );
    } finally {
      setApplying(false);
    }
  }

  if (!loaded) return <p className="muted pad">Reading the running-config…</p>;
  const lines = loaded.text.split('\n');
  const byLine = new Map(diagnostics.map((d) => [d.line, d]));
  return (
    <div className="config-editor" data-testid="config-editor">
      <div className="config-toolbar">
        <button
          type="button"
          className="button small primary"
          onClick={() => void apply()}
          disabled={applying || pending === 0}
        >
          Apply{pending > 0 ? ` (${pending})` : ''}
        </button>
        <button type="button" className="button small" onClick={() => void reload()} disabled={applying}>
          Revert
        </button>
        <span className="muted small-text" role="status" aria-live="polite">
          {stale ? 'The running-config changed since you began editing: Revert reloads it. ' : ''}
          {status}
        </span>
      </div>
      {removals.length > 0 && (
        <ul className="config-removals" aria-label="Rejected removals">
          {removals.map((r, i) => (
            <li key={i} className="config-diag-message">
              {r.command}: {r.message}
            </li>
          ))}
        </ul>
      )}
      <div className="config-scroll">
        <div className="config-gutter" aria-hidden="true">
          {lines.map((_, i) => (
            <div key={i} className={byLine.has(i) ? 'gutter-line error' : 'gutter-line'}>
              {i + 1}
            </div>
          ))}
        </div>
        <div className="config-code">
          <pre className="config-backdrop" aria-hidden="true">
            {lines.map((l, i) => (
              <BackdropLine key={i} text={l} diag={byLine.get(i)} />
            ))}
          </pre>
          <textarea
            className="config-text"
            aria-label={`Running-config of ${device}`}
            value={loaded.text}
            rows={lines.length}
            cols={Math.max(40, ...lines.map((l) => l.length + 2))}
            wrap="off"
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            onChange={(e) => setLoaded({ ...loaded, text: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                void apply();
              }
            }}
          />
        </div>
      </div>
      {diagnostics.length > 0 && (
        <ul className="visually-hidden" aria-label="Configuration diagnostics">
          {diagnostics.map((d) => (
            <li key={d.line}>
              Line {d.line + 1}: {d.command}: {d.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A line under the transparent textarea: highlighted when IOS rejected it, the message after its text. */
function BackdropLine({ text, diag }: { text: string; diag?: LineDiagnostic }) {
  if (!diag) return <div className="backdrop-line">{text === '' ? ' ' : text}</div>;
  const col = Math.min(diag.column ?? 0, Math.max(0, text.length - 1));
  return (
    <div className="backdrop-line error" data-testid="config-diagnostic" data-line={diag.line + 1}>
      {text.slice(0, col)}
      <span className="diag-at">{text.slice(col, col + 1) || ' '}</span>
      {text.slice(col + 1)}
      <span className="config-diag-message">
        {'  '}
        {diag.column !== undefined ? `^ col ${diag.column + 1} ` : ''}
        {diag.message}
      </span>
    </div>
  );
}
