/** PIM, Auto-RP and IGMP commands: interface `ip pim …` / `ip igmp …` and global `ip pim …`. */
import type { ConfigCommand } from '../context';
import { intParam, ipParam, optIntParam, optStrParam, strParam } from '../context';
import type { PimMode } from '../model';
import { editInterface } from './interface';

const IF_PIM_HELP = { ip: 'Interface Internet Protocol config commands', pim: 'PIM interface commands' };
const IF_IGMP_HELP = { ip: 'Interface Internet Protocol config commands', igmp: 'IGMP interface commands' };
const PIM_HELP = { ip: 'Global IP configuration subcommands', pim: 'PIM global commands' };

/** IOS defaults (RFC 7761 §4.11 DR priority 1, hello period 30 s; IGMPv2), normalised away so they never print. */
const DEFAULT_DR_PRIORITY = 1;
const DEFAULT_QUERY_INTERVAL = 30;
const DEFAULT_IGMP_VERSION = 2;

function pimModeOf(keywords: readonly string[]): PimMode | undefined {
  if (keywords.includes('sparse-mode')) return 'sparse';
  if (keywords.includes('dense-mode')) return 'dense';
  if (keywords.includes('sparse-dense-mode')) return 'sparse-dense';
  return undefined;
}

export const interfaceMulticastCommands: readonly ConfigCommand[] = [
  {
    syntax: 'ip pim (sparse-mode | dense-mode | sparse-dense-mode)',
    noSyntax: 'ip pim [(sparse-mode | dense-mode | sparse-dense-mode)]',
    help: {
      ...IF_PIM_HELP,
      'sparse-mode': 'Enable PIM sparse-mode operation',
      'dense-mode': 'Enable PIM dense-mode operation',
      'sparse-dense-mode': 'Enable PIM sparse-dense-mode operation',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.pim.mode;
        else i.pim.mode = pimModeOf(m.keywords);
      }),
  },
  {
    syntax: 'ip pim dr-priority <priority:int:0-4294967295>',
    noSyntax: 'ip pim dr-priority [<priority:int:0-4294967295>]',
    help: {
      ...IF_PIM_HELP,
      'dr-priority': 'PIM router DR priority',
      priority: 'DR priority, preference given to larger value',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const p = m.negated ? undefined : intParam(m, 'priority');
        if (p === undefined || p === DEFAULT_DR_PRIORITY) delete i.pim.drPriority;
        else i.pim.drPriority = p;
      }),
  },
  {
    syntax: 'ip pim nbma-mode',
    help: { ...IF_PIM_HELP, 'nbma-mode': 'Use Non-Broadcast Multi-Access (NBMA) mode on interface' },
    run: (ctx, m) => editInterface(ctx, (i) => (i.pim.nbmaMode = !m.negated)),
  },
  {
    syntax: 'ip pim query-interval <seconds:int:1-18724>',
    noSyntax: 'ip pim query-interval [<seconds:int:1-18724>]',
    help: {
      ...IF_PIM_HELP,
      'query-interval': 'PIM router query interval',
      seconds: 'Query interval in seconds',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const s = m.negated ? undefined : intParam(m, 'seconds');
        if (s === undefined || s === DEFAULT_QUERY_INTERVAL) delete i.pim.queryInterval;
        else i.pim.queryInterval = s;
      }),
  },
  {
    syntax: 'ip igmp join-group <group:ipv4>',
    help: { ...IF_IGMP_HELP, 'join-group': 'IGMP join multicast group', group: 'IP group address' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const g = ipParam(m, 'group');
        i.igmp.joinGroups = i.igmp.joinGroups.filter((x) => x !== g);
        if (!m.negated) i.igmp.joinGroups.push(g);
      }),
  },
  {
    syntax: 'ip igmp static-group <group:ipv4>',
    help: { ...IF_IGMP_HELP, 'static-group': 'IGMP static multicast group', group: 'IP group address' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const g = ipParam(m, 'group');
        i.igmp.staticGroups = i.igmp.staticGroups.filter((x) => x !== g);
        if (!m.negated) i.igmp.staticGroups.push(g);
      }),
  },
  {
    syntax: 'ip igmp version (1 | 2 | 3)',
    noSyntax: 'ip igmp version [(1 | 2 | 3)]',
    help: {
      ...IF_IGMP_HELP,
      version: 'IGMP version',
      '1': 'IGMP version 1',
      '2': 'IGMP version 2',
      '3': 'IGMP version 3',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const v = m.negated ? DEFAULT_IGMP_VERSION : Number(m.keywords[m.keywords.length - 1]);
        if (v === 1 || v === 3) i.igmp.version = v;
        else delete i.igmp.version;
      }),
  },
];

export const globalMulticastCommands: readonly ConfigCommand[] = [
  {
    syntax:
      'ip pim send-rp-announce <iface:interface> scope <ttl:int:1-255> [group-list <acl:word>] [interval <seconds:int:1-16383>]',
    noSyntax:
      'ip pim send-rp-announce [<iface:interface> scope <ttl:int:1-255> [group-list <acl:word>] [interval <seconds:int:1-16383>]]',
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
    run: (ctx, m) => {
      if (m.negated) delete ctx.model.pim.sendRpAnnounce;
      else {
        const iface = strParam(m, 'iface');
        ctx.referenceInterface(iface, m.columns.iface ?? 0);
        ctx.model.pim.sendRpAnnounce = { interface: iface, scope: intParam(m, 'ttl') };
        const acl = optStrParam(m, 'acl');
        const interval = optIntParam(m, 'seconds');
        if (acl !== undefined) ctx.model.pim.sendRpAnnounce.groupList = acl;
        if (interval !== undefined) ctx.model.pim.sendRpAnnounce.interval = interval;
      }
      ctx.changed('multicast');
    },
  },
  {
    syntax:
      'ip pim send-rp-discovery <iface:interface> scope <ttl:int:1-255> [interval <seconds:int:1-16383>]',
    noSyntax:
      'ip pim send-rp-discovery [<iface:interface> scope <ttl:int:1-255> [interval <seconds:int:1-16383>]]',
    help: {
      ...PIM_HELP,
      'send-rp-discovery': 'Auto-RP send RP discovery message (as RP-mapping agent)',
      scope: 'Scope of the RP discovery packet',
      ttl: 'TTL',
      interval: 'Interval between RP discovery messages',
      seconds: 'Number of seconds',
    },
    run: (ctx, m) => {
      if (m.negated) delete ctx.model.pim.sendRpDiscovery;
      else {
        const iface = strParam(m, 'iface');
        ctx.referenceInterface(iface, m.columns.iface ?? 0);
        ctx.model.pim.sendRpDiscovery = { interface: iface, scope: intParam(m, 'ttl') };
        const interval = optIntParam(m, 'seconds');
        if (interval !== undefined) ctx.model.pim.sendRpDiscovery.interval = interval;
      }
      ctx.changed('multicast');
    },
  },
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
  {
    syntax: 'ip pim autorp listener',
    help: {
      ...PIM_HELP,
      autorp: 'Configure AutoRP global operations',
      listener: 'Allow AutoRP packets across sparse mode interface',
    },
    run: (ctx, m) => {
      ctx.model.pim.autorpListener = !m.negated;
      ctx.changed('multicast');
    },
  },
  {
    syntax: 'ip pim dm-fallback',
    help: { ...PIM_HELP, 'dm-fallback': 'Fallback group mode, default is dense-mode' },
    run: (ctx, m) => {
      ctx.model.pim.dmFallback = !m.negated;
      ctx.changed('multicast');
    },
  },
  {
    syntax: 'ip pim spt-threshold infinity',
    help: {
      ...PIM_HELP,
      'spt-threshold': 'Source-tree switching threshold',
      infinity: 'Never switch to source-tree',
    },
    run: (ctx, m) => {
      ctx.model.pim.sptThresholdInfinity = !m.negated;
      ctx.changed('multicast');
    },
  },
];
