// The topology editor on the Cytoscape canvas (issue 17): in edit mode a tap selects a device or a link for the
// editor, a tap on empty canvas places the palette's role there, a role dragged from the palette is dropped
// where it lands, and a dragged device's new position is saved into the scenario (a move: no re-simulation).
import type cytoscape from 'cytoscape';
import type { EditRole } from '../worker/protocol';
import { useSim } from './store';

/** The drag-and-drop type a palette button carries. */
export const ROLE_DRAG_TYPE = 'application/x-getlab-role';

/** Colour of the link the editor selected (a bypass style: the stylesheet is rebuilt on zoom). */
const TARGET_EDGE_COLOR = '#e65100';

/** The drawing's horizontal centre (spreadTopology widens about it). */
function centreX(cy: cytoscape.Core): number {
  if (cy.nodes().empty()) return 0;
  const box = cy.nodes().boundingBox({ includeLabels: false } as cytoscape.BoundingBoxOptions);
  return (box.x1 + box.x2) / 2;
}

function scratchNumber(cy: cytoscape.Core, name: string): number {
  const v = cy.scratch(name) as number | undefined;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 1;
}

/** A drawn (model) position in the scenario's coordinates: before the projector spread and the lab's scale. */
export function toScenario(cy: cytoscape.Core, p: cytoscape.Position): { x: number; y: number } {
  const spread = scratchNumber(cy, 'spread');
  const scale = scratchNumber(cy, 'scale');
  const cx = centreX(cy);
  const x = (cx + (p.x - cx) / spread) / scale;
  return { x: Math.round(x), y: Math.round(p.y / scale) };
}

/** A scenario position where the drawing puts it now. */
export function fromScenario(cy: cytoscape.Core, x: number, y: number): cytoscape.Position {
  const spread = scratchNumber(cy, 'spread');
  const scale = scratchNumber(cy, 'scale');
  const cx = centreX(cy);
  return { x: cx + (x * scale - cx) * spread, y: y * scale };
}

/** A point on the page (a drop) in the drawing's model coordinates. */
function pageToModel(cy: cytoscape.Core, container: HTMLElement, clientX: number, clientY: number) {
  const box = container.getBoundingClientRect();
  const pan = cy.pan();
  const zoom = cy.zoom();
  return { x: (clientX - box.left - pan.x) / zoom, y: (clientY - box.top - pan.y) / zoom };
}

function addRouterAt(cy: cytoscape.Core, role: EditRole, model: cytoscape.Position): void {
  const { x, y } = toScenario(cy, model);
  void useSim.getState().edit({ kind: 'add-router', role, x, y });
}

/** Shows the editor's selected link (devices show theirs through the page's selection). */
function markTargetEdge(cy: cytoscape.Core, id: string | undefined): void {
  cy.edges('.edit-target').forEach((e) => {
    e.removeClass('edit-target');
    e.removeStyle('line-color width');
  });
  if (id === undefined) return;
  const edge = cy.getElementById(id);
  if (edge.empty()) return;
  edge.addClass('edit-target');
  edge.style({ 'line-color': TARGET_EDGE_COLOR, width: 6 });
}

function onTap(cy: cytoscape.Core, e: cytoscape.EventObject): void {
  const s = useSim.getState();
  if (!s.editing) return;
  const target = e.target as cytoscape.Core | cytoscape.SingularElementArgument;
  if (target !== cy && (target as cytoscape.SingularElementArgument).isNode()) {
    s.setEditTarget({ kind: 'device', device: (target as cytoscape.NodeSingular).id() });
    return;
  }
  if (s.armedRole) {
    addRouterAt(cy, s.armedRole, e.position);
    return;
  }
  if (target === cy) {
    s.setEditTarget(undefined);
    return;
  }
  const id = (target as cytoscape.EdgeSingular).id();
  const link = s.lab?.links.find((l) => l.id === id);
  // Tunnel edges are NHRP's state, not links of the file: nothing to edit there.
  if (link) s.setEditTarget({ kind: 'link', id, end: { device: link.a.device, interface: link.a.iface } });
}

/** Puts a device at a scenario position (undo or redo of a move). */
function place(cy: cytoscape.Core, at: { device: string; x: number; y: number }): void {
  const node = cy.getElementById(at.device);
  // The spread is about the drawing's centre, which the device moves: a few rounds settle it.
  for (let round = 0; round < 4 && node.nonempty(); round++) {
    node.position(fromScenario(cy, at.x, at.y));
    if (scratchNumber(cy, 'spread') === 1) break;
  }
}

/**
 * Wires edit mode onto a topology: taps, drops, drags, the selected link's mark, and the placements undo and
 * redo of a move ask for. Returns the function that unwires it.
 */
export function wireEditing(cy: cytoscape.Core, container: HTMLElement): () => void {
  const tap = (e: cytoscape.EventObject): void => onTap(cy, e);
  cy.on('tap', tap);
  const dragged = (e: cytoscape.EventObject): void => {
    if (!useSim.getState().editing) return;
    const node = e.target as cytoscape.NodeSingular;
    const { x, y } = toScenario(cy, node.position());
    void useSim.getState().edit({ kind: 'move', device: node.id(), x, y });
  };
  cy.on('dragfree', 'node', dragged);

  const dragOver = (e: DragEvent): void => {
    if (useSim.getState().editing && e.dataTransfer?.types.includes(ROLE_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  };
  const drop = (e: DragEvent): void => {
    const role = e.dataTransfer?.getData(ROLE_DRAG_TYPE) as EditRole | undefined;
    const s = useSim.getState();
    if (!s.editing || !role || !s.editRoles.some((r) => r.role === role)) return;
    e.preventDefault();
    addRouterAt(cy, role, pageToModel(cy, container, e.clientX, e.clientY));
  };
  container.addEventListener('dragover', dragOver);
  container.addEventListener('drop', drop);

  const off = useSim.subscribe((s, prev) => {
    if (s.placement && s.placement !== prev.placement) place(cy, s.placement);
    const id = s.editTarget?.kind === 'link' ? s.editTarget.id : undefined;
    const prevId = prev.editTarget?.kind === 'link' ? prev.editTarget.id : undefined;
    if (id !== prevId || s.labSerial !== prev.labSerial) markTargetEdge(cy, id);
    if (s.editing !== prev.editing || s.armedRole !== prev.armedRole) {
      container.dataset.editing = s.editing ? (s.armedRole ? 'placing' : 'on') : '';
    }
  });
  return () => {
    off();
    cy.off('tap', tap);
    cy.off('dragfree', 'node', dragged);
    container.removeEventListener('dragover', dragOver);
    container.removeEventListener('drop', drop);
  };
}
