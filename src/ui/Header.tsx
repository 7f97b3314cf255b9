import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { download } from './download';
import { ExportActions } from './ExportActions';
import { MomentActions } from './MomentActions';
import { type PanelId, togglePanel, useLayout } from './layout';
import { formatSeconds } from './format';
import { GENERATED_LABS, generatedLabel, generatedSource, SHIPPED_SCENARIOS, SPEEDS, useSim } from './store';

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
      <PanelToggles />
      <ViewControls />
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
  const loadGenerated = useSim((s) => s.loadGenerated);
  const isOther = source !== undefined && !source.startsWith('shipped:') && !source.startsWith('generated:');

  function onPick(e: ChangeEvent<HTMLSelectElement>): void {
    const value = e.target.value;
    if (value.startsWith('generated:')) {
      const [spokes = 10, hubs = 1] = value.slice('generated:'.length).split(':').map(Number);
      void loadGenerated(spokes, hubs);
      return;
    }
    void loadShipped(value.replace(/^shipped:/, ''));
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
        <span className="visually-hidden">Scenario</span>
        <select value={source ?? ''} onChange={onPick} aria-label="Scenario" className="scenario-select">
          {!source && <option value="">Loading…</option>}
          {SHIPPED_SCENARIOS.map((s) => (
            <option key={s.file} value={`shipped:${s.file}`}>
              {s.label}
            </option>
          ))}
          <optgroup label="Generated hub and spokes">
            {GENERATED_LABS.map(({ spokes, hubs }) => (
              <option key={generatedSource(spokes, hubs)} value={generatedSource(spokes, hubs)}>
                {generatedLabel(spokes, hubs)}
              </option>
            ))}
          </optgroup>
          {isOther && source && (
            <option value={source} disabled>
              {source.startsWith('file:') ? `File: ${sourceLabel ?? ''}` : sourceLabel}
            </option>
          )}
        </select>
      </label>
      <label className="button file-button">
        Open…
        <input
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Open scenario file"
          onChange={onFile}
        />
      </label>
      <ShareMenu />
      <LessonsToggle />
    </div>
  );
}

function LessonsToggle() {
  const open = useSim((s) => s.lessonOpen);
  const setOpen = useSim((s) => s.setLessonOpen);
  return (
    <button
      type="button"
      className={open ? 'button active' : 'button'}
      aria-pressed={open}
      onClick={() => setOpen(!open)}
    >
      Lessons
    </button>
  );
}

const PANEL_TOGGLES: readonly { id: PanelId; label: string }[] = [
  { id: 'devices', label: 'Devices' },
  { id: 'router', label: 'Console' },
  { id: 'bottom', label: 'Events' },
];

/** Shows or hides the side and bottom panels (wide screens), and the one-key focus view (F). */
function PanelToggles() {
  const collapsed = useLayout((s) => s.collapsed);
  const setFocus = useLayout((s) => s.setFocus);
  return (
    <div className="panel-toggles" role="group" aria-label="Panels">
      {PANEL_TOGGLES.map((p) => (
        <button
          key={p.id}
          type="button"
          className="button small wide-only"
          aria-pressed={!collapsed[p.id]}
          onClick={() => togglePanel(p.id)}
        >
          {p.label}
        </button>
      ))}
      <button
        type="button"
        className="button small"
        title="Topology only, with the caption and timeline (F)"
        onClick={() => setFocus(true)}
      >
        Focus (F)
      </button>
    </div>
  );
}

/** Dark theme and projector mode (large type): two toggles, remembered across visits. */
function ViewControls() {
  const theme = useSim((s) => s.theme);
  const projector = useSim((s) => s.projector);
  const setTheme = useSim((s) => s.setTheme);
  const setProjector = useSim((s) => s.setProjector);
  return (
    <div className="view-controls" role="group" aria-label="Display">
      <button
        type="button"
        className="button icon"
        aria-pressed={theme === 'dark'}
        aria-label="Dark theme"
        title="Dark theme"
        onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
      >
        ◐
      </button>
      <button
        type="button"
        className="button icon"
        aria-pressed={projector}
        aria-label="A+ projector mode (large type)"
        title="Projector mode (large type)"
        onClick={() => setProjector(!projector)}
      >
        A+
      </button>
    </div>
  );
}

/** Export the lab as a scenario file, or a link that opens it (edits included) in another browser. */
function ShareMenu() {
  const hasLab = useSim((s) => s.lab !== undefined);
  const shareLink = useSim((s) => s.shareLink);
  const currentScenario = useSim((s) => s.currentScenario);
  const [link, setLink] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState(false);

  async function onOpen(): Promise<void> {
    if (open) {
      setOpen(false);
      return;
    }
    setOpen(true);
    setLink(undefined);
    setLink(await shareLink());
  }

  async function onExport(): Promise<void> {
    download(await currentScenario(), 'application/json', 'getlab-scenario.json');
  }

  return (
    <div className="share-menu">
      <button
        type="button"
        className="button"
        disabled={!hasLab}
        aria-expanded={open}
        onClick={() => void onOpen()}
      >
        Share…
      </button>
      {open && (
        <div className="share-popover" role="dialog" aria-label="Share this lab">
          <label className="field">
            <span>Link (includes your configuration changes)</span>
            <input
              readOnly
              value={link ?? 'Preparing…'}
              aria-label="Share link"
              onFocus={(e) => e.target.select()}
            />
          </label>
          <div className="share-actions">
            <button
              type="button"
              className="button small"
              disabled={!link}
              onClick={() => void useSim.getState().copyShareLink(link ?? '')}
            >
              Copy link
            </button>
            <button type="button" className="button small" onClick={() => void onExport()}>
              Export scenario file
            </button>
            <button type="button" className="button small" onClick={() => setOpen(false)}>
              Close
            </button>
          </div>
          <ExportActions />
          <MomentActions />
        </div>
      )}
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
        <span className="visually-hidden">Speed</span>
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
