import type { ProtocolDescriptor } from '../descriptor';
import { PIM_CONFIG } from './config-commands';
import type { IgmpService } from '../igmp/igmp-service';
import { MULTICAST_COMMANDS, MULTICAST_DEBUG_OPTIONS } from './pim-cli';
import { PimService } from './pim-service';
import { pimView } from './pim-view';

/** PIM sparse mode (RFC 7761) with Auto-RP, multicast forwarding and `show ip mroute`. */
export const PIM_DESCRIPTOR: ProtocolDescriptor = {
  id: 'pim',
  title: 'PIM sparse mode (RFC 7761) and Auto-RP',
  config: PIM_CONFIG,
  service: {
    requires: ['igmp'],
    create: (router, services) => new PimService(router, services.required<IgmpService>('igmp')),
  },
  execCommands: MULTICAST_COMMANDS,
  debugOptions: MULTICAST_DEBUG_OPTIONS,
  wire: [
    { id: 'pim', label: 'PIM', color: '#1565c0', legendOrder: 5 },
    { id: 'autorp', label: 'Auto-RP', color: '#5c6bc0', legendOrder: 6 },
  ],
  routerViews: [
    {
      id: 'pim',
      label: 'PIM',
      order: 2,
      commands: ['show ip pim neighbor', 'show ip mroute'],
      state: pimView,
    },
  ],
};
