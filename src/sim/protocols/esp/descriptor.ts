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
  service: { create: (router) => new EspService(router) },
  execCommands: [...ESP_COMMANDS, ...ACL_COMMANDS],
  wire: [{ id: 'esp', label: 'ESP', color: '#7b1fa2', legendOrder: 1 }],
};
