/**
 * Global config commands `ip pim bsr-candidate` and `ip pim rp-candidate` with their `no` forms, and their
 * running-config lines. Syntax and help as IOS shows them (`R2(config)#ip pim bsr-candidate loopback 0 ?` →
 * `<0-32> Hash Mask length for RP selection`, then `<0-255> Priority value for candidate bootstrap router`;
 * `ip pim rp-candidate loopback 0 ?` → `group-list`, `interval`, `priority`: NetworkLessons, "Multicast PIM
 * Bootstrap (BSR)"). Defaults are not printed back (`show running-config | include rp-candidate` →
 * `ip pim rp-candidate Loopback0`).
 */
import type { ConfigCommand, ConfigContext } from '../../../config/context';
import { optIntParam, optStrParam, strParam } from '../../../config/context';
import type { CommandMatch } from '../../../config/grammar';
import type { RouterConfig } from '../../../config/model';
import { type Editor, negatableParameter } from '../../../config/negatable';
import {
  type BsrConfig,
  DEFAULT_BSR_PRIORITY,
  DEFAULT_C_RP_INTERVAL,
  DEFAULT_C_RP_PRIORITY,
  DEFAULT_HASH_MASK_LENGTH,
} from './bsr-config';

const PIM_HELP = { ip: 'Global IP configuration subcommands', pim: 'PIM global commands' };

/** The interface a candidacy names, noted for the loader's check that it exists. */
function candidateInterface(m: CommandMatch, ctx: ConfigContext): string {
  const iface = strParam(m, 'iface');
  ctx.referenceInterface(iface, m.columns.iface ?? 0);
  return iface;
}

/** The two commands, editing the slice `slice(model)` returns; `no` (arguments optional) withdraws each. */
export function bsrConfigCommands(slice: (model: RouterConfig) => BsrConfig): ConfigCommand[] {
  const edit: Editor<BsrConfig> = (ctx, change) => {
    change(slice(ctx.model));
    ctx.changed('multicast');
  };
  return [
    negatableParameter({
      syntax: 'ip pim bsr-candidate <iface:interface> [<hash:int:0-32> [<priority:int:0-255>]]',
      help: {
        ...PIM_HELP,
        'bsr-candidate': 'Candidate bootstrap router (candidate BSR)',
        hash: 'Hash Mask length for RP selection',
        priority: 'Priority value for candidate bootstrap router',
      },
      edit,
      key: 'candidateBsr',
      value: (m, ctx) => ({
        interface: candidateInterface(m, ctx),
        hashMaskLength: optIntParam(m, 'hash') ?? DEFAULT_HASH_MASK_LENGTH,
        priority: optIntParam(m, 'priority') ?? DEFAULT_BSR_PRIORITY,
      }),
    }),
    negatableParameter({
      syntax:
        'ip pim rp-candidate <iface:interface> [group-list <acl:word>] [interval <seconds:int:1-16383>] [priority <prio:int:0-255>]',
      help: {
        ...PIM_HELP,
        'rp-candidate': 'To be a PIMv2 RP candidate',
        'group-list': 'group-list',
        acl: 'IP Access list',
        interval: 'RP candidate advertisement interval',
        seconds: 'number of seconds',
        priority: 'RP candidate priority',
        prio: 'Priority value',
      },
      edit,
      key: 'candidateRp',
      value: (m, ctx) => {
        const groupList = optStrParam(m, 'acl');
        return {
          interface: candidateInterface(m, ctx),
          ...(groupList !== undefined ? { groupList } : {}),
          interval: optIntParam(m, 'seconds') ?? DEFAULT_C_RP_INTERVAL,
          priority: optIntParam(m, 'prio') ?? DEFAULT_C_RP_PRIORITY,
        };
      },
    }),
  ];
}

/** The running-config lines, C-BSR first, defaults left out. */
export function renderBsrConfig(cfg: BsrConfig): string[] {
  const out: string[] = [];
  const b = cfg.candidateBsr;
  if (b) {
    const priority = b.priority !== DEFAULT_BSR_PRIORITY ? ` ${b.priority}` : '';
    const hash = b.hashMaskLength !== DEFAULT_HASH_MASK_LENGTH || priority ? ` ${b.hashMaskLength}` : '';
    out.push(`ip pim bsr-candidate ${b.interface}${hash}${priority}`);
  }
  const r = cfg.candidateRp;
  if (r) {
    out.push(
      `ip pim rp-candidate ${r.interface}` +
        (r.groupList !== undefined ? ` group-list ${r.groupList}` : '') +
        (r.interval !== DEFAULT_C_RP_INTERVAL ? ` interval ${r.interval}` : '') +
        (r.priority !== DEFAULT_C_RP_PRIORITY ? ` priority ${r.priority}` : ''),
    );
  }
  return out;
}
