import { useEffect, useState } from 'react';
import { mrouteFault, nbmaModeFault } from './faults';
import {
  type LessonAction,
  type LessonButton,
  LESSONS,
  cachedFacts,
  rekeySinceLastChange,
  runChecks,
} from './lessons';
import { useSim } from './store';

/** Wall-clock period of the checks' refresh; they re-run only when the lab moved or changed. */
const CHECK_MS = 1000;
/** Simulated seconds the "run until" actions advance per look at the lab. */
const LOOK_EVERY_S = 10;
/** Longest a "next rekey" run goes on without seeing one (a lab whose KS never rekeys). */
const MAX_REKEY_WAIT_S = 900;
const SECOND = 1_000_000;

/** The facts the checks and the "run until" actions read: the worker's typed views through the store. */
function labFacts(): ReturnType<typeof cachedFacts> {
  const s = useSim.getState();
  return cachedFacts(
    { pim: s.pimView, gdoi: s.gdoiView, multicast: s.multicastView },
    useSim.getState().markers,
  );
}

/** Rekeys the key server has sent so far (its GDOI view's counter). */
async function rekeysSent(ks: string): Promise<number> {
  const view = await useSim.getState().gdoiView(ks);
  return view.keyServers.reduce((n, k) => n + k.rekeysSent, 0);
}

/** Runs on past the key server's next rekey: first to its KEK's expiry, then on until the counter moves. */
async function runToNextRekey(ks: string): Promise<void> {
  const s = useSim.getState();
  const before = await rekeysSent(ks);
  const kek = (await s.gdoiView(ks)).keyServers[0]?.kekSecondsToExpiry ?? LOOK_EVERY_S;
  const start = useSim.getState().now;
  // A little past it: the members' log lines follow the KS's send by the path's delay.
  await s.seek(start + (kek + 2) * SECOND);
  while ((await rekeysSent(ks)) === before && useSim.getState().now - start < MAX_REKEY_WAIT_S * SECOND) {
    await s.seek(useSim.getState().now + LOOK_EVERY_S * SECOND);
  }
}

/** Runs on until `member` receives a rekey after its last configuration change, looking every few seconds. */
async function runUntilRekey(member: string, maxSeconds: number): Promise<void> {
  const start = useSim.getState().now;
  while (!(await rekeySinceLastChange(labFacts(), member))) {
    if (useSim.getState().now - start >= maxSeconds * SECOND) return;
    await useSim.getState().seek(useSim.getState().now + LOOK_EVERY_S * SECOND);
  }
}

/** Applies or undoes a fault the lesson names (a fault already in the wanted state is left alone). */
async function setFault(kind: 'mroute-fault' | 'nbma-fault', device: string, on: boolean): Promise<void> {
  const s = useSim.getState();
  const id = `${kind === 'mroute-fault' ? 'mroute' : 'nbma-mode'}:${device}`;
  const applied = s.faults.some((f) => f.fault.id === id);
  if (applied === on) return;
  if (applied) {
    await s.undoFault(id);
    return;
  }
  const config = await s.runningConfig(device);
  const fault = kind === 'mroute-fault' ? mrouteFault(device, config) : nbmaModeFault(device, config);
  if (fault) await s.applyFault(fault);
}

/** Performs a lesson button's action through the same paths as the console, the timeline and the faults. */
async function perform(action: LessonAction): Promise<void> {
  const s = useSim.getState();
  switch (action.kind) {
    case 'run-to':
      if (s.now < action.t) await s.seek(action.t);
      return;
    case 'run-for':
      await s.seek(s.now + action.seconds * SECOND);
      return;
    case 'next-rekey':
      await runToNextRekey(action.ks);
      return;
    case 'until-rekey':
      await runUntilRekey(action.member, action.maxSeconds);
      return;
    case 'cli':
      // The console shown is the one typed at: the student sees the command and its answer.
      s.select(action.device);
      for (const line of action.lines) await s.exec(action.device, line);
      return;
    case 'mroute-fault':
    case 'nbma-fault':
      await setFault(action.kind, action.device, action.on);
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
  const faults = useSim((s) => s.faults);
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
      const key = `${s.now}:${s.markers.length}:${s.faults.length}:${s.labSerial}:${s.configVersion}`;
      if (running || key === last || !s.lab || !lesson || s.rewinding) return;
      running = true;
      try {
        const out = await runChecks(lesson, labFacts());
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

  // Leaving a step whose actions ran (another step, closing the panel) runs its `leave`: a debug it turned on is
  // turned off, so the console does not fill with it for the rest of the class.
  useEffect(
    () => () => {
      const leave = LESSONS[step]?.leave;
      // Steps whose actions ran owe their `leave` action when the student leaves them (the lessons slice).
      if (!useSim.getState().settleLeave(step) || !leave) return;
      void perform(leave);
    },
    [step],
  );

  if (!lesson) return null;
  const results = checked?.step === step ? checked.results : undefined;
  const allGreen = results !== undefined && results.length > 0 && results.every(Boolean);

  async function onAction(action: LessonAction): Promise<void> {
    setBusy(true);
    try {
      if (lesson?.leave) useSim.getState().oweLeave(step);
      await perform(action);
    } finally {
      setBusy(false);
    }
  }

  /** A button that breaks something shows its undo while the fault it applied is in place. */
  const shown = (b: LessonButton): LessonButton =>
    b.breaks && faults.some((f) => f.fault.id === b.breaks?.fault) ? b.breaks.undo : b;

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
          {lesson.actions.map(shown).map((b) => (
            <button
              key={b.label}
              type="button"
              className="button small primary"
              disabled={busy}
              aria-busy={busy}
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
