// Level of detail for the packet canvas (issue 18): a 1,000-spoke lab puts thousands of packet copies in flight
// at once (the hub's fan-outs overlap). Each frame's work must stay bounded whatever the lab sends: above
// FLOW_ABOVE packets in flight the canvas draws one mark per edge and encapsulation (a flow along the edge)
// instead of every copy, at most MAX_MARKS of them; and a frame turns at most MAX_ABSORB new records into hops,
// the rest waiting for the next frames (at most MAX_PENDING; the oldest are skipped beyond).

/** Packets in flight above which the canvas draws flows along edges rather than every copy. */
export const FLOW_ABOVE = 400;
/** Marks drawn per frame at most (flows mode). */
export const MAX_MARKS = 1200;
/** Records turned into hops per frame at most: a big worker batch is spread over several frames. */
export const MAX_ABSORB = 1500;
/** Records waiting to be turned into hops at most; the oldest are skipped beyond (the animation stays current). */
export const MAX_PENDING = 6000;

export type DetailLevel = 'packets' | 'flows';

/** What the canvas draws for this many packets in flight. */
export function detailFor(inFlight: number): DetailLevel {
  return inFlight > FLOW_ABOVE ? 'flows' : 'packets';
}

/** One packet that could be drawn this frame. */
export interface FlowCandidate {
  /** The path it travels (one object per sender, receiver and edge): copies on one path merge into a flow. */
  readonly path: object;
  /** Its look (one object per encapsulation): a flow is per path and encapsulation. */
  readonly look: object;
  /** How far along its path, 0 to 1: a flow is drawn where its most advanced copy is. */
  readonly progress: number;
}

export interface FlowPick {
  /** Indexes of the candidates drawn, in the order their flows first appear. */
  readonly drawn: number[];
  /** Packets each drawn mark stands for (same order as `drawn`). */
  readonly copies: number[];
}

/**
 * The flows to draw: one mark per path and look, at its most advanced copy; when there are more than `max`,
 * every k-th (spread over the topology, never a cluster) so the frame's work is bounded by `max`.
 */
export function pickFlows(candidates: readonly FlowCandidate[], max = MAX_MARKS): FlowPick {
  // Per path, per look: the slot of its mark in `marks`.
  const byPath = new Map<object, Map<object, number>>();
  const marks: { index: number; copies: number }[] = [];
  candidates.forEach((c, i) => {
    let looks = byPath.get(c.path);
    if (!looks) byPath.set(c.path, (looks = new Map()));
    const slot = looks.get(c.look);
    const mark = slot === undefined ? undefined : marks[slot];
    if (!mark) {
      looks.set(c.look, marks.length);
      marks.push({ index: i, copies: 1 });
      return;
    }
    mark.copies++;
    // The mark sits on the most advanced copy.
    if (c.progress > (candidates[mark.index]?.progress ?? 0)) mark.index = i;
  });
  const stride = Math.max(1, Math.ceil(marks.length / Math.max(1, max)));
  const kept = stride === 1 ? marks : marks.filter((_, k) => k % stride === 0);
  return { drawn: kept.map((m) => m.index), copies: kept.map((m) => m.copies) };
}

/**
 * Splits waiting records into those a frame takes now (at most `perFrame`) and those left for later (at most
 * `maxWaiting`, the newest); `skipped` counts the oldest dropped.
 */
export function takeBounded<T>(
  waiting: readonly T[],
  perFrame = MAX_ABSORB,
  maxWaiting = MAX_PENDING,
): { now: T[]; later: T[]; skipped: number } {
  const skipped = Math.max(0, waiting.length - maxWaiting);
  const kept = skipped > 0 ? waiting.slice(skipped) : waiting;
  return { now: kept.slice(0, perFrame), later: kept.slice(perFrame), skipped };
}
