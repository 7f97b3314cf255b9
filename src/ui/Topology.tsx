import cytoscape from 'cytoscape';
import { useEffect, useRef } from 'react';
import { useSim } from './store';
import { fitTopology, markSelected, rebuildTopology, updateTopology } from './topology-sync';
import { TOPOLOGY_STYLE } from './topology-style';

export function Topology() {
  const containerRef = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | undefined>(undefined);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const cy = cytoscape({
      container,
      style: TOPOLOGY_STYLE,
      elements: [],
      layout: { name: 'preset' },
      autounselectify: true,
      boxSelectionEnabled: false,
      minZoom: 0.2,
      maxZoom: 4,
    });
    cyRef.current = cy;
    cy.on('tap', 'node', (e) => useSim.getState().select(e.target.id() as string));

    // The graph follows the store outside React renders: only a new lab rebuilds it.
    const initial = useSim.getState();
    if (initial.lab) rebuildTopology(cy, initial.lab);
    markSelected(cy, initial.selected);
    const unsubscribe = useSim.subscribe((s, prev) => {
      if (s.lab && s.labSerial !== prev.labSerial) {
        rebuildTopology(cy, s.lab);
        markSelected(cy, s.selected);
      } else if (s.lab && s.lab !== prev.lab) {
        updateTopology(cy, s.lab);
      }
      if (s.selected !== prev.selected) markSelected(cy, s.selected);
    });
    const resize = new ResizeObserver(() => {
      cy.resize();
      fitTopology(cy);
    });
    resize.observe(container);

    return () => {
      resize.disconnect();
      unsubscribe();
      cy.destroy();
      cyRef.current = undefined;
    };
  }, []);

  return (
    <section className="panel topology-panel" aria-labelledby="topology-heading">
      <div className="panel-title-row">
        <h2 id="topology-heading" className="panel-title">
          Topology
        </h2>
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
      <div
        ref={containerRef}
        className="topology"
        data-testid="topology"
        role="img"
        aria-label="Network topology; select devices with the device list"
      />
    </section>
  );
}
