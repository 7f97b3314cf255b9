/**
 * Access lists: numbered (`access-list N …`) and named (`ip access-list standard|extended NAME` sub-modes),
 * standard and extended entries, remarks. IOS stores `A W` with the wildcard bits cleared from A.
 */
import type { ConfigCommand, ConfigContext } from '../context';
import { optIntParam, optIpParam, strParam } from '../context';
import type { CommandMatch } from '../grammar';
import type {
  AccessList,
  AclAction,
  AclAddress,
  ExtendedAce,
  PortMatch,
  RemarkEntry,
  StandardAce,
} from '../model';

const ANY: AclAddress = { address: 0, wildcard: 0xffffffff };

/** `any` | `host A` | `A W` ; standard lists also take a bare `A` (a host). */
function addressSyntax(p: string, wildcardOptional: boolean): string {
  const w = `<${p}Wild:wildcard>`;
  return `(any | host <${p}Host:ipv4> | <${p}:ipv4> ${wildcardOptional ? `[${w}]` : w})`;
}

function portSyntax(p: string): string {
  const n = (s: string): string => `<${p}${s}:int:0-65535>`;
  return `[(eq ${n('Eq')} | gt ${n('Gt')} | lt ${n('Lt')} | neq ${n('Neq')} | range ${n('Lo')} ${n('Hi')})]`;
}

const STD_ENTRY = `(permit | deny) ${addressSyntax('src', true)}`;
const IP_PROTOCOLS = ['ip', 'icmp', 'gre', 'esp', 'ahp', 'pim', 'igmp', 'eigrp', 'ospf'];
const EXT_ENTRY =
  `(permit | deny) ((tcp | udp) ${addressSyntax('src', false)} ${portSyntax('s')} ${addressSyntax('dst', false)} ${portSyntax('d')}` +
  ` | (${IP_PROTOCOLS.join(' | ')} | <proto:int:0-255>) ${addressSyntax('src', false)} ${addressSyntax('dst', false)})`;

const ENTRY_HELP: Record<string, string> = {
  permit: 'Specify packets to forward',
  deny: 'Specify packets to reject',
  remark: 'Access list entry comment',
  text: 'Comment up to 100 characters',
  any: 'Any source host',
  host: 'A single host address',
  srcHost: 'Source address',
  src: 'Address to match',
  srcWild: 'Wildcard bits',
  dstHost: 'Destination address',
  dst: 'Destination address',
  dstWild: 'Destination wildcard bits',
  ip: 'Any Internet Protocol',
  tcp: 'Transmission Control Protocol',
  udp: 'User Datagram Protocol',
  icmp: 'Internet Control Message Protocol',
  gre: "Cisco's GRE tunneling",
  esp: 'Encapsulation Security Payload',
  ahp: 'Authentication Header Protocol',
  pim: 'Protocol Independent Multicast',
  igmp: 'Internet Gateway Message Protocol',
  eigrp: "Cisco's EIGRP routing protocol",
  ospf: 'OSPF routing protocol',
  proto: 'An IP protocol number',
  eq: 'Match only packets on a given port number',
  gt: 'Match only packets with a greater port number',
  lt: 'Match only packets with a lower port number',
  neq: 'Match only packets not on a given port number',
  range: 'Match only packets in the range of port numbers',
};

function aclAddress(m: CommandMatch, p: string): AclAddress {
  const host = optIpParam(m, `${p}Host`);
  if (host !== undefined) return { address: host, wildcard: 0 };
  const address = optIpParam(m, p);
  if (address === undefined) return ANY;
  const wildcard = optIpParam(m, `${p}Wild`) ?? 0;
  return { address: (address & ~wildcard) >>> 0, wildcard };
}

function portMatch(m: CommandMatch, p: string): PortMatch | undefined {
  for (const op of ['eq', 'gt', 'lt', 'neq'] as const) {
    const v = optIntParam(m, p + op[0]?.toUpperCase() + op.slice(1));
    if (v !== undefined) return { op, ports: [v] };
  }
  const lo = optIntParam(m, `${p}Lo`);
  const hi = optIntParam(m, `${p}Hi`);
  return lo !== undefined && hi !== undefined ? { op: 'range', ports: [lo, hi] } : undefined;
}

function actionOf(m: CommandMatch): AclAction {
  return m.has('permit') ? 'permit' : 'deny';
}

function standardAce(m: CommandMatch): StandardAce {
  return { kind: 'standard', action: actionOf(m), source: aclAddress(m, 'src') };
}

function extendedAce(m: CommandMatch): ExtendedAce {
  const action = actionOf(m);
  const after = m.keywords[m.keywords.indexOf(action) + 1] ?? '';
  const protocol =
    after === 'tcp' || after === 'udp' || IP_PROTOCOLS.includes(after) ? after : String(m.params.proto);
  const ace: { -readonly [K in keyof ExtendedAce]: ExtendedAce[K] } = {
    kind: 'extended',
    action,
    protocol,
    source: aclAddress(m, 'src'),
    destination: aclAddress(m, 'dst'),
  };
  const sp = portMatch(m, 's');
  const dp = portMatch(m, 'd');
  if (sp) ace.sourcePort = sp;
  if (dp) ace.destinationPort = dp;
  return ace;
}

type Entry = AccessList['entries'][number];

/** An entry's identity for duplicate checks (entries are immutable plain data). */
function entryKey(e: Entry): string {
  return JSON.stringify(e);
}

/**
 * Per list, the keys of its entries, so that adding an entry checks for a duplicate in O(1): comparing it with
 * every earlier entry made an 8,000-line list take 30 s to load (issue 13 item 8). Rebuilt whenever the list's
 * length is not the one the index was built for (the list changed some other way).
 */
const entryIndex = new WeakMap<AccessList, { length: number; keys: Set<string> }>();

function indexOf(list: AccessList): { length: number; keys: Set<string> } {
  let index = entryIndex.get(list);
  if (!index || index.length !== list.entries.length) {
    index = { length: list.entries.length, keys: new Set(list.entries.map(entryKey)) };
    entryIndex.set(list, index);
  }
  return index;
}

/** Adds an entry (IOS ignores an exact duplicate) or, for `no`, removes it. */
function editEntries(ctx: ConfigContext, list: AccessList, entry: Entry, negated: boolean): void {
  const key = entryKey(entry);
  const index = indexOf(list);
  if (negated) {
    if (index.keys.has(key)) {
      list.entries.splice(
        list.entries.findIndex((e) => entryKey(e) === key),
        1,
      );
      entryIndex.delete(list);
    }
  } else if (!index.keys.has(key) || entry.kind === 'remark') {
    list.entries.push(entry);
    index.keys.add(key);
    index.length = list.entries.length;
  }
  ctx.changed('acl', list.name);
}

function numberedList(ctx: ConfigContext, name: string, type: AccessList['type']): AccessList {
  const existing = ctx.model.accessLists.get(name);
  if (existing) return existing;
  const created: AccessList = { name, type, numbered: true, entries: [] };
  ctx.model.accessLists.set(name, created);
  return created;
}

function currentNamedList(ctx: ConfigContext): AccessList {
  const frame = ctx.frame;
  if (frame.mode !== 'std-nacl' && frame.mode !== 'ext-nacl')
    throw new Error(`ACL entry run in ${frame.mode}`);
  const list = ctx.model.accessLists.get(frame.acl);
  if (!list) throw new Error(`access list ${frame.acl} vanished`);
  return list;
}

const STD_NUMBER = '(<n:int:1-99> | <n:int:1300-1999>)';
const EXT_NUMBER = '(<n:int:100-199> | <n:int:2000-2699>)';

const remark = (ctx: ConfigContext, list: AccessList, m: CommandMatch): void => {
  const entry: RemarkEntry = { kind: 'remark', text: strParam(m, 'text') };
  editEntries(ctx, list, entry, m.negated);
};

export const globalAclCommands: readonly ConfigCommand[] = [
  {
    syntax: `access-list ${STD_NUMBER} ${STD_ENTRY}`,
    // IOS: `no access-list N …` deletes the whole numbered list, whatever follows the number.
    noSyntax: `access-list (${STD_NUMBER} | ${EXT_NUMBER}) [<rest:line>]`,
    help: { 'access-list': 'Add an access list entry', n: 'IP standard access list', ...ENTRY_HELP },
    run: (ctx, m) => {
      const name = String(m.params.n);
      if (m.negated) {
        ctx.model.accessLists.delete(name);
        ctx.changed('acl', name);
      } else editEntries(ctx, numberedList(ctx, name, 'standard'), standardAce(m), false);
    },
  },
  {
    syntax: `access-list ${EXT_NUMBER} ${EXT_ENTRY}`,
    noForm: false,
    help: { 'access-list': 'Add an access list entry', n: 'IP extended access list', ...ENTRY_HELP },
    run: (ctx, m) =>
      editEntries(ctx, numberedList(ctx, String(m.params.n), 'extended'), extendedAce(m), false),
  },
  {
    syntax: `access-list (${STD_NUMBER} | ${EXT_NUMBER}) remark <text:line>`,
    noForm: false,
    help: { 'access-list': 'Add an access list entry', ...ENTRY_HELP },
    run: (ctx, m) => {
      const n = Number(m.params.n);
      const type = n < 100 || (n >= 1300 && n < 2000) ? 'standard' : 'extended';
      remark(ctx, numberedList(ctx, String(n), type), m);
    },
  },
  {
    syntax: 'ip access-list (standard | extended) <name:word>',
    help: {
      ip: 'Global IP configuration subcommands',
      'access-list': 'Named access-list',
      standard: 'Standard Access List',
      extended: 'Extended Access List',
      name: 'Access-list name',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const type = m.has('standard') ? 'standard' : 'extended';
      const existing = ctx.model.accessLists.get(name);
      if (m.negated) {
        if (existing?.type === type) ctx.model.accessLists.delete(name);
        ctx.changed('acl', name);
        return;
      }
      if (existing && existing.type !== type) {
        ctx.print(`% A named ${existing.type} IP access list with this name already exists`);
        return;
      }
      if (!existing) ctx.model.accessLists.set(name, { name, type, numbered: false, entries: [] });
      ctx.enter({ mode: type === 'standard' ? 'std-nacl' : 'ext-nacl', acl: name });
      ctx.changed('acl', name);
    },
  },
];

const remarkCommand: ConfigCommand = {
  syntax: 'remark <text:line>',
  help: ENTRY_HELP,
  run: (ctx, m) => remark(ctx, currentNamedList(ctx), m),
};

export const standardNaclCommands: readonly ConfigCommand[] = [
  {
    syntax: STD_ENTRY,
    help: ENTRY_HELP,
    run: (ctx, m) => editEntries(ctx, currentNamedList(ctx), standardAce(m), m.negated),
  },
  remarkCommand,
];

export const extendedNaclCommands: readonly ConfigCommand[] = [
  {
    syntax: EXT_ENTRY,
    help: ENTRY_HELP,
    run: (ctx, m) => editEntries(ctx, currentNamedList(ctx), extendedAce(m), m.negated),
  },
  remarkCommand,
];
