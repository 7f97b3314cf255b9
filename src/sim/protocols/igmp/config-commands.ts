/** IGMP config: interface `ip igmp …` and the lines it prints in the running-config. */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand } from '../../config/context';
import { ipParam } from '../../config/context';
import type { InterfaceConfig } from '../../config/model';
import { editListEntry, type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { IgmpInterfaceConfig } from './config-model';

const IF_IGMP_HELP = { ip: 'Interface Internet Protocol config commands', igmp: 'IGMP interface commands' };

/** IOS default IGMPv2 (RFC 2236), normalised away so it never prints. */
const DEFAULT_IGMP_VERSION = 2;

const editIgmp: Editor<IgmpInterfaceConfig> = (ctx, change) => editInterface(ctx, (i) => change(i.igmp));

/** `ip igmp join-group` / `static-group`: one entry per group, `no` removes it. */
function groupListCommand(
  word: 'join-group' | 'static-group',
  help: string,
  key: 'joinGroups' | 'staticGroups',
): ConfigCommand {
  return {
    syntax: `ip igmp ${word} <group:ipv4>`,
    help: { ...IF_IGMP_HELP, [word]: help, group: 'IP group address' },
    run: (ctx, m) =>
      editIgmp(ctx, (igmp) => {
        const g = ipParam(m, 'group');
        igmp[key] = editListEntry(igmp[key], (x) => x === g, g, m.negated);
      }),
  };
}

const interfaceIgmpCommands: readonly ConfigCommand[] = [
  groupListCommand('join-group', 'IGMP join multicast group', 'joinGroups'),
  groupListCommand('static-group', 'IGMP static multicast group', 'staticGroups'),
  negatableParameter({
    syntax: 'ip igmp version (1 | 2 | 3)',
    help: {
      ...IF_IGMP_HELP,
      version: 'IGMP version',
      '1': 'IGMP version 1',
      '2': 'IGMP version 2',
      '3': 'IGMP version 3',
    },
    edit: editIgmp,
    key: 'version',
    value: (m) => Number(m.keywords[m.keywords.length - 1]) as 1 | 2 | 3,
    defaultValue: DEFAULT_IGMP_VERSION,
  }),
];

function renderIgmpInterface(i: InterfaceConfig): string[] {
  return [
    ...i.igmp.joinGroups.map((g) => `ip igmp join-group ${ip(g)}`),
    ...i.igmp.staticGroups.map((g) => `ip igmp static-group ${ip(g)}`),
    ...(i.igmp.version !== undefined ? [`ip igmp version ${i.igmp.version}`] : []),
  ];
}

/** IGMP's part of the descriptor. */
export const IGMP_CONFIG: ProtocolDescriptor['config'] = {
  commands: [{ mode: 'interface', commands: interfaceIgmpCommands }],
  runningConfig: { interface: [{ anchor: 'ip-igmp', render: renderIgmpInterface }] },
};
