/** EXEC commands of PIM BSR: `show ip pim bsr-router`, `show ip pim rp-hash <group>`, `debug ip pim bsr`. */
import type { DebugOption, ExecCommand } from '../../../cli/exec-types';
import { ipParam } from '../../../config/context';
import { DEBUG_BSR, bsrServiceOf } from './bsr-service';
import { showIpPimBsrRouter, showIpPimRpHash } from './bsr-show';

const PIM_HELP = { show: 'Show running system information', ip: 'IP information', pim: 'PIM information' };
const BOTH = ['user', 'privileged'] as const;

export const BSR_COMMANDS: ExecCommand[] = [
  {
    modes: BOTH,
    syntax: 'show ip pim bsr-router',
    help: { ...PIM_HELP, 'bsr-router': 'Bootstrap router (v2)' },
    run: (c) => {
      const b = bsrServiceOf(c.router);
      c.out.push(b ? showIpPimBsrRouter(b) : 'PIMv2 Bootstrap information');
    },
  },
  {
    modes: BOTH,
    syntax: 'show ip pim rp-hash <group:ipv4>',
    help: {
      ...PIM_HELP,
      'rp-hash': 'RP to be chosen based on group selected',
      group: 'IP group address',
    },
    run: (c, m) => {
      const b = bsrServiceOf(c.router);
      const text = b ? showIpPimRpHash(b, ipParam(m, 'group')) : '';
      if (text) c.out.push(text);
    },
  },
];

/** IOS prints `PIM-BSR debugging is on` (published `debug ip pim bsr` output). */
export const BSR_DEBUG_OPTIONS: DebugOption[] = [
  {
    words: 'ip pim bsr',
    flag: DEBUG_BSR,
    title: 'PIM-BSR',
    help: { ip: 'IP information', pim: 'PIM protocol activity', bsr: 'PIM Candidate-RP/BSR activity' },
  },
];
