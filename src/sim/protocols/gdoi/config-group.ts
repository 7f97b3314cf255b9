/**
 * `crypto gdoi group` and its `(config-gdoi-group)` sub-mode: the group identity, `server local` (this router
 * is the key server: `config-local-server.ts`) or the key servers a member registers to.
 */
import type { ConfigCommand, ConfigContext } from '../../config/context';
import { frameAs, intParam, optIpParam, selectOrRemove, strParam } from '../../config/context';
import { type Editor, negatableParameter } from '../../config/negatable';
import { formatIpv4 as ip } from '../../net/ipv4-address';
import type { GdoiGroup } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'gdoi-group': { readonly group: string };
  }
}

/** A group the current frame names (sub-modes below the group key their frame by its name). */
export function groupNamed(ctx: ConfigContext, name: string): GdoiGroup {
  const found = ctx.model.crypto.gdoiGroups.find((x) => x.name === name);
  if (!found) throw new Error(`gdoi group ${name} vanished`);
  return found;
}

export const globalGdoiGroupCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto gdoi group <name:word>',
    help: {
      crypto: 'Encryption module',
      gdoi: 'Configure GDOI policy',
      group: 'Configure a GDOI Group',
      name: 'Group Name',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const groups = ctx.model.crypto.gdoiGroups;
      const create = (): GdoiGroup => ({ name, serverAddresses: [] });
      if (selectOrRemove(groups, (g) => g.name === name, create, m.negated))
        ctx.enter({ mode: 'gdoi-group', group: name });
      ctx.changed('crypto', name);
    },
  },
];

const editGroup: Editor<GdoiGroup> = (ctx, change) => {
  const g = groupNamed(ctx, frameAs(ctx, 'gdoi-group').group);
  change(g);
  ctx.changed('crypto', g.name);
};

export const gdoiGroupCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'identity number <id:int:0-4294967295>',
    noSyntax: 'identity [number [<id:int:0-4294967295>]]',
    help: {
      identity: 'Set the identity of the group',
      number: 'Set the identity of the group as a number',
      id: 'Group number',
    },
    edit: editGroup,
    key: 'identity',
    value: (m) => intParam(m, 'id'),
  }),
  {
    syntax: 'server local',
    help: {
      server: 'Set the server for the group',
      local: 'Designate this device as the key server for the group',
    },
    run: (ctx, m) => {
      const name = frameAs(ctx, 'gdoi-group').group;
      editGroup(ctx, (g) => {
        if (m.negated) delete g.server;
        else g.server ??= { sas: [] };
      });
      if (!m.negated) ctx.enter({ mode: 'gdoi-local-server', group: name });
    },
  },
  {
    syntax: 'server address ipv4 <address:ipv4>',
    noSyntax: 'server address ipv4 [<address:ipv4>]',
    help: {
      server: 'Set the server for the group',
      address: 'Set the key server address for the group',
      ipv4: 'Set IPv4 address',
      // The param shares its name with the `address` keyword: only the keyword help is shown.
    },
    run: (ctx, m) =>
      editGroup(ctx, (g) => {
        const a = optIpParam(m, 'address');
        g.serverAddresses = g.serverAddresses.filter((x) => a !== undefined && x !== a);
        if (!m.negated && a !== undefined) g.serverAddresses.push(a);
      }),
  },
];

/** The group's first line and identity (the key-server block follows: `renderLocalServer`). */
export function renderGroupHead(g: GdoiGroup): string[] {
  return [
    `crypto gdoi group ${g.name}`,
    ...(g.identity !== undefined ? [` identity number ${g.identity}`] : []),
  ];
}

/** A member's key servers, after the key-server block. */
export function renderServerAddresses(g: GdoiGroup): string[] {
  return g.serverAddresses.map((a) => ` server address ipv4 ${ip(a)}`);
}
