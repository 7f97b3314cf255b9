/** ESP's part of the descriptor: transform sets, IPsec profiles and crypto maps, each in its own file. */
import type { ProtocolDescriptor } from '../descriptor';
import {
  CRYPTO_MAP_RUNNING_CONFIG,
  cryptoMapCommands,
  globalCryptoMapCommands,
  INTERFACE_CRYPTO_MAP_RUNNING_CONFIG,
  interfaceCryptoMapCommands,
} from './config-crypto-map';
import {
  globalIpsecProfileCommands,
  IPSEC_PROFILE_RUNNING_CONFIG,
  ipsecProfileCommands,
} from './config-ipsec-profile';
import {
  globalTransformSetCommands,
  TRANSFORM_SET_RUNNING_CONFIG,
  transformSetCommands,
} from './config-transform-set';

export const ESP_CONFIG: ProtocolDescriptor['config'] = {
  subModes: [
    { mode: 'transform-set', prompt: '(cfg-crypto-trans)' },
    { mode: 'ipsec-profile', prompt: '(ipsec-profile)' },
    { mode: 'crypto-map', prompt: '(config-crypto-map)' },
  ],
  commands: [
    {
      mode: 'global',
      commands: [...globalTransformSetCommands, ...globalIpsecProfileCommands, ...globalCryptoMapCommands],
    },
    { mode: 'transform-set', commands: transformSetCommands },
    { mode: 'ipsec-profile', commands: ipsecProfileCommands },
    { mode: 'crypto-map', commands: cryptoMapCommands },
    { mode: 'interface', commands: interfaceCryptoMapCommands },
  ],
  runningConfig: {
    global: [TRANSFORM_SET_RUNNING_CONFIG, IPSEC_PROFILE_RUNNING_CONFIG, CRYPTO_MAP_RUNNING_CONFIG],
    interface: [INTERFACE_CRYPTO_MAP_RUNNING_CONFIG],
  },
};
