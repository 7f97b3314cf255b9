// Pictures of the topology as drawn, for slides and handouts: PNG from Cytoscape's own renderer (`cy.png`), SVG
// built from the drawn elements' positions and computed styles (nodes, links, tunnels, RPF and tree overlays,
// interface and RPF labels). The cytoscape-svg extension is not used: its last release (0.4.0, 2021) predates
// the Cytoscape 3.3x renderer this page uses, and a hand-built SVG keeps text as text (searchable, editable).
import type cytoscape from 'cytoscape';
import { isShown } from './topology-sync';

const SVG_NS = 'http://www.w3.org/2000/svg';
const MARGIN = 30;

/** The drawing as a PNG blob, at twice the screen's resolution, on the page's background colour. */
export async function topologyPng(cy: cytoscape.Core, background: string): Promise<Blob> {
  return cy.png({ output: 'blob-promise', bg: background, full: true, scale: 2 });
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Math.round(v * 10) / 10) : '0';
}

function styleOf(ele: cytoscape.SingularElementArgument, name: string): string {
  return String(ele.style(name) ?? '');
}

/** Multi-line text centred on (x, y), with an optional background box (Cytoscape's text-background). */
function textSvg(
  lines: readonly string[],
  x: number,
  y: number,
  size: number,
  color: string,
  weight: string,
  box?: { fill: string; stroke?: string },
  cls = 'label',
): string {
  const lineHeight = size * 1.2;
  const top = y - ((lines.length - 1) * lineHeight) / 2;
  const width = Math.max(...lines.map((l) => l.length * size * 0.6)) + 6;
  const height = lines.length * lineHeight + 2;
  const back = box
    ? `<rect x="${num(x - width / 2)}" y="${num(y - height / 2)}" width="${num(width)}" height="${num(height)}" rx="3" fill="${box.fill}"${box.stroke ? ` stroke="${box.stroke}"` : ''}/>`
    : '';
  const tspans = lines
    .map((l, i) => `<tspan x="${num(x)}" y="${num(top + i * lineHeight)}">${escapeXml(l)}</tspan>`)
    .join('');
  return `${back}<text class="${cls}" text-anchor="middle" dominant-baseline="central" font-size="${num(size)}" font-weight="${weight}" fill="${color}">${tspans}</text>`;
}

/** Centre of one of an edge's labels (`source`, `target` or the main label), from Cytoscape's label boxes. */
function labelCentre(
  edge: cytoscape.EdgeSingular,
  which: 'main' | 'source' | 'target',
): { x: number; y: number } | undefined {
  const box = edge.boundingBox({
    includeNodes: false,
    includeEdges: false,
    includeLabels: true,
    includeMainLabels: which === 'main',
    includeSourceLabels: which === 'source',
    includeTargetLabels: which === 'target',
    includeOverlays: false,
    includeUnderlays: false,
  } as cytoscape.BoundingBoxOptions);
  if (!Number.isFinite(box.x1) || box.w === 0) return undefined;
  return { x: (box.x1 + box.x2) / 2, y: (box.y1 + box.y2) / 2 };
}

/**
 * Where Cytoscape puts an end label it does not draw: `source-text-offset` (or target) model units along the
 * edge from that end's endpoint (straight links; a curve's label sits close to this).
 */
function alongEdge(edge: cytoscape.EdgeSingular, which: 'source' | 'target'): { x: number; y: number } {
  const from = which === 'source' ? edge.sourceEndpoint() : edge.targetEndpoint();
  const to = which === 'source' ? edge.targetEndpoint() : edge.sourceEndpoint();
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const offset = Math.min(parseFloat(styleOf(edge, `${which}-text-offset`)) || 32, length / 2);
  if (length === 0) return { x: from.x, y: from.y };
  return { x: from.x + ((to.x - from.x) * offset) / length, y: from.y + ((to.y - from.y) * offset) / length };
}

function edgePath(edge: cytoscape.EdgeSingular): string {
  const s = edge.sourceEndpoint();
  const t = edge.targetEndpoint();
  const cps = edge.controlPoints();
  if (cps && cps.length > 0) {
    const c = cps[0]!;
    return `M${num(s.x)},${num(s.y)} Q${num(c.x)},${num(c.y)} ${num(t.x)},${num(t.y)}`;
  }
  return `M${num(s.x)},${num(s.y)} L${num(t.x)},${num(t.y)}`;
}

function edgeSvg(edge: cytoscape.EdgeSingular): string {
  const color = styleOf(edge, 'line-color');
  const width = parseFloat(styleOf(edge, 'width')) || 2;
  const dashed = styleOf(edge, 'line-style') === 'dashed' ? ' stroke-dasharray="10 5"' : '';
  const d = edgePath(edge);
  const parts: string[] = [];
  if (edge.hasClass('tree'))
    parts.push(
      `<path class="tree" d="${d}" fill="none" stroke="#2e7d32" stroke-opacity="0.35" stroke-width="${num(width + 14)}"/>`,
    );
  const markerEnd = edge.hasClass('to-target')
    ? ` marker-end="url(#arrow-${edge.hasClass('rpf') ? 'rpf' : 'tree'})"`
    : '';
  const markerStart = edge.hasClass('to-source')
    ? ` marker-start="url(#arrow-${edge.hasClass('rpf') ? 'rpf' : 'tree'}-start)"`
    : '';
  parts.push(
    `<path class="${edge.hasClass('rpf') ? 'rpf' : edge.hasClass('overlay') ? 'tunnel' : 'link'}" d="${d}" fill="none" stroke="${color}" stroke-width="${num(width)}"${dashed}${markerEnd}${markerStart}/>`,
  );
  parts.push(...edgeLabels(edge));
  return parts.join('');
}

function edgeLabels(edge: cytoscape.EdgeSingular): string[] {
  const out: string[] = [];
  const size = parseFloat(styleOf(edge, 'font-size')) || 12;
  const color = styleOf(edge, 'color');
  const ends: readonly ['source' | 'target', string][] = [
    ['source', String(edge.data('sourceLabel') ?? '')],
    ['target', String(edge.data('targetLabel') ?? '')],
  ];
  if (!edge.hasClass('overlay')) {
    for (const [which, text] of ends) {
      // A big lab draws no interface labels (too small at its zoom, issue 18): the picture still names them.
      const at = text ? (labelCentre(edge, which) ?? alongEdge(edge, which)) : undefined;
      if (at) out.push(textSvg([text], at.x, at.y, size, color, '400', { fill: '#ffffff' }, 'iface'));
    }
  }
  const main = String(edge.data('rpfLabel') || edge.data('overlayLabel') || '');
  const at = main ? labelCentre(edge, 'main') : undefined;
  if (at) {
    const rpf = edge.hasClass('rpf');
    out.push(
      textSvg(
        main.split('\n'),
        at.x,
        at.y,
        size,
        color,
        rpf ? '700' : '400',
        rpf ? { fill: '#e3f2fd', stroke: '#1565c0' } : undefined,
        rpf ? 'rpf-label' : 'label',
      ),
    );
  }
  return out;
}

function nodeSvg(node: cytoscape.NodeSingular): string {
  const p = node.position();
  const w = node.width();
  const h = node.height();
  const label = String(node.data('markLabel') || node.data('label') || node.id());
  const size = parseFloat(styleOf(node, 'font-size')) || 16;
  const image = styleOf(node, 'background-image');
  const body = node.hasClass('provider')
    ? `<image href="${escapeXml(image)}" x="${num(p.x - w / 2)}" y="${num(p.y - h / 2)}" width="${num(w)}" height="${num(h)}"/>`
    : `<rect x="${num(p.x - w / 2)}" y="${num(p.y - h / 2)}" width="${num(w)}" height="${num(h)}" rx="8" fill="${styleOf(node, 'background-color')}" stroke="${styleOf(node, 'border-color')}" stroke-width="${styleOf(node, 'border-width')}"/>`;
  return `<g class="node" data-id="${escapeXml(node.id())}">${body}${textSvg(label.split('\n'), p.x, p.y, size, styleOf(node, 'color'), '600')}</g>`;
}

const ARROWS = `<defs>
<marker id="arrow-rpf" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" fill="#1565c0"/></marker>
<marker id="arrow-rpf-start" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#1565c0"/></marker>
<marker id="arrow-tree" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto"><path d="M0,0L10,5L0,10z" fill="#2e7d32"/></marker>
<marker id="arrow-tree-start" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#2e7d32"/></marker>
</defs>`;

/** The topology as an SVG document, in Cytoscape's model coordinates (every shown element, with its overlays). */
export function topologySvg(cy: cytoscape.Core, background: string, title: string): string {
  const shown = cy.elements().filter((e) => isShown(e));
  const box = shown.boundingBox({ includeLabels: true } as cytoscape.BoundingBoxOptions);
  const x = box.x1 - MARGIN;
  const y = box.y1 - MARGIN;
  const w = box.w + 2 * MARGIN;
  const h = box.h + 2 * MARGIN;
  const edges = shown.edges().map((e) => edgeSvg(e));
  const nodes = shown.nodes().map((n) => nodeSvg(n));
  return [
    `<svg xmlns="${SVG_NS}" viewBox="${num(x)} ${num(y)} ${num(w)} ${num(h)}" width="${num(w)}" height="${num(h)}" font-family="system-ui, sans-serif">`,
    `<title>${escapeXml(title)}</title>`,
    ARROWS,
    `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${background}"/>`,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}
