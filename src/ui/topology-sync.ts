// Applies lab views to the Cytoscape instance imperatively, so React never re-creates or re-renders the graph.
import type cytoscape from 'cytoscape';
import type { DeviceView, LabView } from '../worker/protocol';
import { shortIfName } from './format';

function ifShort(devices: readonly DeviceView[], device: string, iface: string): string {
  const found = devices
    .find((d) => d.name === device)
    ?.interfaces.find((i) => i.name === iface || i.short === iface);
  return found?.short ?? shortIfName(iface);
}

/** Shortest drawn link, in model units; shorter links leave no room for the interface labels at both ends. */
const MIN_LINK_LENGTH = 260;

/**
 * How much to spread the scenario's x/y: scenarios may place devices close together, and Cytoscape's fit then
 * shrinks nodes and labels instead of lengthening links.
 */
export function positionScale(lab: LabView): number {
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

export function labElements(lab: LabView): cytoscape.ElementDefinition[] {
  const scale = positionScale(lab);
  const nodes: cytoscape.ElementDefinition[] = lab.devices.map((d) => ({
    group: 'nodes',
    data: { id: d.name, label: d.name },
    classes: d.role,
    ...(d.x !== undefined && d.y !== undefined ? { position: { x: d.x * scale, y: d.y * scale } } : {}),
  }));
  const names = new Set(lab.devices.map((d) => d.name));
  const edges: cytoscape.ElementDefinition[] = lab.links
    // A link naming a missing device is reported as a problem; drawing it would make Cytoscape throw.
    .filter((l) => names.has(l.a.device) && names.has(l.b.device))
    .map((l) => ({
      group: 'edges',
      data: {
        id: l.id,
        source: l.a.device,
        target: l.b.device,
        sourceLabel: ifShort(lab.devices, l.a.device, l.a.iface),
        targetLabel: ifShort(lab.devices, l.b.device, l.b.iface),
      },
      classes: l.up ? '' : 'down',
    }));
  return [...nodes, ...edges];
}

/** Replaces the whole graph (a new lab): places devices at their x/y, or lays them out when any lacks one. */
export function rebuildTopology(cy: cytoscape.Core, lab: LabView): void {
  cy.batch(() => {
    cy.elements().remove();
    cy.add(labElements(lab));
  });
  const placed = lab.devices.every((d) => d.x !== undefined && d.y !== undefined);
  cy.layout(placed ? { name: 'preset', fit: false } : { name: 'circle', fit: false }).run();
  fitTopology(cy);
}

/** Updates link states of the lab already drawn (the lab runs; interfaces go up and down). */
export function updateTopology(cy: cytoscape.Core, lab: LabView): void {
  cy.batch(() => {
    for (const l of lab.links) {
      const edge = cy.getElementById(l.id);
      if (edge.nonempty()) edge.toggleClass('down', !l.up);
    }
  });
}

export function markSelected(cy: cytoscape.Core, device: string | undefined): void {
  cy.batch(() => {
    cy.nodes('.selected').removeClass('selected');
    if (device) cy.getElementById(device).addClass('selected');
  });
}

export function fitTopology(cy: cytoscape.Core): void {
  cy.fit(undefined, 24);
  // A lab of two or three devices would otherwise be drawn huge.
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
}
