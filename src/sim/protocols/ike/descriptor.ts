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
    // ISAKMP policies or keys configured, or GDOI (which registers over IKE: its `requires`).
    enabledBy: (c) => c.crypto.isakmpPolicies.length > 0 || c.crypto.isakmpKeys.length > 0,
    create: (router) => new IkeService(router),
  },
  wire: [{ id: 'isakmp', label: 'ISAKMP', color: '#8d6e63', legendOrder: 9 }],
};
