// A moment saved and shared (issue 18): the whole simulator state at the clock's time as a `.getlab` file, and
// such a file opened again, so a class starts at the same instant (say, just before the rekey a lesson is about)
// without re-simulating the minutes before it.
import { useState } from 'react';
import type { ChangeEvent } from 'react';
import { download } from './download';
import { fileStem } from './ExportActions';
import { useSim } from './store';

/** `get-vpn-…-at-300s.getlab`: the lab's name and the simulated second it was saved at. */
export function momentFileName(title: string | undefined, now: number): string {
  return `${fileStem(title)}-at-${Math.floor(now / 1_000_000)}s.getlab`;
}

/** The Share… popover's "This moment" section: Save this moment, Open a saved moment. */
export function MomentActions() {
  const title = useSim((s) => s.lab?.title);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  async function save(): Promise<void> {
    setBusy(true);
    setProblem(undefined);
    const s = useSim.getState();
    try {
      s.pause();
      const bytes = await s.call((api) => api.saveMoment());
      // Read after the call: a frame queued before it has moved the clock to where the worker saved.
      const name = momentFileName(title, useSim.getState().now);
      // A copy over a plain ArrayBuffer: a Blob takes no view of a SharedArrayBuffer.
      download(new Uint8Array(bytes), 'application/octet-stream', name);
      s.notify(`Saved ${name}: it opens the lab at ${useSim.getState().clock}.`);
    } catch (e) {
      setProblem(`This moment could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function open(e: ChangeEvent<HTMLInputElement>): Promise<void> {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy(true);
    setProblem(undefined);
    try {
      await useSim.getState().openMoment(file);
      const failure = useSim.getState().loadFailure;
      if (failure?.source === file.name) setProblem(failure.problems.map((p) => p.message).join(' '));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="moment-actions" aria-label="This moment">
      <p className="export-note">
        This moment: every router’s state at the clock’s time, to open here or in another browser.
      </p>
      <div className="share-actions">
        <button
          type="button"
          className="button small"
          disabled={busy}
          aria-busy={busy}
          title="Download the lab as it is now (a .getlab file)"
          onClick={() => void save()}
        >
          Save this moment
        </button>
        <label className="button small file-button" title="Open a .getlab file saved from GETLab">
          Open a saved moment…
          <input
            type="file"
            accept=".getlab,application/octet-stream"
            className="visually-hidden"
            aria-label="Open a saved moment"
            disabled={busy}
            onChange={(e) => void open(e)}
          />
        </label>
      </div>
      {problem !== undefined && (
        <p role="alert" className="export-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
