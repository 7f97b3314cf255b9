/** NHRP (DMVPN) config: interface `ip nhrp …` and the lines it prints in the running-config. */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand } from '../../config/context';
import { intParam, ipParam, optIpParam, strParam } from '../../config/context';
import type { InterfaceConfig } from '../../config/model';
import { editListEntry, type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { NhrpInterfaceConfig } from './config-model';

const NHRP_HELP = { ip: 'Interface Internet Protocol config commands', nhrp: 'NHRP interface subcommands' };

/** IOS default NHRP holdtime (RFC 2332 recommends 7200 s); not printed. */
const DEFAULT_NHRP_HOLDTIME = 7200;

const editNhrp: Editor<NhrpInterfaceConfig> = (ctx, change) => editInterface(ctx, (i) => change(i.nhrp));

const interfaceNhrpCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'ip nhrp network-id <id:int:1-4294967295>',
    help: { ...NHRP_HELP, 'network-id': 'NBMA network identifier', id: 'network identifier' },
    edit: editNhrp,
    key: 'networkId',
    value: (m) => intParam(m, 'id'),
  }),
  negatableParameter({
    syntax: 'ip nhrp authentication <string:word>',
    help: {
      ...NHRP_HELP,
      authentication: 'Authentication string',
      string: 'Authentication string (8 characters)',
    },
    edit: editNhrp,
    key: 'authentication',
    value: (m) => strParam(m, 'string'),
  }),
  negatableParameter({
    syntax: 'ip nhrp holdtime <seconds:int:1-65535>',
    help: { ...NHRP_HELP, holdtime: 'Advertised holdtime', seconds: 'number of seconds' },
    edit: editNhrp,
    key: 'holdtime',
    value: (m) => intParam(m, 'seconds'),
    defaultValue: DEFAULT_NHRP_HOLDTIME,
  }),
  negatableParameter({
    syntax: 'ip nhrp registration timeout <seconds:int:1-65535>',
    help: {
      ...NHRP_HELP,
      registration: 'Settings for registration packets',
      timeout: 'Interval in seconds between periodic registrations',
      seconds: 'number of seconds',
    },
    edit: editNhrp,
    key: 'registrationTimeout',
    value: (m) => intParam(m, 'seconds'),
  }),
  {
    syntax: 'ip nhrp nhs <server:ipv4>',
    noSyntax: 'ip nhrp nhs [<server:ipv4>]',
    help: { ...NHRP_HELP, nhs: 'Specify a next hop server', server: 'Next hop server address' },
    run: (ctx, m) =>
      editNhrp(ctx, (nhrp) => {
        const server = optIpParam(m, 'server');
        if (m.negated) nhrp.nhs = server === undefined ? [] : nhrp.nhs.filter((a) => a !== server);
        else if (server !== undefined && !nhrp.nhs.includes(server)) nhrp.nhs.push(server);
      }),
  },
  {
    syntax: 'ip nhrp map <protocol:ipv4> <nbma:ipv4>',
    help: {
      ...NHRP_HELP,
      map: 'Map dest IP addresses to NBMA addresses',
      protocol: 'IP address of destination',
      nbma: 'IP NBMA address',
    },
    run: (ctx, m) =>
      editNhrp(ctx, (nhrp) => {
        const protocol = ipParam(m, 'protocol');
        const entry = { protocol, nbma: ipParam(m, 'nbma') };
        nhrp.maps = editListEntry(nhrp.maps, (x) => x.protocol === protocol, entry, m.negated);
      }),
  },
  {
    syntax: 'ip nhrp map multicast (dynamic | <nbma:ipv4>)',
    help: {
      ...NHRP_HELP,
      multicast: 'NBMA address for multicasts',
      dynamic: 'Learn mappings from registration requests',
      nbma: 'IP NBMA address',
    },
    run: (ctx, m) =>
      editNhrp(ctx, (nhrp) => {
        const entry = m.has('dynamic') ? 'dynamic' : ipParam(m, 'nbma');
        nhrp.multicastMaps = editListEntry(nhrp.multicastMaps, (x) => x === entry, entry, m.negated);
      }),
  },
];

function renderNhrpInterface(i: InterfaceConfig): string[] {
  const n = i.nhrp;
  return [
    ...(n.authentication !== undefined ? [`ip nhrp authentication ${n.authentication}`] : []),
    ...n.maps.map((m) => `ip nhrp map ${ip(m.protocol)} ${ip(m.nbma)}`),
    ...n.multicastMaps.map((m) => `ip nhrp map multicast ${m === 'dynamic' ? m : ip(m)}`),
    ...(n.networkId !== undefined ? [`ip nhrp network-id ${n.networkId}`] : []),
    ...(n.holdtime !== undefined ? [`ip nhrp holdtime ${n.holdtime}`] : []),
    ...n.nhs.map((a) => `ip nhrp nhs ${ip(a)}`),
    ...(n.registrationTimeout !== undefined ? [`ip nhrp registration timeout ${n.registrationTimeout}`] : []),
  ];
}

/** NHRP's part of the descriptor. */
export const NHRP_CONFIG: ProtocolDescriptor['config'] = {
  commands: [{ mode: 'interface', commands: interfaceNhrpCommands }],
  runningConfig: { interface: [{ anchor: 'ip-nhrp', render: renderNhrpInterface }] },
};
