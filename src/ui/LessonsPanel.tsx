import { useEffect, useState } from 'react';
import { mrouteFault, nbmaModeFault } from './faults';
import { type LessonAction, LESSONS, secondsToRekey } from './lessons';
import { useSim } from './store';

/** Wall-clock period of the checks' refresh; they re-run only when the lab moved or changed. */
const CHECK_MS = 1000;

/** Performs a lesson button's action through the same paths as the console, the timeline and the faults. */
async function perform(action: LessonAction): Promise<void> {
  const s = useSim.getState();
  switch (action.kind) {
    case 'run-to':
      if (s.now < action.t) await s.seek(action.t);
      return;
    case 'run-for':
      await s.seek(s.now + action.seconds * 1_000_000);
      return;
    case 'next-rekey': {
      const left = secondsToRekey(await s.show(action.ks, 'show crypto gdoi'));
      // A little past the rekey: the members' log lines follow the KS's send by the path's delay.
      if (left !== undefined) await s.seek(s.now + (left + 5) * 1_000_000);
      return;
    }
    case 'cli':
      // The console shown is the one typed at: the student sees the command and its answer.
      s.select(action.device);
      for (const line of action.lines) await s.exec(action.device, line);
      return;
    case 'mroute-fault':
    case 'nbma-fault': {
      const id = `${action.kind === 'mroute-fault' ? 'mroute' : 'nbma-mode'}:${action.device}`;
      const applied = s.faults.some((f) => f.fault.id === id);
      if (applied === action.on) return;
      if (applied) {
        await s.undoFault(id);
        return;
      }
      const config = await s.runningConfig(action.device);
      const fault =
        action.kind === 'mroute-fault'
          ? mrouteFault(action.device, config)
          : nbmaModeFault(action.device, config);
      if (fault) await s.applyFault(fault);
      return;
    }
    case 'play':
      if (s.mode !== 'realtime') s.setMode('realtime');
      s.setSpeed(action.speed);
      s.play();
      return;
    case 'all':
      for (const a of action.actions) await perform(a);
      return;
  }
}

/** The article as a walk-through: a step's text, its action buttons and its live checks. */
export function LessonsPanel() {
  const step = useSim((s) => Math.min(s.lessonStep, LESSONS.length - 1));
  const setStep = useSim((s) => s.setLessonStep);
  const setOpen = useSim((s) => s.setLessonOpen);
  const labSerial = useSim((s) => s.labSerial);
  // Tagged with their step: a new step shows its checks as pending until they have run.
  const [checked, setChecked] = useState<{ step: number; results: readonly boolean[] } | undefined>();
  const [busy, setBusy] = useState(false);
  const lesson = LESSONS[step];

  useEffect(() => {
    let cancelled = false;
    let running = false;
    let last = '';
    const check = async (): Promise<void> => {
      const s = useSim.getState();
      const key = `${s.now}:${s.markers.length}:${s.faults.length}:${s.labSerial}`;
      if (running || key === last || !s.lab || !lesson) return;
      running = true;
      try {
        const out: boolean[] = [];
        for (const c of lesson.checks) {
          if (c.kind === 'marker') out.push(c.test(s.markers));
          else out.push(c.test(await s.show(c.device, c.command).catch(() => '')));
        }
        last = key;
        if (!cancelled) setChecked({ step, results: out });
      } finally {
        running = false;
      }
    };
    void check();
    const timer = setInterval(() => void check(), CHECK_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [lesson, step, labSerial]);

  if (!lesson) return null;
  const results = checked?.step === step ? checked.results : undefined;
  const allGreen = results !== undefined && results.length > 0 && results.every(Boolean);

  async function onAction(action: LessonAction): Promise<void> {
    setBusy(true);
    try {
      await perform(action);
    } finally {
      setBusy(false);
    }
  }

  return (
    <aside className="panel lessons" aria-labelledby="lessons-heading" data-testid="lessons">
      <div className="panel-title-row">
        <h2 id="lessons-heading" className="panel-title">
          Lesson {step + 1} of {LESSONS.length}
        </h2>
        <button
          type="button"
          className="button small"
          onClick={() => setOpen(false)}
          aria-label="Close lessons"
        >
          ✕
        </button>
      </div>
      <div className="lesson-body">
        <h3 className="lesson-title">{lesson.title}</h3>
        {lesson.text.map((p, i) => (
          <p key={i}>{p}</p>
        ))}
        <div className="lesson-actions">
          {lesson.actions.map((b) => (
            <button
              key={b.label}
              type="button"
              className="button small primary"
              disabled={busy}
              onClick={() => void onAction(b.action)}
            >
              {b.label}
            </button>
          ))}
        </div>
        <ul className="lesson-checks" aria-label="Checks" data-all-green={allGreen}>
          {lesson.checks.map((c, i) => {
            const ok = results?.[i];
            return (
              <li key={c.label} className={ok === undefined ? 'check-pending' : ok ? 'check-ok' : 'check-no'}>
                <span className="check-mark" aria-hidden="true">
                  {ok === undefined ? '…' : ok ? '✓' : '✗'}
                </span>
                <span>{c.label}</span>
                <span className="visually-hidden">
                  {ok === undefined ? ' (checking)' : ok ? ' (passed)' : ' (not yet)'}
                </span>
              </li>
            );
          })}
        </ul>
      </div>
      <nav className="lesson-nav" aria-label="Lesson steps">
        <button
          type="button"
          className="button small"
          disabled={step === 0}
          onClick={() => setStep(step - 1)}
        >
          ◀ Previous
        </button>
        <ol className="lesson-dots">
          {LESSONS.map((l, i) => (
            <li key={l.title}>
              <button
                type="button"
                className={i === step ? 'lesson-dot active' : 'lesson-dot'}
                aria-label={`Lesson ${i + 1}: ${l.title}`}
                aria-current={i === step ? 'step' : undefined}
                onClick={() => setStep(i)}
              >
                {i + 1}
              </button>
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button small"
          disabled={step === LESSONS.length - 1}
          onClick={() => setStep(step + 1)}
        >
          Next ▶
        </button>
      </nav>
    </aside>
  );
}
