import { useEffect } from 'react';
import { BottomTabs } from './BottomTabs';
import { DevicePanel } from './DevicePanel';
import { EventList } from './EventList';
import { Header } from './Header';
import { LessonsPanel } from './LessonsPanel';
import { RouterPanel } from './RouterPanel';
import { startDefaultLab, useSim } from './store';
import { Timeline } from './Timeline';
import { Topology } from './Topology';

/** True when a key press belongs to a text field (or a control that uses the key itself). */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return (target as HTMLInputElement).type !== 'checkbox';
  return false;
}

/** Classroom shortcuts: space plays or pauses; arrows step to the next or previous event. */
function onShortcut(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
  const s = useSim.getState();
  if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) {
    e.preventDefault();
    if (s.running) s.pause();
    else s.play();
  } else if (e.key === 'ArrowRight') {
    e.preventDefault();
    if (s.mode === 'simulation') void s.nextEvent();
    else void s.step();
  } else if (e.key === 'ArrowLeft' && s.mode === 'simulation') {
    e.preventDefault();
    void s.previousEvent();
  }
}

export function App() {
  const theme = useSim((s) => s.theme);
  const projector = useSim((s) => s.projector);
  const lessonOpen = useSim((s) => s.lessonOpen);

  // The theme and type size live on <html> so the page background and native controls follow them too.
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.classList.toggle('projector', projector);
  }, [theme, projector]);

  useEffect(() => {
    startDefaultLab();
    window.addEventListener('keydown', onShortcut);
    return () => window.removeEventListener('keydown', onShortcut);
  }, []);

  return (
    <div className={lessonOpen ? 'app with-lessons' : 'app'}>
      <Header />
      <Timeline />
      <DevicePanel />
      <Topology />
      <RouterPanel />
      {lessonOpen && <LessonsPanel />}
      <div className="bottom">
        <EventList />
        <BottomTabs />
      </div>
    </div>
  );
}
