import type { Router } from '../../device/router';
import { bound } from '../../kernel/bound';
import { seconds, type SimTime } from '../../kernel/time';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import type { PimHelloOption } from '../../net/pim';
import { type DrCandidate, electDr } from './dr-election';
import { Timer } from '../../kernel/timer';

/** A PIM neighbour learned from its hellos (RFC 7761 §4.3.1). */
export interface PimNeighbor {
  readonly address: Ipv4;
  readonly interface: string;
  readonly since: SimTime;
  holdtime: number;
  drPriority?: number;
  generationId?: number;
  /** Hello option types it sent (drive the B/S/P/G letters of `show ip pim neighbor`). */
  optionTypes: Set<number>;
  readonly timer: Timer;
}

export type NeighborEvent =
  | { kind: 'up'; neighbor: PimNeighbor }
  | { kind: 'down'; neighbor: PimNeighbor }
  /** A changed Generation ID: the neighbour rebooted, so it has lost our join state (RFC 7761 §4.3.1). */
  | { kind: 'restarted'; neighbor: PimNeighbor }
  /** The DR of an interface changed: who takes its members into the outgoing lists changes with it. */
  | { kind: 'dr'; interface: string };

/** Neighbours per interface, their liveness timers, and the DR of each interface. */
export class NeighborTable {
  private readonly router: Router;
  private readonly byKey = new Map<string, PimNeighbor>();
  /** `byKey` per interface, in the same order: a hub's tunnel has a thousand neighbours. */
  private readonly byInterface = new Map<string, Map<string, PimNeighbor>>();
  private readonly onEvent: (e: NeighborEvent) => void;
  private readonly drs = new Map<string, Ipv4>();
  /** Per interface, whether every candidate of its last full election sent a DR Priority (RFC 7761 §4.3.2). */
  private readonly drByPriority = new Map<string, boolean>();

  constructor(router: Router, onEvent: (e: NeighborEvent) => void) {
    this.router = router;
    this.onEvent = onEvent;
  }

  all(): PimNeighbor[] {
    return [...this.byKey.values()];
  }

  on(ifName: string): PimNeighbor[] {
    return [...(this.byInterface.get(ifName)?.values() ?? [])];
  }

  /** How many neighbours `ifName` has. */
  countOn(ifName: string): number {
    return this.byInterface.get(ifName)?.size ?? 0;
  }

  private add(key: string, n: PimNeighbor): void {
    this.byKey.set(key, n);
    let onIf = this.byInterface.get(n.interface);
    if (!onIf) this.byInterface.set(n.interface, (onIf = new Map()));
    onIf.set(key, n);
  }

  private delete(n: PimNeighbor): boolean {
    const key = `${n.interface} ${n.address}`;
    const onIf = this.byInterface.get(n.interface);
    onIf?.delete(key);
    if (onIf?.size === 0) this.byInterface.delete(n.interface);
    return this.byKey.delete(key);
  }

  get(ifName: string, address: Ipv4): PimNeighbor | undefined {
    return this.byKey.get(`${ifName} ${address}`);
  }

  /** Processes a hello's options; returns the neighbour (or undefined after a goodbye, holdtime 0). */
  hello(ifName: string, address: Ipv4, options: readonly PimHelloOption[]): PimNeighbor | undefined {
    const key = `${ifName} ${address}`;
    let holdtime = 105;
    let drPriority: number | undefined;
    let generationId: number | undefined;
    for (const o of options) {
      if (o.kind === 'holdtime') holdtime = o.holdtime;
      else if (o.kind === 'dr-priority') drPriority = o.priority;
      else if (o.kind === 'generation-id') generationId = o.generationId;
    }
    const existing = this.byKey.get(key);
    if (holdtime === 0) {
      if (existing) this.remove(existing);
      return undefined;
    }
    const optionTypes = new Set(options.map((o) => optionType(o)));
    if (existing) {
      const restarted =
        existing.generationId !== undefined &&
        generationId !== undefined &&
        existing.generationId !== generationId;
      // Only a neighbour's DR Priority (or its absence) is an input of the election: a refresh that keeps it
      // cannot change the DR, and a hub hears a thousand refreshes per hello period.
      const priorityChanged = existing.drPriority !== drPriority;
      Object.assign(existing, { holdtime, drPriority, generationId, optionTypes });
      this.arm(existing);
      if (restarted) this.onEvent({ kind: 'restarted', neighbor: existing });
      if (priorityChanged) this.elect(ifName);
      return existing;
    }
    const fields = {
      address,
      interface: ifName,
      since: this.router.kernel.now,
      holdtime,
      drPriority,
      generationId,
      optionTypes,
    };
    // The holdtime timer removes this very neighbour: bound to it (kernel/bound.ts), so a checkpoint copies it.
    const n: PimNeighbor = Object.assign(fields, {
      timer: new Timer(this.router.kernel, bound(this, this.remove, fields as PimNeighbor)),
    });
    this.add(key, n);
    this.arm(n);
    this.router.log('syslog', `%PIM-5-NBRCHG: neighbor ${formatIpv4(address)} UP on interface ${ifName}`);
    this.onEvent({ kind: 'up', neighbor: n });
    this.elect(ifName, n);
    return n;
  }

  private arm(n: PimNeighbor): void {
    if (n.holdtime === 0xffff) n.timer.stop();
    else n.timer.start(seconds(n.holdtime));
  }

  private remove(n: PimNeighbor): void {
    n.timer.stop();
    if (!this.delete(n)) return;
    const wasDr = this.drs.get(n.interface) === n.address;
    this.router.log(
      'syslog',
      `%PIM-5-NBRCHG: neighbor ${formatIpv4(n.address)} DOWN on interface ${n.interface} ${wasDr ? 'DR' : 'non DR'}`,
    );
    this.onEvent({ kind: 'down', neighbor: n });
    this.elect(n.interface);
  }

  /** Forgets every neighbour on an interface (PIM disabled or the interface went down). */
  clearInterface(ifName: string): void {
    for (const n of this.on(ifName)) {
      n.timer.stop();
      this.delete(n);
      this.onEvent({ kind: 'down', neighbor: n });
    }
    this.drs.delete(ifName);
    this.drByPriority.delete(ifName);
  }

  /** The DR of an interface (our own address when we win or are alone). */
  dr(ifName: string): Ipv4 | undefined {
    return this.drs.get(ifName);
  }

  isDr(ifName: string): boolean {
    const own = this.router.interfaceAddress(ifName);
    return own !== undefined && this.drs.get(ifName) === own;
  }

  /** Re-runs the DR election on `ifName` (after `newcomer` came up, if given) and logs a change as IOS does. */
  elect(ifName: string, newcomer?: PimNeighbor): void {
    const own = this.router.interfaceAddress(ifName);
    if (own === undefined) return;
    const next = (newcomer && this.electWithNewcomer(ifName, own, newcomer)) ?? this.electAll(ifName, own);
    const prev = this.drs.get(ifName);
    if (next === undefined || next === prev) return;
    this.drs.set(ifName, next);
    if (prev === undefined) return;
    this.onEvent({ kind: 'dr', interface: ifName });
    const self = (a: Ipv4): string => `${formatIpv4(a)}${a === own ? ' (this system)' : ''}`;
    this.router.debugLog(
      'ip pim',
      () => `PIM(0): Changing DR for ${ifName}, from ${self(prev)} to ${self(next)}`,
    );
    this.router.log(
      'syslog',
      `%PIM-5-DRCHG: DR change from neighbor ${formatIpv4(prev)} to ${formatIpv4(next)} on interface ${ifName}`,
    );
  }

  private electAll(ifName: string, own: Ipv4): Ipv4 | undefined {
    const candidates: DrCandidate[] = [
      { address: own, priority: ownPriority(this.router, ifName) },
      ...this.on(ifName).map((n) => ({ address: n.address, priority: n.drPriority })),
    ];
    this.drByPriority.set(
      ifName,
      candidates.every((c) => c.priority !== undefined),
    );
    return electDr(candidates);
  }

  /**
   * The election after one neighbour came up and nothing else changed since the last one: RFC 7761 §4.3.2 ranks
   * candidates in one total order (priority then address when all sent a priority, else address alone), so
   * the newcomer either beats the sitting DR or changes nothing. A hub's tunnel gains a neighbour per spoke;
   * electing among all of them each time was O(spokes²). Undefined when the shortcut does not apply (the
   * newcomer sent no priority where all others did, or the sitting DR is not known): the full election then.
   */
  private electWithNewcomer(ifName: string, own: Ipv4, n: PimNeighbor): Ipv4 | undefined {
    const prev = this.drs.get(ifName);
    const byPriority = this.drByPriority.get(ifName);
    if (prev === undefined || byPriority === undefined) return undefined;
    const sitting = prev === own ? undefined : this.get(ifName, prev);
    if (prev !== own && sitting === undefined) return undefined;
    if (!byPriority) return Math.max(prev, n.address);
    if (n.drPriority === undefined) return undefined;
    const prevPriority = sitting ? sitting.drPriority : ownPriority(this.router, ifName);
    return electDr([
      { address: prev, priority: prevPriority },
      { address: n.address, priority: n.drPriority },
    ]);
  }
}

function ownPriority(router: Router, ifName: string): number {
  return router.interfaceConfig(ifName)?.pim.drPriority ?? 1;
}

function optionType(o: PimHelloOption): number {
  switch (o.kind) {
    case 'holdtime':
      return 1;
    case 'lan-prune-delay':
      return 2;
    case 'dr-priority':
      return 19;
    case 'generation-id':
      return 20;
    case 'address-list':
      return 24;
    case 'other':
      return o.type;
  }
}
