import { EIGRP_OPCODE, type EigrpTlv } from '../../net/eigrp';
import { type Advertisement, advertisementFor } from './advertise';
import { finishActive, goActive, localComputation, repliesComplete, successorPaths } from './dual';
import { INFINITE_DISTANCE } from './metric';
import type { Neighbor } from './neighbor';
import type { TopologyEntry } from './topology';
import { routeTlv, type UpdateFlush, type UpdateHost } from './update-flush';

/** What a passive entry became after an input event (see `QueryReply.input`). */
export type DualOutcome = 'passive' | 'active' | 'gone' | 'answered';

/**
 * DUAL's input events on one process (RFC 7868 §5.2, §5.3.5): a changed path either leaves the entry passive
 * (a feasible successor, or the successor got better) or starts a diffusing computation: the entry goes
 * active, every other neighbour is queried, and when every Reply is in the best path is chosen and whoever
 * queried us is answered.
 */
export class QueryReply {
  private readonly host: UpdateHost;
  private readonly updates: UpdateFlush;

  constructor(host: UpdateHost, updates: UpdateFlush) {
    this.host = host;
    this.updates = updates;
  }

  /**
   * An input event for a passive entry (RFC 7868 §5.2.4). `querier` is the neighbour whose Query caused it,
   * answered when the entry goes passive again. Returns the resulting state ('gone': entry removed;
   * 'answered': a computation started and ended at once, the querier already has its Reply).
   */
  input(entry: TopologyEntry, querier?: string): DualOutcome {
    if (entry.state === 'active') return 'active';
    const topology = this.host.topology;
    topology.touch(entry.prefix);
    const outcome = localComputation(entry);
    if (outcome.kind === 'passive') {
      if (outcome.changed) this.updates.schedule();
      return 'passive';
    }
    if (outcome.kind === 'gone') {
      topology.delete(entry.prefix);
      entry.successors = [];
      this.updates.schedule();
      return 'gone';
    }
    const queried = [...this.host.neighbors.values()].filter((n) => n.state === 'up' && n.key !== querier);
    if (querier !== undefined) (entry.replyTo ??= new Set()).add(querier);
    if (queried.length === 0) {
      // Nobody to ask: the computation ends at once, and endActive answers the querier.
      this.endActive(entry);
      return 'answered';
    }
    goActive(
      entry,
      queried.map((n) => n.key),
      this.host.kernel.now,
    );
    this.updates.schedule();
    const vector = this.activeVector(entry);
    for (const n of queried) {
      this.updates.recordAdvertised(n, entry.prefix, vector);
      this.updates.queueQuery(n.key, routeTlv(entry.prefix, 0, vector?.metric));
    }
    this.updates.schedule();
    return 'active';
  }

  /** A Query from `nbr` for `entry` (its path already learned): the Reply to send now, if any. */
  queried(entry: TopologyEntry, nbr: Neighbor): EigrpTlv | undefined {
    if (entry.state === 'active') {
      // Already computing: the querier is answered with what we have now (single-computation model).
      return this.replyTlv(entry, nbr);
    }
    const outcome = this.input(entry, nbr.key);
    return outcome === 'passive' || outcome === 'gone' ? this.replyTlv(entry, nbr) : undefined;
  }

  /** A Reply from `nbr` for `entry` (its path already learned). */
  replied(entry: TopologyEntry, nbr: Neighbor): void {
    if (entry.state === 'active' && entry.pendingReplies?.delete(nbr.key) === true)
      this.checkActiveDone(entry);
    else if (entry.state === 'passive') this.input(entry);
  }

  /** An awaited Reply is no longer awaited (it came, or its neighbour went): ends the computation if last. */
  checkActiveDone(entry: TopologyEntry): void {
    this.host.topology.touch(entry.prefix);
    if (repliesComplete(entry)) this.endActive(entry);
  }

  /** Every Reply is in: choose the best path, answer whoever queried us, and tell the others by Update. */
  private endActive(entry: TopologyEntry): void {
    this.host.topology.touch(entry.prefix);
    const reachable = finishActive(entry);
    for (const key of entry.replyTo ?? []) {
      const n = this.host.neighbors.get(key);
      if (n) this.host.enqueueTo(n, EIGRP_OPCODE.REPLY, 0, [this.replyTlv(entry, n)]);
    }
    entry.replyTo = undefined;
    if (!reachable) this.host.topology.delete(entry.prefix);
    this.updates.schedule();
  }

  /**
   * The vector to report while active (RFC 7868 §5.3.5): the distance through the current successor, which is
   * infinite when the successor itself was lost. Never another neighbour's path: that could point back at us.
   */
  private activeVector(entry: TopologyEntry): Advertisement | undefined {
    const via = successorPaths(entry)[0];
    if (!via || via.distance >= INFINITE_DISTANCE) return undefined;
    return { nextHop: 0, metric: via.metric };
  }

  /** A Reply for one destination to `n`: our distance, poisoned when split horizon points back at `n`. */
  private replyTlv(entry: TopologyEntry, n: Neighbor): EigrpTlv {
    const adv =
      entry.state === 'passive'
        ? advertisementFor(entry, this.host.policyOf(n.interface))
        : this.activeVector(entry);
    this.updates.recordAdvertised(n, entry.prefix, adv);
    return routeTlv(entry.prefix, adv?.nextHop ?? 0, adv?.metric);
  }
}
