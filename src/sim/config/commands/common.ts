/** Commands every configuration mode accepts: `exit`, `end`, `do`. */
import type { ConfigCommand } from '../context';
import { strParam } from '../context';

export const commonCommands: readonly ConfigCommand[] = [
  {
    syntax: 'exit',
    noForm: false,
    help: { exit: 'Exit from the current configuration mode' },
    run: (ctx) => ctx.exitMode(),
  },
  {
    syntax: 'end',
    noForm: false,
    help: { end: 'Exit from configure mode' },
    run: (ctx) => ctx.leaveConfig(),
  },
  {
    syntax: 'do <command:line>',
    noForm: false,
    help: { do: 'To run exec commands in config mode', command: 'Exec Command' },
    run: (ctx, m) => ctx.exec(strParam(m, 'command')),
  },
];
