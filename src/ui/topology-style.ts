// Cytoscape styles for the topology. Cytoscape has no cloud shape, so the provider is an invisible
// round-rectangle carrying an SVG cloud as its background image.
import type cytoscape from 'cytoscape';

const CLOUD_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="160" height="96" viewBox="0 0 160 96">
<path d="M40 86c-19 0-33-12-33-28 0-14 11-25 26-27 4-15 18-25 35-25 13 0 25 6 31 17 4-2 9-3 14-3 17 0 30 12 31 27 10 3 16 11 16 20 0 11-10 19-23 19z"
 fill="#eef3f8" stroke="#7d93a8" stroke-width="3" stroke-linejoin="round"/></svg>`;

export const CLOUD_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(CLOUD_SVG)}`;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/** Rough width of `text` in Cytoscape model units at `font` size (the system UI font, semibold). */
export function labelWidth(text: string, font: number): number {
  return text.length * font * 0.62;
}

/** Which labels the topology draws: a big lab zoomed out to fit draws none it cannot show legibly. */
export interface TopologyDetail {
  /** Interface names at both ends of each physical link (`source-label`, `target-label`). */
  readonly interfaceLabels: boolean;
  /** Device names on the nodes (a device failing the RPF check keeps its mark and name). */
  readonly deviceLabels: boolean;
  /**
   * Tunnels curved away from the physical links. A big lab zoomed out draws them straight: the WebGL renderer
   * draws a curve as 15 segments (5,000 tunnels: 75,000 line instances a frame), and the curve's bow
   * (TUNNEL_BOW units) is under TUNNEL_BOW_MIN_PX on screen.
   */
  readonly curvedTunnels: boolean;
}

export const FULL_DETAIL: TopologyDetail = { interfaceLabels: true, deviceLabels: true, curvedTunnels: true };

/** True when two details draw the same. */
export function sameDetail(a: TopologyDetail, b: TopologyDetail): boolean {
  return (
    a.interfaceLabels === b.interfaceLabels &&
    a.deviceLabels === b.deviceLabels &&
    a.curvedTunnels === b.curvedTunnels
  );
}

/** Model font sizes (at k = 1) of device names and interface labels, and the smallest drawn on screen (px). */
export const DEVICE_FONT = 16;
export const INTERFACE_FONT = 13;
export const MIN_ZOOMED_FONT_PX = 7;
/**
 * The text scale above which interface labels are left out: a small lab's text grows as the zoom shrinks while its
 * links lengthen at most 1.5x (Topology.tsx `MAX_SPREAD`), so past about 3x (a phone: 3.65 portrait, 9.65
 * landscape) the labels at both ends of a link overlap each other and the devices. Device names stay; zooming in
 * brings the interface labels back. At 1440x900 the scale is 1.25, 1024x768 2.35, projector mode 2.15.
 */
export const MAX_INTERFACE_LABEL_SCALE = 3;
/** How far a tunnel bows away from the straight line (model units), and the least worth drawing (px). */
const TUNNEL_BOW = 40;
const TUNNEL_BOW_MIN_PX = 2;

/**
 * Labels a lab of `devices` devices draws at `zoom` (issue 18). A lab of at most `bigAbove` devices draws them
 * all (its text is scaled to stay legible instead). A bigger lab leaves out the labels smaller than
 * MIN_ZOOMED_FONT_PX on screen, and draws its tunnels straight while their bow is under 2 px: the canvas renderer would skip them anyway (`min-zoomed-font-size`), but still
 * measures every one for bounding boxes, and the WebGL renderer draws every label into its texture atlases
 * whatever its size (2.1 s of a 5,000-spoke lab's first frame, mostly interface labels).
 */
export function detailAt(devices: number, zoom: number, bigAbove: number): TopologyDetail {
  if (devices <= bigAbove) return FULL_DETAIL;
  return {
    interfaceLabels: INTERFACE_FONT * zoom >= MIN_ZOOMED_FONT_PX,
    deviceLabels: DEVICE_FONT * zoom >= MIN_ZOOMED_FONT_PX,
    curvedTunnels: TUNNEL_BOW * zoom >= TUNNEL_BOW_MIN_PX,
  };
}

/**
 * The topology's stylesheet with its text enlarged `k` times (projector mode, small screens): fonts, the
 * distance of interface labels from their node, and routers' boxes (sized to their name, so a bigger name does
 * not spill out of its box). Cytoscape draws text at font × zoom on screen; the caller picks `k` from the zoom.
 */
export function topologyStyle(k = 1, detail: TopologyDetail = FULL_DETAIL): cytoscape.StylesheetJson {
  const interfaceLabels = detail.interfaceLabels && k <= MAX_INTERFACE_LABEL_SCALE;
  return [
    {
      selector: 'node',
      style: {
        label: detail.deviceLabels ? 'data(label)' : '',
        'font-family': FONT,
        'font-size': DEVICE_FONT * k,
        'font-weight': 600,
        'text-valign': 'center',
        'text-halign': 'center',
        // A big lab zoomed out to fit: labels too small to read are not drawn (Cytoscape's costliest part).
        'min-zoomed-font-size': MIN_ZOOMED_FONT_PX,
      },
    },
    {
      selector: 'node.router',
      style: {
        shape: 'round-rectangle',
        width: (n: cytoscape.NodeSingular) => Math.max(100, labelWidth(String(n.data('label')), 16 * k) + 24),
        height: Math.max(44, 16 * k * 1.9),
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
        // Straight unless several links join the same two devices (`edge.bundled`, topology-sync `bundledLinks`).
        'curve-style': 'straight',
        'line-color': '#5f7387',
        // Without interface labels the SVG export still names the interfaces (topology-export.ts places them).
        'source-label': interfaceLabels ? 'data(sourceLabel)' : '',
        'target-label': interfaceLabels ? 'data(targetLabel)' : '',
        'source-text-offset': 32 * k,
        'target-text-offset': 32 * k,
        'font-family': FONT,
        'font-size': INTERFACE_FONT * k,
        color: '#34495e',
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.9,
        'text-background-padding': '2px',
        'text-background-shape': 'roundrectangle',
        'min-zoomed-font-size': MIN_ZOOMED_FONT_PX,
      },
    },
    {
      // Parallel links between two devices: Cytoscape's bundled curves draw them apart.
      selector: 'edge.bundled',
      style: { 'curve-style': 'bezier' },
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
        'curve-style': detail.curvedTunnels ? 'unbundled-bezier' : 'straight',
        'control-point-distances': [-TUNNEL_BOW],
        'control-point-weights': [0.5],
        'line-color': '#00838f',
        'line-style': 'dashed',
        'line-dash-pattern': [10, 5],
        'source-label': '',
        'target-label': '',
        label: 'data(overlayLabel)',
        'font-size': 12 * k,
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
      // A router's RPF interface: a blue arrow from the router towards its upstream, its label along the edge
      // and lifted off the line, so it never sits on the interface labels drawn on the line at both ends.
      selector: 'edge.rpf',
      style: {
        width: 5,
        'line-color': '#1565c0',
        'line-style': 'solid',
        'target-arrow-color': '#1565c0',
        'source-arrow-color': '#1565c0',
        'arrow-scale': 1.4,
        label: 'data(rpfLabel)',
        'text-wrap': 'wrap',
        'text-rotation': 'autorotate',
        'text-margin-y': (e: cytoscape.EdgeSingular) => 22 * k * Number(e.data('rpfLift') ?? -1),
        'font-size': 12 * k,
        'font-weight': 700,
        color: '#0d47a1',
        'text-background-color': '#e3f2fd',
        'text-background-opacity': 1,
        'text-background-padding': `${2 * k}px`,
        'text-border-color': '#1565c0',
        'text-border-width': 1,
        'text-border-opacity': 1,
      },
    },
    {
      // A tunnel edge is a curve crossing others: its RPF label stays level (its box is then only as tall as the
      // text), lifted off the curve's middle away from the physical links' interface labels near the devices.
      selector: 'edge.overlay.rpf',
      style: { 'text-rotation': 'none' },
    },
    {
      // The group's tree: a wide green band under the edge (it shows through an RPF arrow on the same edge).
      selector: 'edge.tree',
      style: {
        'underlay-color': '#2e7d32',
        'underlay-opacity': 0.35,
        'underlay-padding': 7,
        'target-arrow-color': '#2e7d32',
        'source-arrow-color': '#2e7d32',
        'arrow-scale': 1.4,
      },
    },
    {
      // Tree without RPF on the same edge: the line itself turns green.
      selector: 'edge.tree[!rpfLabel]',
      style: { 'line-color': '#2e7d32', width: 5, 'line-style': 'solid' },
    },
    {
      // A router whose RPF interface for the source is not where the group's traffic arrives: a red border and a
      // second line with the reason, kept while the condition holds.
      selector: 'node.rpf-fail',
      style: {
        label: 'data(markLabel)',
        'text-wrap': 'wrap',
        'border-color': '#c62828',
        'border-width': 4,
        'border-style': 'double',
        height: Math.max(64, 16 * k * 3.2),
        width: (n: cytoscape.NodeSingular) =>
          Math.max(
            100,
            ...String(n.data('markLabel'))
              .split('\n')
              .map((l) => labelWidth(l, 16 * k) + 24),
          ),
      },
    },
    { selector: 'edge.to-target', style: { 'target-arrow-shape': 'triangle' } },
    { selector: 'edge.to-source', style: { 'source-arrow-shape': 'triangle' } },
  ];
}

export const TOPOLOGY_STYLE: cytoscape.StylesheetJson = topologyStyle(1);
