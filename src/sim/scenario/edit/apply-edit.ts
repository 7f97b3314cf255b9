/**
 * The topology editor's edits applied to scenario text (issue 17). Each edit is a pure function of the text: the
 * same text and edit give the same new text, so the page's undo is keeping the previous text.
 */
import { parseScenario, scenarioV2Text, type Scenario } from '../schema';
import type { EditOp, EditResult } from './edit-ops';

/** Applies one edit; a refused edit (bad name, used interface, ...) gives `error` and no text. */
export function applyEdit(scenarioText: string, op: EditOp): EditResult {
  const { scenario } = parseScenario(scenarioText);
  if (!scenario) return { error: 'The scenario file does not load, so it cannot be edited.' };
  if (op.kind === 'move') return moveDevice(scenario, op.device, op.x, op.y);
  return { error: `The "${op.kind}" edit is not available yet.` };
}

function moveDevice(scenario: Scenario, device: string, x: number, y: number): EditResult {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return { error: 'A position must be two finite numbers.' };
  if (!scenario.devices.some((d) => d.name === device))
    return { error: `There is no device named "${device}".` };
  const devices = scenario.devices.map((d) => (d.name === device ? { ...d, x, y } : d));
  return { text: scenarioV2Text({ ...scenario, devices }) };
}
