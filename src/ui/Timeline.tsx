import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { formatSeconds } from './format';
import { MARKER_LABELS, type Marker, type MarkerKind, markerCounts } from './hops';
import { useSim } from './store';

/** Markers drawn at most; close ones share a slot (the first of each kind per slot is kept). */
const MARKER_SLOTS = 240;

/** How far past the furthest moment reached the timeline reaches (at least). */
const LOOKAHEAD_US = 60_000_000;

/**
 * The timeline's end moves in steps of this much: the markers keep their places while the lab plays, instead of
 * all moving (and being drawn again) at every frame.
 */
const EXTENT_STEP_US = 10_000_000;

/** The timeline's end: a minute or so beyond the furthest moment reached. */
function timelineExtent(maxTime: number, now: number): number {
  return Math.ceil((Math.max(maxTime, now) + LOOKAHEAD_US) / EXTENT_STEP_US) * EXTENT_STEP_US;
}

const KINDS: readonly MarkerKind[] = ['registration', 'rekey', 'rpf-drop', 'config'];

/** One marker per kind and slot, so a long run does not draw thousands of buttons. */
function thinMarkers(markers: readonly Marker[], max: number): Marker[] {
  const seen = new Set<string>();
  const out: Marker[] = [];
  for (const m of markers) {
    const key = `${m.kind}:${Math.floor((m.t / Math.max(1, max)) * MARKER_SLOTS)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

/** Runs the lab on (or back) to a typed moment: past the slider's reach, e.g. the first rekey at 300 s. */
function RunTo() {
  const seek = useSim((s) => s.seek);
  const rewinding = useSim((s) => s.rewinding);
  const hasLab = useSim((s) => s.lab !== undefined);
  const [value, setValue] = useState('300');

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds >= 0) void seek(Math.round(seconds * 1_000_000));
  }

  return (
    <form className="run-to" onSubmit={onSubmit}>
      <input
        type="number"
        min={0}
        step="any"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        aria-label="Run to time (s)"
        className="run-to-input"
      />
      <button type="submit" className="button small" disabled={!hasLab || rewinding}>
        Run to
      </button>
    </form>
  );
}

export function Timeline() {
  const now = useSim((s) => s.now);
  const maxTime = useSim((s) => s.maxTime);
  const markers = useSim((s) => s.markers);
  const rewinding = useSim((s) => s.rewinding);
  const hasLab = useSim((s) => s.lab !== undefined);
  const seek = useSim((s) => s.seek);
  const [drag, setDrag] = useState<number | undefined>(undefined);
  const rangeRef = useRef<HTMLInputElement>(null);
  // A minute beyond the furthest moment reached: dragging there runs the lab ahead to that time.
  const extent = timelineExtent(maxTime, now);
  const shown = useMemo(() => thinMarkers(markers, extent), [markers, extent]);
  const counts = markerCounts(markers);

  // The native `change` fires when the thumb is released (or a key sets the value): that is when to seek.
  useEffect(() => {
    const el = rangeRef.current;
    if (!el) return;
    const commit = (): void => {
      const t = Number(el.value);
      setDrag(undefined);
      void seek(t);
    };
    el.addEventListener('change', commit);
    return () => el.removeEventListener('change', commit);
  }, [seek]);

  return (
    <section className="timeline" aria-label="Timeline" data-testid="timeline">
      <span className="timeline-time" aria-live="off">
        {rewinding ? 'Re-simulating…' : `${formatSeconds(drag ?? now).slice(0, -3)} s`}
      </span>
      <div className="timeline-track">
        <input
          ref={rangeRef}
          type="range"
          className="timeline-range"
          aria-label="Simulated time (scrub to go back)"
          min={0}
          max={extent}
          step={1000}
          value={drag ?? now}
          disabled={!hasLab || rewinding}
          onChange={(e) => setDrag(Number(e.target.value))}
        />
        <Markers shown={shown} extent={extent} seek={seek} />
      </div>
      <span className="timeline-time">{formatSeconds(extent).slice(0, -3)} s</span>
      <RunTo />
      <ul className="timeline-legend" aria-label="Marker kinds">
        {KINDS.map((k) => (
          <li key={k}>
            <span className={`marker-dot marker-${k}`} aria-hidden="true" />
            {MARKER_LABELS[k]} ({counts.get(k) ?? 0})
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The marker buttons: drawn again only when the markers or the timeline's end change, not at every frame. */
const Markers = memo(function Markers({
  shown,
  extent,
  seek,
}: {
  shown: readonly Marker[];
  extent: number;
  seek: (t: number) => Promise<void>;
}) {
  return (
    <div className="timeline-markers">
      {shown.map((m, i) => (
        <button
          key={`${m.kind}-${m.t}-${i}`}
          type="button"
          className={`marker marker-${m.kind}`}
          style={{ left: `${(m.t / extent) * 100}%` }}
          title={`${MARKER_LABELS[m.kind]} at ${formatSeconds(m.t)} s — ${m.device}: ${m.text}`}
          aria-label={`${MARKER_LABELS[m.kind]} at ${formatSeconds(m.t).slice(0, -3)} s on ${m.device}`}
          tabIndex={-1}
          onClick={() => void seek(m.t)}
        />
      ))}
    </div>
  );
});
