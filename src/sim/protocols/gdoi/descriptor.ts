import { EXCHANGE } from '../../net/isakmp';
import type { ProtocolDescriptor } from '../descriptor';
import { GDOI_CONFIG } from './config';
import type { EspService } from '../esp/esp-service';
import type { IkeService } from '../ike/ike-service';
import { GDOI_COMMANDS, GDOI_DEBUG_OPTIONS } from './gdoi-cli';
import { GdoiService } from './gdoi-service';
import { gdoiView } from './gdoi-view';

/** GDOI (RFC 6407): GET VPN key servers and group members; registers over IKE, installs ESP SAs. */
export const GDOI_DESCRIPTOR: ProtocolDescriptor = {
  id: 'gdoi',
  title: 'GDOI (RFC 6407)',
  config: GDOI_CONFIG,
  service: {
    requires: ['ike', 'esp'],
    // A `crypto gdoi group`, or an RSA key in the key store (GDOI holds the key store a key server signs with).
    enabledBy: (c) => c.crypto.gdoiGroups.length > 0 || c.crypto.rsaKeys.length > 0,
    create: (router, services) =>
      new GdoiService(router, services.required<IkeService>('ike'), services.required<EspService>('esp')),
  },
  execCommands: GDOI_COMMANDS,
  debugOptions: GDOI_DEBUG_OPTIONS,
  wire: [
    {
      id: 'gdoi',
      label: 'GDOI',
      color: '#c62828',
      legendOrder: 8,
      // RFC 6407 §3 (GROUPKEY-PULL, 32), §4 (GROUPKEY-PUSH, 33) and RFC 8263's push acknowledgement (35). RFC
      // 3547 §2.1 runs ISAKMP phase 1 on GDOI's own port 848 too, so only the exchange type tells them apart.
      isakmpExchangeTypes: [EXCHANGE.GROUPKEY_PULL, EXCHANGE.GROUPKEY_PUSH, EXCHANGE.GROUPKEY_PUSH_ACK],
    },
  ],
  routerViews: [{ id: 'gdoi', label: 'GDOI', order: 3, commands: ['show crypto gdoi'], state: gdoiView }],
};
