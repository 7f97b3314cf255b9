/**
 * GET VPN show and debug commands in IOS layout (the article's `show crypto gdoi` KS and GM views and
 * `show crypto gdoi ks rekey`, Cisco Security Command Reference for the rest), computed from live key server
 * and member state.
 */
import { optStrParam } from '../../config/context';
import type { AclAddress, ExtendedAce } from '../../config/model';
import type { Router } from '../../device/router';
import type { DebugOption, ExecCommand } from '../../cli/exec-types';
import { iosDuration } from '../../cli/ios-time';
import { toHex } from '../../net/bytes';
import { formatIpv4 } from '../../net/ipv4-address';
import { DEBUG_ISAKMP, ikeOf } from '../ike/ike-service';
import { gdoiOf } from './gdoi-service';
import { transformText } from '../esp/transform';
import type { GroupMember } from './gm';
import { DEBUG_GDOI, DEBUG_GDOI_REKEY, type KeyServerGroup } from './ks';

const secs = (us: number): number => Math.max(0, Math.floor(us / 1_000_000));

function aclAddressText(a: AclAddress): string {
  if (a.wildcard === 0xffffffff) return 'any';
  if (a.wildcard === 0) return `host ${formatIpv4(a.address)}`;
  return `${formatIpv4(a.address)} ${formatIpv4(a.wildcard)}`;
}

function aceText(e: ExtendedAce): string {
  return `${e.action} ${e.protocol} ${aclAddressText(e.source)} ${aclAddressText(e.destination)}`;
}

function ksLines(ks: KeyServerGroup): string[] {
  const p = ks.policy;
  const lines = [
    'GROUP INFORMATION',
    `    Group Name               : ${ks.name} (${ks.multicast ? 'Multicast' : 'Unicast'})`,
    `    Group Identity           : ${p.identity}`,
    `    Group Members            : ${ks.members.size}`,
    '    IPSec SA Direction       : Both',
    '    Active Group Server      : Local',
    `    Group Rekey Lifetime     : ${p.kekLifetime} secs`,
  ];
  if (ks.kek) lines.push('    Group Rekey', `        Remaining Lifetime   : ${ks.kekRemaining()} secs`);
  lines.push(
    `    Rekey Retransmit Period  : ${p.retransmit.interval} secs`,
    `    Rekey Retransmit Attempts: ${p.retransmit.count}`,
  );
  if (ks.kek)
    lines.push('    Group Retransmit', `        Remaining Lifetime   : ${ks.retransmitRemaining()} secs`);
  for (const sa of p.sas) {
    lines.push(
      `      IPSec SA Number        : ${sa.number}`,
      `      IPSec SA Rekey Lifetime: ${sa.lifetime} secs`,
    );
    if (sa.profile !== undefined) lines.push(`      Profile Name           : ${sa.profile}`);
    if (sa.replay) {
      lines.push(
        `      Replay method          : ${sa.replay.kind === 'time' ? 'Time Based' : 'Count Based'}`,
        `      Replay Window Size     : ${sa.replay.windowSize}`,
      );
    }
    if (ks.teks.length > 0)
      lines.push('      SA Rekey', `         Remaining Lifetime  : ${ks.tekRemaining()} secs`);
    if (sa.aclName !== undefined) lines.push(`      ACL Configured         : access-list ${sa.aclName}`);
  }
  lines.push('    Group Server list        : Local');
  return lines;
}

function gmLines(router: Router, gm: GroupMember): string[] {
  const b = gm.binding;
  const now = router.kernel.now;
  const ks = formatIpv4(b.server);
  const lines = [
    'GROUP INFORMATION',
    `    Group Name               : ${b.group}`,
    `    Group Identity           : ${b.identity}`,
    `    Rekeys received          : ${gm.rekeysCumulative}`,
    '    IPSec SA Direction       : Both',
    `    Active Group Server      : ${gm.registeredWith !== undefined ? ks : 'None'}`,
    `    Group Server list        : ${ks}`,
  ];
  if (gm.status === 'Registered' && gm.reregisterDue !== undefined) {
    lines.push(`    GM Reregisters in        : ${secs(gm.reregisterDue - now)} secs`);
  } else lines.push(`    Registration status      : ${gm.status}`);
  lines.push(
    `    Rekey Received           : ${gm.lastRekeyAt === undefined ? 'never' : `${iosDuration(now - gm.lastRekeyAt)} ago`}`,
    '    Rekeys received',
    `         Cumulative          : ${gm.rekeysCumulative}`,
    `         After registration  : ${gm.rekeysAfterRegistration}`,
  );
  const acl = gm.teks[0]?.acl ?? [];
  if (acl.length > 0) {
    lines.push(` ACL Downloaded From KS ${ks}:`);
    for (const e of acl) lines.push(`   access-list  ${aceText(e)}`);
  }
  const kek = gm.kek;
  if (kek) {
    lines.push(
      'KEK POLICY:',
      `    Rekey Transport Type     : ${kek.destination !== 0 ? 'Multicast' : 'Unicast'}`,
      `    Lifetime (secs)          : ${secs(kek.expiresAt - now)}`,
      `    Encrypt Algorithm        : ${kek.cipher === '3des' ? '3DES' : kek.cipher === 'des' ? 'DES' : 'AES'}`,
      `    Key Size                 : ${kek.keyBits}`,
      '    Sig Hash Algorithm       : HMAC_AUTH_SHA',
      `    Sig Key Length (bits)    : ${kek.sigKeyBits}`,
    );
  }
  if (gm.teks.length > 0) {
    lines.push('TEK POLICY for the current KS-Policy ACEs Downloaded:');
    for (const t of gm.teks) {
      lines.push(
        '    IPsec SA:',
        `        spi: 0x${t.spi.toString(16).toUpperCase().padStart(8, '0')}(${t.spi})`,
        `        transform: ${transformText(t.transform)}`,
        `        sa timing:remaining key lifetime (sec): (${secs(t.expiresAt - now)})`,
      );
      if (t.replay?.kind === 'time')
        lines.push(`        Anti-Replay(Time Based) : ${t.replay.windowSize} sec interval`);
      if (t.replay?.kind === 'counter')
        lines.push(`        Anti-Replay(Counter Based) : ${t.replay.windowSize}`);
    }
  }
  return lines;
}

/**
 * The key server groups on `router`. A router whose config has no `crypto gdoi group` runs no GDOI service:
 * it has none, and its shows print their empty tables, as IOS's do on a router without GDOI configured.
 */
function keyServersOf(router: Router): KeyServerGroup[] {
  return [...(gdoiOf(router)?.keyServers.values() ?? [])];
}

/** The member groups on `router` (none where GDOI is not configured). */
function membersOf(router: Router): GroupMember[] {
  return [...(gdoiOf(router)?.members.values() ?? [])];
}

/** `show crypto gdoi`: every key server group, then every member group. */
export function showCryptoGdoi(router: Router): string {
  const blocks = [...keyServersOf(router).map(ksLines), ...membersOf(router).map((m) => gmLines(router, m))];
  return blocks.map((b) => b.join('\n')).join('\n\n');
}

export function showCryptoGdoiGm(router: Router): string {
  return membersOf(router)
    .map((m) => gmLines(router, m).join('\n'))
    .join('\n\n');
}

export function showCryptoGdoiKsRekey(router: Router): string {
  const out: string[] = [];
  for (const ks of keyServersOf(router)) {
    const p = ks.policy;
    out.push(
      `Group ${ks.name} (${ks.multicast ? 'Multicast' : 'Unicast'})`,
      `    Number of Rekeys sent               : ${ks.rekeysSent}`,
      `    Number of Rekeys retransmitted      : ${ks.rekeysRetransmitted}`,
      `    KEK rekey lifetime (sec)            : ${p.kekLifetime}`,
      `        Remaining lifetime (sec)        : ${ks.kekRemaining()}`,
      `    Retransmit period                   : ${p.retransmit.interval}`,
      `    Number of retransmissions           : ${p.retransmit.count}`,
    );
    for (const sa of p.sas) {
      out.push(
        `    IPSec SA ${sa.number}  lifetime (sec)          : ${sa.lifetime}`,
        `        Remaining lifetime (sec)        : ${ks.tekRemaining()}`,
      );
    }
    out.push(`    Number of registrations after rekey : ${ks.registrationsAfterRekey}`);
    if (p.rekeyDestination !== undefined) {
      out.push(`    Multicast destination address       : ${formatIpv4(p.rekeyDestination)}`);
    }
  }
  return out.join('\n');
}

export function showCryptoGdoiKsMembers(router: Router): string {
  const out: string[] = ['Group Member Information :'];
  for (const ks of keyServersOf(router)) {
    out.push('', `Number of rekeys sent for group ${ks.name} : ${ks.rekeysSent}`);
    for (const m of ks.members.values()) {
      const seqs = [...m.sentSeq, 0, 0, 0, 0].slice(0, 4);
      out.push(
        '',
        `Group Member ID    : ${formatIpv4(m.address)}   GM Version: 1.0.4`,
        ` Group ID          : ${ks.policy.identity}`,
        ` Group Name        : ${ks.name}`,
        ` Key Server ID     : ${formatIpv4(ks.sourceAddress)}`,
        ` Rekeys sent       : ${m.rekeysSent}`,
        ` Rekeys retries    : ${m.rekeyRetries}`,
        ` Rekey Acks Rcvd   : ${m.acksReceived}`,
        ` Rekey Acks missed : ${m.acksMissed}`,
        '',
        ` Sent seq num : ${seqs.join(' ')}`,
        ` Rcvd seq num : ${[...m.rcvdSeq, 0, 0, 0, 0].slice(0, 4).join(' ')}`,
      );
    }
  }
  return out.join('\n');
}

/** A value left-aligned in an IOS fixed-width column (`show crypto gdoi ks policy`). */
const col = (v: string | number, width: number): string => String(v).padEnd(width);

const KEK_ALG_NAME: Readonly<Record<string, string>> = { des: 'DES', '3des': '3DES', aes: 'AES' };

function ksKekPolicyLines(ks: KeyServerGroup): string[] {
  const kek = ks.kek;
  if (!kek) return [];
  const now = ks.router.kernel.now;
  const lines = [
    `  KEK POLICY (transport type : ${ks.multicast ? 'Multicast' : 'Unicast'})`,
    `    spi : 0x${toHex(kek.spi).toUpperCase()}`,
    `    management alg     : ${col('disabled', 12)}encrypt alg       : ${col(KEK_ALG_NAME[kek.cipher] ?? kek.cipher, 10)}`,
    `    crypto iv length   : ${col(kek.iv.length, 12)}key size          : ${col(kek.key.length, 8)}`,
    `    orig life(sec): ${col(kek.lifetime, 12)}remaining life(sec): ${col(secs(kek.expiresAt - now), 10)}`,
    `    time to rekey (sec): ${col(ks.kekRekeyIn() ?? 'n/a', 10)}`,
    `    sig hash algorithm : ${col('enabled', 12)}sig key length    : ${col(kek.sigKey.length, 8)}`,
    `    sig size           : ${col(kek.sigKeyBits / 8, 10)}`,
    `    sig key name       : ${ks.policy.keyLabel ?? ''}`,
  ];
  if (!ks.multicast) lines.push('    acknowledgement    : Cisco');
  return lines;
}

function ksTekPolicyLines(ks: KeyServerGroup): string[] {
  const now = ks.router.kernel.now;
  const out: string[] = [];
  ks.liveTeks().forEach((t, i) => {
    const sa = ks.policy.sas.find((p) => p.aclName !== undefined) ?? ks.policy.sas[0];
    const rekeyIn = i === 0 ? ks.tekRekeyIn() : undefined;
    out.push(
      '  TEK POLICY (encaps : ENCAPS_TUNNEL)',
      `    spi                : 0x${t.spi.toString(16).toUpperCase().padStart(8, '0')}`,
      `    access-list        : ${sa?.aclName ?? ''}`,
      `    transform          : ${transformText(t.transform)} `,
      `    alg key size       : ${col(t.encryptionKey.length, 14)}sig key size          : ${col(t.integrityKey.length, 10)}`,
      `    orig life(sec)     : ${col(t.lifetime, 14)}remaining life(sec)   : ${col(secs(t.expiresAt - now), 10)}`,
      `    tek life(sec)      : ${col(t.lifetime, 14)}elapsed time(sec)     : ${col(secs(now - t.createdAt), 10)}`,
      `    override life (sec): ${col(0, 14)}antireplay window size: ${col(t.replay?.windowSize ?? 0, 10)}`,
      `    time to rekey (sec): ${col(rekeyIn ?? 'n/a', 10)}`,
      '          ',
      '          ',
    );
  });
  return out;
}

/**
 * `show crypto gdoi ks policy`, in the layout of published IOS output (networklessons forum, KS1#show crypto
 * gdoi ks policy; Cisco Security Command Reference): the KEK, then every live TEK, newest first; only the
 * newest has a
 * `time to rekey`. The handle of a KS's only group is the published 2147483650 (= 0x80000002; genieparser's
 * IOS-XE golden ShowCryptoGdoiKsPolicy prints 0x40000002); later groups counting up from it are [INF].
 */
export function showCryptoGdoiKsPolicy(router: Router): string {
  const out: string[] = ['Key Server Policy:'];
  keyServersOf(router).forEach((ks, i) => {
    const handle = 2147483650 + i;
    out.push(
      `For group ${ks.name} (handle: ${handle}) server ${formatIpv4(ks.sourceAddress)} (handle: ${handle}):`,
      '',
      `  # of teks : ${ks.liveTeks().length}  Seq num : ${ks.seq}`,
      ...ksKekPolicyLines(ks),
      '',
      ...ksTekPolicyLines(ks),
    );
  });
  return out.join('\n');
}

/**
 * `show crypto gdoi gm acl`: the ACL each group downloaded, then the one configured locally on the member's
 * crypto map entry (`match address`). Sourced lines: `Group Name: G` and ` ACL Configured Locally: ` (with its
 * trailing space) from genieparser's IOS-XE golden output of `show crypto gdoi gm acl local`
 * (CiscoTestAutomation/genieparser, src/genie/libs/parser/iosxe/tests/ShowCryptoGdoiGmAclLocal/cli/equal/
 * golden_output_output.txt); ` ACL Downloaded From KS 1.1.1.1:` and its ACE format `   access-list  permit gre
 * any any` from the article's `show crypto gdoi`. [M] The `   Map Name: M` line and the
 * local ACEs' format under ` ACL Configured Locally: ` (no published output lists a non-empty local ACL).
 */
export function showCryptoGdoiGmAcl(router: Router): string {
  const cfg = router.config;
  const out: string[] = [];
  for (const gm of membersOf(router)) {
    const b = gm.binding;
    const entry = cfg.crypto.cryptoMaps
      .find((m) => m.name === b.cryptoMap)
      ?.entries.find((e) => e.kind === 'gdoi' && e.group === b.group);
    const local = entry?.matchAddress;
    const localAces = (local !== undefined ? (cfg.accessLists.get(local)?.entries ?? []) : []).filter(
      (e): e is ExtendedAce => e.kind === 'extended',
    );
    out.push(`Group Name: ${b.group}`, ` ACL Downloaded From KS ${formatIpv4(b.server)}:`);
    for (const e of gm.teks[0]?.acl ?? []) out.push(`   access-list  ${aceText(e)}`);
    out.push(' ACL Configured Locally: ');
    if (local !== undefined) out.push(`   Map Name: ${b.cryptoMap}`);
    for (const e of localAces) out.push(`   access-list  ${aceText(e)}`);
  }
  return out.join('\n');
}

/**
 * One row of the Rekey (KEK) SA table: the KEK's cookies (SPI halves) and the registration SA's conn-id, in
 * the columns of genieparser's golden `show crypto gdoi gm rekey detail` (see below):
 *   New     : 44.44.44.1      15.15.15.1       44334   C5AC6039   A440633E
 *   Current : ---             ---               ---    ---        ---
 */
function kekSaRow(label: string, kek: GroupMember['kek'], dst: number, connId: number): string {
  if (!kek) return `${label}: ${'---'.padEnd(16)}${'---'.padEnd(18)}---    ---        ---`;
  const hex = toHex(kek.spi).toUpperCase();
  return `${label}: ${formatIpv4(dst).padEnd(16)}${formatIpv4(kek.source).padEnd(16)}${String(connId).padStart(6)}   ${hex.slice(0, 8)}   ${hex.slice(16, 24)}`;
}

/**
 * `show crypto gdoi gm rekey`: rekey counters and the KEK SAs (new, current, previous), in the layout of
 * genieparser's IOS-XE golden output of `show crypto gdoi gm rekey detail` (CiscoTestAutomation/genieparser,
 * src/genie/libs/parser/iosxe/tests/ShowCryptoGdoiGmRekeyDetail/cli/equal/golden_output_output.txt): `Group
 * bw6000 (Unicast)`, the three counters, a blank line, `Rekey (KEK) SA information :`, the column header,
 * the New/Current/Previous rows (dashes when there is no SA), and two blank lines between groups. The source
 * shows unicast groups only; a multicast group prints the same three counters (GETLab acks unicast rekeys
 * only, so its ack count stays 0), `(Multicast)` and its multicast KEK destination as `dst` [INF]. The
 * cookies are the KEK SPI's two halves (RFC 6407, SA KEK payload: the push's cookie pair is the KEK SPI).
 */
export function showCryptoGdoiGmRekey(router: Router): string {
  const ike = ikeOf(router);
  const groups: string[][] = [];
  for (const gm of membersOf(router)) {
    const b = gm.binding;
    const unicast = gm.kek !== undefined && gm.kek.destination === 0;
    const connId = ike?.findEstablished(b.local, b.server)?.connId ?? 0;
    const dst = (k: GroupMember['kek']): number => (k && k.destination !== 0 ? k.destination : b.local);
    groups.push([
      `Group ${b.group} (${unicast ? 'Unicast' : 'Multicast'})`,
      `    Number of Rekeys received (cumulative)       : ${gm.rekeysCumulative}`,
      `    Number of Rekeys received after registration : ${gm.rekeysAfterRegistration}`,
      `    Number of Rekey Acks sent                    : ${gm.acksSent}`,
      '',
      'Rekey (KEK) SA information :',
      '          dst             src             conn-id  my-cookie  his-cookie',
      kekSaRow('New     ', gm.kek, dst(gm.kek), connId),
      // The source, taken before any rekey, fills New only; Current follows once a rekey has come [INF].
      kekSaRow('Current ', gm.rekeysAfterRegistration > 0 ? gm.kek : undefined, dst(gm.kek), connId),
      kekSaRow('Previous', gm.previousKek, dst(gm.previousKek), connId),
    ]);
  }
  return groups.map((g) => g.join('\n')).join('\n\n\n');
}

/** `show crypto isakmp sa`: phase-1 SAs, plus the GDOI_REKEY SA a group's KEK stands for. */
export function showCryptoIsakmpSa(router: Router): string {
  const row = (dst: number, src: number, state: string, connId: number): string =>
    `${formatIpv4(dst).padEnd(16)}${formatIpv4(src).padEnd(16)}${state.padEnd(15)}${String(connId).padStart(7)} ACTIVE`;
  const lines = ['IPv4 Crypto ISAKMP SA', 'dst             src             state          conn-id status'];
  for (const sa of ikeOf(router)?.sas ?? [])
    lines.push(row(sa.dst, sa.src, sa.state, sa.established ? sa.connId : 0));
  for (const ks of keyServersOf(router)) {
    if (ks.kek && ks.multicast) lines.push(row(ks.kek.destination, ks.kek.source, 'GDOI_REKEY', 0));
  }
  for (const gm of membersOf(router)) {
    if (gm.kek && gm.kek.destination !== 0)
      lines.push(row(gm.kek.destination, gm.kek.source, 'GDOI_REKEY', 0));
  }
  lines.push('', 'IPv6 Crypto ISAKMP SA', '');
  return lines.join('\n');
}

export async function showCryptoKeyMypubkeyRsa(router: Router, epochMs: number): Promise<string> {
  const g = gdoiOf(router);
  const out: string[] = [];
  for (const k of router.config.crypto.rsaKeys) {
    const key = await g?.rsaKey(k.label);
    if (!key) continue;
    const hex = toHex(key.spki).toUpperCase();
    const groups = hex.match(/.{1,8}/g) ?? [];
    const rows: string[] = [];
    for (let i = 0; i < groups.length; i += 8) rows.push(`  ${groups.slice(i, i + 8).join(' ')}`);
    const d = new Date(epochMs);
    const time = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
    const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
      d.getUTCMonth()
    ];
    out.push(
      `% Key pair was generated at: ${time} UTC ${month} ${d.getUTCDate()} ${d.getUTCFullYear()}`,
      `Key name: ${k.label}`,
      'Key type: RSA KEYS',
      ' Storage Device: not specified',
      ' Usage: General Purpose Key',
      ` Key is ${k.exportable ? '' : 'not '}exportable.`,
      ' Key Data:',
      ...rows,
    );
  }
  return out.join('\n');
}

/**
 * `crypto gdoi ks [group NAME] rekey`: every named (or every) key server group rekeys now. IOS prints nothing
 * on success (the KS's syslog shows the push); the error wordings are [M].
 */
async function triggerRekey(router: Router, group: string | undefined): Promise<string[]> {
  const groups = keyServersOf(router).filter((ks) => group === undefined || ks.name === group);
  if (groups.length === 0)
    return [
      group === undefined
        ? '% No key server group is configured'
        : `% Group ${group} is not a key server group`,
    ];
  const out: string[] = [];
  for (const ks of groups) {
    const r = await ks.triggerRekey();
    if (r === 'no-keys') out.push(`% Group ${ks.name} has no keys yet: no member has registered`);
    if (r === 'no-policy') out.push(`% Group ${ks.name} has no valid IPsec policy: no rekey sent`);
  }
  return out;
}

/**
 * `clear crypto gdoi [group NAME]`: a member deletes its keys and registers again at once; a key server
 * drops the group's keys and members (see GroupMember.clear and KeyServerGroup.clear for the sources).
 */
async function clearGdoi(router: Router, group: string | undefined): Promise<string[]> {
  const match = (name: string): boolean => group === undefined || name === group;
  const kss = keyServersOf(router).filter((k) => match(k.name));
  const gms = membersOf(router).filter((m) => match(m.name));
  if (group !== undefined && kss.length + gms.length === 0) return [`% Group ${group} not found`];
  for (const ks of kss) ks.clear();
  for (const gm of gms) await gm.clear('gdoi');
  return [];
}

/**
 * `clear crypto sa`: IPsec SAs are deleted. A GET VPN member's SAs are the group's TEKs, so it re-registers to
 * download them again (Cisco "GET VPN GM Removal and Policy Trigger", table 1; published IOS output shows
 * `%GDOI-4-GM_RE_REGISTER` right after the command).
 */
async function clearCryptoSa(router: Router): Promise<void> {
  for (const gm of membersOf(router)) await gm.clear('sa');
}

/**
 * `clear crypto isakmp`: every ISAKMP (phase 1) SA is deleted (IOS command reference: "clears active IKE
 * connections"). The GDOI_REKEY entry stands for the group's KEK, not an IKE SA, and stays.
 */
function clearCryptoIsakmp(router: Router): void {
  const ike = ikeOf(router);
  for (const sa of [...(ike?.sas ?? [])]) ike?.remove(sa);
}

const SHOW = { show: 'Show running system information', crypto: 'Encryption module' };
const GDOI_HELP = { ...SHOW, gdoi: 'Show crypto GDOI information' };

export const GDOI_COMMANDS: ExecCommand[] = [
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi',
    help: GDOI_HELP,
    run: (c) => c.out.push(showCryptoGdoi(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi gm',
    help: { ...GDOI_HELP, gm: 'Group Member information' },
    run: (c) => c.out.push(showCryptoGdoiGm(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi ks rekey',
    help: { ...GDOI_HELP, ks: 'Key Server information', rekey: 'Rekey information' },
    run: (c) => c.out.push(showCryptoGdoiKsRekey(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi ks policy',
    help: { ...GDOI_HELP, ks: 'Key Server information', policy: 'Key Server Policy information' },
    run: (c) => c.out.push(showCryptoGdoiKsPolicy(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi gm acl',
    help: { ...GDOI_HELP, gm: 'Group Member information', acl: 'Group Member ACL information' },
    run: (c) => c.out.push(showCryptoGdoiGmAcl(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi gm rekey',
    help: { ...GDOI_HELP, gm: 'Group Member information', rekey: 'Rekey information' },
    run: (c) => c.out.push(showCryptoGdoiGmRekey(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto gdoi ks members',
    help: { ...GDOI_HELP, ks: 'Key Server information', members: 'Group Member information' },
    run: (c) => c.out.push(showCryptoGdoiKsMembers(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'crypto gdoi ks [group <name:word>] rekey',
    help: {
      crypto: 'Encryption related commands.',
      gdoi: 'Group Domain of Interpretation',
      ks: 'Key Server commands',
      group: 'Specify group',
      name: 'Group name',
      rekey: 'Send a rekey to the group members now',
    },
    run: (c, m) => {
      c.pending = triggerRekey(c.router, optStrParam(m, 'name')).then((lines) => {
        c.out.push(...lines);
      });
    },
  },
  {
    modes: ['privileged'],
    syntax: 'clear crypto gdoi [group <name:word>]',
    help: {
      clear: 'Reset functions',
      crypto: 'Encryption module',
      gdoi: 'Clear GDOI information',
      group: 'Clear a particular group',
      name: 'Group name',
    },
    run: (c, m) => {
      c.pending = clearGdoi(c.router, optStrParam(m, 'name')).then((lines) => {
        c.out.push(...lines);
      });
    },
  },
  {
    modes: ['privileged'],
    syntax: 'clear crypto sa',
    help: { clear: 'Reset functions', crypto: 'Encryption module', sa: 'Clear all crypto SAs' },
    run: (c) => {
      c.pending = clearCryptoSa(c.router);
    },
  },
  {
    modes: ['privileged'],
    syntax: 'clear crypto isakmp',
    help: { clear: 'Reset functions', crypto: 'Encryption module', isakmp: 'Flush the ISAKMP database' },
    run: (c) => clearCryptoIsakmp(c.router),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto isakmp sa',
    help: { ...SHOW, isakmp: 'Show ISAKMP', sa: 'Show ISAKMP Security Associations' },
    run: (c) => c.out.push(showCryptoIsakmpSa(c.router)),
  },
  {
    modes: ['privileged'],
    syntax: 'show crypto key mypubkey rsa',
    help: {
      ...SHOW,
      key: 'Show long term public keys',
      mypubkey: 'Show public keys associated with this router',
      rsa: 'Show RSA public keys',
    },
    run: (c) => {
      c.pending = showCryptoKeyMypubkeyRsa(c.router, c.session.env.epochMs).then((text) => {
        c.out.push(text);
      });
    },
  },
];

const DEBUG_CRYPTO = { crypto: 'Cryptographic subsystem' };

export const GDOI_DEBUG_OPTIONS: DebugOption[] = [
  {
    words: 'crypto isakmp',
    flag: DEBUG_ISAKMP,
    title: 'Crypto ISAKMP',
    help: { ...DEBUG_CRYPTO, isakmp: 'ISAKMP Key Management' },
  },
  { words: 'crypto gdoi', flag: DEBUG_GDOI, title: 'GDOI', help: { ...DEBUG_CRYPTO, gdoi: 'Crypto GDOI' } },
  {
    words: 'crypto gdoi ks rekey',
    flag: DEBUG_GDOI_REKEY,
    title: 'GDOI KS Rekey',
    help: { ...DEBUG_CRYPTO, gdoi: 'Crypto GDOI', ks: 'Key Server', rekey: 'Rekey messages' },
  },
  {
    words: 'crypto gdoi gm rekey',
    flag: DEBUG_GDOI_REKEY,
    title: 'GDOI GM Rekey',
    help: { ...DEBUG_CRYPTO, gdoi: 'Crypto GDOI', gm: 'Group Member', rekey: 'Rekey messages' },
  },
];
