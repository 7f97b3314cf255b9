/**
 * `crypto ipsec transform-set` and its `(cfg-crypto-trans)` sub-mode, and the lines they print in the
 * running-config (tunnel mode is the IOS default and IOS 12.4 does not print it).
 */
import type { ConfigCommand } from '../../config/context';
import { frameAs, removeWhere, strParam } from '../../config/context';
import type { GlobalRunningConfig } from '../descriptor';
import type { TransformSet } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'transform-set': { readonly name: string };
  }
}

const ENCRYPTION = '(esp-des | esp-3des | esp-aes [(128 | 192 | 256)] | esp-null)';
const AUTHENTICATION = '(esp-md5-hmac | esp-sha-hmac | esp-sha256-hmac | esp-sha384-hmac | esp-sha512-hmac)';

/** `['esp-aes', '256', 'esp-sha-hmac']` -> `['esp-aes 256', 'esp-sha-hmac']`. */
function transformsOf(keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const k of keywords.slice(keywords.indexOf('transform-set') + 1)) {
    if (k.startsWith('esp-') || k.startsWith('ah-')) out.push(k);
    else if (out.length > 0) out[out.length - 1] += ` ${k}`;
  }
  return out;
}

export const globalTransformSetCommands: readonly ConfigCommand[] = [
  {
    syntax: `crypto ipsec transform-set <name:word> (${ENCRYPTION} [${AUTHENTICATION}] | ${AUTHENTICATION})`,
    noSyntax: 'crypto ipsec transform-set <name:word>',
    help: {
      crypto: 'Encryption module',
      ipsec: 'Configure IPSEC policy',
      'transform-set': 'Define transform and settings',
      name: 'Transform set tag',
      'esp-des': 'ESP transform using DES cipher (56 bits)',
      'esp-3des': 'ESP transform using 3DES(EDE) cipher (168 bits)',
      'esp-aes': 'ESP transform using AES cipher',
      'esp-null': 'ESP transform w/o cipher',
      '128': '128 bit keys.',
      '192': '192 bit keys.',
      '256': '256 bit keys.',
      'esp-md5-hmac': 'ESP transform using HMAC-MD5 auth',
      'esp-sha-hmac': 'ESP transform using HMAC-SHA auth',
      'esp-sha256-hmac': 'ESP transform using HMAC-SHA256 auth',
      'esp-sha384-hmac': 'ESP transform using HMAC-SHA384 auth',
      'esp-sha512-hmac': 'ESP transform using HMAC-SHA512 auth',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const sets = ctx.model.crypto.transformSets;
      if (m.negated) removeWhere(sets, (t) => t.name === name);
      else {
        const transforms = transformsOf(m.keywords);
        const existing = sets.find((t) => t.name === name);
        if (existing) existing.transforms = transforms;
        else sets.push({ name, transforms });
        ctx.enter({ mode: 'transform-set', name });
      }
      ctx.changed('crypto', name);
    },
  },
];

export const transformSetCommands: readonly ConfigCommand[] = [
  {
    syntax: 'mode (tunnel | transport)',
    noSyntax: 'mode [(tunnel | transport)]',
    help: {
      mode: 'encapsulation mode (transport/tunnel)',
      tunnel: 'tunnel (datagram encapsulation)',
      transport: 'transport (payload encapsulation)',
    },
    run: (ctx, m) => {
      const name = frameAs(ctx, 'transform-set').name;
      const ts = ctx.model.crypto.transformSets.find((x) => x.name === name);
      if (!ts) throw new Error(`transform set ${name} vanished`);
      // Tunnel mode is the default and IOS 12.4 does not print it.
      if (m.negated || m.has('tunnel')) delete ts.mode;
      else ts.mode = 'transport';
      ctx.changed('crypto', ts.name);
    },
  },
];

function renderTransformSet(t: TransformSet): string[] {
  return [
    `crypto ipsec transform-set ${t.name} ${t.transforms.join(' ')}`,
    ...(t.mode ? [` mode ${t.mode}`] : []),
  ];
}

/** Every transform set, one block. */
export const TRANSFORM_SET_RUNNING_CONFIG: GlobalRunningConfig = {
  anchor: 'crypto-ipsec',
  render: (model) => [model.crypto.transformSets.flatMap(renderTransformSet)],
};
