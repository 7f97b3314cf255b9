// What PIM's parts (Join/Prune, Register, Assert, Auto-RP, RP-Reachable, forwarding) use of the PIM service, as
// an interface, with the debug flags they log under. A leaf module: the parts import it instead of
// `pim-service.ts`, which builds them, so no part and the service import each other (issue 16's cycles).
import type { PacketContext, Router } from '../../device/router';
import type { Ipv4 } from '../../net/ipv4-address';
import type { MrouteEntry, MrouteTable } from './mroute-table';
import type { NeighborTable } from './neighbor';
import type { RpMapping } from './rp';

/** IOS debug flags PIM logs under (`debug ip pim`, `debug ip pim auto-rp`). */
export const DEBUG_PIM = 'ip pim';
export const DEBUG_AUTORP = 'ip pim auto-rp';

/** Packets counted per interface (hellos sent are counted by the interface's `HelloSender`). */
export interface PimInterfaceCounters {
  helloIn: number;
  multicastIn: number;
  multicastOut: number;
}

/**
 * A PIM message type this service does not decode itself, handled by the protocol that owns it (PIM BSR's
 * Bootstrap and Candidate-RP-Advertisement, RFC 5059): `body` is everything after the 4-byte PIM header.
 */
export interface PimTypeHandler {
  /** The type may arrive unicast to one of our addresses (a C-RP-Advertisement, RFC 5059 §3.2). */
  readonly unicast?: boolean;
  receive(ctx: PacketContext, ifName: string, body: Uint8Array): void | Promise<void>;
}

/** The PIM service as its parts see it (implemented by `PimService`). */
export interface PimCore {
  readonly router: Router;
  readonly mroutes: MrouteTable;
  readonly neighbors: NeighborTable;
  /** `ip multicast-routing` is configured. */
  readonly enabled: boolean;
  pimEnabled(ifName: string): boolean;
  pimInterfaces(): string[];
  nbmaMode(ifName: string): boolean;
  countersOf(ifName: string): PimInterfaceCounters;
  recompute(groups?: ReadonlySet<Ipv4>): void;
  rpMappingExpired(): void;
  rpMappingFor(group: Ipv4): RpMapping | undefined;
  rpFor(group: Ipv4): Ipv4 | undefined;
  isRp(group: Ipv4): boolean;
  isLocalMember(group: Ipv4): boolean;
  sourceEntry(source: Ipv4, group: Ipv4): MrouteEntry;
  noteLocalSource(source: Ipv4, group: Ipv4): MrouteEntry | undefined;
  checkRib(): void;
}

/** The parts one part calls on another through the service (forwarding drives Register, Join/Prune, Assert). */
export interface PimParts {
  readonly asserts: {
    dataOnOutgoing(e: MrouteEntry, ifName: string): Promise<void>;
    winnerOn(e: MrouteEntry, ifName: string): Ipv4 | undefined;
  };
  readonly register: {
    isFirstHop(e: MrouteEntry, inIf: string): boolean;
    encapsulate(ctx: PacketContext, e: MrouteEntry): Promise<void>;
  };
  readonly joinPrune: { maybeSwitchToSpt(e: MrouteEntry): void };
}
