import type { ProtocolDescriptor } from '../descriptor';
import { IGMP_CONFIG } from './config-commands';
import { IgmpService } from './igmp-service';

/** IGMPv2 (RFC 2236) on multicast interfaces; its `show ip igmp` commands live with PIM's multicast CLI. */
export const IGMP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'igmp',
  title: 'IGMPv2 (RFC 2236)',
  config: IGMP_CONFIG,
  service: { create: (router) => new IgmpService(router) },
  wire: [{ id: 'igmp', label: 'IGMP', color: '#ad1457', legendOrder: 7 }],
};
