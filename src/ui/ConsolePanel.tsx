import { useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useSim } from './store';

const NO_HISTORY: readonly string[] = [];

/** One device's IOS console: transcript, prompt, history (↑/↓), `?` help and Tab completion. */
export function DeviceConsole({ device }: { device: string }) {
  const transcript = useSim((s) => s.consoles.get(device)?.transcript ?? '');
  const prompt = useSim((s) => s.consoles.get(device)?.prompt ?? `${device}#`);
  const history = useSim((s) => s.consoles.get(device)?.history ?? NO_HISTORY);
  const exec = useSim((s) => s.exec);
  const help = useSim((s) => s.help);
  const complete = useSim((s) => s.complete);
  // While a lab loads (a new lab, a restart after Stop) its consoles are about to be replaced: a line typed then
  // would run on the old lab and its answer vanish with it, so the line waits until the lab is there.
  const loading = useSim((s) => s.loading);
  const [input, setInput] = useState('');
  // Position in the history while walking it with Up/Down; history.length means "the line being typed".
  const [cursor, setCursor] = useState<number | undefined>(undefined);
  const [draft, setDraft] = useState('');
  const outputRef = useRef<HTMLPreElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useLayoutEffect(() => {
    const el = outputRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [transcript]);

  function walkHistory(delta: number): void {
    const from = cursor ?? history.length;
    const to = Math.max(0, Math.min(history.length, from + delta));
    if (to === from) return;
    if (cursor === undefined) setDraft(input);
    setCursor(to === history.length ? undefined : to);
    setInput(to === history.length ? draft : (history[to] ?? ''));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    // IOS's escape sequence aborts a running ping: "by default, Ctrl-^ X ... pressing the Ctrl, Shift, and 6
    // keys" (Cisco IOS command reference, ping). Here it stops the worker and reopens the lab (store/session.ts).
    if (e.ctrlKey && e.shiftKey && (e.code === 'Digit6' || e.key === '^')) {
      e.preventDefault();
      const s = useSim.getState();
      if (s.workPending()) void s.stopWork();
      return;
    }
    switch (e.key) {
      case 'Enter': {
        e.preventDefault();
        if (loading) return;
        const line = input;
        setInput('');
        setCursor(undefined);
        void exec(device, line);
        return;
      }
      case 'ArrowUp':
        e.preventDefault();
        walkHistory(-1);
        return;
      case 'ArrowDown':
        e.preventDefault();
        walkHistory(1);
        return;
      case 'Tab': {
        e.preventDefault();
        const partial = input;
        void complete(device, partial).then((done) => {
          // Only replace what the user typed if they have not typed on meanwhile.
          setInput((current) => (current === partial ? done : current));
        });
        return;
      }
      case '?':
        // IOS answers `?` at once, without a newline, and leaves the line as typed.
        e.preventDefault();
        void help(device, input);
        return;
    }
  }

  function focusInput(): void {
    // Clicking the output focuses the input, unless the user is selecting text to copy.
    if (window.getSelection()?.toString() === '') inputRef.current?.focus();
  }

  return (
    <div className="console-body" onClick={focusInput}>
      <pre
        ref={outputRef}
        className="console-output"
        data-testid="console-output"
        role="log"
        // Scrollable: focusable so keyboard users can scroll the transcript (axe scrollable-region-focusable).
        tabIndex={0}
        aria-live="polite"
      >
        {transcript === '' ? (
          <span className="muted">
            Connected to {device}. ? lists commands, Tab completes, ↑/↓ recall.
            {'\n'}
          </span>
        ) : (
          transcript
        )}
      </pre>
      <div className="console-input-line">
        <label htmlFor="console-input" className="console-prompt">
          {prompt}
        </label>
        <input
          id="console-input"
          ref={inputRef}
          className="console-input"
          aria-label={`Console input for ${device}`}
          readOnly={loading}
          value={input}
          onChange={(e) => {
            setInput(e.target.value);
            setCursor(undefined);
          }}
          onKeyDown={onKeyDown}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          autoFocus
        />
      </div>
    </div>
  );
}
