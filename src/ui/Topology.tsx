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
    const cy = cytoscape({
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
    });
    cy.on('pan zoom resize', () => animator.redraw());

    const decorate = (s: ReturnType<typeof useSim.getState>): void => {
      if (!s.lab) return;
      applyLayers(cy, s.layers);
      applyMulticast(cy, s.lab, s.multicast, s.showRpf, s.showTree);
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
    const offTrace = subscribeTrace((records) => animator.push(records));
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

/** What the graph shows, as data attributes: tests and debugging read the drawing without a canvas. */
function publishEdges(cy: cytoscape.Core, container: HTMLElement): void {
  const shown = cy.edges().filter((e) => isShown(e));
  const ids = (keep: (e: cytoscape.EdgeSingular) => boolean): string =>
    shown
      .filter(keep)
      .map((e) => e.id())
      .join(';');
  container.dataset.overlay = ids((e) => e.hasClass('overlay'));
  container.dataset.underlay = ids((e) => !e.hasClass('overlay'));
  container.dataset.rpf = shown
    .filter('.rpf')
    .map((e) => String(e.data('rpfLabel')))
    .join(';');
  container.dataset.tree = ids((e) => e.hasClass('tree'));
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
