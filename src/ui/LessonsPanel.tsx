// The lessons panel: the loaded scenario's lessons (format 2, read from the worker), one step at a time. The step's
// text is Markdown rendered without raw HTML (markdown.ts); its buttons run through the page's consoles and faults
// and the worker's LessonDriver; its checks are evaluated by the worker on typed state, live, or scored on request
// in student mode. Nothing here knows a lab: every device, address and group comes from the scenario file.
import { useEffect, useMemo } from 'react';
import type { CheckResult, LessonButton, LessonCheck } from '../worker/protocol';
import { givesAnswer, shownButton, walkSteps, type WalkStep } from './lesson-steps';
import { lessonHtml } from './markdown';
import { lessonCheckKey, useSim } from './store';

/** Wall-clock period of the live checks' refresh; they are evaluated again only when the lab moved or changed. */
const CHECK_MS = 1000;

export function LessonsPanel() {
  const lessons = useSim((s) => s.lessons);
  const steps = useMemo(() => walkSteps(lessons), [lessons]);
  const setOpen = useSim((s) => s.setLessonOpen);
  const index = useSim((s) => Math.min(s.lessonStep, Math.max(0, steps.length - 1)));
  const busy = useSim((s) => s.lessonBusy);
  const walk = steps[index];

  if (!walk)
    return (
      <aside className="panel lessons" aria-labelledby="lessons-heading" data-testid="lessons">
        <PanelTitle title="Lessons" onClose={() => setOpen(false)} />
        <div className="lesson-body">
          <p className="lesson-none">
            This lab has no lessons. A scenario file in format getlab-scenario/2 carries its own: steps with
            text, buttons and checks (docs/scenario.schema.json).
          </p>
        </div>
      </aside>
    );
  return (
    <aside className="panel lessons" aria-labelledby="lessons-heading" data-testid="lessons" aria-busy={busy}>
      <PanelTitle title={`Step ${index + 1} of ${steps.length}`} onClose={() => setOpen(false)} />
      <StepView key={index} walk={walk} index={index} lessonCount={lessons.length} />
      <StepNav steps={steps} index={index} />
    </aside>
  );
}

function PanelTitle({ title, onClose }: { title: string; onClose: () => void }) {
  return (
    <div className="panel-title-row">
      <h2 id="lessons-heading" className="panel-title">
        {title}
      </h2>
      <button type="button" className="button small" onClick={onClose} aria-label="Close lessons">
        ✕
      </button>
    </div>
  );
}

function StepView({ walk, index, lessonCount }: { walk: WalkStep; index: number; lessonCount: number }) {
  const student = useSim((s) => s.studentMode);
  const setStudent = useSim((s) => s.setStudentMode);
  const html = useMemo(() => lessonHtml(walk.step.text), [walk.step.text]);
  const lessonNo = useSim((s) => s.lessons.indexOf(walk.lesson)) + 1;
  return (
    <div className="lesson-body">
      <p className="lesson-of">
        {lessonCount > 1 ? `Lesson ${lessonNo} of ${lessonCount}: ` : ''}
        {walk.lesson.title}
      </p>
      <h3 className="lesson-title">{walk.step.title}</h3>
      {/* markdown-it with raw HTML off and only http(s)/mailto links: see markdown.ts. */}
      <div className="lesson-text" data-testid="lesson-text" dangerouslySetInnerHTML={{ __html: html }} />
      <label className="lesson-student">
        <input type="checkbox" checked={student} onChange={(e) => setStudent(e.target.checked)} /> Student
        mode
      </label>
      <StepButtons buttons={walk.step.actions} student={student} />
      <StepChecks checks={walk.step.checks} index={index} student={student} />
    </div>
  );
}

function StepButtons({ buttons, student }: { buttons: readonly LessonButton[]; student: boolean }) {
  const busy = useSim((s) => s.lessonBusy);
  const faults = useSim((s) => s.faults);
  const run = useSim((s) => s.runLessonAction);
  const applied = (id: string): boolean => faults.some((f) => f.fault.id === id);
  const shown = buttons.map((b, i) => ({ i, b: shownButton(b, applied) }));
  const visible = shown.filter(({ b }) => !(student && givesAnswer(b)));
  return (
    <>
      {student && visible.length < shown.length && (
        <p className="lesson-note">
          Student mode: make the change yourself at the console or in the config editor, then check your
          answer.
        </p>
      )}
      <div className="lesson-actions">
        {visible.map(({ i, b }) => (
          <button
            key={i}
            type="button"
            className="button small primary"
            data-button={i}
            disabled={busy}
            aria-busy={busy}
            onClick={() => void run(b.action)}
          >
            {b.label}
          </button>
        ))}
      </div>
    </>
  );
}

function StepChecks({
  checks,
  index,
  student,
}: {
  checks: readonly LessonCheck[];
  index: number;
  student: boolean;
}) {
  const refresh = useSim((s) => s.refreshLessonChecks);
  const grade = useSim((s) => s.checkLessonAnswer);
  const busy = useSim((s) => s.lessonBusy);
  const stored = useSim((s) => s.lessonResults);
  // The results were evaluated on the lab as it is now (browser tests wait on this, never on time).
  const fresh = useSim((s) => s.lessonResults?.key === lessonCheckKey(s));
  // Results of another step, or live ones in student mode, are not shown.
  const results = stored?.step === index && stored.graded === student ? stored.results : undefined;

  useEffect(() => {
    if (student) return;
    void refresh();
    const timer = setInterval(() => void refresh(), CHECK_MS);
    return () => clearInterval(timer);
  }, [refresh, student, index]);

  if (checks.length === 0) return null;
  const passed = results?.filter((r) => r.pass).length;
  return (
    <>
      {student && (
        <button
          type="button"
          className="button small lesson-check-answer"
          disabled={busy}
          aria-busy={busy}
          onClick={() => void grade()}
        >
          Check my answer
        </button>
      )}
      {passed !== undefined && (
        <p className="lesson-score" data-testid="lesson-score" data-fresh={fresh} aria-live="polite">
          {student ? 'Score' : 'Checks passing'}: {passed}/{checks.length}
        </p>
      )}
      <ul
        className="lesson-checks"
        aria-label="Checks"
        data-all-green={passed !== undefined && passed === checks.length}
      >
        {checks.map((c, i) => (
          <CheckItem key={i} check={c} result={results?.[i]} />
        ))}
      </ul>
    </>
  );
}

function CheckItem({ check, result }: { check: LessonCheck; result: CheckResult | undefined }) {
  const ok = result?.pass;
  return (
    <li className={ok === undefined ? 'check-pending' : ok ? 'check-ok' : 'check-no'}>
      <span className="check-mark" aria-hidden="true">
        {ok === undefined ? '…' : ok ? '✓' : '✗'}
      </span>
      <span className="check-text">
        <span className="check-label">{check.label ?? check.kind}</span>
        <span className="visually-hidden">
          {ok === undefined ? ' (not checked yet)' : ok ? ' (passed)' : ' (not yet)'}
        </span>
        {result && <span className="check-detail">{result.detail}</span>}
      </span>
    </li>
  );
}

function StepNav({ steps, index }: { steps: readonly WalkStep[]; index: number }) {
  const setStep = useSim((s) => s.setLessonStep);
  return (
    <nav className="lesson-nav" aria-label="Lesson steps">
      <button
        type="button"
        className="button small"
        disabled={index === 0}
        onClick={() => setStep(index - 1)}
      >
        ◀ Previous
      </button>
      <ol className="lesson-dots">
        {steps.map((w, i) => (
          <li key={i}>
            <button
              type="button"
              className={i === index ? 'lesson-dot active' : 'lesson-dot'}
              aria-label={`Step ${i + 1}: ${w.step.title}`}
              aria-current={i === index ? 'step' : undefined}
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
        disabled={index === steps.length - 1}
        onClick={() => setStep(index + 1)}
      >
        Next ▶
      </button>
    </nav>
  );
}
