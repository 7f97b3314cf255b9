import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import { LEGEND, type LayerMode, protocolColor, protocolName } from './hops';
import { PacketAnimator } from './packet-animator';
import { subscribeReset, subscribeTrace, useSim } from './store';
import {
  applyLayers,
  applyMulticast,
  fitTopology,
  isShown,
  markSelected,
  rebuildTopology,
  updateTopology,
} from './topology-sync';
import { TOPOLOGY_STYLE } from './topology-style';

const LAYER_CHOICES: readonly { value: LayerMode; label: string }[] = [
  { value: 'underlay', label: 'Underlay' },
  { value: 'overlay', label: 'Overlay' },
  { value: 'both', label: 'Both' },
];

export function Topology() {
  const containerRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const captionRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | undefined>(undefined);
  const webgl = useSim((s) => s.webgl);
  const dark = useSim((s) => s.theme === 'dark');

  // Re-created when the renderer changes: Cytoscape picks canvas or WebGL when it starts.
  useEffect(() => {
    const container = containerRef.current;
    const canvas = canvasRef.current;
    const caption = captionRef.current;
    if (!container || !canvas || !caption) return;
    const make = (): cytoscape.Core =>
      cytoscape({
        container,
        style: TOPOLOGY_STYLE,
        elements: [],
        layout: { name: 'preset' },
        autounselectify: true,
        boxSelectionEnabled: false,
        minZoom: 0.02,
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

    const animator = new PacketAnimator({
      cy,
      canvas,
      caption,
      lab: () => useSim.getState().lab,
      speed: () => useSim.getState().speed,
      layers: () => useSim.getState().layers,
      // A packet clicked on the canvas selects its event and opens the inspector.
      select: (seq) => void useSim.getState().inspect(seq),
      fontScale: () => (useSim.getState().projector ? 1.5 : 1),
    });
    cy.on('pan zoom resize', () => animator.redraw());
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
    if (initial.lab) rebuildTopology(cy, initial.lab);
    markSelected(cy, initial.selected);
    decorate(initial);
    const unsubscribe = useSim.subscribe((s, prev) => {
      if (s.lab && s.labSerial !== prev.labSerial) {
        rebuildTopology(cy, s.lab);
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
    const offTrace = subscribeTrace((records, _now, delivery) => {
      if (delivery.step)
        animator.showStep(records, delivery.seqs ?? records.map((_, i) => delivery.firstSeq + i));
      else animator.push(records, delivery.firstSeq);
    });
    const offReset = subscribeReset(() => animator.reset());
    const resize = new ResizeObserver(() => {
      cy.resize();
      fitTopology(cy);
      animator.redraw();
    });
    resize.observe(container);

    return () => {
      resize.disconnect();
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
      </div>
      <div className="topology-wrap">
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
  return (
    <ul className="legend" aria-label="Protocol colours">
      {LEGEND.map((p) => (
        <li key={p}>
          <span className="swatch" style={{ background: protocolColor(p) }} aria-hidden="true" />
          {protocolName(p)}
        </li>
      ))}
      <li>
        <span className="swatch tunnel" aria-hidden="true" />
        Tunnel
      </li>
    </ul>
  );
}
