/**
 * PIM BSR (RFC 5059) as the core sees it: the whole protocol plugs in through this descriptor and one line in
 * `protocols/registry.ts`. It runs on every multicast router (each one floods and filters Bootstraps, not only
 * the candidates), beside PIM, whose RP choice it feeds.
 */
import { boundFn } from '../../../kernel/bound';
import type { ProtocolDescriptor } from '../../descriptor';
import type { PimService } from '../pim-service';
import { BSR_COMMANDS, BSR_DEBUG_OPTIONS } from './bsr-cli';
import { bsrConfigCommands, renderBsrConfig } from './bsr-commands';
import { editBsrConfig, emptyBsrConfig, readBsrConfig, readRouterBsrConfig } from './bsr-config';
import { BsrService, PIM_BSR_ID } from './bsr-service';

export const PIM_BSR_DESCRIPTOR: ProtocolDescriptor = {
  id: PIM_BSR_ID,
  title: 'PIM BSR (RFC 5059)',
  config: {
    slice: { key: 'bsr', createGlobal: emptyBsrConfig },
    commands: [{ mode: 'global', commands: bsrConfigCommands(editBsrConfig) }],
    runningConfig: {
      // IOS lists `ip pim bsr-candidate` / `ip pim rp-candidate` in the one block of global `ip pim` lines.
      global: [
        {
          anchor: 'ip-pim',
          join: true,
          render: (model) => {
            const lines = renderBsrConfig(readBsrConfig(model));
            return lines.length > 0 ? [lines] : [];
          },
        },
      ],
    },
  },
  service: {
    requires: ['pim'],
    enabledBy: (config) => config.multicastRouting,
    create: (router, services) =>
      new BsrService(router, services.required<PimService>('pim'), boundFn(readRouterBsrConfig, router)),
  },
  execCommands: BSR_COMMANDS,
  debugOptions: BSR_DEBUG_OPTIONS,
};
