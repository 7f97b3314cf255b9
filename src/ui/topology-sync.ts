// Applies lab views to the Cytoscape instance imperatively, so React never re-creates or re-renders the graph.
import type cytoscape from 'cytoscape';
import { shortInterfaceName } from '../worker/page-helpers';
import type { LabView, MulticastView, OverlayEdgeView } from '../worker/protocol';
import { type LayerMode, addressOwner, linkAt } from './hops';
import { WEBGL_THRESHOLD } from './store/constants';

/** Shortest drawn link, in model units; shorter links leave no room for the interface labels at both ends. */
const MIN_LINK_LENGTH = 260;

/**
 * How much to spread the scenario's x/y: scenarios may place devices close together, and Cytoscape's fit then
 * shrinks nodes and labels instead of lengthening links.
 */
function positionScale(lab: LabView): number {
  const at = new Map(lab.devices.map((d) => [d.name, d]));
  let shortest = Infinity;
  for (const l of lab.links) {
    const a = at.get(l.a.device);
    const b = at.get(l.b.device);
    if (a?.x === undefined || a.y === undefined || b?.x === undefined || b.y === undefined) continue;
    const length = Math.hypot(a.x - b.x, a.y - b.y);
    if (length > 0) shortest = Math.min(shortest, length);
  }
  return shortest < MIN_LINK_LENGTH ? MIN_LINK_LENGTH / shortest : 1;
}

/**
 * Links that share their two devices with another link: only these need Cytoscape's bundled `bezier` curves (drawn
 * apart). A lone link is drawn `straight`, as a bundle of one is drawn anyway (Cytoscape 3.x
 * `findEdgeControlPoints`: the middle edge of an odd bundle takes `findStraightEdgePoints`), without the bundle
 * lookup that scans every edge of both ends for each edge: with the provider's 5,000 links that scan was 0.7 s of
 * a 5,000-spoke lab's load (CPU profile, issue 18).
 */
export function bundledLinks(
  links: readonly { readonly id: string; readonly a: { device: string }; readonly b: { device: string } }[],
): Set<string> {
  const byPair = new Map<string, string[]>();
  for (const l of links) {
    const pair = [l.a.device, l.b.device].sort().join('\n');
    const ids = byPair.get(pair);
    if (ids) ids.push(l.id);
    else byPair.set(pair, [l.id]);
  }
  const out = new Set<string>();
  for (const ids of byPair.values()) if (ids.length > 1) for (const id of ids) out.add(id);
  return out;
}

function labElements(lab: LabView): cytoscape.ElementDefinition[] {
  const scale = positionScale(lab);
  const nodes: cytoscape.ElementDefinition[] = lab.devices.map((d) => ({
    group: 'nodes',
    data: { id: d.name, label: d.name },
    classes: d.role,
    ...(d.x !== undefined && d.y !== undefined ? { position: { x: d.x * scale, y: d.y * scale } } : {}),
  }));
  const names = new Set(lab.devices.map((d) => d.name));
  const bundled = bundledLinks(lab.links);
  const edges: cytoscape.ElementDefinition[] = lab.links
    // A link naming a missing device is reported as a problem; drawing it would make Cytoscape throw.
    .filter((l) => names.has(l.a.device) && names.has(l.b.device))
    .map((l) => ({
      group: 'edges',
      data: {
        id: l.id,
        source: l.a.device,
        target: l.b.device,
        // The worker's `InterfaceView.short` is this same function of the name.
        sourceLabel: shortInterfaceName(l.a.iface),
        targetLabel: shortInterfaceName(l.b.iface),
      },
      classes: [l.up ? '' : 'down', bundled.has(l.id) ? 'bundled' : ''].filter((c) => c !== '').join(' '),
    }));
  return [...nodes, ...edges, ...overlayElements(lab)];
}

/** Tunnel edges as NHRP knows them: drawn apart from the physical links (dashed, curved, another colour). */
export function overlayElements(lab: LabView): cytoscape.ElementDefinition[] {
  const names = new Set(lab.devices.map((d) => d.name));
  return lab.overlay
    .filter((e) => names.has(e.a.device) && names.has(e.b.device))
    .map((e: OverlayEdgeView) => ({
      group: 'edges',
      data: {
        id: e.id,
        source: e.a.device,
        target: e.b.device,
        overlayLabel: e.kind === 'spoke-spoke' ? 'dynamic' : '',
        title: `${e.kind} tunnel ${e.a.device} (${e.nbmaA}) — ${e.b.device} (${e.nbmaB})`,
      },
      classes: `overlay ${e.kind}`,
    }));
}

/** Adds tunnel edges that appeared and removes those that expired. */
function syncOverlay(cy: cytoscape.Core, lab: LabView): void {
  const wanted = overlayElements(lab);
  const ids = new Set(wanted.map((e) => e.data.id));
  cy.edges('.overlay')
    .filter((e) => !ids.has(e.id()))
    .remove();
  for (const el of wanted) {
    const existing = cy.getElementById(el.data.id ?? '');
    if (existing.empty()) cy.add(el);
    // Only a real change: setting classes restyles the edge, and a big lab has hundreds of them.
    else if (!existing.hasClass(el.classes === 'overlay spoke-spoke' ? 'spoke-spoke' : 'hub-spoke'))
      existing.classes(el.classes as string);
  }
}

/** True when an element is drawn in the current layer view (by our classes: no wait for a style pass). */
export function isShown(el: cytoscape.SingularElementArgument): boolean {
  if (el.empty() || el.hasClass('hidden')) return false;
  if (el.isEdge()) return !el.source().hasClass('hidden') && !el.target().hasClass('hidden');
  return true;
}

/** Shows physical links, the overlay, or both. The overlay view hides the provider and its WAN links. */
export function applyLayers(cy: cytoscape.Core, layers: LayerMode): void {
  cy.batch(() => {
    setClass(cy, cy.edges('.overlay'), 'hidden', layers === 'underlay');
    const provider = cy.nodes('.provider');
    setClass(cy, provider, 'hidden', layers === 'overlay');
    setClass(cy, provider.connectedEdges(), 'hidden', layers === 'overlay');
  });
}

/**
 * Adds or removes a class only on the elements whose state differs: Cytoscape's `toggleClass(c, on)` restyles
 * every element it is given, changed or not, and a big lab has a thousand edges.
 */
export function setClass(
  cy: cytoscape.Core,
  eles: cytoscape.EdgeCollection | cytoscape.NodeCollection,
  cls: string,
  on: boolean,
): void {
  cy.batch(() => {
    eles.forEach((e: cytoscape.SingularElementArgument) => {
      if (e.hasClass(cls) !== on) e.toggleClass(cls, on);
    });
  });
}

/**
 * The edges at a device's interface: its physical link, or the tunnel edges of a multipoint tunnel — only the
 * one towards `neighbor`'s device when a neighbour is named.
 */
function edgesAt(
  cy: cytoscape.Core,
  lab: LabView,
  device: string,
  iface: string,
  neighbor?: string,
): cytoscape.EdgeSingular[] {
  const link = linkAt(lab, device, iface);
  const ids: string[] = [];
  if (link) ids.push(link.id);
  else {
    const owner = neighbor === undefined ? undefined : addressOwner(lab, neighbor);
    for (const e of lab.overlay) {
      const fromA =
        e.a.device === device && e.a.iface === iface && (owner === undefined || e.b.device === owner);
      const fromB =
        e.b.device === device && e.b.iface === iface && (owner === undefined || e.a.device === owner);
      if (fromA || fromB) ids.push(e.id);
    }
  }
  return ids.map((id) => cy.getElementById(id)).filter((e) => e.nonempty());
}

/** Arrow classes pointing from `device` along the edge (`towards` the far end) or back at it. */
function arrowClass(edge: cytoscape.EdgeSingular, device: string, towardsFar: boolean): string {
  const deviceIsSource = edge.source().id() === device;
  return deviceIsSource === towardsFar ? 'to-target' : 'to-source';
}

/**
 * Draws what the worker reports for multicast: each router's RPF interface (an arrow from the router towards
 * its upstream, labelled) and the group's tree (arrows downstream).
 */
export function applyMulticast(
  cy: cytoscape.Core,
  lab: LabView,
  view: MulticastView | undefined,
  showRpf: boolean,
  showTree: boolean,
): void {
  // What each edge should carry: its arrow classes and RPF label.
  const classes = new Map<string, Set<string>>();
  const labels = new Map<string, string[]>();
  const mark = (edge: cytoscape.EdgeSingular, ...names: string[]): void => {
    const set = classes.get(edge.id()) ?? new Set<string>();
    for (const n of names) set.add(n);
    classes.set(edge.id(), set);
  };
  if (view && showRpf) {
    for (const r of view.rpf) {
      if (r.interface === undefined || r.kind === 'local') continue;
      const edge = edgesAt(cy, lab, r.device, r.interface, r.neighbor)[0];
      if (!edge) continue;
      mark(edge, 'rpf', arrowClass(edge, r.device, true));
      const text = `RPF ${r.device}: ${shortInterfaceName(r.interface)}${r.kind === 'static-mroute' ? ' (mroute)' : ''}`;
      labels.set(edge.id(), [...(labels.get(edge.id()) ?? []), text]);
    }
  }
  if (view && showTree) {
    for (const t of view.tree) {
      for (const edge of edgesAt(cy, lab, t.device, t.iface, t.nextHop)) {
        mark(edge, 'tree', arrowClass(edge, t.device, true));
      }
    }
  }
  // The mark stays whenever the multicast view is shown on the topology (RPF or tree drawn).
  markRpfFailures(cy, view && (showRpf || showTree) ? rpfMismatches(lab, view) : []);
  // Only the edges whose drawing changes are touched: restyling every edge of a big lab at each refresh redraws
  // all of it.
  const middle = middleY(cy) + 1;
  cy.batch(() => {
    const before = cy.edges('.rpf, .tree, .to-source, .to-target, [?rpfLabel]');
    const ids = new Set([...before.map((e) => e.id()), ...classes.keys()]);
    for (const id of ids) {
      const edge = cy.getElementById(id);
      if (edge.empty()) continue;
      const want = classes.get(id) ?? new Set<string>();
      for (const c of MULTICAST_CLASSES)
        if (edge.hasClass(c) !== want.has(c)) edge.toggleClass(c, want.has(c));
      const label = labels.get(id)?.join('\n') ?? '';
      if ((edge.data('rpfLabel') ?? '') !== label) edge.data('rpfLabel', label);
      // RPF labels lift away from the drawing's middle: below an edge in its lower half, above it otherwise.
      const lift = label && edge.midpoint().y > middle ? 1 : -1;
      if (edge.data('rpfLift') !== lift) edge.data('rpfLift', lift);
    }
  });
}

/**
 * The vertical middle of the devices. A big lab's is taken from node centres: a bounding box styles every
 * node first (a 5,000-spoke lab's load, issue 18), and at its zoom a node's half height is under a pixel.
 */
function middleY(cy: cytoscape.Core): number {
  if (cy.nodes().length <= BIG_LAB_DEVICES) {
    const box = cy.nodes().boundingBox({ includeLabels: false } as cytoscape.BoundingBoxOptions);
    return (box.y1 + box.y2) / 2;
  }
  let y1 = Infinity;
  let y2 = -Infinity;
  cy.nodes().forEach((n) => {
    const y = n.position('y');
    y1 = Math.min(y1, y);
    y2 = Math.max(y2, y);
  });
  return (y1 + y2) / 2;
}

/** Classes `applyMulticast` draws with. */
const MULTICAST_CLASSES: readonly string[] = ['rpf', 'tree', 'to-source', 'to-target'];

/** A router whose RPF interface for the source is not the interface the group's traffic arrives on. */
export interface RpfMismatch {
  readonly device: string;
  /** The RPF interface towards the source (what `show ip rpf` names). */
  readonly rpf: string;
  /** Where the group's traffic arrives: the far end of an upstream router's tree edge. */
  readonly arrives: string;
  /** One sentence a student can read. */
  readonly reason: string;
}

/**
 * Where each router receives the group's traffic: the far end of every tree edge (a physical link, or the tunnel
 * edge towards the edge's next hop on a multipoint tunnel).
 */
export function arrivalInterfaces(lab: LabView, view: MulticastView): Map<string, Set<string>> {
  const at = new Map<string, Set<string>>();
  const add = (device: string, iface: string): void => {
    const set = at.get(device) ?? new Set<string>();
    set.add(iface);
    at.set(device, set);
  };
  for (const t of view.tree) {
    const link = linkAt(lab, t.device, t.iface);
    if (link) {
      const far = link.a.device === t.device && link.a.iface === t.iface ? link.b : link.a;
      add(far.device, far.iface);
      continue;
    }
    const owner = t.nextHop === undefined ? undefined : addressOwner(lab, t.nextHop);
    for (const e of lab.overlay) {
      if (e.a.device === t.device && e.a.iface === t.iface && (owner === undefined || e.b.device === owner))
        add(e.b.device, e.b.iface);
      if (e.b.device === t.device && e.b.iface === t.iface && (owner === undefined || e.a.device === owner))
        add(e.a.device, e.a.iface);
    }
  }
  return at;
}

/**
 * Routers that receive the group's traffic on an interface other than their RPF interface for the source: the
 * RPF check drops it there (RFC 7761 §4.2: a packet is forwarded only if it arrived on the RPF interface towards
 * its source; the reference lab's spokes need `ip mroute` for exactly this).
 */
export function rpfMismatches(lab: LabView, view: MulticastView | undefined): RpfMismatch[] {
  if (!view) return [];
  const arrivals = arrivalInterfaces(lab, view);
  const out: RpfMismatch[] = [];
  for (const r of view.rpf) {
    const ins = arrivals.get(r.device);
    if (!ins || r.kind === 'local') continue;
    if (r.interface !== undefined && ins.has(r.interface)) continue;
    const arrives = [...ins][0]!;
    const rpf = r.interface ?? 'none';
    out.push({
      device: r.device,
      rpf,
      arrives,
      reason:
        r.interface === undefined
          ? `${view.group} arrives on ${arrives}, but ${r.device} has no route back to ${view.source}: the RPF check fails`
          : `${view.group} arrives on ${arrives}, but the RPF interface towards ${view.source} is ${r.interface} (${r.description ?? r.kind}): the RPF check fails`,
    });
  }
  return out;
}

/** The persistent mark on routers that fail the RPF check: a red border and the interfaces in the label. */
function markRpfFailures(cy: cytoscape.Core, mismatches: readonly RpfMismatch[]): void {
  const byDevice = new Map(mismatches.map((m) => [m.device, m]));
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const m = byDevice.get(n.id());
      const label = m
        ? `${n.id()}\n✗ RPF ${shortInterfaceName(m.rpf)} ≠ ${shortInterfaceName(m.arrives)}`
        : '';
      if ((n.data('markLabel') ?? '') !== label) n.data('markLabel', label);
      if ((n.data('rpfReason') ?? '') !== (m?.reason ?? '')) n.data('rpfReason', m?.reason ?? '');
      if (n.hasClass('rpf-fail') !== (m !== undefined)) n.toggleClass('rpf-fail', m !== undefined);
    });
  });
}

/**
 * Replaces the whole graph (a new lab): places devices at their x/y, or lays them out when any lacks one.
 * `styleFor` is called with the zoom the lab is drawn at before its elements are styled (a big lab's level of
 * detail: labels left out are never measured), or after the fit when devices lack a position.
 */
export function rebuildTopology(
  cy: cytoscape.Core,
  lab: LabView,
  styleFor: (zoom: number) => void = () => undefined,
): void {
  cy.scratch('spread', 1);
  // The scenario's coordinates times this are the drawing's (the topology editor converts back).
  cy.scratch('scale', positionScale(lab));
  const elements = labElements(lab);
  const placed = lab.devices.every((d) => d.x !== undefined && d.y !== undefined);
  // A big lab placed by its scenario is fitted from those positions: cy.fit would first style every element
  // and measure its labels and edge curves (3.0 s of a 5,000-spoke lab's load, issue 18).
  const view =
    placed && lab.devices.length > BIG_LAB_DEVICES
      ? viewportFor(nodePoints(elements), cy.width(), cy.height())
      : undefined;
  cy.batch(() => {
    cy.elements().remove();
    if (view) styleFor(view.zoom);
    cy.add(elements);
  });
  if (view) {
    cy.viewport(view);
    return;
  }
  cy.layout(placed ? { name: 'preset', fit: false } : { name: 'circle', fit: false }).run();
  fitTopology(cy);
  styleFor(cy.zoom());
}

/** The centres of the nodes among `elements`. */
function nodePoints(elements: readonly cytoscape.ElementDefinition[]): Point[] {
  const out: Point[] = [];
  for (const e of elements) if (e.group === 'nodes' && e.position) out.push(e.position);
  return out;
}

/** Updates link states of the lab already drawn (the lab runs; interfaces go up and down). */
export function updateTopology(cy: cytoscape.Core, lab: LabView): void {
  cy.batch(() => {
    for (const l of lab.links) {
      const edge = cy.getElementById(l.id);
      if (edge.nonempty() && edge.hasClass('down') === l.up) edge.toggleClass('down', !l.up);
    }
    syncOverlay(cy, lab);
  });
}

export function markSelected(cy: cytoscape.Core, device: string | undefined): void {
  cy.batch(() => {
    cy.nodes('.selected').removeClass('selected');
    if (device) cy.getElementById(device).addClass('selected');
  });
}

/**
 * Spreads the devices `factor` times apart horizontally (relative to the lab as placed) around the drawing's centre: larger
 * labels (projector mode) need longer links so that interface labels and node names do not meet.
 */
export function spreadTopology(cy: cytoscape.Core, factor: number): void {
  const current = (cy.scratch('spread') as number | undefined) ?? 1;
  if (factor === current || cy.nodes().empty()) return;
  const box = cy.nodes().boundingBox({ includeLabels: false } as cytoscape.BoundingBoxOptions);
  const cx = (box.x1 + box.x2) / 2;
  const ratio = factor / current;
  cy.batch(() => {
    cy.nodes().positions((n) => {
      const p = n.position();
      // Along x only: interface labels sit along links, and the labs are drawn left to right (a vertical spread
      // would cost the height a classroom screen has least of).
      return { x: cx + (p.x - cx) * ratio, y: p.y };
    });
  });
  cy.scratch('spread', factor);
}

/** Devices above which the lab is big: fitted from node centres, labels by zoom (the page's WebGL threshold). */
export const BIG_LAB_DEVICES = WEBGL_THRESHOLD;

/** cy.fit's padding around the drawing, in screen pixels. */
const FIT_PADDING = 24;
/** Half the largest device's size in model units (the provider's cloud, 170 × 102): positions are centres. */
const HALF_NODE: Point = { x: 85, y: 51 };
/** The farthest Cytoscape zooms out (Topology.tsx), and the smallest fit. */
export const MIN_ZOOM = 0.002;
/** A lab of two or three devices would otherwise be drawn huge. */
const MAX_FIT_ZOOM = 1.4;

export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * The zoom and pan that fit nodes centred at `points` (each at most the provider's size) into a `width` ×
 * `height` panel, as cy.fit would with FIT_PADDING, from positions alone. Undefined without points or room.
 */
export function viewportFor(
  points: readonly Point[],
  width: number,
  height: number,
): { zoom: number; pan: Point } | undefined {
  if (points.length === 0 || width <= 2 * FIT_PADDING || height <= 2 * FIT_PADDING) return undefined;
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x - HALF_NODE.x);
    x2 = Math.max(x2, p.x + HALF_NODE.x);
    y1 = Math.min(y1, p.y - HALF_NODE.y);
    y2 = Math.max(y2, p.y + HALF_NODE.y);
  }
  const fit = Math.min((width - 2 * FIT_PADDING) / (x2 - x1), (height - 2 * FIT_PADDING) / (y2 - y1));
  const zoom = Math.max(MIN_ZOOM, Math.min(MAX_FIT_ZOOM, fit));
  return {
    zoom,
    pan: { x: width / 2 - ((x1 + x2) / 2) * zoom, y: height / 2 - ((y1 + y2) / 2) * zoom },
  };
}

export function fitTopology(cy: cytoscape.Core): void {
  if (cy.nodes().length > BIG_LAB_DEVICES) {
    const shown: Point[] = [];
    cy.nodes().forEach((n) => {
      if (isShown(n)) shown.push(n.position());
    });
    const view = viewportFor(shown, cy.width(), cy.height());
    if (view) {
      cy.viewport(view);
      return;
    }
  }
  cy.fit(undefined, FIT_PADDING);
  if (cy.zoom() > MAX_FIT_ZOOM) {
    cy.zoom(MAX_FIT_ZOOM);
    cy.center();
  }
}
