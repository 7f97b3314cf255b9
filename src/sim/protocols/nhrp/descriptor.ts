import { interfaceKind } from '../../device/interface-state';
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
    // NHRP runs on tunnels with `ip nhrp network-id` (IOS: the command enables NHRP on the interface).
    enabledBy: (c) =>
      c.interfaces.some((i) => interfaceKind(i.name) === 'tunnel' && i.nhrp.networkId !== undefined),
    create: (router, services) => new NhrpService(router, services.required<GreTunnels>('tunnel')),
  },
  execCommands: NHRP_COMMANDS,
  debugOptions: NHRP_DEBUG_OPTIONS,
  wire: [{ id: 'nhrp', label: 'NHRP', color: '#ef6c00', legendOrder: 3 }],
  routerViews: [{ id: 'nhrp', label: 'NHRP', order: 1, commands: ['show ip nhrp', 'show dmvpn'] }],
};
