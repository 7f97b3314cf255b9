// What the page did with the user's work, said where it is seen: a status line for confirmations, and
// banners for a two-tab conflict, a busy or failed simulator, each with the action that resolves it.
import { useSim } from './store';

export function SessionBar() {
  return (
    <div className="session-bar">
      <FailureBanner />
      <BusyBanner />
      <ConflictBanner />
      <StatusLine />
    </div>
  );
}

/** role=status: screen readers announce it; it goes after a while (the store's session slice clears it). */
function StatusLine() {
  const notice = useSim((s) => s.notice);
  return (
    <div
      role="status"
      aria-label="Notices"
      aria-live="polite"
      className={`session-status${notice ? ' visible' : ''}${notice?.tone === 'warning' ? ' warning' : ''}`}
    >
      {notice?.text ?? ''}
    </div>
  );
}

/** A crash, or an error a worker call threw: what happened, and one click to carry on with the edits. */
function FailureBanner() {
  const failure = useSim((s) => s.failure);
  const recover = useSim((s) => s.recover);
  const simError = useSim((s) => s.simError);
  const text = failure ?? (simError !== undefined ? `The simulator failed: ${simError}` : undefined);
  if (text === undefined) return null;
  return (
    <div className="session-banner error" role="alert">
      <span>{text}</span>
      <button type="button" className="button small" onClick={() => void recover()}>
        Restart the simulator with my lab
      </button>
    </div>
  );
}

/** A call that runs long (`ping … repeat 100000`): IOS aborts with Ctrl+Shift+6; here too, or with Stop. */
function BusyBanner() {
  const busy = useSim((s) => s.busy);
  const failure = useSim((s) => s.failure);
  const stopWork = useSim((s) => s.stopWork);
  if (!busy || failure) return null;
  return (
    <div className="session-banner" role="alert">
      <span>The simulator is busy.</span>
      <button type="button" className="button small" onClick={() => void stopWork()}>
        Stop (Ctrl+Shift+6)
      </button>
    </div>
  );
}

function ConflictBanner() {
  const conflict = useSim((s) => s.conflict);
  const resolveConflict = useSim((s) => s.resolveConflict);
  if (!conflict) return null;
  return (
    <div className="session-banner warning" role="alert">
      <span>
        Another tab saved edits of “{conflict.label}”. Saving here would replace them, so this tab stopped
        saving.
      </span>
      <button type="button" className="button small" onClick={() => void resolveConflict('theirs')}>
        Open the other tab’s edits
      </button>
      <button type="button" className="button small" onClick={() => void resolveConflict('mine')}>
        Keep this tab’s lab
      </button>
    </div>
  );
}
