import type { ProtocolDescriptor } from '../descriptor';
import { TUNNEL_CONFIG } from './config-commands';
import { GreTunnels } from './gre-tunnel';

/** GRE tunnel interfaces (RFC 2784, multipoint GRE for DMVPN): the layer NHRP and every overlay ride on. */
export const TUNNEL_DESCRIPTOR: ProtocolDescriptor = {
  id: 'tunnel',
  title: 'GRE tunnels (RFC 2784)',
  config: TUNNEL_CONFIG,
  service: { create: (router) => new GreTunnels(router) },
  wire: [{ id: 'gre', label: 'GRE', color: '#00838f', legendOrder: 2 }],
};
