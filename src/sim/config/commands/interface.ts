/** `(config-if)` basics: description, address, shutdown, bandwidth, delay, MTU. */
import type { ConfigCommand, ConfigContext } from '../context';
import { currentInterface, intParam, ipParam, strParam } from '../context';
import type { InterfaceConfig } from '../model';

export function editInterface(ctx: ConfigContext, change: (i: InterfaceConfig) => void): void {
  const iface = currentInterface(ctx);
  change(iface);
  ctx.changed('interface', iface.name);
}

const IP_HELP = { ip: 'Interface Internet Protocol config commands' };

export const interfaceCommands: readonly ConfigCommand[] = [
  {
    syntax: 'description <text:line>',
    noSyntax: 'description [<text:line>]',
    help: {
      description: 'Interface specific description',
      text: 'Up to 240 characters describing this interface',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.description;
        else i.description = strParam(m, 'text');
      }),
  },
  {
    syntax: 'ip address <address:ipv4> <mask:mask>',
    noSyntax: 'ip address [<address:ipv4> <mask:mask>]',
    help: {
      ...IP_HELP,
      address: 'IP address',
      mask: 'IP subnet mask',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.address;
        else i.address = { address: ipParam(m, 'address'), mask: ipParam(m, 'mask') };
      }),
  },
  {
    syntax: 'shutdown',
    help: { shutdown: 'Shutdown the selected interface' },
    run: (ctx, m) => editInterface(ctx, (i) => (i.shutdown = !m.negated)),
  },
  {
    syntax: 'bandwidth <kbps:int:1-10000000>',
    noSyntax: 'bandwidth [<kbps:int:1-10000000>]',
    help: { bandwidth: 'Set bandwidth informational parameter', kbps: 'Bandwidth in kilobits' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.bandwidth;
        else i.bandwidth = intParam(m, 'kbps');
      }),
  },
  {
    syntax: 'delay <tens:int:1-16777215>',
    noSyntax: 'delay [<tens:int:1-16777215>]',
    help: { delay: 'Specify interface throughput delay', tens: 'Throughput delay (tens of microseconds)' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.delay;
        else i.delay = intParam(m, 'tens');
      }),
  },
  {
    syntax: 'ip mtu <bytes:int:68-17916>',
    noSyntax: 'ip mtu [<bytes:int:68-17916>]',
    help: { ...IP_HELP, mtu: 'Set IP Maximum Transmission Unit', bytes: 'MTU (bytes)' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.ipMtu;
        else i.ipMtu = intParam(m, 'bytes');
      }),
  },
];
