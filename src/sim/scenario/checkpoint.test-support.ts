// What the checkpoint tests share (issue 18): a shipped lab loaded with seed 1, and one router's protocol state
// checked for what a checkpoint cannot copy, or written and read back as a saved moment writes it. The router and
// the kernel are outside that state: shared by the copy, named (not written) by the codec.
import { readFileSync } from 'node:fs';
import type { Router } from '../device/router';
import { uncopyable } from '../kernel/snapshot';
import { decodeGraph, encodeGraph } from '../kernel/snapshot-codec';
import { type Lab, loadLab } from './lab';

/** `public/scenarios/<file>.json` loaded with seed 1; throws with the loader's problems when it does not load. */
export function shippedLab(file: string): Lab {
  const { lab, problems } = loadLab(readFileSync(`public/scenarios/${file}.json`, 'utf8'), 1);
  if (!lab) throw new Error(problems.map((p) => p.message).join('; '));
  return lab;
}

/** Paths in `state` (one router's services) that `copyGraph` could not copy, prefixed with the router's name. */
export function closuresIn(lab: Lab, router: Router, state: object): string[] {
  const share = (o: object): boolean => o === router || o === lab.kernel;
  return uncopyable(state, { share }).map((p) => `${router.name}${p}`);
}

/** `state` written by the snapshot codec as a saved moment writes it, and read back. */
export async function savedAndRead<T>(lab: Lab, router: Router, state: T): Promise<T> {
  const external = new Map<object, string>([
    [router, 'router'],
    [lab.kernel, 'kernel'],
  ]);
  const given = new Map<string, unknown>([
    ['router', router],
    ['kernel', lab.kernel],
  ]);
  return (await decodeGraph(await encodeGraph(state, { external }), { external: given })) as T;
}
