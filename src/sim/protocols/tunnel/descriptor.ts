import { boundFn } from '../../kernel/bound';
import { interfaceKind } from '../../device/interface-state';
import type { ProtocolDescriptor } from '../descriptor';
import { TUNNEL_CONFIG } from './config-commands';
import { IP_PROTO } from '../../net/ipv4';
import { dropUntunnelledGre, GreTunnels } from './gre-tunnel';

/** GRE tunnel interfaces (RFC 2784, multipoint GRE for DMVPN): the layer NHRP and every overlay ride on. */
export const TUNNEL_DESCRIPTOR: ProtocolDescriptor = {
  id: 'tunnel',
  title: 'GRE tunnels (RFC 2784)',
  config: TUNNEL_CONFIG,
  service: {
    // A router with no `interface Tunnel…` has no tunnel driver to run.
    enabledBy: (c) => c.interfaces.some((i) => interfaceKind(i.name) === 'tunnel'),
    create: (router) => new GreTunnels(router),
    dormant: (router) => router.setProtocolHandler(IP_PROTO.GRE, boundFn(dropUntunnelledGre, router)),
  },
  wire: [{ id: 'gre', label: 'GRE', color: '#00838f', legendOrder: 2 }],
};
