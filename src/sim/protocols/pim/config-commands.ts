/**
 * PIM and Auto-RP config: interface `ip pim …` and global `ip pim …`, and the lines they print in the
 * running-config. (`ip multicast-routing` and `ip mroute` are core IOS commands: `config/commands/`.)
 */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand, ConfigContext } from '../../config/context';
import { intParam, ipParam, optIntParam, optStrParam, strParam } from '../../config/context';
import type { InterfaceConfig, RouterConfig } from '../../config/model';
import { type Editor, negatableFlag, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { PimGlobalConfig, PimInterfaceConfig, PimMode } from './config-model';

const IF_PIM_HELP = { ip: 'Interface Internet Protocol config commands', pim: 'PIM interface commands' };
const PIM_HELP = { ip: 'Global IP configuration subcommands', pim: 'PIM global commands' };

/** IOS defaults (RFC 7761 §4.11 DR priority 1, hello period 30 s), normalised away so they never print. */
const DEFAULT_DR_PRIORITY = 1;
const DEFAULT_QUERY_INTERVAL = 30;

function pimModeOf(keywords: readonly string[]): PimMode | undefined {
  if (keywords.includes('sparse-mode')) return 'sparse';
  if (keywords.includes('dense-mode')) return 'dense';
  if (keywords.includes('sparse-dense-mode')) return 'sparse-dense';
  return undefined;
}

const editPimInterface: Editor<PimInterfaceConfig> = (ctx, change) =>
  editInterface(ctx, (i) => change(i.pim));

const editPimGlobals: Editor<PimGlobalConfig> = (ctx: ConfigContext, change) => {
  change(ctx.model.pim);
  ctx.changed('multicast');
};

/** An interface `ctx` checks exists once the whole config is in (Auto-RP's source interface). */
function referencedInterface(ctx: ConfigContext, m: Parameters<ConfigCommand['run']>[1]): string {
  const iface = strParam(m, 'iface');
  ctx.referenceInterface(iface, m.columns.iface ?? 0);
  return iface;
}

const interfacePimCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'ip pim (sparse-mode | dense-mode | sparse-dense-mode)',
    help: {
      ...IF_PIM_HELP,
      'sparse-mode': 'Enable PIM sparse-mode operation',
      'dense-mode': 'Enable PIM dense-mode operation',
      'sparse-dense-mode': 'Enable PIM sparse-dense-mode operation',
    },
    edit: editPimInterface,
    key: 'mode',
    value: (m) => pimModeOf(m.keywords),
  }),
  negatableParameter({
    syntax: 'ip pim dr-priority <priority:int:0-4294967295>',
    help: {
      ...IF_PIM_HELP,
      'dr-priority': 'PIM router DR priority',
      priority: 'DR priority, preference given to larger value',
    },
    edit: editPimInterface,
    key: 'drPriority',
    value: (m) => intParam(m, 'priority'),
    defaultValue: DEFAULT_DR_PRIORITY,
  }),
  negatableFlag({
    syntax: 'ip pim nbma-mode',
    help: { ...IF_PIM_HELP, 'nbma-mode': 'Use Non-Broadcast Multi-Access (NBMA) mode on interface' },
    edit: editPimInterface,
    key: 'nbmaMode',
  }),
  negatableParameter({
    syntax: 'ip pim query-interval <seconds:int:1-18724>',
    help: {
      ...IF_PIM_HELP,
      'query-interval': 'PIM router query interval',
      seconds: 'Query interval in seconds',
    },
    edit: editPimInterface,
    key: 'queryInterval',
    value: (m) => intParam(m, 'seconds'),
    defaultValue: DEFAULT_QUERY_INTERVAL,
  }),
];

const globalPimCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax:
      'ip pim send-rp-announce <iface:interface> scope <ttl:int:1-255> [group-list <acl:word>] [interval <seconds:int:1-16383>]',
    help: {
      ...PIM_HELP,
      'send-rp-announce': 'Auto-RP send RP announcement',
      scope: 'RP announcement scope',
      ttl: 'TTL',
      'group-list': 'Group access-list',
      acl: 'Access-list reference for group',
      interval: 'RP Announcement interval',
      seconds: 'Number of seconds',
    },
    edit: editPimGlobals,
    key: 'sendRpAnnounce',
    value: (m, ctx) => {
      const announce: NonNullable<PimGlobalConfig['sendRpAnnounce']> = {
        interface: referencedInterface(ctx, m),
        scope: intParam(m, 'ttl'),
      };
      const acl = optStrParam(m, 'acl');
      const interval = optIntParam(m, 'seconds');
      if (acl !== undefined) announce.groupList = acl;
      if (interval !== undefined) announce.interval = interval;
      return announce;
    },
  }),
  negatableParameter({
    syntax:
      'ip pim send-rp-discovery <iface:interface> scope <ttl:int:1-255> [interval <seconds:int:1-16383>]',
    help: {
      ...PIM_HELP,
      'send-rp-discovery': 'Auto-RP send RP discovery message (as RP-mapping agent)',
      scope: 'Scope of the RP discovery packet',
      ttl: 'TTL',
      interval: 'Interval between RP discovery messages',
      seconds: 'Number of seconds',
    },
    edit: editPimGlobals,
    key: 'sendRpDiscovery',
    value: (m, ctx) => {
      const discovery: NonNullable<PimGlobalConfig['sendRpDiscovery']> = {
        interface: referencedInterface(ctx, m),
        scope: intParam(m, 'ttl'),
      };
      const interval = optIntParam(m, 'seconds');
      if (interval !== undefined) discovery.interval = interval;
      return discovery;
    },
  }),
  {
    syntax: 'ip pim rp-address <rp:ipv4> [<acl:word>] [override]',
    noSyntax: 'ip pim rp-address <rp:ipv4> [<acl:word>] [override]',
    help: {
      ...PIM_HELP,
      'rp-address': 'PIM RP-address (Rendezvous Point)',
      rp: 'IP address of Rendezvous-point for group',
      acl: 'Access-list reference for group',
      override: 'Overrides dynamically learnt RP mappings',
    },
    run: (ctx, m) => {
      const address = ipParam(m, 'rp');
      const groupList = optStrParam(m, 'acl');
      const list = ctx.model.pim.rpAddresses;
      ctx.model.pim.rpAddresses = list.filter((r) => !(r.address === address && r.groupList === groupList));
      if (!m.negated) {
        const entry: (typeof list)[number] = { address, override: m.has('override') };
        if (groupList !== undefined) entry.groupList = groupList;
        ctx.model.pim.rpAddresses.push(entry);
      }
      ctx.changed('multicast');
    },
  },
  negatableFlag({
    syntax: 'ip pim autorp listener',
    help: {
      ...PIM_HELP,
      autorp: 'Configure AutoRP global operations',
      listener: 'Allow AutoRP packets across sparse mode interface',
    },
    edit: editPimGlobals,
    key: 'autorpListener',
  }),
  negatableFlag({
    syntax: 'ip pim dm-fallback',
    help: { ...PIM_HELP, 'dm-fallback': 'Fallback group mode, default is dense-mode' },
    edit: editPimGlobals,
    key: 'dmFallback',
  }),
  negatableFlag({
    syntax: 'ip pim spt-threshold infinity',
    help: {
      ...PIM_HELP,
      'spt-threshold': 'Source-tree switching threshold',
      infinity: 'Never switch to source-tree',
    },
    edit: editPimGlobals,
    key: 'sptThresholdInfinity',
  }),
];

function renderPimInterface(i: InterfaceConfig): string[] {
  const p = i.pim;
  return [
    ...(p.drPriority !== undefined ? [`ip pim dr-priority ${p.drPriority}`] : []),
    ...(p.nbmaMode ? ['ip pim nbma-mode'] : []),
    ...(p.queryInterval !== undefined ? [`ip pim query-interval ${p.queryInterval}`] : []),
    ...(p.mode !== undefined ? [`ip pim ${p.mode}-mode`] : []),
  ];
}

function renderAnnounce(a: NonNullable<PimGlobalConfig['sendRpAnnounce']>): string {
  return (
    `ip pim send-rp-announce ${a.interface} scope ${a.scope}` +
    (a.groupList ? ` group-list ${a.groupList}` : '') +
    (a.interval !== undefined ? ` interval ${a.interval}` : '')
  );
}

function renderDiscovery(d: NonNullable<PimGlobalConfig['sendRpDiscovery']>): string {
  return `ip pim send-rp-discovery ${d.interface} scope ${d.scope}${d.interval !== undefined ? ` interval ${d.interval}` : ''}`;
}

function renderPimGlobals(model: RouterConfig): string[] {
  const p = model.pim;
  return [
    ...(p.autorpListener ? ['ip pim autorp listener'] : []),
    ...(p.dmFallback ? [] : ['no ip pim dm-fallback']),
    ...p.rpAddresses.map(
      (r) =>
        `ip pim rp-address ${ip(r.address)}${r.groupList ? ` ${r.groupList}` : ''}${r.override ? ' override' : ''}`,
    ),
    ...(p.sendRpAnnounce ? [renderAnnounce(p.sendRpAnnounce)] : []),
    ...(p.sendRpDiscovery ? [renderDiscovery(p.sendRpDiscovery)] : []),
    ...(p.sptThresholdInfinity ? ['ip pim spt-threshold infinity'] : []),
  ];
}

/** PIM's part of the descriptor. */
export const PIM_CONFIG: ProtocolDescriptor['config'] = {
  commands: [
    { mode: 'global', commands: globalPimCommands },
    { mode: 'interface', commands: interfacePimCommands },
  ],
  runningConfig: {
    global: [{ anchor: 'ip-pim', render: (model) => [renderPimGlobals(model)] }],
    interface: [{ anchor: 'ip-pim', render: renderPimInterface }],
  },
};
