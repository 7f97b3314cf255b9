import type { ProtocolDescriptor } from '../descriptor';
import { EIGRP_CONFIG } from './config-commands';
import { EIGRP_COMMANDS, EIGRP_DEBUG_OPTIONS } from './eigrp-cli';
import { EigrpService } from './eigrp-service';

/** EIGRP (RFC 7868): the underlay and overlay routing of the reference lab. */
export const EIGRP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'eigrp',
  title: 'EIGRP (RFC 7868)',
  config: EIGRP_CONFIG,
  service: { create: (router) => new EigrpService(router) },
  execCommands: EIGRP_COMMANDS,
  debugOptions: EIGRP_DEBUG_OPTIONS,
  wire: [{ id: 'eigrp', label: 'EIGRP', color: '#2e7d32', legendOrder: 4 }],
};
