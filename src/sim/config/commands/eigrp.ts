/** EIGRP: `router eigrp` and its `(config-router)` commands, plus the per-interface EIGRP knobs. */
import type { ConfigCommand, ConfigContext } from '../context';
import { frameAs, insertSorted, intParam, ipParam, optIpParam, removeWhere, strParam } from '../context';
import type { EigrpProcessConfig } from '../model';
import { editInterface } from './interface';

function currentProcess(ctx: ConfigContext): EigrpProcessConfig {
  const as = frameAs(ctx, 'router-eigrp').asNumber;
  const p = ctx.model.eigrp.find((e) => e.asNumber === as);
  if (!p) throw new Error(`router eigrp ${as} vanished`);
  return p;
}

function editProcess(ctx: ConfigContext, change: (p: EigrpProcessConfig) => void): void {
  const p = currentProcess(ctx);
  change(p);
  ctx.changed('eigrp', String(p.asNumber));
}

export const globalEigrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'router eigrp <as:int:1-65535>',
    help: {
      router: 'Enable a routing process',
      eigrp: 'Enhanced Interior Gateway Routing Protocol (EIGRP)',
      as: 'Autonomous System',
    },
    run: (ctx, m) => {
      const asNumber = intParam(m, 'as');
      const list = ctx.model.eigrp;
      if (m.negated) removeWhere(list, (e) => e.asNumber === asNumber);
      else if (!list.some((e) => e.asNumber === asNumber)) {
        // IOS 12.4 (the article's release) starts EIGRP with auto-summary on, hence its `no auto-summary`.
        const p: EigrpProcessConfig = { asNumber, autoSummary: true, networks: [], passiveInterfaces: [] };
        insertSorted(list, p, (a, b) => a.asNumber - b.asNumber);
      }
      if (!m.negated) ctx.enter({ mode: 'router-eigrp', asNumber });
      ctx.changed('eigrp', String(asNumber));
    },
  },
];

export const routerEigrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'network <address:ipv4> [<wildcard:wildcard>]',
    help: {
      network: 'Enable routing on an IP network',
      address: 'Network number',
      wildcard: 'EIGRP wild card bits',
    },
    run: (ctx, m) =>
      editProcess(ctx, (p) => {
        const address = ipParam(m, 'address');
        const wildcard = optIpParam(m, 'wildcard');
        removeWhere(p.networks, (n) => n.address === address && n.wildcard === wildcard);
        if (m.negated) return;
        const entry: EigrpProcessConfig['networks'][number] = { address };
        if (wildcard !== undefined) entry.wildcard = wildcard;
        // IOS keeps network statements sorted.
        insertSorted(
          p.networks,
          entry,
          (a, b) => a.address - b.address || (a.wildcard ?? -1) - (b.wildcard ?? -1),
        );
      }),
  },
  {
    syntax: 'auto-summary',
    help: { 'auto-summary': 'Enable automatic network number summarization' },
    run: (ctx, m) => editProcess(ctx, (p) => (p.autoSummary = !m.negated)),
  },
  {
    syntax: 'passive-interface <iface:interface>',
    help: { 'passive-interface': 'Suppress routing updates on an interface' },
    run: (ctx, m) =>
      editProcess(ctx, (p) => {
        const iface = strParam(m, 'iface');
        ctx.referenceInterface(iface, m.columns.iface ?? 0);
        p.passiveInterfaces = p.passiveInterfaces.filter((n) => n !== iface);
        if (!m.negated) p.passiveInterfaces.push(iface);
      }),
  },
  {
    syntax: 'eigrp router-id <id:ipv4>',
    noSyntax: 'eigrp router-id [<id:ipv4>]',
    help: {
      eigrp: 'EIGRP specific commands',
      'router-id': 'router-id for this EIGRP process',
      id: 'EIGRP Router-ID in IP address format',
    },
    run: (ctx, m) =>
      editProcess(ctx, (p) => {
        if (m.negated) delete p.routerId;
        else p.routerId = ipParam(m, 'id');
      }),
  },
];

const IF_HELP = {
  ip: 'Interface Internet Protocol config commands',
  eigrp: 'Enhanced Interior Gateway Routing Protocol (EIGRP)',
  as: 'Autonomous system number',
};

export const interfaceEigrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'ip split-horizon eigrp <as:int:1-65535>',
    help: { ...IF_HELP, 'split-horizon': 'Perform split horizon' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        // Split horizon is on by default: only `no` is stored.
        const list = i.eigrp.splitHorizonDisabled.filter((a) => a !== as);
        i.eigrp.splitHorizonDisabled = m.negated ? [...list, as].sort((a, b) => a - b) : list;
      }),
  },
  {
    syntax: 'ip next-hop-self eigrp <as:int:1-65535>',
    help: { ...IF_HELP, 'next-hop-self': 'Configures EIGRP-IPv4 next-hop-self' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        const list = i.eigrp.nextHopSelfDisabled.filter((a) => a !== as);
        i.eigrp.nextHopSelfDisabled = m.negated ? [...list, as].sort((a, b) => a - b) : list;
      }),
  },
  {
    syntax: 'ip hello-interval eigrp <as:int:1-65535> <seconds:int:1-65535>',
    noSyntax: 'ip hello-interval eigrp <as:int:1-65535> [<seconds:int:1-65535>]',
    help: {
      ...IF_HELP,
      'hello-interval': 'Configures EIGRP-IPv4 hello interval',
      seconds: 'Seconds between hello transmissions',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        if (m.negated) delete i.eigrp.helloInterval[as];
        else i.eigrp.helloInterval[as] = intParam(m, 'seconds');
      }),
  },
  {
    syntax: 'ip hold-time eigrp <as:int:1-65535> <seconds:int:1-65535>',
    noSyntax: 'ip hold-time eigrp <as:int:1-65535> [<seconds:int:1-65535>]',
    help: {
      ...IF_HELP,
      'hold-time': 'Configures EIGRP-IPv4 hold time',
      seconds: 'Seconds before neighbor is considered down',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        if (m.negated) delete i.eigrp.holdTime[as];
        else i.eigrp.holdTime[as] = intParam(m, 'seconds');
      }),
  },
];
