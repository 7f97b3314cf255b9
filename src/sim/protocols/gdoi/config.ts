/** GDOI's part of the descriptor: groups, key server, its SAs and RSA keys, each in its own file. */
import type { ProtocolDescriptor } from '../descriptor';
import {
  gdoiGroupCommands,
  globalGdoiGroupCommands,
  renderGroupHead,
  renderServerAddresses,
} from './config-group';
import { gdoiLocalServerCommands, renderLocalServer } from './config-local-server';
import { globalRsaKeyCommands, renderRsaKeyGeneration } from './config-rsa-keys';
import { gdoiSaIpsecCommands } from './config-sa-ipsec';
import type { GdoiGroup } from './config-model';

/** One group block: head, key-server lines, then a member's key servers (IOS order). */
function renderGdoiGroup(g: GdoiGroup): string[] {
  return [
    ...renderGroupHead(g),
    ...(g.server ? renderLocalServer(g.server) : []),
    ...renderServerAddresses(g),
  ];
}

export const GDOI_CONFIG: ProtocolDescriptor['config'] = {
  subModes: [
    { mode: 'gdoi-group', prompt: '(config-gdoi-group)' },
    { mode: 'gdoi-local-server', prompt: '(gdoi-local-server)' },
    { mode: 'gdoi-sa-ipsec', prompt: '(gdoi-sa-ipsec)' },
  ],
  commands: [
    { mode: 'global', commands: [...globalGdoiGroupCommands, ...globalRsaKeyCommands] },
    { mode: 'gdoi-group', commands: gdoiGroupCommands },
    { mode: 'gdoi-local-server', commands: gdoiLocalServerCommands },
    { mode: 'gdoi-sa-ipsec', commands: gdoiSaIpsecCommands },
  ],
  runningConfig: {
    global: [{ anchor: 'crypto-gdoi', render: (model) => model.crypto.gdoiGroups.map(renderGdoiGroup) }],
    scenario: renderRsaKeyGeneration,
  },
};
