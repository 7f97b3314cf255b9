import { bound } from '../../kernel/bound';
import type { Kernel } from '../../kernel/kernel';
import { EIGRP_FLAG, EIGRP_OPCODE, type EigrpMetric, type EigrpTlv } from '../../net/eigrp';
import type { Ipv4 } from '../../net/ipv4-address';
import type { Prefix } from '../../net/prefix';
import { type Advertisement, advertisementFor, type OutboundPolicy, sameAdvertisement } from './advertise';
import { unreachableMetric } from './metric';
import type { Neighbor } from './neighbor';
import { comparePrefixes, prefixKey, prefixOfKey, type TopologyEntry, type TopologyTable } from './topology';

/** Route TLVs per Update; IOS fills packets up to the MTU, a fixed count keeps packets well below it. */
const ROUTES_PER_PACKET = 40;

/** What the update logic needs from its process: the table, the neighbours, the clock and a reliable send. */
export interface UpdateHost {
  readonly topology: TopologyTable;
  readonly neighbors: ReadonlyMap<string, Neighbor>;
  readonly kernel: Kernel;
  /** Split horizon and next-hop-self out one interface. */
  policyOf(iface: string): OutboundPolicy;
  /** Queues a reliable packet (Update, Query, Reply) to one neighbour. */
  enqueueTo(n: Neighbor, opcode: number, flags: number, tlvs: EigrpTlv[]): void;
}

/** One IPv4 internal route TLV (RFC 7868 §6.9.1); no metric means unreachable. */
export function routeTlv(prefix: Prefix, nextHop: Ipv4, metric: EigrpMetric | undefined): EigrpTlv {
  return {
    kind: 'ipv4-internal',
    nextHop,
    metric: metric ?? unreachableMetric(),
    destination: prefix.network,
    prefixLength: prefix.length,
  };
}

/**
 * What a process tells its neighbours, and when: everything that changed at one instant leaves as one flush
 * (the Queries raised, then one Update per neighbour with only the differences from what it was last told),
 * followed by one offer of the routes to the RIB.
 */
export class UpdateFlush {
  private readonly host: UpdateHost;
  private readonly onRoutesChanged: () => void;
  /** What each neighbour was last told, per prefix; the next Update carries only the differences. */
  private readonly advertised = new Map<string, Map<string, Advertisement>>();
  /** Neighbours that must get the whole table again (new adjacency, resync). */
  private readonly fullSync = new Set<string>();
  private flushPending = false;
  /** Up neighbours (established, not forgotten) per interface: the interfaces a flush plans for. */
  private readonly upOn = new Map<string, Set<string>>();
  /**
   * Up neighbours that a quiet flush must still visit: a full sync pending, or prefixes where what they were
   * told may differ from their policy's wants (see `SyncState.divergent`). Every other up neighbour is in step
   * with its policy's last flush, and a flush that changes nothing out its policy skips it without a look.
   */
  private readonly outOfStep = new Set<string>();
  /** Per outbound policy (see `policyKey`), what its last flush wanted advertised and what was touched since. */
  private readonly policyWants = new Map<string, PolicyWants>();
  /** Per neighbour, how its `advertised` map relates to its policy's last wants (see `updateNeighbor`). */
  private readonly syncState = new Map<string, SyncState>();
  /** Query TLVs waiting for the flush, per neighbour. */
  private readonly queries = new Map<string, EigrpTlv[]>();

  constructor(host: UpdateHost, onRoutesChanged: () => void) {
    this.host = host;
    this.onRoutesChanged = onRoutesChanged;
  }

  /** A new adjacency: the initial table, ending with End-of-Table (RFC 7868 §5.3.1.3). */
  established(n: Neighbor): void {
    const key = n.key;
    this.fullSync.add(key);
    this.outOfStep.add(key);
    this.advertised.set(key, new Map());
    this.syncState.delete(key);
    let up = this.upOn.get(n.interface);
    if (!up) this.upOn.set(n.interface, (up = new Set()));
    up.add(key);
  }

  /** The neighbour gets the whole table again at the next flush (IOS resynchronises, it does not reset). */
  resync(key: string): void {
    this.fullSync.add(key);
    this.outOfStep.add(key);
  }

  /** A neighbour went down: nothing it was told matters any more. */
  forget(key: string): void {
    this.advertised.delete(key);
    this.fullSync.delete(key);
    this.syncState.delete(key);
    this.outOfStep.delete(key);
    for (const [iface, up] of this.upOn) {
      if (up.delete(key) && up.size === 0) this.upOn.delete(iface);
    }
  }

  /** A Query TLV for `key`; Queries raised at the same instant leave together, one packet per neighbour. */
  queueQuery(key: string, tlv: EigrpTlv): void {
    const list = this.queries.get(key) ?? [];
    list.push(tlv);
    this.queries.set(key, list);
  }

  /** `n` was told `adv` for `prefix` outside a flush (in a Query or a Reply). */
  recordAdvertised(n: Neighbor, prefix: Prefix, adv: Advertisement | undefined): void {
    const key = n.key;
    const map = this.advertised.get(key);
    if (!map) return;
    const pk = prefixKey(prefix);
    if (adv) map.set(pk, adv);
    else map.delete(pk);
    // Told outside a flush: the next flush must compare this prefix for this neighbour.
    const sync = this.syncState.get(key);
    if (sync) {
      sync.divergent.add(pk);
      this.outOfStep.add(key);
    }
  }

  /** Batches everything that changed at this instant into one Update per neighbour and one RIB update. */
  schedule(): void {
    if (this.flushPending) return;
    this.flushPending = true;
    this.host.kernel.schedule(0, bound(this, this.flushNow));
  }

  private flushNow(): void {
    this.flushPending = false;
    this.flush();
  }

  private flush(): void {
    for (const [key, tlvs] of this.queries) {
      const n = this.host.neighbors.get(key);
      if (n) this.host.enqueueTo(n, EIGRP_OPCODE.QUERY, 0, tlvs);
    }
    this.queries.clear();
    const plans = new Map<string, FlushPlan>();
    // The policy depends on the interface alone: looked up once per interface with up neighbours.
    const byInterface = new Map<string, FlushPlan>();
    let loud = false;
    for (const iface of this.upOn.keys()) {
      const policy = this.host.policyOf(iface);
      const pkey = policyKey(policy);
      let plan = plans.get(pkey);
      if (!plan) plans.set(pkey, (plan = this.plan(policy, pkey)));
      byInterface.set(iface, plan);
      loud ||= !plan.quiet;
    }
    for (const n of this.neighborsToVisit(byInterface, loud))
      this.updateNeighbor(n, byInterface.get(n.interface)!);
    // A policy no neighbour had at this flush (its interface went, its settings changed) stops collecting
    // touched destinations; should it come back, its first flush computes every want afresh.
    for (const [pkey, state] of this.policyWants) {
      if (plans.has(pkey)) continue;
      this.host.topology.untrackTouched(state.touched);
      this.policyWants.delete(pkey);
    }
    this.onRoutesChanged();
  }

  /**
   * The up neighbours this flush must visit, in the process's neighbour order (the order their Updates leave
   * in): every neighbour out a policy whose wants changed, and the out-of-step ones elsewhere. A converging hub
   * flushes about once per spoke, and the spoke's routes are not advertised back out the tunnel (split
   * horizon): visiting every spoke at every flush made convergence O(spokes²); now a quiet flush costs
   * O(out-of-step neighbours).
   */
  private neighborsToVisit(byInterface: ReadonlyMap<string, FlushPlan>, loud: boolean): Neighbor[] {
    const visit = (n: Neighbor): boolean => {
      const plan = byInterface.get(n.interface);
      return plan !== undefined && n.state === 'up' && (!plan.quiet || this.outOfStep.has(n.key));
    };
    if (loud) return [...this.host.neighbors.values()].filter(visit);
    const found: Neighbor[] = [];
    for (const key of this.outOfStep) {
      const n = this.host.neighbors.get(key);
      if (n && visit(n)) found.push(n);
    }
    // The neighbours map is in the order neighbours were learned, which is the order of their handles.
    return found.sort((a, b) => a.handle - b.handle);
  }

  /**
   * What every destination should be advertised as out one policy at this flush, computed once for all the
   * neighbours that share it (a hub's spokes), and which destinations changed since the policy's last flush.
   * After the policy's first flush only the destinations touched since are recomputed: the advertisement of
   * an untouched destination cannot have changed.
   */
  private plan(policy: OutboundPolicy, key: string): FlushPlan {
    const topology = this.host.topology;
    const wantOf = (entry: TopologyEntry): Want =>
      entry.state === 'active' ? ACTIVE : advertisementFor(entry, policy);
    let state = this.policyWants.get(key);
    const changed = new Set<string>();
    const hasPrevious = state !== undefined;
    if (!state) {
      state = {
        wants: new Map(),
        active: new Set(),
        advertised: new Set(),
        touched: topology.trackTouched(),
        generation: 0,
        lastLoud: 0,
      };
      this.policyWants.set(key, state);
      const view = topology.sortedView();
      view.entries.forEach((entry, i) => setWant(state!, view.keys[i]!, wantOf(entry)));
    } else {
      for (const pk of state.touched) {
        const entry = topology.getByKey(pk);
        const before = state.wants.get(pk);
        if (!entry) {
          // Not advertised and absent are the same to a neighbour: neither is in what it was told.
          if (before !== undefined) changed.add(pk);
          setWant(state, pk, undefined);
          state.wants.delete(pk);
          continue;
        }
        const want = wantOf(entry);
        if (want === ACTIVE || before === ACTIVE || !sameAdvertisement(want, before)) changed.add(pk);
        setWant(state, pk, want);
      }
    }
    state.touched.clear();
    // An entry still active is compared again at every flush, as the full comparison does.
    if (hasPrevious) for (const pk of state.active) changed.add(pk);
    const inStepFrom = state.lastLoud;
    const generation = ++state.generation;
    const quiet = hasPrevious && changed.size === 0;
    if (!quiet) state.lastLoud = generation;
    return {
      key,
      generation,
      inStepFrom,
      quiet,
      wants: state.wants,
      advertised: state.advertised,
      active: [...state.active],
      hasPrevious,
      changed,
    };
  }

  /**
   * Sends `n` the differences between what it was told and what it should now be told (split horizon applied).
   *
   * Scale: comparing every destination for every neighbour at every flush is O(routes × neighbours) per flush,
   * and a converging 1000-spoke hub flushes about once per spoke. A neighbour that was brought up to date at
   * the previous flush of its policy is told exactly what that flush left it, except for the prefixes in its
   * `divergent` set (active then, or told in a Reply since); so only those and the prefixes whose advertisement
   * changed between the two flushes can differ, and only they are compared. Same TLVs, same order, same
   * `advertised` map as the full comparison, which still serves new and out-of-step neighbours.
   */
  private updateNeighbor(n: Neighbor, plan: FlushPlan): void {
    const key = n.key;
    const told = this.advertised.get(key) ?? new Map<string, Advertisement>();
    this.advertised.set(key, told);
    const full = this.fullSync.delete(key);
    const sync = this.syncState.get(key);
    // In step: brought up to date at or after the policy's last flush that changed its wants, so told exactly
    // what the previous flush wanted (quiet flushes in between left the wants and the neighbour as they were).
    const incremental =
      !full && plan.hasPrevious && sync?.policy === plan.key && sync.generation >= plan.inStepFrom;
    if (incremental && plan.changed.size === 0 && sync.divergent.size === 0 && plan.active.length === 0) {
      // Told exactly what the last flush wanted, and nothing changed since: no Update.
      sync.generation = plan.generation;
      this.outOfStep.delete(key);
      return;
    }
    const tlvs: EigrpTlv[] = [];
    const consider = (pk: string, entry: TopologyEntry): void => {
      const want = plan.wants.get(pk);
      if (want === ACTIVE) return;
      const had = told.get(pk);
      if (!full && sameAdvertisement(want, had)) return;
      if (!want && !had) return;
      tlvs.push(routeTlv(entry.prefix, want?.nextHop ?? 0, want?.metric ?? unreachableMetric(had?.metric)));
      if (want) told.set(pk, want);
      else told.delete(pk);
    };
    // Incremental: only what changed or diverged. Full: everything it should be told or was told; other
    // destinations would yield nothing (a hub's spokes are told its two prefixes, not the thousand it learned
    // from them over the same tunnel).
    const { present, missing } = this.inTableOrder(
      incremental ? [...plan.changed, ...sync.divergent] : [...plan.advertised, ...told.keys()],
    );
    for (const [pk, entry] of present) consider(pk, entry);
    const removals = !incremental || missing;
    if (removals) {
      for (const [pk, had] of [...told]) {
        if (plan.wants.has(pk)) continue;
        tlvs.push(routeTlv(prefixOfKey(pk), 0, unreachableMetric(had.metric)));
        told.delete(pk);
      }
    }
    this.syncState.set(key, {
      policy: plan.key,
      generation: plan.generation,
      divergent: new Set(plan.active),
    });
    if (plan.active.length > 0) this.outOfStep.add(key);
    else this.outOfStep.delete(key);
    if (tlvs.length === 0 && !full) return;
    this.sendUpdates(n, tlvs, full);
  }

  /** The TLVs in Updates of at most ROUTES_PER_PACKET routes; a full sync's last one carries End-of-Table. */
  private sendUpdates(n: Neighbor, tlvs: EigrpTlv[], full: boolean): void {
    for (let i = 0; i < Math.max(1, tlvs.length); i += ROUTES_PER_PACKET) {
      const last = i + ROUTES_PER_PACKET >= tlvs.length;
      this.host.enqueueTo(
        n,
        EIGRP_OPCODE.UPDATE,
        full && last ? EIGRP_FLAG.EOT : 0,
        tlvs.slice(i, i + ROUTES_PER_PACKET),
      );
    }
  }

  /** The destinations named by `keys` that are in the table, once each, in IOS order; `missing`: some are not. */
  private inTableOrder(keys: readonly string[]): { present: [string, TopologyEntry][]; missing: boolean } {
    const present: [string, TopologyEntry][] = [];
    let missing = false;
    for (const pk of new Set(keys)) {
      const entry = this.host.topology.getByKey(pk);
      if (entry === undefined) missing = true;
      else present.push([pk, entry]);
    }
    present.sort(([, a], [, b]) => comparePrefixes(a.prefix, b.prefix));
    return { present, missing };
  }
}

/** A destination that is active at a flush: not advertised anew until its computation ends. */
const ACTIVE = 'active';

type Want = Advertisement | undefined | typeof ACTIVE;

/** Neighbours with one policy get the same advertisements (split horizon and next hop depend on it alone). */
function policyKey(p: OutboundPolicy): string {
  return `${p.interface} ${p.splitHorizon} ${p.nextHopSelf}`;
}

/** One policy's wants as of its last flush, its active prefixes, and the destinations touched since. */
interface PolicyWants {
  readonly wants: Map<string, Want>;
  readonly active: Set<string>;
  readonly advertised: Set<string>;
  readonly touched: Set<string>;
  /** Flushes of this policy so far. */
  generation: number;
  /** The last generation whose flush changed a want (or compared active destinations): not quiet. */
  lastLoud: number;
}

function setWant(state: PolicyWants, pk: string, want: Want): void {
  state.wants.set(pk, want);
  if (want !== undefined && want !== ACTIVE) state.advertised.add(pk);
  else state.advertised.delete(pk);
  if (want === ACTIVE) state.active.add(pk);
  else state.active.delete(pk);
}

interface SyncState {
  readonly policy: string;
  /** The policy generation this neighbour was last brought up to date in. */
  generation: number;
  /** Prefixes where this neighbour's `advertised` entry may differ from the policy's wants at `flush`. */
  readonly divergent: Set<string>;
}

/** One flush's advertisements out one policy (see `UpdateFlush.plan`). */
interface FlushPlan {
  readonly key: string;
  /** This flush of the policy (see `PolicyWants.generation`). */
  readonly generation: number;
  /** A neighbour brought up to date in this generation or later is in step with the previous flush. */
  readonly inStepFrom: number;
  /** Not the first flush, and no want changed and none is active: in-step neighbours need nothing. */
  readonly quiet: boolean;
  readonly wants: ReadonlyMap<string, Want>;
  /** The prefixes whose want is an advertisement (not active, not withheld). */
  readonly advertised: ReadonlySet<string>;
  readonly active: readonly string[];
  /** False at the policy's first flush: there is nothing to compare with. */
  readonly hasPrevious: boolean;
  /** Prefixes whose want differs from the policy's previous flush (or that came or went). */
  readonly changed: ReadonlySet<string>;
}
