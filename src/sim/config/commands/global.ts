/** Global-mode commands that are not about one protocol: `hostname`, `interface`, `ip multicast-routing`. */
import type { ConfigCommand } from '../context';
import { ensureInterface, findInterface, removeWhere, strParam } from '../context';
import { interfaceTypeOf } from '../interface-names';

export const globalCommands: readonly ConfigCommand[] = [
  {
    syntax: 'hostname <name:word>',
    noSyntax: 'hostname [<name:word>]',
    help: { hostname: "Set system's network name", name: "This system's network name" },
    run: (ctx, m) => {
      ctx.model.hostname = m.negated ? 'Router' : strParam(m, 'name');
      ctx.changed('hostname');
    },
  },
  {
    syntax: 'ip multicast-routing [distributed]',
    help: {
      ip: 'Global IP configuration subcommands',
      'multicast-routing': 'Enable IP multicast forwarding',
      distributed: 'Distributed multicast switching',
    },
    run: (ctx, m) => {
      ctx.model.multicastRouting = !m.negated;
      ctx.changed('multicast');
    },
  },
  {
    syntax: 'interface <name:interface>',
    help: { interface: 'Select an interface to configure' },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      if (!m.negated) {
        ensureInterface(ctx.model, name);
        ctx.enter({ mode: 'interface', name });
        ctx.changed('interface', name);
        return;
      }
      if (!interfaceTypeOf(name)?.virtual) {
        // IOS refuses to delete hardware interfaces.
        ctx.print('% Removal of physical interfaces is not permitted');
        return;
      }
      if (findInterface(ctx.model, name)) {
        removeWhere(ctx.model.interfaces, (i) => i.name === name);
        ctx.changed('interface', name);
      }
    },
  },
];
