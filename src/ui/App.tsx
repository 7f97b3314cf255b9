import { type ReactNode, useEffect, useSyncExternalStore } from 'react';
import {
  Group,
  Panel,
  type PanelImperativeHandle,
  Separator,
  useDefaultLayout,
} from 'react-resizable-panels';
import { BottomTabs } from './BottomTabs';
import { DevicePanel } from './DevicePanel';
import { EventList } from './EventList';
import { Header } from './Header';
import { type DrawerId, NARROW_QUERY, type PanelId, panelHandle, useLayout } from './layout';
import { LessonsPanel } from './LessonsPanel';
import { RouterPanel } from './RouterPanel';
import { SessionBar } from './SessionBar';
import { useSim } from './store';
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

/** Classroom shortcuts: space plays or pauses; arrows step to the next or previous event; F toggles focus. */
function onShortcut(e: KeyboardEvent): void {
  if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return;
  const s = useSim.getState();
  if (e.key === ' ' && !(e.target instanceof HTMLButtonElement)) {
    e.preventDefault();
    if (s.running) s.pause();
    else s.play();
  } else if (e.key === 'ArrowRight' && !isSeparator(e.target)) {
    e.preventDefault();
    if (s.mode === 'simulation') void s.nextEvent();
    else void s.step();
  } else if (e.key === 'ArrowLeft' && s.mode === 'simulation' && !isSeparator(e.target)) {
    e.preventDefault();
    void s.previousEvent();
  } else if (e.key === 'f' || e.key === 'F') {
    e.preventDefault();
    const layout = useLayout.getState();
    layout.setFocus(!layout.focus);
  } else if (e.key === 'Escape' && useLayout.getState().focus) {
    useLayout.getState().setFocus(false);
  }
}

/**
 * The console takes Tab for IOS command completion, which would trap keyboard users (WCAG 2.1.2, No Keyboard
 * Trap). Escape releases it: the following Tab is kept from the console (window capture phase, before React's
 * handlers) and moves focus to the next control as usual. Any other key gives Tab back to completion.
 */
function consoleEscapeHandler(): (e: KeyboardEvent) => void {
  /** The console input where Escape was just pressed: its next Tab moves focus on instead of completing. */
  let escapedConsole: EventTarget | undefined;
  return (e) => {
    const inConsole = e.target instanceof HTMLInputElement && e.target.classList.contains('console-input');
    if (inConsole && e.key === 'Escape') {
      escapedConsole = e.target ?? undefined;
      return;
    }
    if (e.key === 'Tab' && e.target === escapedConsole) {
      e.stopPropagation();
      escapedConsole = undefined;
      return;
    }
    if (e.key !== 'Shift') escapedConsole = undefined;
  };
}

/** A panel separator uses the arrow keys to resize. */
function isSeparator(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.getAttribute('role') === 'separator';
}

function subscribeMedia(query: string): (notify: () => void) => () => void {
  return (notify) => {
    const m = window.matchMedia(query);
    m.addEventListener('change', notify);
    return () => m.removeEventListener('change', notify);
  };
}

const subscribeNarrow = subscribeMedia(NARROW_QUERY);

function useNarrow(): boolean {
  return useSyncExternalStore(subscribeNarrow, () => window.matchMedia(NARROW_QUERY).matches);
}

export function App() {
  const theme = useSim((s) => s.theme);
  const projector = useSim((s) => s.projector);
  const focus = useLayout((s) => s.focus);
  const narrow = useNarrow();

  // The theme and type size live on <html> so the page background and native controls follow them too.
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.classList.toggle('projector', projector);
  }, [theme, projector]);

  useEffect(() => {
    // The store opens the first lab once (StrictMode runs this effect twice).
    void useSim.getState().start();
    const onConsoleEscape = consoleEscapeHandler();
    window.addEventListener('keydown', onShortcut);
    window.addEventListener('keydown', onConsoleEscape, true);
    return () => {
      window.removeEventListener('keydown', onShortcut);
      window.removeEventListener('keydown', onConsoleEscape, true);
    };
  }, []);

  const mode = focus ? 'focus' : narrow ? 'narrow' : projector ? 'projector' : 'wide';
  return (
    <div className={`app app-${mode}`} data-layout={mode}>
      {focus ? <FocusBar /> : <Header />}
      <SessionBar />
      <Timeline />
      <main className="workspace" aria-label="Lab">
        {mode === 'wide' && <WideLayout />}
        {mode === 'projector' && <ProjectorLayout />}
        {mode === 'narrow' && <NarrowLayout />}
        {mode === 'focus' && <Topology />}
      </main>
    </div>
  );
}

/** The focus view's only controls: leave it (the keyboard shortcuts keep working). */
function FocusBar() {
  const setFocus = useLayout((s) => s.setFocus);
  const running = useSim((s) => s.running);
  const play = useSim((s) => s.play);
  const pause = useSim((s) => s.pause);
  return (
    <header className="focus-bar">
      <span className="brand-name">GETLab</span>
      <button type="button" className="button primary" onClick={running ? pause : play}>
        {running ? '❚❚ Pause' : '▶ Play'}
      </button>
      <button type="button" className="button" onClick={() => setFocus(false)} title="Leave focus view (F)">
        Leave focus (F)
      </button>
    </header>
  );
}

/** Registers a panel's handle for the header's toggles and mirrors its collapsed state. */
function panelRef(id: PanelId): (handle: PanelImperativeHandle | null) => void {
  return (handle) => useLayout.getState().registerPanel(id, handle);
}

function onPanelResize(id: PanelId): () => void {
  return () => useLayout.getState().setCollapsed(id, panelHandle(id)?.isCollapsed() ?? false);
}

function Handle({ label, vertical }: { label: string; vertical?: boolean }) {
  return (
    <Separator className={vertical ? 'resize-handle horizontal-bar' : 'resize-handle'} aria-label={label} />
  );
}

/** A panel the header's buttons can collapse and expand; its collapsed state is kept with the layout. */
function CollapsibleSlot({
  id,
  children,
  ...sizes
}: {
  id: PanelId;
  children: ReactNode;
  defaultSize: string;
  minSize: string;
  maxSize?: string;
}) {
  return (
    <Panel
      id={`slot-${id}`}
      panelRef={panelRef(id)}
      onResize={onPanelResize(id)}
      collapsible
      className="panel-slot"
      {...sizes}
    >
      {children}
    </Panel>
  );
}

/**
 * Desktop: the topology in the middle, the largest panel; devices, router console, lessons and the bottom
 * panels resizable and collapsible (react-resizable-panels), their sizes saved in localStorage.
 */
function WideLayout() {
  const lessonOpen = useSim((s) => s.lessonOpen);
  const rows = useDefaultLayout({ id: 'getlab-rows', storage: localStorage });
  const columns = useDefaultLayout({ id: 'getlab-columns', storage: localStorage });
  const bottom = useDefaultLayout({ id: 'getlab-bottom', storage: localStorage });
  // The lessons column is always there, collapsed while the lessons are closed: opening them must not re-create
  // the topology (a remount would lose the drawing and dragged positions).
  useEffect(() => {
    const lessons = panelHandle('lessons');
    if (!lessons) return;
    if (lessonOpen && lessons.isCollapsed()) lessons.expand();
    if (!lessonOpen && !lessons.isCollapsed()) lessons.collapse();
  }, [lessonOpen]);
  return (
    <Group orientation="vertical" id="getlab-rows" className="rows" {...rows}>
      <Panel id="slot-upper" minSize="30%" className="panel-slot">
        <Group orientation="horizontal" id="getlab-columns" className="columns" {...columns}>
          <CollapsibleSlot id="devices" defaultSize="13%" minSize="110px" maxSize="30%">
            <DevicePanel />
          </CollapsibleSlot>
          <Handle label="Resize devices and topology" />
          <Panel id="slot-topology" minSize="35%" defaultSize="55%" className="panel-slot">
            <Topology />
          </Panel>
          <Handle label="Resize topology and router console" />
          <CollapsibleSlot id="router" defaultSize="32%" minSize="240px">
            <RouterPanel />
          </CollapsibleSlot>
          <Handle label="Resize router console and lessons" />
          <Panel
            id="slot-lessons"
            panelRef={panelRef('lessons')}
            onResize={() => {
              // Dragging the lessons column shut closes the lessons; dragging it open opens them.
              const open = !(panelHandle('lessons')?.isCollapsed() ?? true);
              if (open !== useSim.getState().lessonOpen) useSim.getState().setLessonOpen(open);
            }}
            collapsible
            defaultSize={lessonOpen ? '22%' : '0%'}
            minSize="220px"
            className="panel-slot"
          >
            {lessonOpen && <LessonsPanel />}
          </Panel>
        </Group>
      </Panel>
      <Handle label="Resize the lab and the event panels" vertical />
      <CollapsibleSlot id="bottom" defaultSize="30%" minSize="120px">
        <Group orientation="horizontal" id="getlab-bottom" className="bottom" {...bottom}>
          <Panel id="slot-events" defaultSize="58%" minSize="25%" className="panel-slot">
            <EventList />
          </Panel>
          <Handle label="Resize events and details" />
          <Panel id="slot-details" defaultSize="42%" minSize="25%" className="panel-slot">
            <BottomTabs />
          </Panel>
        </Group>
      </CollapsibleSlot>
    </Group>
  );
}

/**
 * Projector mode: the topology takes the full width on top (20 px labels need it: the reference lab's chain of
 * five devices with interface labels at both ends of each link is about 1000 px wide at that size), with the
 * devices, the router console, the events and the details side by side below it.
 */
function ProjectorLayout() {
  const lessonOpen = useSim((s) => s.lessonOpen);
  const rows = useDefaultLayout({ id: 'getlab-projector-rows', storage: localStorage });
  const bottom = useDefaultLayout({
    id: lessonOpen ? 'getlab-projector-bottom-lessons-2' : 'getlab-projector-bottom-2',
    storage: localStorage,
  });
  return (
    <Group orientation="vertical" id="getlab-projector-rows" className="rows" {...rows}>
      <Panel id="slot-topology" defaultSize="66%" minSize="35%" className="panel-slot">
        <Topology />
      </Panel>
      <Handle label="Resize the topology and the panels below it" vertical />
      <CollapsibleSlot id="bottom" defaultSize="34%" minSize="140px">
        <Group
          key={lessonOpen ? 'lessons' : 'plain'}
          orientation="horizontal"
          id="getlab-projector-bottom"
          className="bottom"
          {...bottom}
        >
          <CollapsibleSlot id="devices" defaultSize="14%" minSize="110px">
            <DevicePanel />
          </CollapsibleSlot>
          <Handle label="Resize devices and console" />
          <CollapsibleSlot id="router" defaultSize="32%" minSize="200px">
            <RouterPanel />
          </CollapsibleSlot>
          <Handle label="Resize console and events" />
          <Panel id="slot-events" defaultSize="27%" minSize="12%" className="panel-slot">
            <EventList />
          </Panel>
          <Handle label="Resize events and details" />
          <Panel id="slot-details" defaultSize="27%" minSize="12%" className="panel-slot">
            <BottomTabs />
          </Panel>
          {lessonOpen && (
            <>
              <Handle label="Resize details and lessons" />
              <Panel id="slot-lessons" defaultSize="28%" minSize="200px" className="panel-slot">
                <LessonsPanel />
              </Panel>
            </>
          )}
        </Group>
      </CollapsibleSlot>
    </Group>
  );
}

const DRAWERS: readonly { id: DrawerId; label: string }[] = [
  { id: 'devices', label: 'Devices' },
  { id: 'router', label: 'Console' },
  { id: 'events', label: 'Events' },
  { id: 'details', label: 'Details' },
];

/** Tablets and phones: the topology fills the screen; every other panel opens as a drawer over it. */
function NarrowLayout() {
  const drawer = useLayout((s) => s.drawer);
  const setDrawer = useLayout((s) => s.setDrawer);
  const lessonOpen = useSim((s) => s.lessonOpen);
  const setLessonOpen = useSim((s) => s.setLessonOpen);
  return (
    <>
      <Topology />
      <nav className="drawer-bar" aria-label="Panels">
        {DRAWERS.map((d) => (
          <button
            key={d.id}
            type="button"
            className={drawer === d.id ? 'button active' : 'button'}
            aria-expanded={drawer === d.id}
            onClick={() => setDrawer(drawer === d.id ? undefined : d.id)}
          >
            {d.label}
          </button>
        ))}
      </nav>
      {drawer && (
        <Drawer
          label={DRAWERS.find((d) => d.id === drawer)?.label ?? ''}
          onClose={() => setDrawer(undefined)}
        >
          {drawer === 'devices' && <DevicePanel />}
          {drawer === 'router' && <RouterPanel />}
          {drawer === 'events' && <EventList />}
          {drawer === 'details' && <BottomTabs />}
        </Drawer>
      )}
      {lessonOpen && (
        <Drawer label="Lessons" onClose={() => setLessonOpen(false)} side="lessons">
          <LessonsPanel />
        </Drawer>
      )}
    </>
  );
}

function Drawer(props: { label: string; onClose: () => void; side?: string; children: ReactNode }) {
  return (
    <section
      className={props.side ? `drawer drawer-${props.side}` : 'drawer'}
      aria-label={`${props.label} drawer`}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !typing(e.target)) props.onClose();
      }}
    >
      <div className="drawer-head">
        <button type="button" className="button small" onClick={props.onClose}>
          Close {props.label}
        </button>
      </div>
      <div className="drawer-body">{props.children}</div>
    </section>
  );
}
