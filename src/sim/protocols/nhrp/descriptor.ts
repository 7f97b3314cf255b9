import type { ProtocolDescriptor } from '../descriptor';
import { NHRP_CONFIG } from './config-commands';
import type { GreTunnels } from '../tunnel/gre-tunnel';
import { NHRP_COMMANDS, NHRP_DEBUG_OPTIONS } from './nhrp-cli';
import { NhrpService } from './nhrp-service';

/** NHRP (RFC 2332) on mGRE tunnels: DMVPN registration and resolution. */
export const NHRP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'nhrp',
  title: 'NHRP (RFC 2332)',
  config: NHRP_CONFIG,
  service: {
    requires: ['tunnel'],
    create: (router, services) => new NhrpService(router, services.required<GreTunnels>('tunnel')),
  },
  execCommands: NHRP_COMMANDS,
  debugOptions: NHRP_DEBUG_OPTIONS,
  wire: [{ id: 'nhrp', label: 'NHRP', color: '#ef6c00', legendOrder: 3 }],
};
