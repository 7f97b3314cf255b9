/**
 * The `(gdoi-local-server)` sub-mode (`server local` in a GDOI group: this router is the key server): the
 * rekey policy, the SAs it distributes (`sa ipsec N`: `config-sa-ipsec.ts`), its address; and the lines they
 * print. The rekey algorithm's IOS default, 3des-cbc, is not printed.
 */
import type { ConfigCommand } from '../../config/context';
import { frameAs, insertSorted, intParam, ipParam, removeWhere, strParam } from '../../config/context';
import { type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import { groupNamed } from './config-group';
import { renderServerSa } from './config-sa-ipsec';
import type { GdoiLocalServer } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'gdoi-local-server': { readonly group: string };
  }
}

const DEFAULT_REKEY_ALGORITHM = '3des-cbc';

const editServer: Editor<GdoiLocalServer> = (ctx, change) => {
  const name = frameAs(ctx, 'gdoi-local-server').group;
  const group = groupNamed(ctx, name);
  group.server ??= { sas: [] };
  change(group.server);
  ctx.changed('crypto', name);
};

const REKEY_HELP = { rekey: 'Set the rekey policy for the group' };

export const gdoiLocalServerCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'rekey address ipv4 <acl:word>',
    help: {
      ...REKEY_HELP,
      address: 'Set the source and destination addresses for rekey messages',
      ipv4: 'IPv4 access-list for rekey messages',
      acl: 'Access-list name or number',
    },
    edit: editServer,
    key: 'rekeyAddress',
    value: (m) => strParam(m, 'acl'),
  }),
  negatableParameter({
    syntax: 'rekey lifetime seconds <seconds:int:300-86400>',
    noSyntax: 'rekey lifetime [seconds [<seconds:int:300-86400>]]',
    help: { ...REKEY_HELP, lifetime: 'Set the lifetime of the rekey SA', seconds: 'Lifetime in seconds' },
    edit: editServer,
    key: 'rekeyLifetime',
    value: (m) => intParam(m, 'seconds'),
  }),
  negatableParameter({
    syntax: 'rekey retransmit <interval:int:10-60> number <count:int:1-10>',
    noSyntax: 'rekey retransmit [<interval:int:10-60> [number <count:int:1-10>]]',
    help: {
      ...REKEY_HELP,
      retransmit: 'Set retransmit parameters',
      interval: 'Retransmit period (seconds)',
      number: 'Number of retransmissions',
      count: 'Number of retransmissions',
    },
    edit: editServer,
    key: 'rekeyRetransmit',
    value: (m) => ({ interval: intParam(m, 'interval'), count: intParam(m, 'count') }),
  }),
  negatableParameter({
    syntax: 'rekey authentication mypubkey rsa <label:word>',
    noSyntax: 'rekey authentication [mypubkey [rsa [<label:word>]]]',
    help: {
      ...REKEY_HELP,
      authentication: 'Set the rekey authentication policy',
      mypubkey: 'Set the key to sign rekey messages',
      rsa: 'Specify RSA key',
      label: 'Key label',
    },
    edit: editServer,
    key: 'rekeyAuthentication',
    value: (m) => ({ keyLabel: strParam(m, 'label') }),
  }),
  negatableParameter({
    syntax: 'rekey algorithm (3des-cbc | des-cbc | aes (128 | 192 | 256))',
    help: {
      ...REKEY_HELP,
      algorithm: 'Set the KEK rekey algorithm',
      '3des-cbc': 'Triple DES (default)',
      'des-cbc': 'DES',
      aes: 'Advanced Encryption Standard',
    },
    edit: editServer,
    key: 'rekeyAlgorithm',
    value: (m) => m.keywords.slice(m.keywords.indexOf('algorithm') + 1).join(' '),
    defaultValue: DEFAULT_REKEY_ALGORITHM,
  }),
  // Cisco GET VPN Configuration Guide, key server steps: `rekey transport unicast` "configures unicast delivery of
  // rekey messages to GMs"; without it the KS sends multicast rekeys to the `rekey address ipv4` group.
  {
    syntax: 'rekey transport unicast',
    help: {
      ...REKEY_HELP,
      transport: 'Set the rekey transport type',
      unicast: 'Unicast delivery of rekey messages',
    },
    run: (ctx, m) =>
      editServer(ctx, (s) => {
        if (m.negated) delete s.rekeyTransportUnicast;
        else s.rekeyTransportUnicast = true;
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
  negatableParameter({
    syntax: 'address ipv4 <address:ipv4>',
    help: { address: 'Set the key server address', ipv4: 'Set IPv4 address' },
    edit: editServer,
    key: 'address',
    value: (m) => ipParam(m, 'address'),
  }),
];

/** ` server local` and its lines, inside the group block. */
export function renderLocalServer(s: GdoiLocalServer): string[] {
  const out = [' server local'];
  if (s.rekeyAlgorithm) out.push(`  rekey algorithm ${s.rekeyAlgorithm}`);
  if (s.rekeyAddress) out.push(`  rekey address ipv4 ${s.rekeyAddress}`);
  if (s.rekeyLifetime !== undefined) out.push(`  rekey lifetime seconds ${s.rekeyLifetime}`);
  if (s.rekeyRetransmit)
    out.push(`  rekey retransmit ${s.rekeyRetransmit.interval} number ${s.rekeyRetransmit.count}`);
  if (s.rekeyAuthentication)
    out.push(`  rekey authentication mypubkey rsa ${s.rekeyAuthentication.keyLabel}`);
  // After `rekey authentication`, as published GET VPN key server configurations print it.
  if (s.rekeyTransportUnicast) out.push('  rekey transport unicast');
  for (const sa of s.sas) out.push(...renderServerSa(sa));
  if (s.address !== undefined) out.push(`  address ipv4 ${ip(s.address)}`);
  return out;
}
