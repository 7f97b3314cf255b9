/**
 * `show ip access-lists [NAME]` and `clear ip access-list counters [NAME]` in IOS layout: one header per list
 * ("Standard IP access list 1", "Extended IP access list ACL"), then its entries numbered 10, 20, … with
 * "(N matches)" after an entry that has matched (IOS prints nothing for zero). Remarks are not shown.
 * Source: IOS `show ip access-lists` output as published in Cisco's "Configuring IP Access Lists" document
 * ("Extended IP access list 101 / 10 permit tcp host 10.1.1.2 host 172.16.1.1 eq telnet (4 matches)").
 */
import { optStrParam } from '../../config/context';
import type { AccessList, AclAddress, ExtendedAce, PortMatch, StandardAce } from '../../config/model';
import type { Router } from '../../device/router';
import type { ExecCommand } from '../../cli/exec-types';
import { formatIpv4 } from '../../net/ipv4-address';
import { aclMatches, clearAclCounters } from './acl-counters';

function extendedAddress(a: AclAddress): string {
  if (a.wildcard >>> 0 === 0xffffffff) return 'any';
  if (a.wildcard === 0) return `host ${formatIpv4(a.address)}`;
  return `${formatIpv4(a.address)} ${formatIpv4(a.wildcard)}`;
}

function standardAddress(a: AclAddress): string {
  if (a.wildcard >>> 0 === 0xffffffff) return 'any';
  if (a.wildcard === 0) return formatIpv4(a.address);
  return `${formatIpv4(a.address)}, wildcard bits ${formatIpv4(a.wildcard)}`;
}

function portText(p: PortMatch | undefined): string {
  return p ? ` ${p.op} ${p.ports.join(' ')}` : '';
}

function aceLine(ace: StandardAce | ExtendedAce): string {
  if (ace.kind === 'standard') return `${ace.action} ${standardAddress(ace.source)}`;
  return `${ace.action} ${ace.protocol} ${extendedAddress(ace.source)}${portText(ace.sourcePort)} ${extendedAddress(ace.destination)}${portText(ace.destinationPort)}`;
}

function listLines(router: Router, acl: AccessList): string[] {
  const out = [`${acl.type === 'standard' ? 'Standard' : 'Extended'} IP access list ${acl.name}`];
  let sequence = 0;
  for (const e of acl.entries) {
    if (e.kind === 'remark') continue;
    sequence += 10;
    const n = aclMatches(router, e);
    out.push(`    ${sequence} ${aceLine(e)}${n > 0 ? ` (${n} match${n === 1 ? '' : 'es'})` : ''}`);
  }
  return out;
}

/** Numbered lists in numeric order, then named lists by name. */
function sortedLists(router: Router): AccessList[] {
  const key = (a: AccessList): number => (a.numbered ? Number(a.name) : Number.POSITIVE_INFINITY);
  return [...router.config.accessLists.values()].sort(
    (a, b) => key(a) - key(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

export function showIpAccessLists(router: Router, name?: string): string {
  const lists = sortedLists(router).filter((a) => name === undefined || a.name === name);
  return lists.flatMap((a) => listLines(router, a)).join('\n');
}

const SHOW = { show: 'Show running system information', ip: 'IP information' };

export const ACL_COMMANDS: ExecCommand[] = [
  {
    modes: ['user', 'privileged'],
    syntax: 'show ip access-lists [<name:word>]',
    help: { ...SHOW, 'access-lists': 'List IP access lists', name: 'Access list name or number' },
    run: (c, m) => c.out.push(showIpAccessLists(c.router, optStrParam(m, 'name'))),
  },
  {
    modes: ['privileged'],
    syntax: 'clear ip access-list counters [<name:word>]',
    help: {
      clear: 'Reset functions',
      ip: 'IP',
      'access-list': 'Clear access list statistical information',
      counters: 'Clear access list counters',
      name: 'Access list name or number',
    },
    run: (c, m) => {
      const name = optStrParam(m, 'name');
      const lists = [...c.router.config.accessLists.values()].filter(
        (a) => name === undefined || a.name === name,
      );
      clearAclCounters(c.router, lists);
    },
  },
];
