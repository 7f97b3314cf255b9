// Lessons: the walk-through's open state and step, and the `leave` actions owed by steps whose actions ran.
import { describe, expect, it } from 'vitest';
import { createSimStore } from './compose';
import { replayEnv } from './fake-env.test-support';

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
});
