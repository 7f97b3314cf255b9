import type { ProtocolDescriptor } from '../descriptor';
import { IKE_CONFIG } from './config-isakmp';
import { IkeService } from './ike-service';

/**
 * IKEv1 / ISAKMP (RFC 2408, RFC 2409): the phase 1 SA GDOI registers over. Its `show crypto isakmp sa` and
 * `debug crypto isakmp` live with GDOI's CLI, the only user of IKE in these labs.
 */
export const IKE_DESCRIPTOR: ProtocolDescriptor = {
  id: 'ike',
  title: 'IKEv1 / ISAKMP (RFC 2409)',
  config: IKE_CONFIG,
  service: {
    // No `enabledBy`: every router runs IKE, so an ISAKMP packet reaching a router with no crypto config meets
    // the IKE responder as before. IOS likewise has ISAKMP on by default (`crypto isakmp enable` is a default
    // command, `no crypto isakmp enable` turns it off: Cisco IOS Security Command Reference).
    create: (router) => new IkeService(router),
  },
  wire: [{ id: 'isakmp', label: 'ISAKMP', color: '#8d6e63', legendOrder: 9 }],
};
