import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { LayerMode } from './hops';
import type { LabView } from '../worker/protocol';
import { PacketAnimator } from './packet-animator';
import { useSim } from './store';
import {
  applyLayers,
  applyMulticast,
  BIG_LAB_DEVICES,
  MIN_ZOOM,
  fitTopology,
  isShown,
  markSelected,
  rebuildTopology,
  spreadTopology,
  updateTopology,
} from './topology-sync';
import { download } from './download';
import { canvasTextScale, NORMAL_CANVAS_TEXT_PX, PROJECTOR_CANVAS_TEXT_PX, useLayout } from './layout';
import { topologyPng, topologySvg } from './topology-export';
import {
  FULL_DETAIL,
  TOPOLOGY_STYLE,
  type TopologyDetail,
  detailAt,
  sameDetail,
  topologyStyle,
} from './topology-style';
import { EditToggle, EditorToolbar } from './EditorToolbar';
import { wireEditing } from './topology-editing';

const LAYER_CHOICES: readonly { value: LayerMode; label: string }[] = [
  { value: 'underlay', label: 'Underlay' },
  { value: 'overlay', label: 'Overlay' },
  { value: 'both', label: 'Both' },
];

export function Topology() {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const captionRef = useRef<HTMLDivElement>(null);
  const viewRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | undefined>(undefined);
  const webgl = useSim((s) => s.webgl);
  const dark = useSim((s) => s.theme === 'dark');

  // Re-created when the renderer changes: Cytoscape picks canvas or WebGL when it starts.
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    const caption = captionRef.current;
    // What the drawing shows for browser tests (builds, labels drawn) is published here, not on Cytoscape's
    // container: Cytoscape takes any change of its container's attributes for a resize and redraws everything
    // (at 5,000 spokes, seconds of WebGL drawing in a software GL).
    const view = viewRef.current;
    if (!container || !canvas || !caption || !view) return;
    const make = (): cytoscape.Core =>
      cytoscape({
        container,
        style: TOPOLOGY_STYLE,
        elements: [],
        layout: { name: 'preset' },
        autounselectify: true,
        boxSelectionEnabled: false,
        // A 5,000-spoke lab fits its panel at a zoom near 0.003 (its spokes on an arc 130,000 units tall).
        minZoom: MIN_ZOOM,
        maxZoom: 4,
        // Big labs: the WebGL renderer draws nodes and edges from texture atlases (Cytoscape 3.31+).
        ...(webgl ? { webgl: true, webglBgColor: dark ? [22, 27, 34] : [255, 255, 255] } : {}),
        // Big labs pan and zoom without redrawing every label.
        hideLabelsOnViewport: webgl,
        textureOnViewport: false,
      });
    const cy = webgl ? make() : withCpuCanvases(make);
    container.dataset.renderer = webgl ? 'webgl' : 'canvas';
    cyRef.current = cy;
    cy.on('tap', 'node', (e) => useSim.getState().select(e.target.id() as string));
    const offEditing = wireEditing(cy, container);
    // Dragged devices belong to the saved session (the store's session slice): a reload or a link puts them back.
    // Saved as the lab is placed before spreadTopology widens it (projector text): the same drag in any frame.
    cy.on('dragfree', 'node', (e) => {
      // In edit mode a drag is an edit of the scenario's positions (topology-editing.ts).
      if (useSim.getState().editing) return;
      const p = unspread(cy, (e.target as cytoscape.NodeSingular).position());
      useSim.getState().setPosition(e.target.id() as string, p.x, p.y);
    });
    const placeDragged = (): void => {
      const dragged = useSim.getState().positions;
      // The spread is about the drawing's centre, which the placed devices move: a few rounds settle it.
      for (let round = 0; round < 4 && dragged.length > 0; round++) {
        const spread = (cy.scratch('spread') as number | undefined) ?? 1;
        const cx = centreX(cy);
        for (const [id, x, y] of dragged) {
          const node = cy.getElementById(id);
          if (node.nonempty()) node.position({ x: cx + (x - cx) * spread, y });
        }
        if (spread === 1) break;
      }
    };
    const offPositions = useSim.subscribe((s, prev) => {
      if (s.positions !== prev.positions) placeDragged();
    });
    // Read-only handle for browser tests: where a device is drawn, in page pixels (to drag it).
    const w = window as unknown as { __getlab?: Record<string, unknown> };
    w.__getlab = {
      ...w.__getlab,
      topology: {
        nodeOnPage: (id: string): { x: number; y: number } | undefined => {
          const node = cy.getElementById(id);
          if (node.empty()) return undefined;
          const box = container.getBoundingClientRect();
          const p = node.renderedPosition();
          return { x: box.left + p.x, y: box.top + p.y };
        },
        /** The drawing's zoom (model units to screen pixels). */
        zoom: (): number => cy.zoom(),
        /** Whether the links' interface labels are drawn (a phone's scaled text leaves them out). */
        interfaceLabelsShown: (): boolean =>
          cy.edges().some((e) => Boolean(e.data('sourceLabel')) && e.style('source-label') !== ''),
        /** Where a device is placed before the spread (what a drag saves). */
        modelPosition: (id: string): { x: number; y: number } | undefined => {
          const node = cy.getElementById(id);
          return node.empty() ? undefined : unspread(cy, node.position());
        },
      },
    };

    const animator = new PacketAnimator({
      cy,
      canvas,
      caption,
      lab: () => useSim.getState().lab,
      speed: () => useSim.getState().speed,
      layers: () => useSim.getState().layers,
      wire: () => useSim.getState().wire,
      // A packet clicked on the canvas selects its event and opens the inspector.
      select: (seq) => void useSim.getState().inspect(seq),
      // Packet labels, tooltips and drop callouts are drawn 11 model units × the animator's zoom (kept within
      // 0.6–1.4) × this: at least the layout store's smallest canvas text (20 px in projector mode).
      fontScale: () => packetFontScale(cy.zoom()),
    });
    cy.on('pan zoom resize', () => animator.redraw());
    const text = textScaler(cy, container, view, webgl);
    cy.on('zoom', text.soon);
    // Packets follow curves resolved once per path: a device dragged or an edge added or removed re-resolves them.
    cy.on('position add remove', () => animator.geometryChanged());

    let shownLayers: LayerMode | undefined;
    const decorate = (s: ReturnType<typeof useSim.getState>): void => {
      if (!s.lab) return;
      applyLayers(cy, s.layers);
      applyMulticast(cy, s.lab, s.multicast, s.showRpf, s.showTree);
      // Hidden edges are not followed: packets take straight paths where an edge is hidden.
      if (s.layers !== shownLayers) animator.geometryChanged();
      shownLayers = s.layers;
      publishEdges(cy, container);
    };

    // The graph follows the store outside React renders: only a new lab rebuilds it.
    const initial = useSim.getState();
    // Builds are counted (on an element kept across renderers) for browser tests: one per lab loaded.
    const build = (lab: LabView): void => {
      // A big lab's labels follow the zoom it is drawn at, set before its elements are styled.
      rebuildTopology(cy, lab, (zoom) => text.detail(lab.devices.length, zoom));
      view.dataset.builds = String(Number(view.dataset.builds ?? 0) + 1);
    };
    if (initial.lab) build(initial.lab);
    placeDragged();
    text.fit();
    markSelected(cy, initial.selected);
    decorate(initial);
    const unsubscribe = useSim.subscribe((s, prev) => {
      // A big lab switches the renderer with the lab: this instance is about to be replaced, and the new one
      // builds the lab (issue 18: a 5,000-spoke lab was built twice, once on the renderer thrown away).
      if (s.webgl !== webgl) return;
      if (s.lab && s.labSerial !== prev.labSerial) {
        build(s.lab);
        placeDragged();
        text.fit();
        markSelected(cy, s.selected);
        decorate(s);
      } else if (s.lab && s.lab !== prev.lab) {
        updateTopology(cy, s.lab);
        decorate(s);
      } else if (
        s.layers !== prev.layers ||
        s.multicast !== prev.multicast ||
        s.showRpf !== prev.showRpf ||
        s.showTree !== prev.showTree
      ) {
        decorate(s);
      }
      if (s.selected !== prev.selected) markSelected(cy, s.selected);
    });
    const offTrace = useSim.getState().subscribeTrace((records, _now, delivery) => {
      if (delivery.step)
        animator.showStep(records, delivery.seqs ?? records.map((_, i) => delivery.firstSeq + i));
      else animator.push(records, delivery.firstSeq);
    });
    const offReset = useSim.getState().subscribeReset(() => animator.reset());
    const offProjector = useSim.subscribe((s, prev) => {
      if (s.projector !== prev.projector) {
        text.fit();
        animator.redraw();
      }
    });
    const resize = new ResizeObserver(() => {
      cy.resize();
      text.fit();
      animator.redraw();
    });
    resize.observe(container);

    return () => {
      resize.disconnect();
      offEditing();
      offPositions();
      offProjector();
      text.dispose();
      unsubscribe();
      offTrace();
      offReset();
      animator.dispose();
      cy.destroy();
      cyRef.current = undefined;
    };
    // The theme is read once per renderer: a theme switch without WebGL needs no new instance.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [webgl]);

  return (
    <section className="panel topology-panel" aria-labelledby="topology-heading">
      <div className="panel-title-row">
        <h2 id="topology-heading" className="panel-title">
          Topology
        </h2>
        <EditToggle />
        <LayerSwitch />
        <WebglSwitch />
        <button
          type="button"
          className="button small"
          onClick={() => {
            if (cyRef.current) fitTopology(cyRef.current);
          }}
        >
          Fit
        </button>
        <ExportButtons cy={cyRef} />
      </div>
      <EditorToolbar />
      <div ref={viewRef} className="topology-wrap" data-testid="topology-view">
        <div
          ref={containerRef}
          className="topology"
          data-testid="topology"
          role="img"
          aria-label="Network topology; select devices with the device list"
        />
        <canvas ref={canvasRef} className="packet-canvas" data-testid="packet-canvas" aria-hidden="true" />
        <Legend />
        <div ref={captionRef} className="packet-caption" data-testid="packet-caption" />
      </div>
    </section>
  );
}

/** Options Chrome keeps a 2D canvas in CPU memory with (no GPU rasterisation). */
const CPU_CANVAS: CanvasRenderingContext2DSettings = { willReadFrequently: true };

/**
 * Creates Cytoscape's canvas renderer with CPU-backed canvases: its layers (made while `make` runs) and the
 * texture caches it makes later for big graphs. Without GPU drivers (a software GL, as in the benchmark's
 * headless Chromium), GPU-backed canvases made each texture-cache redraw of a 500-spoke lab stall the page for
 * about four seconds; CPU-backed, the redraw takes tens of milliseconds.
 */
function withCpuCanvases(make: () => cytoscape.Core): cytoscape.Core {
  const proto = HTMLCanvasElement.prototype;
  const original = proto.getContext;
  const patched = function (
    this: HTMLCanvasElement,
    type: string,
    options?: CanvasRenderingContext2DSettings,
  ) {
    return original.call(this, type, type === '2d' ? { ...CPU_CANVAS, ...options } : options);
  };
  proto.getContext = patched as typeof original;
  let cy: cytoscape.Core;
  try {
    cy = make();
  } finally {
    proto.getContext = original;
  }
  // Texture caches: Cytoscape asks its renderer for each offscreen canvas, then for its 2D context (which is the
  // one made here, whatever options it passes then).
  const renderer = (cy as unknown as { renderer(): OffscreenMaker | undefined }).renderer();
  const makeCanvas = renderer?.makeOffscreenCanvas?.bind(renderer);
  if (renderer && makeCanvas) {
    renderer.makeOffscreenCanvas = (width, height) => {
      const canvas = makeCanvas(width, height);
      canvas.getContext('2d', CPU_CANVAS);
      return canvas;
    };
  }
  return cy;
}

interface OffscreenMaker {
  makeOffscreenCanvas?: (width: number, height: number) => HTMLCanvasElement | OffscreenCanvas;
}

/** What the graph shows, as data attributes: tests and debugging read the drawing without a canvas. */
function publishEdges(cy: cytoscape.Core, container: HTMLElement): void {
  const shown = cy.edges().filter((e) => isShown(e));
  const ids = (keep: (e: cytoscape.EdgeSingular) => boolean): string =>
    shown
      .filter(keep)
      .map((e) => e.id())
      .join(';');
  // Only a changed value is written: Cytoscape watches its container's attributes and redraws everything
  // (a resize) when one changes.
  const put = (name: 'overlay' | 'underlay' | 'rpf' | 'tree', value: string): void => {
    if (container.dataset[name] !== value) container.dataset[name] = value;
  };
  put(
    'overlay',
    ids((e) => e.hasClass('overlay')),
  );
  put(
    'underlay',
    ids((e) => !e.hasClass('overlay')),
  );
  put(
    'rpf',
    shown
      .filter('.rpf')
      .map((e) => String(e.data('rpfLabel')))
      .join(';'),
  );
  put(
    'tree',
    ids((e) => e.hasClass('tree')),
  );
}

function WebglSwitch() {
  const webgl = useSim((s) => s.webgl);
  const setWebgl = useSim((s) => s.setWebgl);
  return (
    <label className="check small-text" title="Cytoscape's WebGL renderer, for big labs">
      <input type="checkbox" checked={webgl} onChange={(e) => setWebgl(e.target.checked)} />
      WebGL
    </label>
  );
}

function LayerSwitch() {
  const layers = useSim((s) => s.layers);
  const setLayers = useSim((s) => s.setLayers);
  return (
    <div className="segmented" role="radiogroup" aria-label="Layers shown">
      {LAYER_CHOICES.map((c) => (
        <button
          key={c.value}
          type="button"
          role="radio"
          aria-checked={layers === c.value}
          className={layers === c.value ? 'segment active' : 'segment'}
          onClick={() => setLayers(c.value)}
        >
          {c.label}
        </button>
      ))}
    </div>
  );
}

function Legend() {
  const wire = useSim((s) => s.wire);
  return (
    <ul className="legend" aria-label="Protocol colours">
      {wire.legend.map((p) => (
        <li key={p}>
          <span className="swatch" style={{ background: wire.color(p) }} aria-hidden="true" />
          {wire.name(p)}
        </li>
      ))}
      <li>
        <span className="swatch tunnel" aria-hidden="true" />
        Tunnel
      </li>
    </ul>
  );
}

/** How much the packet animation enlarges its 11-unit text at Cytoscape zoom `zoom` (it clamps it to 0.6–1.4). */
function packetFontScale(zoom: number): number {
  return canvasTextScale(11, Math.max(0.6, Math.min(1.4, zoom)), useLayout.getState().canvasTextPx);
}

/** Labels this size in model units are the smallest the topology draws (RPF labels, tunnel labels). */
const SMALLEST_FONT = 12;

/** How far devices move apart per unit of text scale beyond 1, and at most (see `textScaler`). */
const SPREAD_PER_TEXT_SCALE = 0.5;
const MAX_SPREAD = 1.5;

/** The horizontal centre of the devices (spreadTopology widens about it). */
function centreX(cy: cytoscape.Core): number {
  const box = cy.nodes().boundingBox({ includeLabels: false } as cytoscape.BoundingBoxOptions);
  return (box.x1 + box.x2) / 2;
}

/** A drawn position as it was before spreadTopology widened the lab. */
function unspread(cy: cytoscape.Core, p: cytoscape.Position): cytoscape.Position {
  const spread = (cy.scratch('spread') as number | undefined) ?? 1;
  const cx = centreX(cy);
  return { x: cx + (p.x - cx) / spread, y: p.y };
}

/** Above this many devices text is not re-scaled with the zoom (a big lab hides small labels instead). */
const TEXT_SCALE_MAX_DEVICES = 100;

/**
 * Keeps the topology's text at least the layout's smallest size on screen (20 px in projector mode) at the zoom
 * Cytoscape draws at: a restyle with larger fonts when the zoom shrinks them. `fit` fits the lab to its panel
 * and settles the scale (a larger font widens labels and boxes, so the fit is redone until it holds).
 */
function textScaler(
  cy: cytoscape.Core,
  container: HTMLElement,
  view: HTMLElement,
  webgl: boolean,
): {
  fit(): void;
  soon(): void;
  detail(devices: number, zoom: number): void;
  dispose(): void;
} {
  let k = 1;
  let shown: TopologyDetail = FULL_DETAIL;
  let frame: number | undefined;
  const minPx = (): number =>
    useSim.getState().projector ? PROJECTOR_CANVAS_TEXT_PX : NORMAL_CANVAS_TEXT_PX;
  const scaled = (): boolean => !webgl && cy.nodes().length <= TEXT_SCALE_MAX_DEVICES;
  const needed = (): number => Math.ceil(canvasTextScale(SMALLEST_FONT, cy.zoom(), minPx()) * 20) / 20;
  const setScale = (next: number, spread: boolean): void => {
    k = next;
    cy.style(topologyStyle(k, shown));
    // Longer links for larger labels (the scenario's spacing holds 12-unit labels), up to a limit: spreading
    // as fast as the text grows would shrink the fit as fast, and the text would never reach its size.
    if (spread) spreadTopology(cy, Math.min(MAX_SPREAD, 1 + (k - 1) * SPREAD_PER_TEXT_SCALE));
    container.dataset.textScale = String(k);
  };
  /** The labels a lab of `devices` draws at `zoom`: a restyle only when they change (a big lab's level of detail). */
  const detail = (devices: number, zoom: number): void => {
    const next = detailAt(devices, zoom, BIG_LAB_DEVICES);
    publishDetail(view, next);
    if (sameDetail(next, shown)) return;
    shown = next;
    cy.style(topologyStyle(k, shown));
  };
  /** On a zoom: enlarge (or shrink back) the text for the new zoom, devices where they are. */
  const apply = (): void => {
    useLayout.getState().setCanvasTextPx(minPx());
    detail(cy.nodes().length, cy.zoom());
    if (scaled() && needed() !== k) setScale(needed(), false);
  };
  return {
    fit() {
      useLayout.getState().setCanvasTextPx(minPx());
      fitTopology(cy);
      detail(cy.nodes().length, cy.zoom());
      if (!scaled()) return;
      // Larger text widens labels and boxes, and a new fit zooms out: a few rounds settle it; the last scale is
      // set for the final zoom without another fit, so the text is at least its size whatever the rounding.
      for (let i = 0; i < 6 && Math.abs(needed() - k) >= 0.05; i++) {
        setScale(needed(), true);
        fitTopology(cy);
      }
      if (needed() !== k) setScale(needed(), false);
    },
    detail,
    soon() {
      if (frame === undefined)
        frame = requestAnimationFrame(() => {
          frame = undefined;
          apply();
        });
    },
    dispose() {
      if (frame !== undefined) cancelAnimationFrame(frame);
    },
  };
}

/** Which labels the topology draws, for browser tests (a big lab leaves out those too small to read). */
function publishDetail(view: HTMLElement, detail: TopologyDetail): void {
  const put = (name: 'interfaceLabels' | 'deviceLabels', on: boolean): void => {
    if (view.dataset[name] !== String(on)) view.dataset[name] = String(on);
  };
  put('interfaceLabels', detail.interfaceLabels);
  put('deviceLabels', detail.deviceLabels);
}

/** PNG and SVG of the topology as drawn (with the RPF and tree overlays), for slides and handouts. */
function ExportButtons({ cy }: { cy: { readonly current: cytoscape.Core | undefined } }) {
  const title = useSim((s) => s.lab?.title ?? 'GETLab topology');
  const background = (): string =>
    getComputedStyle(document.documentElement).getPropertyValue('--panel').trim() || '#ffffff';
  return (
    <div className="export-buttons" role="group" aria-label="Export picture">
      <button
        type="button"
        className="button small"
        title="Save the topology as a PNG picture"
        onClick={() => {
          if (cy.current)
            void topologyPng(cy.current, background()).then((b) =>
              download(b, 'image/png', 'getlab-topology.png'),
            );
        }}
      >
        PNG
      </button>
      <button
        type="button"
        className="button small"
        title="Save the topology as an SVG drawing"
        onClick={() => {
          if (cy.current)
            download(topologySvg(cy.current, background(), title), 'image/svg+xml', 'getlab-topology.svg');
        }}
      >
        SVG
      </button>
    </div>
  );
}
