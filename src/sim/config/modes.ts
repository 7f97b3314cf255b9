/** The configuration modes: their commands, IOS prompt suffix and parent (for the parent-mode fallback). */
import { globalAclCommands, extendedNaclCommands, standardNaclCommands } from './commands/acl';
import { commonCommands } from './commands/common';
import {
  cryptoMapCommands,
  gdoiGroupCommands,
  gdoiLocalServerCommands,
  gdoiSaIpsecCommands,
  globalCryptoCommands,
  interfaceCryptoCommands,
  ipsecProfileCommands,
  isakmpPolicyCommands,
  transformSetCommands,
} from './commands/crypto';
import { globalEigrpCommands, interfaceEigrpCommands, routerEigrpCommands } from './commands/eigrp';
import { globalCommands } from './commands/global';
import { interfaceCommands } from './commands/interface';
import { globalMulticastCommands, interfaceMulticastCommands } from './commands/multicast';
import { routingCommands } from './commands/routing';
import { tunnelNhrpCommands } from './commands/tunnel-nhrp';
import type { ConfigCommand, ConfigContext, ConfigModeName } from './context';
import { CommandTree } from './grammar';

export interface ModeDefinition {
  /** IOS prompt suffix, e.g. `(config-if)`. */
  readonly prompt: string;
  readonly commands: readonly ConfigCommand[];
}

export const MODES: Readonly<Record<ConfigModeName, ModeDefinition>> = {
  global: {
    prompt: '(config)',
    commands: [
      ...globalCommands,
      ...routingCommands,
      ...globalEigrpCommands,
      ...globalMulticastCommands,
      ...globalAclCommands,
      ...globalCryptoCommands,
    ],
  },
  interface: {
    prompt: '(config-if)',
    commands: [
      ...interfaceCommands,
      ...tunnelNhrpCommands,
      ...interfaceMulticastCommands,
      ...interfaceEigrpCommands,
      ...interfaceCryptoCommands,
    ],
  },
  'router-eigrp': { prompt: '(config-router)', commands: routerEigrpCommands },
  'isakmp-policy': { prompt: '(config-isakmp)', commands: isakmpPolicyCommands },
  'gdoi-group': { prompt: '(config-gdoi-group)', commands: gdoiGroupCommands },
  'gdoi-local-server': { prompt: '(gdoi-local-server)', commands: gdoiLocalServerCommands },
  'gdoi-sa-ipsec': { prompt: '(gdoi-sa-ipsec)', commands: gdoiSaIpsecCommands },
  'crypto-map': { prompt: '(config-crypto-map)', commands: cryptoMapCommands },
  'ipsec-profile': { prompt: '(ipsec-profile)', commands: ipsecProfileCommands },
  'transform-set': { prompt: '(cfg-crypto-trans)', commands: transformSetCommands },
  'std-nacl': { prompt: '(config-std-nacl)', commands: standardNaclCommands },
  'ext-nacl': { prompt: '(config-ext-nacl)', commands: extendedNaclCommands },
};

const trees = new Map<ConfigModeName, CommandTree<ConfigContext>>();

/** Trees are immutable and built once per mode, shared by every session. */
export function modeTree(mode: ConfigModeName): CommandTree<ConfigContext> {
  let tree = trees.get(mode);
  if (!tree) {
    tree = new CommandTree([...MODES[mode].commands, ...commonCommands], { noFormDefault: true });
    trees.set(mode, tree);
  }
  return tree;
}
