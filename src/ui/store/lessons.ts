// Lessons: the scenario's lessons as the worker read them (format 2), the panel's step, the buttons' actions run
// through the page's own paths (consoles, faults) and the worker's LessonDriver (runs), the step's checks
// evaluated by the worker on typed state, and student mode's graded check.
import type { LessonAction, LessonRunAction, SimTime } from '../../worker/protocol';
import { drPriorityFault, type Fault, mrouteFault, nbmaModeFault } from '../faults';
import { walkSteps } from '../lesson-steps';
import { TRACE_WINDOW } from './constants';
import type { GetState, LessonsSlice, SetState, SimState } from './state';

/** What the lab looks like to the checks: results evaluated on another key are not the lab's as it is now. */
export function lessonCheckKey(s: SimState): string {
  return `${s.labSerial}:${s.lessonStep}:${s.lessonStart}:${s.now}:${s.traceTotal}:${s.configVersion}:${s.faults.length}`;
}

type LessonFault = Extract<LessonAction, { kind: 'fault' }>['fault'];

/** The faults panel's fault for each fault a lesson button names (the runner types the same lines). */
const FAULT_MAKERS: Readonly<Record<LessonFault, (device: string, config: string) => Fault | undefined>> = {
  mroute: mrouteFault,
  'nbma-mode': nbmaModeFault,
  'dr-priority': drPriorityFault,
};

export function createLessonsSlice(set: SetState, get: GetState): LessonsSlice {
  /** Lesson work runs one piece at a time: a step's `leave` finishes before the next step's first button. */
  let queue: Promise<unknown> = Promise.resolve();
  let working = 0;

  function enqueue(job: () => Promise<void>): Promise<void> {
    set({ lessonBusy: true });
    working++;
    const next = queue.then(job, job).finally(() => {
      if (--working === 0) set({ lessonBusy: false });
    });
    queue = next.catch(() => undefined);
    return next;
  }

  const checkKey = (): string => lessonCheckKey(get());

  /** Runs the lab on with the worker's LessonDriver (the runner's), then shows it as a seek does. */
  async function runOn(action: LessonRunAction): Promise<void> {
    get().pause();
    get().forgetSteps();
    get().restartAnimation();
    set({ stepSeqs: [], eventTime: undefined, stepNote: undefined });
    get().ingest(await get().call((api) => api.runLesson(action, TRACE_WINDOW)), false);
    await get().refreshLab();
  }

  /** Applies or undoes a fault the lesson names, as the faults panel does (one in the wanted state is left). */
  async function setFault(fault: LessonFault, device: string, on: boolean): Promise<void> {
    const id = `${fault}:${device}`;
    const applied = get().faults.some((f) => f.fault.id === id);
    if (applied === on) return;
    if (applied) return get().undoFault(id);
    const config = await get().runningConfig(device);
    const made = FAULT_MAKERS[fault](device, config);
    if (made) await get().applyFault(made);
  }

  /** Console lines typed at the device's console, shown: the student sees the command and its answer. */
  async function type(device: string, lines: readonly string[]): Promise<void> {
    const s = get();
    s.select(device);
    // The runner types at a console of its own, in EXEC mode: a console left in configuration mode is ended first.
    if (s.consoles.get(device)?.prompt.includes('(config')) await s.exec(device, 'end');
    for (const line of lines) await get().exec(device, line);
  }

  async function perform(action: LessonAction): Promise<void> {
    switch (action.kind) {
      case 'cli':
        return type(action.device, action.lines);
      case 'fault':
        return setFault(action.fault, action.device, action.on);
      case 'all':
        for (const a of action.actions) await perform(a);
        return;
      default:
        return runOn(action);
    }
  }

  /** The step being left owes its `leave` action when one of its buttons ran (a debug it turned on goes off). */
  function leave(step: number): void {
    const action = walkSteps(get().lessons)[step]?.step.leave;
    if (!get().settleLeave(step) || !action) return;
    void enqueue(() => perform(action)).catch((e: unknown) => get().reportSimError(e));
  }

  /** Evaluates the step's checks on the worker's lab now; `graded` for student mode's "Check my answer". */
  async function evaluate(graded: boolean): Promise<void> {
    const key = checkKey();
    const { lessonStep, lessonStart, now, lessons } = get();
    const step = walkSteps(lessons)[lessonStep]?.step;
    if (!step) return;
    // After a rewind to before the step began, "since the step began" is since now.
    const since: SimTime = Math.min(lessonStart, now);
    const results = await get().call((api) => api.evaluateChecks(step.checks, since));
    if (get().lessonStep !== lessonStep) return;
    set({ lessonResults: { step: lessonStep, key, results, graded } });
  }

  return {
    lessonOpen: false,
    lessonStep: 0,
    lessonOwed: new Set(),
    lessons: [],
    lessonStart: 0,
    studentMode: false,
    lessonBusy: false,

    setLessonOpen(lessonOpen) {
      if (!lessonOpen) leave(get().lessonStep);
      set({ lessonOpen });
    },

    setLessonStep(step) {
      const from = get().lessonStep;
      const lessonStep = Math.max(0, step);
      if (from !== lessonStep) leave(from);
      set({ lessonStep, lessonOpen: true, lessonStart: get().now, lessonResults: undefined });
    },

    oweLeave(step) {
      if (get().lessonOwed.has(step)) return;
      set((s) => ({ lessonOwed: new Set([...s.lessonOwed, step]) }));
    },

    settleLeave(step) {
      if (!get().lessonOwed.has(step)) return false;
      set((s) => ({ lessonOwed: new Set([...s.lessonOwed].filter((n) => n !== step)) }));
      return true;
    },

    async refreshLessons() {
      try {
        const lessons = await get().call((api) => api.lessons());
        // A step restored from a saved session or a link stays; one past this lab's last step becomes its last.
        const steps = walkSteps(lessons).length;
        const lessonStep = steps > 0 ? Math.min(get().lessonStep, steps - 1) : get().lessonStep;
        set({ lessons, lessonStep, lessonOwed: new Set(), lessonStart: get().now, lessonResults: undefined });
      } catch (e) {
        set({ lessons: [] });
        get().reportSimError(e);
      }
    },

    runLessonAction(action) {
      const step = get().lessonStep;
      if (walkSteps(get().lessons)[step]?.step.leave) get().oweLeave(step);
      return enqueue(() => perform(action)).catch((e: unknown) => get().reportSimError(e));
    },

    async refreshLessonChecks() {
      const s = get();
      if (!s.lab || s.rewinding || s.lessonBusy || s.studentMode) return;
      if (s.lessonResults?.key === checkKey()) return;
      await evaluate(false);
    },

    checkLessonAnswer() {
      return enqueue(() => evaluate(true)).catch((e: unknown) => get().reportSimError(e));
    },

    setStudentMode(studentMode) {
      set({ studentMode, lessonResults: undefined });
    },
  };
}
