import type { ProtocolDescriptor } from '../descriptor';
import { ESP_CONFIG } from './config';
import { ACL_COMMANDS } from './acl-cli';
import { ESP_COMMANDS } from './esp-cli';
import { EspService } from './esp-service';

/** IPsec ESP (RFC 4303) through crypto maps, with the access lists that select its traffic. */
export const ESP_DESCRIPTOR: ProtocolDescriptor = {
  id: 'esp',
  title: 'IPsec ESP (RFC 4303)',
  config: ESP_CONFIG,
  service: {
    // No `enabledBy`: every router runs ESP's egress and ingress stages. They are async, and a router without
    // them would forward a transit packet a few microtasks sooner, reordering same-instant events in the trace
    // (hub-spokes labs). IOS has no such cost; GETLab keeps the pipeline identical on every router.
    create: (router) => new EspService(router),
  },
  execCommands: [...ESP_COMMANDS, ...ACL_COMMANDS],
  wire: [{ id: 'esp', label: 'ESP', color: '#7b1fa2', legendOrder: 1 }],
};
