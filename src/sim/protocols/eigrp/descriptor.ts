import { boundFn } from '../../kernel/bound';
import type { ProtocolDescriptor } from '../descriptor';
import { EIGRP_CONFIG } from './config-commands';
import { EIGRP_COMMANDS, EIGRP_DEBUG_OPTIONS } from './eigrp-cli';
import { EigrpService, receiveEigrp } from './eigrp-service';
import type { EigrpProcess } from './eigrp-process';
import { EIGRP_ROUTE_SOURCES } from './route-show';
import { IP_PROTO } from '../../net/ipv4';

/** A dormant router's processes: none, shared rather than allocated per received packet. */
const NO_PROCESSES: ReadonlyMap<number, EigrpProcess> = new Map();

/** EIGRP (RFC 7868): the underlay and overlay routing of the reference lab. */
export const EIGRP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'eigrp',
  title: 'EIGRP (RFC 7868)',
  config: EIGRP_CONFIG,
  service: {
    // `router eigrp <as>` starts the process; without one the router does not listen to EIGRP.
    enabledBy: (c) => c.eigrp.length > 0,
    create: (router) => new EigrpService(router),
    // Packets still reach the protocol and are dropped as a router with no process for their AS drops them.
    dormant: (router) =>
      router.setProtocolHandler(IP_PROTO.EIGRP, boundFn(receiveEigrp, router, NO_PROCESSES)),
  },
  routeSources: EIGRP_ROUTE_SOURCES,
  execCommands: EIGRP_COMMANDS,
  debugOptions: EIGRP_DEBUG_OPTIONS,
  wire: [{ id: 'eigrp', label: 'EIGRP', color: '#2e7d32', legendOrder: 4 }],
};
