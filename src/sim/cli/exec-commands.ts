import { ipParam, optIntParam, optIpParam, optStrParam } from '../config/context';
import { type CommandMatch, diagnosticLines } from '../config/grammar';
import { millis } from '../kernel/time';
import { type Ipv4, isMulticast } from '../net/ipv4-address';
import { icmpOf } from '../protocols/icmp/icmp-service';
import { formatPing, PING_DEFAULTS, runPing } from '../protocols/icmp/ping';
import { PROTOCOLS, ROUTE_SOURCE_SHOWS } from '../protocols/registry';
import { runTraceroute, TRACEROUTE_DEFAULTS } from '../protocols/icmp/traceroute';
import { iosClock } from './ios-time';
import { DEBUG_FLAGS, showDebugging } from './debug-commands';
import type { ExecCommand, ExecContext } from './exec-types';
import { showInterfaces } from './show/show-interfaces';
import { showIpInterface } from './show/show-ip-interface';
import { showIpInterfaceBrief } from './show/show-ip-interface-brief';
import { showIpRoute } from './show/show-ip-route';
import { showLogging } from './show/show-logging';
import { showVersion } from './show/show-version';
import { showRunningConfig } from './show/show-running-config';

const BOTH = ['user', 'privileged'] as const;
const PRIV = ['privileged'] as const;

const PING_OPTIONS = [
  'repeat <count:int:1-2147483647>',
  'size <bytes:int:36-18024>',
  'timeout <seconds:int:0-3600>',
  'source (<srcif:interface>|<srcip:ipv4>)',
];

const PING_HELP = {
  ping: 'Send echo messages',
  target: 'Ping destination address or hostname',
  repeat: 'specify repeat count',
  size: 'specify datagram size',
  timeout: 'specify timeout interval',
  source: 'specify source address or name',
};

const TRACEROUTE_HELP = {
  traceroute: 'Trace route to destination',
  source: 'specify source address or name',
};

/**
 * IOS takes a command's options in any order, each at most once. The grammar is a trie of fixed sequences,
 * so every ordering of every subset becomes one syntax (4 ping options: 65 sequences).
 */
export function anyOrder(head: string, options: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (prefix: string, rest: readonly string[]): void => {
    out.push(prefix);
    rest.forEach((o, i) => walk(`${prefix} ${o}`, [...rest.slice(0, i), ...rest.slice(i + 1)]));
  };
  walk(head, options);
  return out;
}

const SHOW_HELP = { show: 'Show running system information', ip: 'IP information' };

/** EXEC-mode commands (user and privileged): the core's, then every registered protocol's, then `debug`. */
export const EXEC_COMMANDS: ExecCommand[] = [
  {
    modes: ['user'],
    syntax: 'enable',
    help: { enable: 'Turn on privileged commands' },
    run: (c) => {
      c.session.mode = 'privileged';
    },
  },
  {
    modes: PRIV,
    syntax: 'disable',
    help: { disable: 'Turn off privileged commands' },
    run: (c) => {
      c.session.mode = 'user';
    },
  },
  {
    modes: PRIV,
    syntax: 'configure terminal',
    help: { configure: 'Enter configuration mode', terminal: 'Configure from the terminal' },
    run: (c) => {
      c.session.enterConfigMode();
      c.out.push('Enter configuration commands, one per line.  End with CNTL/Z.');
    },
  },
  {
    modes: BOTH,
    syntax: 'terminal length <lines:int:0-512>',
    help: { terminal: 'Set terminal line parameters', length: 'Set number of lines on a screen' },
    run: () => undefined,
  },
  {
    modes: PRIV,
    syntax: 'show running-config',
    help: { ...SHOW_HELP, 'running-config': 'Current operating configuration' },
    run: (c) => c.out.push(showRunningConfig(c.router, c.session.env.epochMs)),
  },
  {
    modes: BOTH,
    syntax: 'show ip interface brief',
    help: {
      ...SHOW_HELP,
      interface: 'IP interface status and configuration',
      brief: 'Brief summary of IP status and configuration',
    },
    run: (c) => c.out.push(showIpInterfaceBrief(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show ip interface [<iface:interface>]',
    help: { ...SHOW_HELP, interface: 'IP interface status and configuration' },
    run: (c, m) => {
      if (!unknownInterface(c, m)) c.out.push(showIpInterface(c.router, optStrParam(m, 'iface')));
    },
  },
  {
    modes: BOTH,
    syntax: 'show interfaces [<iface:interface>]',
    help: { ...SHOW_HELP, interfaces: 'Interface status and configuration' },
    run: (c, m) => {
      if (!unknownInterface(c, m)) c.out.push(showInterfaces(c.router, optStrParam(m, 'iface')));
    },
  },
  {
    modes: BOTH,
    syntax: 'show ip route [<address:ipv4> [<mask:mask>]]',
    help: {
      ...SHOW_HELP,
      route: 'IP routing table',
      address: 'Network to display information about or host',
    },
    run: (c, m) =>
      c.out.push(showIpRoute(c.router, ROUTE_SOURCE_SHOWS, optIpParam(m, 'address'), optIpParam(m, 'mask'))),
  },
  {
    modes: BOTH,
    syntax: 'show clock',
    help: { show: SHOW_HELP.show, clock: 'Display the system clock' },
    run: (c) => c.out.push(iosClock(c.session.env.epochMs, c.router.kernel.now)),
  },
  {
    modes: BOTH,
    syntax: 'show version',
    help: { show: SHOW_HELP.show, version: 'System hardware and software status' },
    run: (c) => c.out.push(showVersion(c.router)),
  },
  {
    modes: BOTH,
    syntax: 'show logging',
    help: { show: SHOW_HELP.show, logging: 'Show the contents of logging buffers' },
    run: (c) => c.out.push(showLogging(c.router, c.session.env.epochMs)),
  },
  {
    modes: BOTH,
    syntax: 'show history',
    help: { show: SHOW_HELP.show, history: 'Display the session command history' },
    run: (c) => c.out.push(c.session.history.map((h) => `  ${h}`).join('\n')),
  },
  {
    modes: PRIV,
    syntax: 'show debugging',
    help: { show: SHOW_HELP.show, debugging: 'State of each debugging option' },
    run: (c) => c.out.push(showDebugging(c.router)),
  },
  ...anyOrder('ping <target:ipv4>', PING_OPTIONS).map((syntax): ExecCommand => ({
    modes: BOTH,
    syntax,
    help: PING_HELP,
    run: (c, m) => ping(c, m),
  })),
  ...anyOrder('traceroute <target:ipv4>', ['source (<srcif:interface>|<srcip:ipv4>)']).map(
    (syntax): ExecCommand => ({
      modes: BOTH,
      syntax,
      help: TRACEROUTE_HELP,
      run: (c, m) => traceroute(c, m),
    }),
  ),
  ...PROTOCOLS.flatMap((p) => p.execCommands ?? []),
  ...DEBUG_FLAGS,
];

/**
 * An interface the router does not have is invalid input, the caret under its name, as IOS's parser refuses
 * a name it cannot find.
 */
function unknownInterface(c: ExecContext, m: CommandMatch): boolean {
  const name = optStrParam(m, 'iface');
  if (name === undefined || c.router.interfaceConfig(name)) return false;
  const column = m.columns['iface'] ?? 0;
  c.out.push(...diagnosticLines({ kind: 'invalid', column }, '', c.session.prompt().length));
  return true;
}

/** Resolves `source <if>|<ip>`; IOS refuses a source that is not an address of an up interface. */
function sourceOf(
  c: ExecContext,
  m: CommandMatch,
): { ok: true; source?: Ipv4; iface?: string } | { ok: false } {
  const srcIf = optStrParam(m, 'srcif');
  const srcIp = optIpParam(m, 'srcip');
  if (srcIf !== undefined) {
    const cfg = c.router.interfaceConfig(srcIf);
    const address = cfg?.address?.address;
    if (!cfg || address === undefined || !c.router.isUp(srcIf)) {
      c.out.push('% Invalid source interface - IP not enabled or interface is down');
      return { ok: false };
    }
    return { ok: true, source: address, iface: srcIf };
  }
  if (srcIp !== undefined) {
    const owner = c.router.config.interfaces.find((i) => i.address?.address === srcIp);
    if (!owner || !c.router.isUp(owner.name)) {
      c.out.push('% Invalid source address- IP address not on any of our up interfaces');
      return { ok: false };
    }
    return { ok: true, source: srcIp, iface: owner.name };
  }
  return { ok: true };
}

function ping(c: ExecContext, m: CommandMatch): void {
  const destination = ipParam(m, 'target');
  const src = sourceOf(c, m);
  if (!src.ok) return;
  const multicast = isMulticast(destination);
  const opts = {
    destination,
    source: src.source,
    // A multicast ping leaves the source interface (IOS: `ping 239.x source Loopback0` floods out every
    // multicast interface; the multicast issue replaces this with real replication).
    outInterface: multicast && !c.router.config.multicastRouting ? src.iface : undefined,
    repeat: optIntParam(m, 'count') ?? (multicast ? 1 : PING_DEFAULTS.repeat),
    size: optIntParam(m, 'bytes') ?? PING_DEFAULTS.size,
    timeout: m.has('timeout') ? millis((optIntParam(m, 'seconds') ?? 2) * 1000) : PING_DEFAULTS.timeout,
  };
  c.pending = runPing(c.router, icmpOf(c.router), opts).then((result) => {
    c.out.push(...formatPing(opts, result));
  });
}

function traceroute(c: ExecContext, m: CommandMatch): void {
  const src = sourceOf(c, m);
  if (!src.ok) return;
  const opts = { ...TRACEROUTE_DEFAULTS, destination: ipParam(m, 'target'), source: src.source };
  c.pending = runTraceroute(c.router, icmpOf(c.router), opts).then((lines) => {
    c.out.push(...lines);
  });
}
