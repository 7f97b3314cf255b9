/** Test helpers for the editor's tests: apply edits in turn, failing with the editor's reason on a refusal. */
import { applyEdit } from './apply-edit';
import type { EditOp } from './edit-ops';

export function edited(text: string, ops: readonly EditOp[]): string {
  return ops.reduce((t, op) => {
    const r = applyEdit(t, op);
    if (r.text === undefined) throw new Error(`edit ${op.kind} refused: ${r.error}`);
    return r.text;
  }, text);
}
