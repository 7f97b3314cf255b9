import type { ChangeEvent } from 'react';
import { formatSeconds } from './format';
import { SHIPPED_SCENARIOS, SPEEDS, useSim } from './store';

export function Header() {
  return (
    <header className="header">
      <div className="brand">
        <span className="brand-name">GETLab</span>
        <LabTitle />
      </div>
      <ScenarioPicker />
      <RunControls />
      <Clock />
    </header>
  );
}

function LabTitle() {
  const title = useSim((s) => s.lab?.title);
  const description = useSim((s) => s.lab?.description);
  return (
    <span className="lab-title" title={description}>
      {title ?? 'Loading…'}
    </span>
  );
}

function ScenarioPicker() {
  const source = useSim((s) => s.source);
  const sourceLabel = useSim((s) => s.sourceLabel);
  const loading = useSim((s) => s.loading);
  const loadShipped = useSim((s) => s.loadShipped);
  const loadFile = useSim((s) => s.loadFile);
  const isFile = source?.startsWith('file:') ?? false;

  function onPick(e: ChangeEvent<HTMLSelectElement>): void {
    const file = e.target.value.replace(/^shipped:/, '');
    void loadShipped(file);
  }

  function onFile(e: ChangeEvent<HTMLInputElement>): void {
    const file = e.target.files?.[0];
    // Reset so choosing the same file again (after fixing it) loads it again.
    e.target.value = '';
    if (file) void loadFile(file);
  }

  return (
    <div className="scenario-picker" aria-busy={loading}>
      <label className="field">
        <span>Scenario</span>
        <select value={source ?? ''} onChange={onPick} aria-label="Scenario">
          {!source && <option value="">Loading…</option>}
          {SHIPPED_SCENARIOS.map((s) => (
            <option key={s.file} value={`shipped:${s.file}`}>
              {s.label}
            </option>
          ))}
          {isFile && source && (
            <option value={source} disabled>
              File: {sourceLabel}
            </option>
          )}
        </select>
      </label>
      <label className="button file-button">
        Open file…
        <input
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Open scenario file"
          onChange={onFile}
        />
      </label>
    </div>
  );
}

function ModeSwitch() {
  const mode = useSim((s) => s.mode);
  const setMode = useSim((s) => s.setMode);
  return (
    <div className="segmented mode-switch" role="radiogroup" aria-label="Mode">
      {(['realtime', 'simulation'] as const).map((m) => (
        <button
          key={m}
          type="button"
          role="radio"
          aria-checked={mode === m}
          className={mode === m ? 'segment active' : 'segment'}
          onClick={() => setMode(m)}
        >
          {m === 'realtime' ? 'Realtime' : 'Simulation'}
        </button>
      ))}
    </div>
  );
}

function RunControls() {
  const mode = useSim((s) => s.mode);
  const nextEvent = useSim((s) => s.nextEvent);
  const previousEvent = useSim((s) => s.previousEvent);
  const rewinding = useSim((s) => s.rewinding);
  const running = useSim((s) => s.running);
  const speed = useSim((s) => s.speed);
  const hasLab = useSim((s) => s.lab !== undefined);
  const play = useSim((s) => s.play);
  const pause = useSim((s) => s.pause);
  const step = useSim((s) => s.step);
  const setSpeed = useSim((s) => s.setSpeed);

  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      <ModeSwitch />
      <button
        type="button"
        className={running ? 'button primary active' : 'button primary'}
        onClick={running ? pause : play}
        disabled={!hasLab}
        aria-pressed={running}
      >
        {running ? '❚❚ Pause' : '▶ Play'}
      </button>
      {mode === 'realtime' ? (
        <button type="button" className="button" onClick={() => void step()} disabled={!hasLab}>
          Step
        </button>
      ) : (
        <>
          <button
            type="button"
            className="button"
            onClick={() => void previousEvent()}
            disabled={!hasLab || rewinding}
            aria-label="Previous event"
            title="Previous event (←)"
          >
            ◀ Back
          </button>
          <button
            type="button"
            className="button"
            onClick={() => void nextEvent()}
            disabled={!hasLab || rewinding}
            aria-label="Next event"
            title="Next event (→)"
          >
            Next ▶
          </button>
        </>
      )}
      <label className="field">
        <span>Speed</span>
        <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))} aria-label="Speed">
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function Clock() {
  const clock = useSim((s) => s.clock);
  const now = useSim((s) => s.now);
  return (
    <output className="clock" aria-label="Simulated time">
      <span className="clock-ios">{clock || '—'}</span>
      <span className="clock-seconds">t = {formatSeconds(now)} s</span>
    </output>
  );
}
