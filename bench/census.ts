// What a checkpoint copies (issue 18): the copy's cost is per object, so this counts the objects of a steady-state
// lab by owner and kind, to show which fields are worth making lazy. Walks the graph as `copyGraph` does (what
// `isShared` says a copy shares is skipped, a bound callback's target and arguments are followed, a view's buffer
// is an object of its own). An object's owner is the nearest class instance above it and that instance's field it hangs under.
//   npx tsx bench/census.ts [spokes=1000] [simSeconds=300]
import { boundParts, isStateless } from '../src/sim/kernel/bound';
import { copyGraph, isShared } from '../src/sim/kernel/snapshot';
import { seconds } from '../src/sim/kernel/time';
import { generateHubSpokes } from '../src/sim/scenario/generate';
import { loadLab } from '../src/sim/scenario/lab';

const [spokes = 1000, simSeconds = 300] = process.argv.slice(2).map(Number);

function isPlainContainer(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return (
    proto === null || proto === Object.prototype || Array.isArray(v) || v instanceof Map || v instanceof Set
  );
}

function kindOf(v: object): string {
  if (typeof v === 'function') return 'bound callback';
  if (Array.isArray(v)) return v.length === 0 ? 'empty array' : 'array';
  if (v instanceof Map) return v.size === 0 ? 'empty Map' : v.size <= 2 ? 'small Map (1-2)' : 'Map';
  if (v instanceof Set) return v.size === 0 ? 'empty Set' : v.size <= 2 ? 'small Set (1-2)' : 'Set';
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return 'bytes';
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === null || proto === Object.prototype) return 'plain object';
  return (v.constructor as { name?: string }).name ?? 'object';
}

function census(root: object, skip: object): Map<string, number> {
  // Breadth first: an object shared by two owners counts under the one nearer the root (a Router's `config` rather
  // than an index of it).
  const seen = new Set<object>([skip]);
  const counts = new Map<string, number>();
  const stack: [object, string][] = [[root, 'root']];
  const push = (x: unknown, owner: string): void => {
    if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return;
    if (seen.has(x) || (typeof x === 'object' && isShared(x))) return;
    if (typeof x === 'function' && isStateless(x)) return;
    seen.add(x);
    stack.push([x, owner]);
  };
  seen.add(root);
  for (let at = 0; at < stack.length; at++) {
    const [v, owner] = stack[at]!;
    const key = `${owner}  ${kindOf(v)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (typeof v === 'function') {
      const parts = boundParts(v);
      if (parts) {
        push(parts.target, owner);
        for (const a of parts.args) push(a, owner);
      }
      continue;
    }
    if (ArrayBuffer.isView(v)) push(v.buffer, owner);
    if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof WeakMap || v instanceof WeakSet)
      continue;
    const own = isPlainContainer(v) ? undefined : (v.constructor as { name?: string }).name;
    const below = (field: string): string => (own ? `${own}.${field}` : owner);
    if (Array.isArray(v)) for (const x of v) push(x, owner);
    else if (v instanceof Map)
      for (const [k, x] of v) {
        push(k, owner);
        push(x, owner);
      }
    else if (v instanceof Set) for (const x of v) push(x, owner);
    const rec = v as Record<string | symbol, unknown>;
    for (const k of Object.keys(v)) push(rec[k], below(k));
    for (const s of Object.getOwnPropertySymbols(v)) push(rec[s], below(String(s)));
  }
  return counts;
}

async function main(): Promise<void> {
  const { lab } = loadLab(JSON.stringify(generateHubSpokes({ spokes, hubs: 1 })));
  await lab!.kernel.runUntil(seconds(simSeconds));
  // A checkpoint puts the run's trace recorder in its copy rather than copying it (scenario/checkpoint.ts).
  const trace = lab!.kernel.trace;
  const counts = census(lab!, trace);
  const byKind = new Map<string, number>();
  let total = 0;
  for (const [key, n] of counts) {
    const kind = key.split('  ')[1]!;
    byKind.set(kind, (byKind.get(kind) ?? 0) + n);
    total += n;
  }
  const top = (m: Map<string, number>, n: number): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, c]) => `${String(c).padStart(9)}  ${k}`);
  console.log(`${spokes} spokes at ${simSeconds} s: ${total} objects walked`);
  console.log('by kind:\n' + top(byKind, 20).join('\n'));
  const empties = new Map([...counts].filter(([k]) => /empty|small/.test(k)));
  console.log('empty and small collections by owner (top 30):\n' + top(empties, 30).join('\n'));
  console.log('all objects by owner and kind (top 30):\n' + top(counts, 30).join('\n'));
  const stats = { objects: 0 };
  const cpu0 = process.cpuUsage();
  copyGraph(lab, { stats, replace: new Map([[trace, trace]]) });
  const cpu = process.cpuUsage(cpu0);
  console.log(`copyGraph: ${stats.objects} objects, ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`);
}

void main();
