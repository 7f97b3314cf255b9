import type { ScenarioProblem } from '../worker/protocol';
import { mergeProblems, problemKey, problemText, problemWhere } from './format';
import { useSim } from './store';

const NONE: readonly ScenarioProblem[] = [];

export function ProblemsPanel() {
  const failure = useSim((s) => s.loadFailure);
  const simError = useSim((s) => s.simError);
  const dismiss = useSim((s) => s.dismissFailure);
  const loadProblems = useSim((s) => s.loadProblems);
  const labProblems = useSim((s) => s.lab?.problems ?? NONE);
  const title = useSim((s) => s.lab?.title);
  const sourceLabel = useSim((s) => s.sourceLabel);
  const problems = mergeProblems(loadProblems, labProblems);
  const errors = problems.filter((p) => p.severity === 'error').length;

  return (
    <section className="panel problems" aria-labelledby="problems-heading" data-testid="problems">
      <div className="panel-title-row">
        <h2 id="problems-heading" className="panel-title">
          Problems
        </h2>
        <span className="muted small-text">
          {problems.length === 0 ? 'none' : `${errors} error(s), ${problems.length - errors} warning(s)`}
        </span>
      </div>
      <div className="problems-scroll">
        {failure && (
          <div className="load-failure" role="alert">
            <p>
              <strong>Could not load {failure.source}.</strong>{' '}
              {title ? `The previous lab (${title}) is still loaded.` : 'No lab is loaded.'}
            </p>
            <ProblemList problems={failure.problems} />
            <button type="button" className="button small" onClick={dismiss}>
              Dismiss
            </button>
          </div>
        )}
        {simError && (
          <div className="load-failure" role="alert">
            <p>
              <strong>The simulation stopped with an internal error.</strong>
            </p>
            <pre className="problem-message">{simError}</pre>
            <button type="button" className="button small" onClick={() => void useSim.getState().recover()}>
              Restart the simulator with my lab
            </button>
          </div>
        )}
        <EditRefusal />
        <WatchdogList />
        {title && (
          <p className="muted small-text problems-source">
            {sourceLabel ?? title}: {problems.length === 0 ? 'no problems.' : ''}
          </p>
        )}
        <ProblemList problems={problems} />
      </div>
    </section>
  );
}

/** An edit the topology editor's engine refused: what, on which device, and why (the lab is unchanged). */
function EditRefusal() {
  const problem = useSim((s) => s.editError);
  const dismiss = useSim((s) => s.dismissEditError);
  if (!problem) return null;
  return (
    <div className="load-failure" role="alert" data-testid="edit-problem">
      <p>
        <strong>The edit was not made.</strong> The lab is as it was.
      </p>
      <ul className="problem-list">
        <li className={`problem ${problem.severity}`}>
          <div className="problem-head">
            <span className="severity">{problem.severity}</span>
            {problem.device && <span className="where">{problem.device}</span>}
          </div>
          {/* Plain language, not an IOS line: wrapped, unlike the caret diagnostics below. */}
          <p className="problem-message edit-problem-message">{problem.message}</p>
        </li>
      </ul>
      <button type="button" className="button small" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** Runaway work the kernel's watchdog stopped (engineer D's `problem` records): the lab went on without it. */
function WatchdogList() {
  const notes = useSim((s) => s.watchdog);
  if (notes.length === 0) return null;
  return (
    <div className="load-failure" data-testid="watchdog-problems">
      <p>
        <strong>The watchdog stopped runaway work</strong> (the lab went on without it):
      </p>
      <ul className="problem-list">
        {notes.map((n, i) => (
          <li key={`${n.t}:${n.device}:${i}`} className="problem error">
            <div className="problem-head">
              <span className="severity">watchdog</span>
              <span className="where">
                {n.device} at t = {(n.t / 1e6).toFixed(3)} s
              </span>
            </div>
            <pre className="problem-message">{n.message}</pre>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ProblemList({ problems }: { problems: readonly ScenarioProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problem-list">
      {problems.map((p, i) => (
        <li key={`${problemKey(p)}#${i}`} className={`problem ${p.severity}`}>
          <div className="problem-head">
            <span className="severity">{p.severity}</span>
            {problemWhere(p) && <span className="where">{problemWhere(p)}</span>}
          </div>
          {/* Monospace and unwrapped, so an IOS caret (`^`) stays under the character it marks. */}
          <pre className="problem-message">{problemText(p)}</pre>
        </li>
      ))}
    </ul>
  );
}
