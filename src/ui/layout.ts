// The page's layout state: the focus view, which resizable panels are collapsed, the drawer open on a narrow
// screen, and how large the topology canvas draws its text. Kept apart from the simulation store: nothing here
// talks to the worker.
import type { PanelImperativeHandle } from 'react-resizable-panels';
import { create } from 'zustand';

/** Panels of the wide layout that collapse (the topology never does). */
export type PanelId = 'devices' | 'router' | 'bottom' | 'lessons';

/** What a narrow screen (tablet, phone) opens as a drawer over the topology. */
export type DrawerId = 'devices' | 'router' | 'events' | 'details';

/** Below this width the side and bottom panels become drawers (tablets in portrait, phones). */
export const NARROW_QUERY = '(max-width: 820px)';

/** Smallest on-screen text the topology canvas draws in projector mode (read from the back of a room). */
export const PROJECTOR_CANVAS_TEXT_PX = 20;

/** Outside projector mode: labels never shrink below this (at 1024×768 they used to vanish). */
export const NORMAL_CANVAS_TEXT_PX = 10;

const FOCUS_KEY = 'getlab:focus';

export interface LayoutState {
  /** The topology has the whole window, with the caption and the timeline. */
  readonly focus: boolean;
  /** Mirrors the panel library's state: which panels are collapsed now. */
  readonly collapsed: Readonly<Record<PanelId, boolean>>;
  readonly drawer?: DrawerId;
  /**
   * Smallest on-screen size (px) of text drawn on the topology: node, interface, RPF and packet labels and drop
   * callouts. The topology sets it (projector mode: 20); the packet animation reads it.
   */
  readonly canvasTextPx: number;
  /** The mounted panels' imperative handles (collapse, expand), registered by the layout as they mount. */
  readonly panels: ReadonlyMap<PanelId, PanelImperativeHandle>;
  setFocus(on: boolean): void;
  setCollapsed(id: PanelId, collapsed: boolean): void;
  setDrawer(drawer: DrawerId | undefined): void;
  setCanvasTextPx(px: number): void;
  /** A panel mounted (its handle) or unmounted (null). */
  registerPanel(id: PanelId, handle: PanelImperativeHandle | null): void;
}

function savedFocus(): boolean {
  try {
    return globalThis.localStorage?.getItem(FOCUS_KEY) === '1';
  } catch {
    return false;
  }
}

export const useLayout = create<LayoutState>()((set) => ({
  focus: savedFocus(),
  collapsed: { devices: false, router: false, bottom: false, lessons: true },
  canvasTextPx: NORMAL_CANVAS_TEXT_PX,
  panels: new Map(),
  setFocus(focus) {
    set({ focus });
    try {
      globalThis.localStorage?.setItem(FOCUS_KEY, focus ? '1' : '0');
    } catch {
      // Storage disabled: the view lasts for this visit.
    }
  },
  setCollapsed(id, on) {
    set((s) => (s.collapsed[id] === on ? s : { collapsed: { ...s.collapsed, [id]: on } }));
  },
  setDrawer(drawer) {
    set({ drawer });
  },
  setCanvasTextPx(canvasTextPx) {
    set({ canvasTextPx });
  },
  registerPanel(id, handle) {
    set((s) => {
      const panels = new Map(s.panels);
      if (handle) panels.set(id, handle);
      else panels.delete(id);
      return { panels };
    });
  },
}));

/** A mounted panel's handle. */
export function panelHandle(id: PanelId): PanelImperativeHandle | undefined {
  return useLayout.getState().panels.get(id);
}

/** Collapses an open panel or expands a collapsed one. */
export function togglePanel(id: PanelId): void {
  const panel = panelHandle(id);
  if (!panel) return;
  if (panel.isCollapsed()) panel.expand();
  else panel.collapse();
}

/**
 * How much to enlarge the topology's text so that text of `base` model units drawn at `zoom` is at least
 * `minPx` screen pixels: 1 when it already is (or when no minimum is asked for).
 */
export function canvasTextScale(base: number, zoom: number, minPx: number): number {
  if (minPx <= 0 || zoom <= 0) return 1;
  return Math.max(1, minPx / (base * zoom));
}
