/**
 * Crypto maps: `crypto map NAME local-address`, `crypto map NAME SEQ (gdoi | ipsec-isakmp)` and its
 * `(config-crypto-map)` sub-mode, the interface's `crypto map NAME`, and the lines they print in the
 * running-config.
 */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand, ConfigContext } from '../../config/context';
import {
  frameAs,
  insertSorted,
  intParam,
  ipParam,
  optStrParam,
  removeWhere,
  strParam,
} from '../../config/context';
import type { InterfaceConfig } from '../../config/model';
import { assignNegatable, type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { GlobalRunningConfig, InterfaceRunningConfig } from '../descriptor';
import type { CryptoMap, CryptoMapEntry } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'crypto-map': { readonly map: string; readonly sequence: number };
  }
}

const MAP_HELP = { crypto: 'Encryption module', map: 'Enter a crypto map', name: 'Crypto map tag' };

function ensureMap(ctx: ConfigContext, name: string): CryptoMap {
  const maps = ctx.model.crypto.cryptoMaps;
  let map = maps.find((x) => x.name === name);
  if (!map) {
    map = { name, entries: [] };
    maps.push(map);
  }
  return map;
}

/** `no crypto map NAME` removes the map, `no crypto map NAME SEQ` one entry. */
function removeMap(ctx: ConfigContext, name: string, seq: unknown): void {
  const maps = ctx.model.crypto.cryptoMaps;
  if (typeof seq !== 'number') removeWhere(maps, (x) => x.name === name);
  else {
    const map = maps.find((x) => x.name === name);
    if (map) removeWhere(map.entries, (e) => e.sequence === seq);
  }
  ctx.changed('crypto', name);
}

export const globalCryptoMapCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto map <name:word> local-address <iface:interface>',
    noSyntax: 'crypto map <name:word> local-address [<iface:interface>]',
    help: { ...MAP_HELP, 'local-address': 'Interface to use for local address for this crypto map' },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const iface = optStrParam(m, 'iface');
      if (iface !== undefined && !m.negated) ctx.referenceInterface(iface, m.columns.iface ?? 0);
      // `no` clears only the local address; the map entry list stays.
      assignNegatable(ensureMap(ctx, name), 'localAddress', m.negated ? undefined : iface);
      ctx.changed('crypto', name);
    },
  },
  {
    syntax: 'crypto map <name:word> <seq:int:1-65535> (gdoi | ipsec-isakmp)',
    noSyntax: 'crypto map <name:word> [<seq:int:1-65535> [(gdoi | ipsec-isakmp)]]',
    help: {
      ...MAP_HELP,
      seq: 'Sequence to insert into crypto map entry',
      gdoi: 'GDOI',
      'ipsec-isakmp': 'IPSEC w/ISAKMP',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      if (m.negated) {
        removeMap(ctx, name, m.params.seq);
        return;
      }
      const sequence = intParam(m, 'seq');
      const kind = m.has('gdoi') ? 'gdoi' : 'ipsec-isakmp';
      const map = ensureMap(ctx, name);
      const entry = map.entries.find((e) => e.sequence === sequence);
      if (entry && entry.kind !== kind) {
        ctx.print(`% Crypto map ${name} ${sequence} is already ${entry.kind}; remove it first`);
        return;
      }
      if (!entry) {
        insertSorted(map.entries, { sequence, kind }, (a, b) => a.sequence - b.sequence);
        if (kind === 'ipsec-isakmp') {
          ctx.print('% NOTE: This new crypto map will remain disabled until a peer');
          ctx.print('        and a valid access list have been configured.');
        }
      }
      ctx.enter({ mode: 'crypto-map', map: name, sequence });
      ctx.changed('crypto', name);
    },
  },
];

/** The entry the `(config-crypto-map)` frame edits. */
const editEntry: Editor<CryptoMapEntry> = (ctx, change) => {
  const frame = frameAs(ctx, 'crypto-map');
  const entry = ctx.model.crypto.cryptoMaps
    .find((x) => x.name === frame.map)
    ?.entries.find((e) => e.sequence === frame.sequence);
  if (!entry) throw new Error(`crypto map ${frame.map} ${frame.sequence} vanished`);
  change(entry);
  ctx.changed('crypto', frame.map);
};

const SET_HELP = { set: 'Set values for encryption/decryption' };

export const cryptoMapCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'set group <name:word>',
    help: { ...SET_HELP, group: 'Set the GDOI group', name: 'Group name' },
    edit: editEntry,
    key: 'group',
    value: (m) => strParam(m, 'name'),
  }),
  negatableParameter({
    syntax: 'set peer <address:ipv4>',
    help: { ...SET_HELP, peer: 'Allowed Encryption/Decryption peer', address: 'IP address of peer' },
    edit: editEntry,
    key: 'peer',
    value: (m) => ipParam(m, 'address'),
  }),
  negatableParameter({
    syntax: 'set transform-set <name:word>',
    help: {
      ...SET_HELP,
      'transform-set': 'Specify list of transform sets in priority order',
      name: 'Transform set name',
    },
    edit: editEntry,
    key: 'transformSet',
    value: (m) => strParam(m, 'name'),
  }),
  negatableParameter({
    syntax: 'match address <acl:word>',
    help: {
      match: 'Match values.',
      address: 'Match address of packets to encrypt.',
      acl: 'IP access-list number or name',
    },
    edit: editEntry,
    key: 'matchAddress',
    value: (m) => strParam(m, 'acl'),
  }),
];

export const interfaceCryptoMapCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'crypto map <name:word>',
    help: { crypto: 'Encryption/Decryption commands', map: 'Assign a Crypto Map', name: 'Crypto Map tag' },
    edit: editInterface,
    key: 'cryptoMap',
    value: (m) => strParam(m, 'name'),
  }),
];

function renderMap(m: CryptoMap): string[] {
  return [
    ...(m.localAddress ? [`crypto map ${m.name} local-address ${m.localAddress}`] : []),
    ...m.entries.flatMap((e) => [
      `crypto map ${m.name} ${e.sequence} ${e.kind}`,
      ...(e.peer !== undefined ? [` set peer ${ip(e.peer)}`] : []),
      ...(e.transformSet ? [` set transform-set ${e.transformSet}`] : []),
      ...(e.group ? [` set group ${e.group}`] : []),
      ...(e.matchAddress ? [` match address ${e.matchAddress}`] : []),
    ]),
  ];
}

/** Every map, one block, the last before the interfaces. */
export const CRYPTO_MAP_RUNNING_CONFIG: GlobalRunningConfig = {
  anchor: 'crypto-map',
  render: (model) => [model.crypto.cryptoMaps.flatMap(renderMap)],
};

export const INTERFACE_CRYPTO_MAP_RUNNING_CONFIG: InterfaceRunningConfig = {
  anchor: 'crypto',
  render: (i: InterfaceConfig) => (i.cryptoMap !== undefined ? [`crypto map ${i.cryptoMap}`] : []),
};
