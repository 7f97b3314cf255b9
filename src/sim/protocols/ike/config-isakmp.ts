/**
 * ISAKMP (IKEv1 phase 1) config: `crypto isakmp policy` and its `(config-isakmp)` sub-mode, `crypto isakmp key`,
 * and the lines they print in the running-config. Values equal to IOS defaults (des, sha, rsa-sig, group 1,
 * 86400 s: Cisco IOS Security Command Reference, `crypto isakmp policy`) are stored as unset so they print
 * (and round-trip) the way IOS prints them.
 */
import type { ConfigCommand, ConfigContext } from '../../config/context';
import {
  frameAs,
  selectOrRemove,
  intParam,
  ipParam,
  lastKeyword,
  optIpParam,
  removeWhere,
  strParam,
} from '../../config/context';
import type { CommandMatch } from '../../config/grammar';
import type { CryptoConfig } from '../../config/model';
import { type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { IsakmpKey, IsakmpPolicy } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'isakmp-policy': { readonly priority: number };
  }
}

const ISAKMP_HELP = { crypto: 'Encryption module', isakmp: 'Configure ISAKMP policy' };

const globalIsakmpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto isakmp policy <priority:int:1-10000>',
    help: {
      ...ISAKMP_HELP,
      policy: 'Set policy for an ISAKMP protection suite',
      priority: 'Priority of protection suite',
    },
    run: (ctx, m) => {
      const priority = intParam(m, 'priority');
      const list = ctx.model.crypto.isakmpPolicies;
      const same = (p: IsakmpPolicy): boolean => p.priority === priority;
      if (
        selectOrRemove(
          list,
          same,
          () => ({ priority }),
          m.negated,
          (a, b) => a.priority - b.priority,
        )
      )
        ctx.enter({ mode: 'isakmp-policy', priority });
      ctx.changed('crypto', `isakmp policy ${priority}`);
    },
  },
  {
    syntax: 'crypto isakmp key [(0 | 6 | 7)] <key:word> address <address:ipv4> [<mask:mask>]',
    help: {
      ...ISAKMP_HELP,
      key: 'Set pre-shared key for remote peer',
      '0': 'Specifies an UNENCRYPTED password will follow',
      '6': 'Specifies an ENCRYPTED password will follow',
      '7': 'Specifies a HIDDEN password will follow',
      address: 'define shared key with IP address',
      mask: 'Peer IP subnet mask',
    },
    run: (ctx, m) => {
      const address = ipParam(m, 'address');
      const mask = optIpParam(m, 'mask');
      const keys = ctx.model.crypto.isakmpKeys;
      removeWhere(keys, (k) => k.address === address && k.mask === mask);
      if (!m.negated) keys.push(isakmpKey(m, address, mask));
      ctx.changed('crypto', 'isakmp key');
    },
  },
];

function isakmpKey(m: CommandMatch, address: number, mask: number | undefined): IsakmpKey {
  const type = m.has('6') ? 6 : m.has('7') ? 7 : 0;
  const entry: { -readonly [K in keyof IsakmpKey]: IsakmpKey[K] } = {
    encryptionType: type,
    key: strParam(m, 'key'),
    address,
  };
  if (mask !== undefined) entry.mask = mask;
  return entry;
}

/** The policy the `(config-isakmp)` frame edits. */
const editPolicy: Editor<IsakmpPolicy> = (ctx: ConfigContext, change) => {
  const priority = frameAs(ctx, 'isakmp-policy').priority;
  const p = ctx.model.crypto.isakmpPolicies.find((x) => x.priority === priority);
  if (!p) throw new Error(`isakmp policy ${priority} vanished`);
  change(p);
  ctx.changed('crypto', `isakmp policy ${p.priority}`);
};

function encryptionOf(m: CommandMatch): IsakmpPolicy['encryption'] {
  if (m.has('192')) return 'aes 192';
  if (m.has('256')) return 'aes 256';
  if (m.has('aes')) return 'aes';
  return m.has('3des') ? '3des' : 'des';
}

const isakmpPolicyCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'encryption (des | 3des | aes [(128 | 192 | 256)])',
    help: {
      encryption: 'Set encryption algorithm for protection suite',
      des: 'DES - Data Encryption Standard (56 bit keys).',
      '3des': 'Three key triple DES',
      aes: 'AES - Advanced Encryption Standard.',
      '128': '128 bit keys.',
      '192': '192 bit keys.',
      '256': '256 bit keys.',
    },
    edit: editPolicy,
    key: 'encryption',
    value: encryptionOf,
    defaultValue: 'des',
  }),
  negatableParameter({
    syntax: 'hash (sha | md5 | sha256)',
    help: {
      hash: 'Set hash algorithm for protection suite',
      sha: 'Secure Hash Standard',
      md5: 'Message Digest 5',
      sha256: 'Secure Hash Standard 2 (256 bit)',
    },
    edit: editPolicy,
    key: 'hash',
    value: (m) => lastKeyword(m) as IsakmpPolicy['hash'],
    defaultValue: 'sha',
  }),
  negatableParameter({
    syntax: 'authentication (pre-share | rsa-sig)',
    help: {
      authentication: 'Set authentication method for protection suite',
      'pre-share': 'Pre-Shared Key',
      'rsa-sig': 'Rivest-Shamir-Adleman Signature',
    },
    edit: editPolicy,
    key: 'authentication',
    value: (m) => lastKeyword(m) as IsakmpPolicy['authentication'],
    defaultValue: 'rsa-sig',
  }),
  negatableParameter({
    syntax: 'group (1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 | 24)',
    help: {
      group: 'Set the Diffie-Hellman group',
      '1': 'Diffie-Hellman group 1 (768 bit)',
      '2': 'Diffie-Hellman group 2 (1024 bit)',
      '5': 'Diffie-Hellman group 5 (1536 bit)',
      '14': 'Diffie-Hellman group 14 (2048 bit)',
      '15': 'Diffie-Hellman group 15 (3072 bit)',
      '16': 'Diffie-Hellman group 16 (4096 bit)',
      '19': 'Diffie-Hellman group 19 (256 bit ecp)',
      '20': 'Diffie-Hellman group 20 (384 bit ecp)',
      '21': 'Diffie-Hellman group 21 (521 bit ecp)',
      '24': 'Diffie-Hellman group 24 (2048 bit, 256 bit subgroup)',
    },
    edit: editPolicy,
    key: 'group',
    value: (m) => Number(lastKeyword(m)),
    defaultValue: 1,
  }),
  negatableParameter({
    syntax: 'lifetime <seconds:int:60-86400>',
    help: { lifetime: 'Set lifetime for ISAKMP security association', seconds: 'lifetime in seconds' },
    edit: editPolicy,
    key: 'lifetime',
    value: (m) => intParam(m, 'seconds'),
    defaultValue: 86400,
  }),
];

function renderPolicy(p: IsakmpPolicy): string[] {
  return [
    `crypto isakmp policy ${p.priority}`,
    ...(p.encryption ? [` encr ${p.encryption}`] : []),
    ...(p.hash ? [` hash ${p.hash}`] : []),
    ...(p.authentication ? [` authentication ${p.authentication}`] : []),
    ...(p.group !== undefined ? [` group ${p.group}`] : []),
    ...(p.lifetime !== undefined ? [` lifetime ${p.lifetime}`] : []),
  ];
}

function renderKey(k: IsakmpKey): string {
  const type = k.encryptionType === 0 ? '' : `${k.encryptionType} `;
  const mask = k.mask !== undefined ? ` ${ip(k.mask)}` : '';
  return `crypto isakmp key ${type}${k.key} address ${ip(k.address)}${mask}`;
}

/** Policies then keys, one block. */
function renderIsakmp(c: CryptoConfig): string[] {
  return [...c.isakmpPolicies.flatMap(renderPolicy), ...c.isakmpKeys.map(renderKey)];
}

/** IKE's part of the descriptor: ISAKMP policies and keys. */
export const IKE_CONFIG: ProtocolDescriptor['config'] = {
  subModes: [{ mode: 'isakmp-policy', prompt: '(config-isakmp)' }],
  commands: [
    { mode: 'global', commands: globalIsakmpCommands },
    { mode: 'isakmp-policy', commands: isakmpPolicyCommands },
  ],
  runningConfig: {
    global: [{ anchor: 'crypto-isakmp', render: (model) => [renderIsakmp(model.crypto)] }],
  },
};
