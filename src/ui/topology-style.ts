// Cytoscape styles for the topology. Cytoscape has no cloud shape, so the provider is an invisible
// round-rectangle carrying an SVG cloud as its background image.
import type cytoscape from 'cytoscape';

const CLOUD_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="96" viewBox="0 0 160 96">
<path d="M40 86c-19 0-33-12-33-28 0-14 11-25 26-27 4-15 18-25 35-25 13 0 25 6 31 17 4-2 9-3 14-3 17 0 30 12 31 27 10 3 16 11 16 20 0 11-10 19-23 19z"
 fill="#eef3f8" stroke="#7d93a8" stroke-width="3" stroke-linejoin="round"/></svg>`;

export const CLOUD_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(CLOUD_SVG)}`;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export const TOPOLOGY_STYLE: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 16,
      'font-weight': 600,
      'text-valign': 'center',
      'text-halign': 'center',
      // A big lab zoomed out to fit: labels too small to read are not drawn (Cytoscape's costliest part).
      'min-zoomed-font-size': 7,
    },
  },
  {
    selector: 'node.router',
    style: {
      shape: 'round-rectangle',
      width: 100,
      height: 44,
      'background-color': '#1f4e79',
      'border-width': 2,
      'border-color': '#143452',
      color: '#ffffff',
    },
  },
  {
    selector: 'node.provider',
    style: {
      shape: 'round-rectangle',
      width: 170,
      height: 102,
      'background-opacity': 0,
      'background-image': CLOUD_IMAGE,
      'background-fit': 'contain',
      'background-clip': 'none',
      'border-width': 0,
      color: '#2d3f50',
    },
  },
  {
    selector: 'node.selected',
    style: {
      'underlay-color': '#f0a020',
      'underlay-opacity': 0.45,
      'underlay-padding': 8,
      'underlay-shape': 'round-rectangle',
    },
  },
  {
    selector: 'edge',
    style: {
      width: 3,
      'curve-style': 'bezier',
      'line-color': '#5f7387',
      'source-label': 'data(sourceLabel)',
      'target-label': 'data(targetLabel)',
      'source-text-offset': 32,
      'target-text-offset': 32,
      'font-family': FONT,
      'font-size': 13,
      color: '#34495e',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      'text-background-shape': 'roundrectangle',
      'min-zoomed-font-size': 7,
    },
  },
  {
    selector: 'edge.down',
    style: {
      'line-color': '#c62828',
      'line-style': 'dashed',
      'line-dash-pattern': [6, 4],
    },
  },
  {
    // The mGRE overlay: one logical edge per NHRP peering, dashed and curved away from the physical path.
    selector: 'edge.overlay',
    style: {
      width: 3,
      'curve-style': 'unbundled-bezier',
      'control-point-distances': [-40],
      'control-point-weights': [0.5],
      'line-color': '#00838f',
      'line-style': 'dashed',
      'line-dash-pattern': [10, 5],
      'source-label': '',
      'target-label': '',
      label: 'data(overlayLabel)',
      'font-size': 12,
      color: '#00838f',
    },
  },
  {
    selector: 'edge.spoke-spoke',
    style: { 'line-color': '#ef6c00', color: '#ef6c00', 'line-dash-pattern': [4, 4] },
  },
  {
    selector: '.hidden',
    style: { display: 'none' },
  },
  {
    // A router's RPF interface: an arrow from the router towards its upstream.
    selector: 'edge.rpf',
    style: {
      width: 6,
      'line-color': '#1565c0',
      'target-arrow-color': '#1565c0',
      'source-arrow-color': '#1565c0',
      'arrow-scale': 1.6,
      label: 'data(rpfLabel)',
      'text-wrap': 'wrap',
      'font-size': 12,
      'font-weight': 600,
      color: '#0d47a1',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
    },
  },
  {
    selector: 'edge.tree',
    style: {
      width: 6,
      'line-color': '#2e7d32',
      'target-arrow-color': '#2e7d32',
      'source-arrow-color': '#2e7d32',
      'arrow-scale': 1.6,
    },
  },
  { selector: 'edge.to-target', style: { 'target-arrow-shape': 'triangle' } },
  { selector: 'edge.to-source', style: { 'source-arrow-shape': 'triangle' } },
];
