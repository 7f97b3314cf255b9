/**
 * EIGRP config: `router eigrp` and its `(config-router)` commands, the per-interface EIGRP knobs, and the lines
 * they print in the running-config.
 */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand, ConfigContext } from '../../config/context';
import {
  frameAs,
  insertSorted,
  intParam,
  ipParam,
  optIpParam,
  removeWhere,
  selectOrRemove,
  strParam,
} from '../../config/context';
import type { InterfaceConfig, RouterConfig } from '../../config/model';
import { editListEntry, negatableFlag, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { EigrpProcessConfig } from './config-model';

declare module '../../config/context' {
  interface ConfigAreas {
    eigrp: true;
  }
  interface ConfigModeFrames {
    'router-eigrp': { readonly asNumber: number };
  }
}

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

const globalEigrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'router eigrp <as:int:1-65535>',
    help: {
      router: 'Enable a routing process',
      eigrp: 'Enhanced Interior Gateway Routing Protocol (EIGRP)',
      as: 'Autonomous System',
    },
    run: (ctx, m) => {
      const asNumber = intParam(m, 'as');
      // IOS 12.4 (the article's release) starts EIGRP with auto-summary on, hence its `no auto-summary`.
      const create = (): EigrpProcessConfig => ({
        asNumber,
        autoSummary: true,
        networks: [],
        passiveInterfaces: [],
      });
      const same = (e: EigrpProcessConfig): boolean => e.asNumber === asNumber;
      if (selectOrRemove(ctx.model.eigrp, same, create, m.negated, (a, b) => a.asNumber - b.asNumber))
        ctx.enter({ mode: 'router-eigrp', asNumber });
      ctx.changed('eigrp', String(asNumber));
    },
  },
];

const routerEigrpCommands: readonly ConfigCommand[] = [
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
  negatableFlag({
    syntax: 'auto-summary',
    help: { 'auto-summary': 'Enable automatic network number summarization' },
    edit: editProcess,
    key: 'autoSummary',
  }),
  {
    syntax: 'passive-interface <iface:interface>',
    help: { 'passive-interface': 'Suppress routing updates on an interface' },
    run: (ctx, m) =>
      editProcess(ctx, (p) => {
        const iface = strParam(m, 'iface');
        ctx.referenceInterface(iface, m.columns.iface ?? 0);
        p.passiveInterfaces = editListEntry(p.passiveInterfaces, (n) => n === iface, iface, m.negated);
      }),
  },
  negatableParameter({
    syntax: 'eigrp router-id <id:ipv4>',
    help: {
      eigrp: 'EIGRP specific commands',
      'router-id': 'router-id for this EIGRP process',
      id: 'EIGRP Router-ID in IP address format',
    },
    edit: editProcess,
    key: 'routerId',
    value: (m) => ipParam(m, 'id'),
  }),
];

const IF_HELP = {
  ip: 'Interface Internet Protocol config commands',
  eigrp: 'Enhanced Interior Gateway Routing Protocol (EIGRP)',
  as: 'Autonomous system number',
};

/** Per-AS switches that are on by default: only `no` is stored, as a sorted list of AS numbers. */
function disabledPerAs(list: readonly number[], as: number, negated: boolean): number[] {
  const rest = list.filter((a) => a !== as);
  return negated ? [...rest, as].sort((a, b) => a - b) : rest;
}

const interfaceEigrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'ip split-horizon eigrp <as:int:1-65535>',
    help: { ...IF_HELP, 'split-horizon': 'Perform split horizon' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        i.eigrp.splitHorizonDisabled = disabledPerAs(i.eigrp.splitHorizonDisabled, as, m.negated);
      }),
  },
  {
    syntax: 'ip next-hop-self eigrp <as:int:1-65535>',
    help: { ...IF_HELP, 'next-hop-self': 'Configures EIGRP-IPv4 next-hop-self' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const as = intParam(m, 'as');
        i.eigrp.nextHopSelfDisabled = disabledPerAs(i.eigrp.nextHopSelfDisabled, as, m.negated);
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
    run: (ctx, m) => editInterface(ctx, (i) => editPerAs(i.eigrp.helloInterval, m)),
  },
  {
    syntax: 'ip hold-time eigrp <as:int:1-65535> <seconds:int:1-65535>',
    noSyntax: 'ip hold-time eigrp <as:int:1-65535> [<seconds:int:1-65535>]',
    help: {
      ...IF_HELP,
      'hold-time': 'Configures EIGRP-IPv4 hold time',
      seconds: 'Seconds before neighbor is considered down',
    },
    run: (ctx, m) => editInterface(ctx, (i) => editPerAs(i.eigrp.holdTime, m)),
  },
];

/** A per-AS timer: the positive form sets it, `no` clears it. */
function editPerAs(timers: Record<number, number>, m: Parameters<ConfigCommand['run']>[1]): void {
  const as = intParam(m, 'as');
  if (m.negated) delete timers[as];
  else timers[as] = intParam(m, 'seconds');
}

function renderEigrpProcess(p: EigrpProcessConfig): string[] {
  return [
    `router eigrp ${p.asNumber}`,
    ...p.passiveInterfaces.map((n) => ` passive-interface ${n}`),
    ...p.networks.map(
      (n) => ` network ${ip(n.address)}${n.wildcard !== undefined ? ` ${ip(n.wildcard)}` : ''}`,
    ),
    ...(p.autoSummary ? [] : [' no auto-summary']),
    ...(p.routerId !== undefined ? [` eigrp router-id ${ip(p.routerId)}`] : []),
  ];
}

function renderEigrpInterface(i: InterfaceConfig): string[] {
  return [
    ...i.eigrp.splitHorizonDisabled.map((as) => `no ip split-horizon eigrp ${as}`),
    ...i.eigrp.nextHopSelfDisabled.map((as) => `no ip next-hop-self eigrp ${as}`),
    ...Object.entries(i.eigrp.helloInterval).map(([as, s]) => `ip hello-interval eigrp ${as} ${s}`),
    ...Object.entries(i.eigrp.holdTime).map(([as, s]) => `ip hold-time eigrp ${as} ${s}`),
  ];
}

/** EIGRP's part of the descriptor: `router eigrp` and its `(config-router)` sub-mode. */
export const EIGRP_CONFIG: ProtocolDescriptor['config'] = {
  subModes: [{ mode: 'router-eigrp', prompt: '(config-router)' }],
  commands: [
    { mode: 'global', commands: globalEigrpCommands },
    { mode: 'router-eigrp', commands: routerEigrpCommands },
    { mode: 'interface', commands: interfaceEigrpCommands },
  ],
  runningConfig: {
    global: [{ anchor: 'router', render: (model: RouterConfig) => model.eigrp.map(renderEigrpProcess) }],
    interface: [{ anchor: 'ip-routing', render: renderEigrpInterface }],
  },
};
