/**
 * Crypto: ISAKMP policies and keys, IPsec transform sets and profiles, GDOI groups (key-server and member
 * side), crypto maps (GDOI and ipsec-isakmp) and their interface binding, RSA key generation.
 * Values equal to IOS defaults are stored as "unset" so they render (and round-trip) the way IOS prints them.
 */
import type { ConfigCommand, ConfigContext } from '../context';
import {
  frameAs,
  insertSorted,
  intParam,
  ipParam,
  optIpParam,
  optStrParam,
  removeWhere,
  strParam,
} from '../context';
import type { CommandMatch } from '../grammar';
import type {
  CryptoMap,
  CryptoMapEntry,
  GdoiGroup,
  GdoiLocalServer,
  GdoiServerSa,
  IsakmpKey,
  IsakmpPolicy,
  TransformSet,
} from '../model';
import { editInterface } from './interface';

const CRYPTO_HELP = { crypto: 'Encryption module' };

function changed(ctx: ConfigContext, name?: string): void {
  ctx.changed('crypto', name);
}

function last(m: CommandMatch): string {
  return m.keywords[m.keywords.length - 1] ?? '';
}

// ------------------------------------------------------------------ lookups of the object a sub-mode edits

function policy(ctx: ConfigContext): IsakmpPolicy {
  const p = frameAs(ctx, 'isakmp-policy').priority;
  const found = ctx.model.crypto.isakmpPolicies.find((x) => x.priority === p);
  if (!found) throw new Error(`isakmp policy ${p} vanished`);
  return found;
}

function transformSet(ctx: ConfigContext): TransformSet {
  const name = frameAs(ctx, 'transform-set').name;
  const found = ctx.model.crypto.transformSets.find((x) => x.name === name);
  if (!found) throw new Error(`transform set ${name} vanished`);
  return found;
}

function groupNamed(ctx: ConfigContext, name: string): GdoiGroup {
  const found = ctx.model.crypto.gdoiGroups.find((x) => x.name === name);
  if (!found) throw new Error(`gdoi group ${name} vanished`);
  return found;
}

function localServer(ctx: ConfigContext): GdoiLocalServer {
  const group = groupNamed(ctx, frameAs(ctx, 'gdoi-local-server').group);
  group.server ??= { sas: [] };
  return group.server;
}

function serverSa(ctx: ConfigContext): GdoiServerSa {
  const frame = frameAs(ctx, 'gdoi-sa-ipsec');
  const sa = groupNamed(ctx, frame.group).server?.sas.find((s) => s.number === frame.sa);
  if (!sa) throw new Error(`sa ipsec ${frame.sa} vanished`);
  return sa;
}

function mapEntry(ctx: ConfigContext): CryptoMapEntry {
  const frame = frameAs(ctx, 'crypto-map');
  const entry = ctx.model.crypto.cryptoMaps
    .find((x) => x.name === frame.map)
    ?.entries.find((e) => e.sequence === frame.sequence);
  if (!entry) throw new Error(`crypto map ${frame.map} ${frame.sequence} vanished`);
  return entry;
}

function ensureMap(ctx: ConfigContext, name: string): CryptoMap {
  const maps = ctx.model.crypto.cryptoMaps;
  let map = maps.find((x) => x.name === name);
  if (!map) {
    map = { name, entries: [] };
    maps.push(map);
  }
  return map;
}

// ------------------------------------------------------------------ global

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

const DEFAULT_REKEY_ALGORITHM = '3des-cbc';

export const globalCryptoCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto isakmp policy <priority:int:1-10000>',
    help: {
      ...CRYPTO_HELP,
      isakmp: 'Configure ISAKMP policy',
      policy: 'Set policy for an ISAKMP protection suite',
      priority: 'Priority of protection suite',
    },
    run: (ctx, m) => {
      const priority = intParam(m, 'priority');
      const list = ctx.model.crypto.isakmpPolicies;
      if (m.negated) removeWhere(list, (p) => p.priority === priority);
      else {
        if (!list.some((p) => p.priority === priority)) {
          insertSorted(list, { priority }, (a, b) => a.priority - b.priority);
        }
        ctx.enter({ mode: 'isakmp-policy', priority });
      }
      changed(ctx, `isakmp policy ${priority}`);
    },
  },
  {
    syntax: 'crypto isakmp key [(0 | 6 | 7)] <key:word> address <address:ipv4> [<mask:mask>]',
    help: {
      ...CRYPTO_HELP,
      isakmp: 'Configure ISAKMP policy',
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
      if (!m.negated) {
        const type = m.has('6') ? 6 : m.has('7') ? 7 : 0;
        const entry: { -readonly [K in keyof IsakmpKey]: IsakmpKey[K] } = {
          encryptionType: type,
          key: strParam(m, 'key'),
          address,
        };
        if (mask !== undefined) entry.mask = mask;
        keys.push(entry);
      }
      changed(ctx, 'isakmp key');
    },
  },
  {
    syntax: `crypto ipsec transform-set <name:word> (${ENCRYPTION} [${AUTHENTICATION}] | ${AUTHENTICATION})`,
    noSyntax: 'crypto ipsec transform-set <name:word>',
    help: {
      ...CRYPTO_HELP,
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
      changed(ctx, name);
    },
  },
  {
    syntax: 'crypto ipsec profile <name:word>',
    help: {
      ...CRYPTO_HELP,
      ipsec: 'Configure IPSEC policy',
      profile: 'Configure an ipsec policy profile',
      name: 'Profile name',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const profiles = ctx.model.crypto.ipsecProfiles;
      if (m.negated) removeWhere(profiles, (p) => p.name === name);
      else {
        if (!profiles.some((p) => p.name === name)) profiles.push({ name });
        ctx.enter({ mode: 'ipsec-profile', profile: name });
      }
      changed(ctx, name);
    },
  },
  {
    syntax: 'crypto gdoi group <name:word>',
    help: {
      ...CRYPTO_HELP,
      gdoi: 'Configure GDOI policy',
      group: 'Configure a GDOI Group',
      name: 'Group Name',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const groups = ctx.model.crypto.gdoiGroups;
      if (m.negated) removeWhere(groups, (g) => g.name === name);
      else {
        if (!groups.some((g) => g.name === name)) groups.push({ name, serverAddresses: [] });
        ctx.enter({ mode: 'gdoi-group', group: name });
      }
      changed(ctx, name);
    },
  },
  {
    syntax: 'crypto map <name:word> local-address <iface:interface>',
    noSyntax: 'crypto map <name:word> local-address [<iface:interface>]',
    help: {
      ...CRYPTO_HELP,
      map: 'Enter a crypto map',
      name: 'Crypto map tag',
      'local-address': 'Interface to use for local address for this crypto map',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const map = ensureMap(ctx, name);
      if (m.negated) delete map.localAddress;
      else {
        const iface = strParam(m, 'iface');
        ctx.referenceInterface(iface, m.columns.iface ?? 0);
        map.localAddress = iface;
      }
      changed(ctx, name);
    },
  },
  {
    syntax: 'crypto map <name:word> <seq:int:1-65535> (gdoi | ipsec-isakmp)',
    noSyntax: 'crypto map <name:word> [<seq:int:1-65535> [(gdoi | ipsec-isakmp)]]',
    help: {
      ...CRYPTO_HELP,
      map: 'Enter a crypto map',
      name: 'Crypto map tag',
      seq: 'Sequence to insert into crypto map entry',
      gdoi: 'GDOI',
      'ipsec-isakmp': 'IPSEC w/ISAKMP',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const seq = m.params.seq;
      if (m.negated) {
        const maps = ctx.model.crypto.cryptoMaps;
        if (typeof seq !== 'number') removeWhere(maps, (x) => x.name === name);
        else {
          const map = maps.find((x) => x.name === name);
          if (map) removeWhere(map.entries, (e) => e.sequence === seq);
        }
        changed(ctx, name);
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
      changed(ctx, name);
    },
  },
  {
    syntax:
      'crypto key generate rsa [general-keys] label <label:word> modulus <bits:int:360-4096> [exportable]',
    noForm: false,
    help: {
      ...CRYPTO_HELP,
      key: 'Long term key operations',
      generate: 'Generate new keys',
      rsa: 'Generate RSA keys',
      'general-keys': 'Generate a general purpose RSA key pair for signing and encryption',
      label: 'Provide a label',
      modulus: 'Provide number of modulus bits on the command line',
      exportable: 'Allow the key to be exported',
    },
    run: (ctx, m) => {
      const label = strParam(m, 'label');
      const modulus = intParam(m, 'bits');
      const exportable = m.has('exportable');
      const keys = ctx.model.crypto.rsaKeys;
      if (keys.some((k) => k.label === label)) {
        ctx.print(`% You already have RSA keys defined named ${label}.`);
        ctx.print('% They will be replaced.');
        removeWhere(keys, (k) => k.label === label);
      }
      keys.push({ label, modulus, exportable });
      ctx.print(`The name for the keys will be: ${label}`);
      ctx.print('');
      ctx.print(`% The key modulus size is ${modulus} bits`);
      ctx.print(
        `% Generating ${modulus} bit RSA keys, keys will be ${exportable ? '' : 'non-'}exportable...`,
      );
      ctx.print('[OK] (elapsed time was 0 seconds)');
      changed(ctx, label);
    },
  },
  {
    // The way IOS removes generated keys (there is no `no crypto key generate`).
    syntax: 'crypto key zeroize rsa [<label:word>]',
    noForm: false,
    help: {
      ...CRYPTO_HELP,
      key: 'Long term key operations',
      zeroize: 'Remove keys',
      rsa: 'Remove RSA keys',
      label: 'RSA key pair label',
    },
    run: (ctx, m) => {
      const label = optStrParam(m, 'label');
      removeWhere(ctx.model.crypto.rsaKeys, (k) => label === undefined || k.label === label);
      changed(ctx, label);
    },
  },
];

// ------------------------------------------------------------------ (config-isakmp)

function setPolicy<K extends keyof IsakmpPolicy>(
  ctx: ConfigContext,
  key: K,
  value: IsakmpPolicy[K] | undefined,
  defaultValue: IsakmpPolicy[K],
): void {
  const p = policy(ctx);
  if (value === undefined || value === defaultValue) delete p[key];
  else p[key] = value;
  changed(ctx, `isakmp policy ${p.priority}`);
}

export const isakmpPolicyCommands: readonly ConfigCommand[] = [
  {
    syntax: 'encryption (des | 3des | aes [(128 | 192 | 256)])',
    noSyntax: 'encryption [(des | 3des | aes [(128 | 192 | 256)])]',
    help: {
      encryption: 'Set encryption algorithm for protection suite',
      des: 'DES - Data Encryption Standard (56 bit keys).',
      '3des': 'Three key triple DES',
      aes: 'AES - Advanced Encryption Standard.',
      '128': '128 bit keys.',
      '192': '192 bit keys.',
      '256': '256 bit keys.',
    },
    run: (ctx, m) => {
      let value: IsakmpPolicy['encryption'];
      if (!m.negated) {
        if (m.has('192')) value = 'aes 192';
        else if (m.has('256')) value = 'aes 256';
        else if (m.has('aes')) value = 'aes';
        else value = m.has('3des') ? '3des' : 'des';
      }
      setPolicy(ctx, 'encryption', value, 'des');
    },
  },
  {
    syntax: 'hash (sha | md5 | sha256)',
    noSyntax: 'hash [(sha | md5 | sha256)]',
    help: {
      hash: 'Set hash algorithm for protection suite',
      sha: 'Secure Hash Standard',
      md5: 'Message Digest 5',
      sha256: 'Secure Hash Standard 2 (256 bit)',
    },
    run: (ctx, m) => setPolicy(ctx, 'hash', m.negated ? undefined : (last(m) as IsakmpPolicy['hash']), 'sha'),
  },
  {
    syntax: 'authentication (pre-share | rsa-sig)',
    noSyntax: 'authentication [(pre-share | rsa-sig)]',
    help: {
      authentication: 'Set authentication method for protection suite',
      'pre-share': 'Pre-Shared Key',
      'rsa-sig': 'Rivest-Shamir-Adleman Signature',
    },
    run: (ctx, m) =>
      setPolicy(
        ctx,
        'authentication',
        m.negated ? undefined : (last(m) as IsakmpPolicy['authentication']),
        'rsa-sig',
      ),
  },
  {
    syntax: 'group (1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 | 24)',
    noSyntax: 'group [(1 | 2 | 5 | 14 | 15 | 16 | 19 | 20 | 21 | 24)]',
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
    run: (ctx, m) => setPolicy(ctx, 'group', m.negated ? undefined : Number(last(m)), 1),
  },
  {
    syntax: 'lifetime <seconds:int:60-86400>',
    noSyntax: 'lifetime [<seconds:int:60-86400>]',
    help: { lifetime: 'Set lifetime for ISAKMP security association', seconds: 'lifetime in seconds' },
    run: (ctx, m) => setPolicy(ctx, 'lifetime', m.negated ? undefined : intParam(m, 'seconds'), 86400),
  },
];

// ------------------------------------------------------------------ (cfg-crypto-trans), (ipsec-profile)

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
      const ts = transformSet(ctx);
      // Tunnel mode is the default and IOS 12.4 does not print it.
      if (m.negated || m.has('tunnel')) delete ts.mode;
      else ts.mode = 'transport';
      changed(ctx, ts.name);
    },
  },
];

export const ipsecProfileCommands: readonly ConfigCommand[] = [
  {
    syntax: 'set transform-set <name:word>',
    noSyntax: 'set transform-set [<name:word>]',
    help: {
      set: 'Specify profile configuration parameters',
      'transform-set': 'Specify list of transform sets in priority order',
      name: 'Transform set name',
    },
    run: (ctx, m) => {
      const name = frameAs(ctx, 'ipsec-profile').profile;
      const profile = ctx.model.crypto.ipsecProfiles.find((p) => p.name === name);
      if (!profile) throw new Error(`ipsec profile ${name} vanished`);
      if (m.negated) delete profile.transformSet;
      else profile.transformSet = strParam(m, 'name');
      changed(ctx, name);
    },
  },
  {
    // IOS range 120-2592000 s; the default 3600 s is not printed.
    syntax: 'set security-association lifetime seconds <secs:int:120-2592000>',
    noSyntax: 'set security-association lifetime seconds [<secs:int:120-2592000>]',
    help: {
      set: 'Specify profile configuration parameters',
      'security-association': 'Security association parameters',
      lifetime: 'security association lifetime',
      seconds: 'Time-based key duration in seconds',
      secs: '<120-2592000>',
    },
    run: (ctx, m) => {
      const name = frameAs(ctx, 'ipsec-profile').profile;
      const profile = ctx.model.crypto.ipsecProfiles.find((p) => p.name === name);
      if (!profile) throw new Error(`ipsec profile ${name} vanished`);
      if (m.negated) delete profile.lifetimeSeconds;
      else profile.lifetimeSeconds = intParam(m, 'secs');
      changed(ctx, name);
    },
  },
];

// ------------------------------------------------------------------ (config-gdoi-group) and below

function editGroup(ctx: ConfigContext, change: (g: GdoiGroup) => void): void {
  const g = groupNamed(ctx, frameAs(ctx, 'gdoi-group').group);
  change(g);
  changed(ctx, g.name);
}

export const gdoiGroupCommands: readonly ConfigCommand[] = [
  {
    syntax: 'identity number <id:int:0-4294967295>',
    noSyntax: 'identity [number [<id:int:0-4294967295>]]',
    help: {
      identity: 'Set the identity of the group',
      number: 'Set the identity of the group as a number',
      id: 'Group number',
    },
    run: (ctx, m) =>
      editGroup(ctx, (g) => {
        if (m.negated) delete g.identity;
        else g.identity = intParam(m, 'id');
      }),
  },
  {
    syntax: 'server local',
    help: {
      server: 'Set the server for the group',
      local: 'Designate this device as the key server for the group',
    },
    run: (ctx, m) => {
      const name = frameAs(ctx, 'gdoi-group').group;
      editGroup(ctx, (g) => {
        if (m.negated) delete g.server;
        else g.server ??= { sas: [] };
      });
      if (!m.negated) ctx.enter({ mode: 'gdoi-local-server', group: name });
    },
  },
  {
    syntax: 'server address ipv4 <address:ipv4>',
    noSyntax: 'server address ipv4 [<address:ipv4>]',
    help: {
      server: 'Set the server for the group',
      address: 'Set the key server address for the group',
      ipv4: 'Set IPv4 address',
      // The param shares its name with the `address` keyword: only the keyword help is shown.
    },
    run: (ctx, m) =>
      editGroup(ctx, (g) => {
        const a = optIpParam(m, 'address');
        g.serverAddresses = g.serverAddresses.filter((x) => a !== undefined && x !== a);
        if (!m.negated && a !== undefined) g.serverAddresses.push(a);
      }),
  },
];

function editServer(ctx: ConfigContext, change: (s: GdoiLocalServer) => void): void {
  change(localServer(ctx));
  changed(ctx, frameAs(ctx, 'gdoi-local-server').group);
}

const REKEY_HELP = { rekey: 'Set the rekey policy for the group' };

export const gdoiLocalServerCommands: readonly ConfigCommand[] = [
  {
    syntax: 'rekey address ipv4 <acl:word>',
    noSyntax: 'rekey address ipv4 [<acl:word>]',
    help: {
      ...REKEY_HELP,
      address: 'Set the source and destination addresses for rekey messages',
      ipv4: 'IPv4 access-list for rekey messages',
      acl: 'Access-list name or number',
    },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.rekeyAddress;
        else s.rekeyAddress = strParam(m, 'acl');
      }),
  },
  {
    syntax: 'rekey lifetime seconds <seconds:int:300-86400>',
    noSyntax: 'rekey lifetime [seconds [<seconds:int:300-86400>]]',
    help: { ...REKEY_HELP, lifetime: 'Set the lifetime of the rekey SA', seconds: 'Lifetime in seconds' },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.rekeyLifetime;
        else s.rekeyLifetime = intParam(m, 'seconds');
      }),
  },
  {
    syntax: 'rekey retransmit <interval:int:10-60> number <count:int:1-10>',
    noSyntax: 'rekey retransmit [<interval:int:10-60> [number <count:int:1-10>]]',
    help: {
      ...REKEY_HELP,
      retransmit: 'Set retransmit parameters',
      interval: 'Retransmit period (seconds)',
      number: 'Number of retransmissions',
      count: 'Number of retransmissions',
    },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.rekeyRetransmit;
        else s.rekeyRetransmit = { interval: intParam(m, 'interval'), count: intParam(m, 'count') };
      }),
  },
  {
    syntax: 'rekey authentication mypubkey rsa <label:word>',
    noSyntax: 'rekey authentication [mypubkey [rsa [<label:word>]]]',
    help: {
      ...REKEY_HELP,
      authentication: 'Set the rekey authentication policy',
      mypubkey: 'Set the key to sign rekey messages',
      rsa: 'Specify RSA key',
      label: 'Key label',
    },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.rekeyAuthentication;
        else s.rekeyAuthentication = { keyLabel: strParam(m, 'label') };
      }),
  },
  {
    syntax: 'rekey algorithm (3des-cbc | des-cbc | aes (128 | 192 | 256))',
    noSyntax: 'rekey algorithm [(3des-cbc | des-cbc | aes (128 | 192 | 256))]',
    help: {
      ...REKEY_HELP,
      algorithm: 'Set the KEK rekey algorithm',
      '3des-cbc': 'Triple DES (default)',
      'des-cbc': 'DES',
      aes: 'Advanced Encryption Standard',
    },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        const alg = m.negated ? undefined : m.keywords.slice(m.keywords.indexOf('algorithm') + 1).join(' ');
        if (alg === undefined || alg === DEFAULT_REKEY_ALGORITHM) delete s.rekeyAlgorithm;
        else s.rekeyAlgorithm = alg;
      }),
  },
  {
    syntax: 'sa ipsec <number:int:1-65535>',
    help: { sa: 'Set the security association for the group', ipsec: 'IPsec SA', number: 'Sequence number' },
    run: (ctx, m) => {
      const group = frameAs(ctx, 'gdoi-local-server').group;
      const number = intParam(m, 'number');
      editServer(ctx, (s) => {
        if (m.negated) removeWhere(s.sas, (x) => x.number === number);
        else if (!s.sas.some((x) => x.number === number)) {
          insertSorted(s.sas, { number }, (a, b) => a.number - b.number);
        }
      });
      if (!m.negated) ctx.enter({ mode: 'gdoi-sa-ipsec', group, sa: number });
    },
  },
  {
    syntax: 'address ipv4 <address:ipv4>',
    noSyntax: 'address ipv4 [<address:ipv4>]',
    help: { address: 'Set the key server address', ipv4: 'Set IPv4 address' },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.address;
        else s.address = ipParam(m, 'address');
      }),
  },
];

function editSa(ctx: ConfigContext, change: (s: GdoiServerSa) => void): void {
  change(serverSa(ctx));
  changed(ctx, frameAs(ctx, 'gdoi-sa-ipsec').group);
}

export const gdoiSaIpsecCommands: readonly ConfigCommand[] = [
  {
    syntax: 'profile <name:word>',
    noSyntax: 'profile [<name:word>]',
    help: { profile: 'Configure an ipsec profile for the SA', name: 'IPsec profile name' },
    run: (ctx, m) =>
      editSa(ctx, (s) => {
        if (m.negated) delete s.profile;
        else s.profile = strParam(m, 'name');
      }),
  },
  {
    syntax: 'match address ipv4 <acl:word>',
    noSyntax: 'match address [ipv4 [<acl:word>]]',
    help: {
      match: 'Match values of the SA',
      address: 'Match address of packets to encrypt',
      ipv4: 'IPv4 access list',
      acl: 'Access-list name or number',
    },
    run: (ctx, m) =>
      editSa(ctx, (s) => {
        if (m.negated) delete s.matchAddress;
        else s.matchAddress = strParam(m, 'acl');
      }),
  },
  {
    syntax:
      'replay (time window-size <seconds:int:1-100> | counter window-size (64 | 128 | 256 | 512 | 1024))',
    noSyntax: 'replay [(time | counter) [window-size [(<seconds:int:1-100> | 64 | 128 | 256 | 512 | 1024)]]]',
    help: {
      replay: 'Set the replay protection type and window size',
      time: 'Time-based anti-replay',
      counter: 'Counter-based anti-replay',
      'window-size': 'Replay window size',
      seconds: 'Window size in seconds',
    },
    run: (ctx, m) =>
      editSa(ctx, (s) => {
        if (m.negated) delete s.replay;
        else if (m.has('time')) s.replay = { kind: 'time', windowSize: intParam(m, 'seconds') };
        else s.replay = { kind: 'counter', windowSize: Number(last(m)) };
      }),
  },
];

// ------------------------------------------------------------------ (config-crypto-map) and interfaces

function editEntry(ctx: ConfigContext, change: (e: CryptoMapEntry) => void): void {
  change(mapEntry(ctx));
  changed(ctx, frameAs(ctx, 'crypto-map').map);
}

export const cryptoMapCommands: readonly ConfigCommand[] = [
  {
    syntax: 'set group <name:word>',
    noSyntax: 'set group [<name:word>]',
    help: { set: 'Set values for encryption/decryption', group: 'Set the GDOI group', name: 'Group name' },
    run: (ctx, m) =>
      editEntry(ctx, (e) => {
        if (m.negated) delete e.group;
        else e.group = strParam(m, 'name');
      }),
  },
  {
    syntax: 'set peer <address:ipv4>',
    noSyntax: 'set peer [<address:ipv4>]',
    help: {
      set: 'Set values for encryption/decryption',
      peer: 'Allowed Encryption/Decryption peer',
      address: 'IP address of peer',
    },
    run: (ctx, m) =>
      editEntry(ctx, (e) => {
        if (m.negated) delete e.peer;
        else e.peer = ipParam(m, 'address');
      }),
  },
  {
    syntax: 'set transform-set <name:word>',
    noSyntax: 'set transform-set [<name:word>]',
    help: {
      set: 'Set values for encryption/decryption',
      'transform-set': 'Specify list of transform sets in priority order',
      name: 'Transform set name',
    },
    run: (ctx, m) =>
      editEntry(ctx, (e) => {
        if (m.negated) delete e.transformSet;
        else e.transformSet = strParam(m, 'name');
      }),
  },
  {
    syntax: 'match address <acl:word>',
    noSyntax: 'match address [<acl:word>]',
    help: {
      match: 'Match values.',
      address: 'Match address of packets to encrypt.',
      acl: 'IP access-list number or name',
    },
    run: (ctx, m) =>
      editEntry(ctx, (e) => {
        if (m.negated) delete e.matchAddress;
        else e.matchAddress = strParam(m, 'acl');
      }),
  },
];

export const interfaceCryptoCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto map <name:word>',
    noSyntax: 'crypto map [<name:word>]',
    help: { crypto: 'Encryption/Decryption commands', map: 'Assign a Crypto Map', name: 'Crypto Map tag' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.cryptoMap;
        else i.cryptoMap = strParam(m, 'name');
      }),
  },
];
