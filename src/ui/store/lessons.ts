// Lessons: whether the walk-through is open, at which step, and which steps owe their `leave` action.
import type { GetState, LessonsSlice, SetState } from './state';

export function createLessonsSlice(set: SetState, get: GetState): LessonsSlice {
  return {
    lessonOpen: false,
    lessonStep: 0,
    lessonOwed: new Set(),

    setLessonOpen(lessonOpen) {
      set({ lessonOpen });
    },

    setLessonStep(lessonStep) {
      set({ lessonStep: Math.max(0, lessonStep), lessonOpen: true });
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
  };
}
