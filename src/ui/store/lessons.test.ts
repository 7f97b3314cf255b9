// Lessons: the scenario's lessons read from the worker, the walk-through's step, the `leave` actions owed by steps
// whose actions ran, the buttons run through the page's paths, and the checks the worker evaluates, live or scored.
import { describe, expect, it } from 'vitest';
import REFERENCE from '../../../public/scenarios/getvpn-multicast-rekey.json?raw';
import type { GradeReport } from '../../runner/check';
import { runHeadless } from '../../runner/run';
import { createSimApi } from '../../worker/api';
import { walkSteps } from '../lesson-steps';
import { createSimStore } from './compose';
import { SECOND, fakeEnv, portOver, replayEnv, settle } from './fake-env.test-support';
import { NO_CHECKS_IN_REPLAY } from './replay-worker';

/** A store over the real worker API (in this thread), with the reference lab and its lessons loaded. */
async function referenceStore(): Promise<ReturnType<typeof createSimStore>> {
  const store = createSimStore(fakeEnv(portOver(() => createSimApi())));
  await store.getState().loadText(REFERENCE, 'file:reference.json', 'reference.json');
  await store.getState().refreshLessons();
  await settle();
  return store;
}

describe('the lessons slice', () => {
  it('going to a step opens the panel there; a step below the first is the first', () => {
    const store = createSimStore(replayEnv());
    expect(store.getState().lessonOpen).toBe(false);
    store.getState().setLessonStep(3);
    expect([store.getState().lessonOpen, store.getState().lessonStep]).toEqual([true, 3]);
    store.getState().setLessonStep(-2);
    expect(store.getState().lessonStep).toBe(0);
    store.getState().setLessonOpen(false);
    expect(store.getState().lessonOpen).toBe(false);
  });

  it('a step whose actions ran owes its leave action once', () => {
    const store = createSimStore(replayEnv());
    expect(store.getState().settleLeave(2)).toBe(false);
    store.getState().oweLeave(2);
    store.getState().oweLeave(2);
    expect(store.getState().settleLeave(2)).toBe(true);
    expect(store.getState().settleLeave(2)).toBe(false);
  });

  it('a recorded trace has no lessons, and its checks say why in plain language', async () => {
    const store = createSimStore(replayEnv());
    await store.getState().refreshLessons();
    expect(store.getState().lessons).toEqual([]);
    const answer = await store
      .getState()
      .call((api) => api.evaluateChecks([{ kind: 'rekey-since-change', member: 'x' }], 0));
    expect(answer).toEqual([{ pass: false, detail: NO_CHECKS_IN_REPLAY }]);
  });

  it("a recorded trace runs a lesson's run actions through its events: to the KS's rekey, for a time, to a time", async () => {
    const store = createSimStore(replayEnv());
    await store.getState().loadText('{}', 'file:small.json', 'small.json');
    const s = (): ReturnType<typeof store.getState> => store.getState();
    // The small recording's key server sends its rekey at 3 s + 1 µs (its packet, then its syslog line).
    await s().runLessonAction({ kind: 'next-rekey', ks: 'KS' });
    expect(s().now).toBe(3 * SECOND + 1);
    await s().runLessonAction({ kind: 'run-for', seconds: 2 });
    expect(s().now).toBe(5 * SECOND + 1);
    await s().runLessonAction({ kind: 'run-to', seconds: 10 });
    expect(s().now).toBe(10 * SECOND);
    expect(s().markers.map((m) => m.kind)).toEqual(expect.arrayContaining(['rekey', 'rpf-drop']));
  });

  it("a step past the lab's last (a saved session of a lab that had more) becomes its last when the lessons arrive", async () => {
    const store = await referenceStore();
    const last = walkSteps(store.getState().lessons).length - 1;
    store.getState().setLessonStep(last + 5);
    await store.getState().refreshLessons();
    expect(store.getState().lessonStep).toBe(last);
  });

  it("walks every step of the reference lab's lessons as --check does: each step's checks pass, at the runner's times, with its details", async () => {
    const store = await referenceStore();
    const s = (): ReturnType<typeof store.getState> => store.getState();
    const steps = walkSteps(s().lessons);
    expect(steps.length).toBeGreaterThan(0);
    // `npm run sim -- <reference> --check --json`: where each step ended, and what each check said.
    const graded = await runHeadless({
      options: { scenarioPath: 'reference.json', until: 0, exec: [], log: false, check: true, json: true },
      scenarioText: REFERENCE,
    });
    const report = JSON.parse(graded.stdout.join('\n')) as GradeReport;
    expect(report.failed).toBe(0);
    const runner = report.lessons.flatMap((l) => l.steps);
    expect(runner).toHaveLength(steps.length);
    for (const [i, walk] of steps.entries()) {
      s().setLessonStep(i);
      for (const button of walk.step.actions) await s().runLessonAction(button.action);
      await s().checkLessonAnswer();
      const results = s().lessonResults;
      expect(results?.step).toBe(i);
      const failed = results!.results.flatMap((r, k) =>
        r.pass ? [] : [`${walk.step.checks[k]?.label}: ${r.detail}`],
      );
      expect(failed, walk.step.title).toEqual([]);
      // The page's step ends at the runner's simulated time, with the runner's verdicts. (Not always its words: a
      // `show ip mroute` uptime can differ by a second when the lab waited on the wall clock after loading, as the
      // page does and the runner does not; see the report of issue 17's lessons panel.)
      expect(s().now / 1_000_000, walk.step.title).toBe(runner[i]!.endSeconds);
      expect(results!.results.map((r) => r.pass)).toEqual(runner[i]!.checks.map((c) => c.pass));
    }
  });

  it('student mode: a broken step scores its failures with the worker’s details, and passes once fixed at the console', async () => {
    const store = await referenceStore();
    const s = (): ReturnType<typeof store.getState> => store.getState();
    const steps = walkSteps(s().lessons);
    const rpf = steps.findIndex((w) => w.step.title === 'The RPF failure');
    const putBack = steps.findIndex((w) => w.step.title === 'Putting the mroute back');
    s().setStudentMode(true);
    s().setLessonStep(rpf);
    // The step's first button breaks the lab (it stays in student mode); the second runs to the next rekey.
    for (const button of steps[rpf]!.step.actions) await s().runLessonAction(button.action);
    s().setLessonStep(putBack);
    await s().checkLessonAnswer();
    const before = s().lessonResults!;
    expect(before.graded).toBe(true);
    // Scored 1/3: no RPF through the tunnel, no rekey since the change; the TEK GM-2 got at registration is still
    // the key server's current one.
    expect(before.results.map((r) => r.pass)).toEqual([false, false, true]);
    expect(before.results[0]!.detail).toBe(
      "GM-2's RPF interface for 1.1.1.1 is Serial1/0, expected Tunnel10.",
    );
    expect(before.results[1]!.detail).toBe('GM-2 has received no rekey.');
    // The student types the fix; the step's run button (kept in student mode) runs on to the next rekey.
    for (const line of ['configure terminal', 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1', 'end'])
      await s().exec('GM-2', line);
    const run = steps[putBack]!.step.actions.find((b) => b.action.kind === 'until-rekey')!;
    await s().runLessonAction(run.action);
    await s().checkLessonAnswer();
    expect(s().lessonResults!.results.map((r) => r.pass)).toEqual([true, true, true]);
  });
});
