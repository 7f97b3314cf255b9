import type { ProtocolDescriptor } from '../descriptor';
import { IcmpService } from './icmp-service';

/** ICMP (RFC 792) and UDP delivery: every router answers pings and sends unreachables. */
export const ICMP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'icmp',
  title: 'ICMP (RFC 792)',
  service: { create: (router) => new IcmpService(router) },
  wire: [{ id: 'icmp', label: 'ICMP', color: '#f9a825', legendOrder: 10 }],
};
