/**
 * The topology editor's edits applied to scenario text (issue 17). Each edit is a pure function of the text: the
 * same text and edit give the same new text, so the page's undo is keeping the previous text. The result is
 * always a format 2 file (`scenarioV2Text`).
 */
import { parseScenario, scenarioV2Text, type Scenario } from '../schema';
import { addLink } from './add-link';
import { addRouter } from './add-router';
import { deleteDevice, deleteLink, type Edited, moveDevice, renameDevice } from './device-edits';
import { EDIT_ROLES, type EditOp, type EditResult, type InterfaceRef } from './edit-ops';

/** Applies one edit; a refused edit (bad name, used interface, ...) gives `error` and no text. */
export function applyEdit(scenarioText: string, op: EditOp): EditResult {
  const { scenario, problems } = parseScenario(scenarioText);
  if (!scenario)
    return { error: `The scenario does not load, so it cannot be edited: ${problems[0]?.message ?? ''}` };
  // A part the schema left out would be lost by rewriting the file: the user fixes the file first.
  const error = problems.find((p) => p.severity !== 'warning');
  if (error) return { error: `Fix the scenario file before editing it: ${error.message}` };
  const malformed = opProblem(op);
  if (malformed) return { error: malformed };
  try {
    return resultOf(edit(scenario, op));
  } catch (e) {
    // Edits are written not to throw; a bug must still not take the page down.
    return { error: `The edit failed: ${(e as Error).message}` };
  }
}

function edit(scenario: Scenario, op: EditOp): Edited & { device?: string } {
  switch (op.kind) {
    case 'add-router':
      return addRouter(scenario, op.role, op.x, op.y, op.name);
    case 'add-link':
      return addLink(scenario, op.a, op.b, op.autoAddress);
    case 'delete-device':
      return deleteDevice(scenario, op.device);
    case 'delete-link':
      return deleteLink(scenario, op.end);
    case 'rename':
      return renameDevice(scenario, op.device, op.to);
    case 'move':
      return moveDevice(scenario, op.device, op.x, op.y);
    default:
      return { error: 'Unknown edit.' };
  }
}

function resultOf(r: Edited & { device?: string }): EditResult {
  if ('error' in r) return { error: r.error };
  return { text: scenarioV2Text(r.scenario), ...(r.device !== undefined ? { device: r.device } : {}) };
}

const isText = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isEnd = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  isText((v as InterfaceRef).device) &&
  isText((v as InterfaceRef).interface);

/**
 * What crosses the worker boundary is only data: an edit whose fields are not of their types is refused with a
 * reason (a rename `to` nothing must not rename a device "undefined").
 */
function opProblem(op: unknown): string | undefined {
  if (typeof op !== 'object' || op === null) return 'Not a valid edit: an edit is an object.';
  const o = op as Record<string, unknown>;
  const fine = ((): boolean => {
    switch (o['kind']) {
      case 'add-router':
        return (
          EDIT_ROLES.some((r) => r.role === o['role']) &&
          isNumber(o['x']) &&
          isNumber(o['y']) &&
          (o['name'] === undefined || isText(o['name']))
        );
      case 'add-link':
        return isEnd(o['a']) && isEnd(o['b']) && typeof o['autoAddress'] === 'boolean';
      case 'delete-device':
        return isText(o['device']);
      case 'delete-link':
        return isEnd(o['end']);
      case 'rename':
        return isText(o['device']) && isText(o['to']);
      case 'move':
        return isText(o['device']) && isNumber(o['x']) && isNumber(o['y']);
      default:
        return false;
    }
  })();
  if (fine) return undefined;
  const kind = o['kind'];
  return typeof kind === 'string' && kind.length <= 40
    ? `Not a valid "${kind}" edit: a field is missing or of the wrong type.`
    : 'Not a valid edit: unknown kind.';
}
