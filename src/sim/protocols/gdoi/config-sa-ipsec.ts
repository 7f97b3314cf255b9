/**
 * The `(gdoi-sa-ipsec)` sub-mode (`sa ipsec N` under a key server): the IPsec profile and the ACL of the
 * traffic the group encrypts, the anti-replay window; and the lines they print.
 */
import type { ConfigCommand } from '../../config/context';
import { frameAs, intParam, lastKeyword, strParam } from '../../config/context';
import { type Editor, negatableParameter } from '../../config/negatable';
import { groupNamed } from './config-group';
import type { GdoiServerSa } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'gdoi-sa-ipsec': { readonly group: string; readonly sa: number };
  }
}

const editSa: Editor<GdoiServerSa> = (ctx, change) => {
  const frame = frameAs(ctx, 'gdoi-sa-ipsec');
  const sa = groupNamed(ctx, frame.group).server?.sas.find((s) => s.number === frame.sa);
  if (!sa) throw new Error(`sa ipsec ${frame.sa} vanished`);
  change(sa);
  ctx.changed('crypto', frame.group);
};

export const gdoiSaIpsecCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'profile <name:word>',
    help: { profile: 'Configure an ipsec profile for the SA', name: 'IPsec profile name' },
    edit: editSa,
    key: 'profile',
    value: (m) => strParam(m, 'name'),
  }),
  negatableParameter({
    syntax: 'match address ipv4 <acl:word>',
    noSyntax: 'match address [ipv4 [<acl:word>]]',
    help: {
      match: 'Match values of the SA',
      address: 'Match address of packets to encrypt',
      ipv4: 'IPv4 access list',
      acl: 'Access-list name or number',
    },
    edit: editSa,
    key: 'matchAddress',
    value: (m) => strParam(m, 'acl'),
  }),
  negatableParameter({
    syntax:
      'replay (time window-size <seconds:int:1-100> | counter window-size (64 | 128 | 256 | 512 | 1024))',
    noSyntax: 'replay [(time | counter) [window-size [(<seconds:int:1-100> | 64 | 128 | 256 | 512 | 1024)]]]',
    help: {
      replay: 'Set the replay protection type and window size',
      time: 'Time-based anti-replay',
      counter: 'Counter-based anti-replay',
      'window-size': 'Replay window size',
      seconds: 'Window size in seconds',
    },
    edit: editSa,
    key: 'replay',
    value: (m): GdoiServerSa['replay'] =>
      m.has('time')
        ? { kind: 'time', windowSize: intParam(m, 'seconds') }
        : { kind: 'counter', windowSize: Number(lastKeyword(m)) },
  }),
];

/** `  sa ipsec N` and its lines, inside ` server local`. */
export function renderServerSa(sa: GdoiServerSa): string[] {
  return [
    `  sa ipsec ${sa.number}`,
    ...(sa.profile ? [`   profile ${sa.profile}`] : []),
    ...(sa.matchAddress ? [`   match address ipv4 ${sa.matchAddress}`] : []),
    ...(sa.replay ? [`   replay ${sa.replay.kind} window-size ${sa.replay.windowSize}`] : []),
  ];
}
