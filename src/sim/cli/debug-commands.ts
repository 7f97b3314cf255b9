import type { Router } from '../device/router';
import { PROTOCOLS } from '../protocols/registry';
import type { DebugOption, ExecCommand } from './exec-types';

/** Every debug option; each protocol registers its own (`debug ip pim`, `debug nhrp`, `debug crypto gdoi` …). */
export const DEBUG_OPTIONS: DebugOption[] = [
  {
    words: 'ip icmp',
    flag: 'ip icmp',
    title: 'ICMP packet',
    help: { ip: 'IP information', icmp: 'ICMP transactions' },
  },
  {
    words: 'ip packet',
    flag: 'ip packet',
    title: 'IP packet',
    help: { ip: 'IP information', packet: 'General IP debugging and IPSO security transactions' },
  },
  ...PROTOCOLS.flatMap((p) => p.debugOptions ?? []),
];

const DEBUG_HELP = {
  debug: "Debugging functions (see also 'undebug')",
  undebug: "Disable debugging functions (see also 'debug')",
};

function optionCommands(o: DebugOption): ExecCommand[] {
  const on: ExecCommand = {
    modes: ['privileged'],
    syntax: `debug ${o.words}`,
    help: { ...DEBUG_HELP, ...o.help },
    noForm: true,
    run: (c, m) => {
      if (m.negated) c.router.debug.delete(o.flag);
      else c.router.debug.add(o.flag);
      c.out.push(`${o.title} debugging is ${m.negated ? 'off' : 'on'}`);
    },
  };
  const off: ExecCommand = {
    modes: ['privileged'],
    syntax: `undebug ${o.words}`,
    help: { ...DEBUG_HELP, ...o.help },
    run: (c) => {
      c.router.debug.delete(o.flag);
      c.out.push(`${o.title} debugging is off`);
    },
  };
  return [on, off];
}

function allOff(c: { router: Router; out: string[] }): void {
  c.router.debug.clear();
  c.out.push('All possible debugging has been turned off');
}

/** The debug commands, one on/off pair per option above plus `debug all` / `undebug all`. */
export const DEBUG_FLAGS: ExecCommand[] = [
  ...DEBUG_OPTIONS.flatMap(optionCommands),
  {
    modes: ['privileged'],
    syntax: 'undebug all',
    help: { ...DEBUG_HELP, all: 'Disable all debugging' },
    run: (c) => allOff(c),
  },
  {
    modes: ['privileged'],
    syntax: 'debug all',
    help: { ...DEBUG_HELP, all: 'Enable all debugging' },
    noForm: true,
    run: (c, m) => {
      if (m.negated) allOff(c);
      else {
        for (const o of DEBUG_OPTIONS) c.router.debug.add(o.flag);
        c.out.push(
          'This may severely impact network performance. Continue? (yes/[no]) yes',
          'All possible debugging has been turned on',
        );
      }
    },
  },
];

/** `show debugging`: the options that are on, grouped as IOS groups them. */
export function showDebugging(router: Router): string {
  const on = DEBUG_OPTIONS.filter((o) => router.debug.has(o.flag));
  if (on.length === 0) return '';
  return ['Generic IP:', ...on.map((o) => `  ${o.title} debugging is on`)].join('\n');
}
