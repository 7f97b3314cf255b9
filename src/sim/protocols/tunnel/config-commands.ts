/** GRE tunnel config: interface `tunnel …` and the lines it prints in the running-config. */
import { editInterface } from '../../config/commands/interface';
import type { ConfigCommand } from '../../config/context';
import { intParam, ipParam, optStrParam } from '../../config/context';
import type { InterfaceConfig } from '../../config/model';
import { type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { ProtocolDescriptor } from '../descriptor';
import type { TunnelConfig, TunnelSource } from './config-model';

const TUNNEL_HELP = { tunnel: 'protocol-over-protocol tunneling' };

const editTunnel: Editor<TunnelConfig> = (ctx, change) => editInterface(ctx, (i) => change(i.tunnel));

const interfaceTunnelCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'tunnel source (<iface:interface> | <address:ipv4>)',
    help: { ...TUNNEL_HELP, source: 'source of tunnel packets', address: 'ip address' },
    edit: editTunnel,
    key: 'source',
    value: (m, ctx): TunnelSource => {
      const iface = optStrParam(m, 'iface');
      if (iface === undefined) return { kind: 'address', address: ipParam(m, 'address') };
      ctx.referenceInterface(iface, m.columns.iface ?? 0);
      return { kind: 'interface', name: iface };
    },
  }),
  negatableParameter({
    syntax: 'tunnel destination <address:ipv4>',
    help: { ...TUNNEL_HELP, destination: 'destination of tunnel', address: 'ip address or host name' },
    edit: editTunnel,
    key: 'destination',
    value: (m) => ipParam(m, 'address'),
  }),
  {
    syntax: 'tunnel mode gre (multipoint | ip)',
    noSyntax: 'tunnel mode [gre [(multipoint | ip)]]',
    help: {
      ...TUNNEL_HELP,
      mode: 'tunnel encapsulation method',
      gre: 'generic route encapsulation protocol',
      multipoint: 'over IP (multipoint)',
      ip: 'over IP',
    },
    run: (ctx, m) =>
      editTunnel(ctx, (t) => {
        t.mode = !m.negated && m.has('multipoint') ? 'gre-multipoint' : 'gre-ip';
      }),
  },
  negatableParameter({
    syntax: 'tunnel key <key:int:0-4294967295>',
    help: { ...TUNNEL_HELP, key: 'security or selector key' },
    edit: editTunnel,
    key: 'key',
    value: (m) => intParam(m, 'key'),
  }),
];

function renderTunnelInterface(i: InterfaceConfig): string[] {
  const t = i.tunnel;
  const src = t.source;
  return [
    ...(src ? [`tunnel source ${src.kind === 'interface' ? src.name : ip(src.address)}`] : []),
    ...(t.destination !== undefined ? [`tunnel destination ${ip(t.destination)}`] : []),
    // `tunnel mode gre ip` is the IOS default and is not printed.
    ...(t.mode === 'gre-multipoint' ? ['tunnel mode gre multipoint'] : []),
    ...(t.key !== undefined ? [`tunnel key ${t.key}`] : []),
  ];
}

/** The GRE tunnel's part of the descriptor. */
export const TUNNEL_CONFIG: ProtocolDescriptor['config'] = {
  commands: [{ mode: 'interface', commands: interfaceTunnelCommands }],
  runningConfig: { interface: [{ anchor: 'tunnel', render: renderTunnelInterface }] },
};
