/** `(config-if)` basics: description, address, shutdown, bandwidth, delay, MTU. */
import type { ConfigCommand, ConfigContext } from '../context';
import { currentInterface, intParam, ipParam, strParam } from '../context';
import type { InterfaceConfig } from '../model';
import { negatableFlag, negatableParameter } from '../negatable';

export function editInterface(ctx: ConfigContext, change: (i: InterfaceConfig) => void): void {
  const iface = currentInterface(ctx);
  change(iface);
  ctx.changed('interface', iface.name);
}

const IP_HELP = { ip: 'Interface Internet Protocol config commands' };

export const interfaceCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'description <text:line>',
    help: {
      description: 'Interface specific description',
      text: 'Up to 240 characters describing this interface',
    },
    edit: editInterface,
    key: 'description',
    value: (m) => strParam(m, 'text'),
  }),
  negatableParameter({
    syntax: 'ip address <address:ipv4> <mask:mask>',
    help: {
      ...IP_HELP,
      address: 'IP address',
      mask: 'IP subnet mask',
    },
    edit: editInterface,
    key: 'address',
    value: (m) => ({ address: ipParam(m, 'address'), mask: ipParam(m, 'mask') }),
  }),
  negatableFlag({
    syntax: 'shutdown',
    help: { shutdown: 'Shutdown the selected interface' },
    edit: editInterface,
    key: 'shutdown',
  }),
  negatableParameter({
    syntax: 'bandwidth <kbps:int:1-10000000>',
    help: { bandwidth: 'Set bandwidth informational parameter', kbps: 'Bandwidth in kilobits' },
    edit: editInterface,
    key: 'bandwidth',
    value: (m) => intParam(m, 'kbps'),
  }),
  negatableParameter({
    syntax: 'delay <tens:int:1-16777215>',
    help: { delay: 'Specify interface throughput delay', tens: 'Throughput delay (tens of microseconds)' },
    edit: editInterface,
    key: 'delay',
    value: (m) => intParam(m, 'tens'),
  }),
  negatableParameter({
    syntax: 'ip mtu <bytes:int:68-17916>',
    help: { ...IP_HELP, mtu: 'Set IP Maximum Transmission Unit', bytes: 'MTU (bytes)' },
    edit: editInterface,
    key: 'ipMtu',
    value: (m) => intParam(m, 'bytes'),
  }),
];
