/**
 * `show crypto session [detail]` for GET VPN group members, in IOS 15's layout (Cisco IOS Security Command
 * Reference, "show crypto session"; published 15.x output):
 *   Crypto session current status
 *
 *   Interface: GigabitEthernet1/0
 *   Uptime: 00:11:11                                       (detail)
 *   Session status: UP-ACTIVE
 *   Peer: 20.20.20.20 port 500 fvrf: (none) ivrf: (none)   (detail adds fvrf/ivrf, Phase1_id, Desc)
 *     Session ID: 0
 *     IKEv1 SA: local 10.10.10.10/500 remote 20.20.20.20/500 Active
 *             Capabilities:(none) connid:1012 lifetime:14:10:23   (detail)
 *     IPSEC FLOW: permit ip 192.168.1.0/255.255.255.0 172.16.0.0/255.255.255.0
 *           Active SAs: 2, origin: crypto map
 *           Inbound:  #pkts dec'ed 25 drop 0 life (KB/Sec) 3458240/1743   (detail)
 *           Outbound: #pkts enc'ed 25 drop 0 life (KB/Sec) 3458240/1743  (detail)
 * A GET VPN session's peer is the key server on UDP 848; its SAs have no volume lifetime, which IOS prints as
 * "KB Vol Rekey Disabled". Statuses (command reference): UP-ACTIVE (IKE SA and IPsec SAs up), UP-NO-IKE
 * (IPsec SAs without an IKE SA), UP-IDLE (IKE SA, no IPsec SA), DOWN-NEGOTIATING, DOWN.
 */
import type { ExtendedAce } from '../../config/model';
import type { Router } from '../../device/router';
import { formatIpv4 } from '../../net/ipv4-address';
import { iosDuration } from '../../cli/ios-time';
import { gdoiOf } from '../gdoi/gdoi-service';
import { ikeOf } from '../ike/ike-service';
import type { GroupMember } from '../gdoi/gm';
import type { IkeSa } from '../ike/ike-sa';
import { aceProtocolNumber } from './acl-match';
import { type ActiveEntry, espOf } from './esp-service';

const GDOI_PORT = 848;

const DETAIL_LEGEND = [
  'Code: C - IKE Configuration mode, D - Dead Peer Detection',
  'K - Keepalives, N - NAT-traversal, T - cTCP encapsulation',
  'X - IKE Extended Authentication, F - IKE Fragmentation',
];

export function showCryptoSession(router: Router, detail = false): string {
  const lines = ['Crypto session current status', ''];
  if (detail) lines.push(...DETAIL_LEGEND, '');
  // Without GDOI or IKE configured there is no group member and no IKE SA: just the header, as IOS prints.
  const ike = ikeOf(router);
  const covered = new Set<IkeSa>();
  for (const gm of gdoiOf(router)?.members.values() ?? []) {
    const sa = ike?.findEstablished(gm.binding.local, gm.binding.server);
    if (sa) covered.add(sa);
    for (const ifName of cryptoMapInterfaces(router, gm.binding.cryptoMap)) {
      lines.push(...memberSession(router, gm, ifName, sa, detail), '');
    }
  }
  // IKE SAs no group member owns: the key server's registrations from its members.
  for (const sa of ike?.sas ?? []) {
    if (!sa.established || covered.has(sa)) continue;
    lines.push(...ikeOnlySession(router, sa, detail), '');
  }
  return lines.join('\n').trimEnd();
}

function cryptoMapInterfaces(router: Router, mapName: string): string[] {
  return router.config.interfaces.filter((i) => i.cryptoMap === mapName).map((i) => i.name);
}

function memberSession(
  router: Router,
  gm: GroupMember,
  ifName: string,
  sa: IkeSa | undefined,
  detail: boolean,
): string[] {
  const now = router.kernel.now;
  const entries = (espOf(router)?.interfaceCryptoMap(ifName)?.entries ?? []).filter(
    (e) => e.group === gm.binding.group,
  );
  const activeSas = entries.reduce((n, e) => n + activeSaCount(router, e), 0);
  const status = sa
    ? activeSas > 0
      ? 'UP-ACTIVE'
      : 'UP-IDLE'
    : activeSas > 0
      ? 'UP-NO-IKE'
      : gm.status === 'Registering'
        ? 'DOWN-NEGOTIATING'
        : 'DOWN';
  const lines = [`Interface: ${ifName}`];
  if (detail) {
    const since = gm.registeredAt ?? sa?.establishedAt;
    lines.push(`Uptime: ${since !== undefined ? iosDuration(now - since) : '00:00:00'}`);
  }
  lines.push(`Session status: ${status}`);
  lines.push(...peerLines(gm.binding.server, detail));
  if (sa) lines.push(...ikeLines(router, sa, detail));
  for (const e of entries) lines.push(...flowLines(router, ifName, e, detail));
  return lines;
}

function ikeOnlySession(router: Router, sa: IkeSa, detail: boolean): string[] {
  const ifName = router.rib.resolve(sa.peer)?.interface ?? 'unknown';
  const lines = [`Interface: ${ifName}`];
  if (detail) lines.push(`Uptime: ${iosDuration(router.kernel.now - (sa.establishedAt ?? sa.createdAt))}`);
  lines.push('Session status: UP-IDLE', ...peerLines(sa.peer, detail), ...ikeLines(router, sa, detail));
  return lines;
}

function peerLines(peer: number, detail: boolean): string[] {
  if (!detail) return [`Peer: ${formatIpv4(peer)} port ${GDOI_PORT}`];
  return [
    `Peer: ${formatIpv4(peer)} port ${GDOI_PORT} fvrf: (none) ivrf: (none)`,
    `      Phase1_id: ${formatIpv4(peer)}`,
    '      Desc: (none)',
  ];
}

function ikeLines(router: Router, sa: IkeSa, detail: boolean): string[] {
  const lines = [
    '  Session ID: 0',
    `  IKEv1 SA: local ${formatIpv4(sa.local)}/${sa.port} remote ${formatIpv4(sa.peer)}/${sa.port} Active`,
  ];
  if (detail) {
    const lifetime = sa.policy?.lifetime ?? 86400;
    const left = lifetime * 1_000_000 - (router.kernel.now - (sa.establishedAt ?? sa.createdAt));
    lines.push(`          Capabilities:(none) connid:${sa.connId} lifetime:${hms(left)}`);
  }
  return lines;
}

/** `14:10:23`: hours may exceed 24, as IOS prints an IKE lifetime. */
function hms(us: number): string {
  const total = Math.max(0, Math.floor(us / 1_000_000));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(total / 3600))}:${p(Math.floor((total % 3600) / 60))}:${p(total % 60)}`;
}

/** Inbound SAs for every live TEK and the outbound SA of the current one. */
function activeSaCount(router: Router, e: ActiveEntry): number {
  const now = router.kernel.now;
  const live = e.policy.teks.filter((t) => now < t.expiresAt).length;
  return live + (espOf(router)?.currentTek(e.policy) ? 1 : 0);
}

function flowLines(router: Router, ifName: string, e: ActiveEntry, detail: boolean): string[] {
  const esp = espOf(router);
  if (!esp) return [];
  const active = activeSaCount(router, e);
  const current = esp.currentTek(e.policy);
  const remaining = current
    ? Math.max(0, Math.floor((current.expiresAt - router.kernel.now) / 1_000_000))
    : 0;
  const c = esp.countersOf(ifName, esp.interfaceCryptoMap(ifName)!.map.name, e.group);
  const lines: string[] = [];
  for (const ace of e.policy.acl.filter((a) => a.action === 'permit')) {
    lines.push(`  IPSEC FLOW: ${flowText(ace)}`, `        Active SAs: ${active}, origin: crypto map`);
    if (!detail) continue;
    lines.push(
      `        Inbound:  #pkts dec'ed ${c.decrypt} drop ${c.recvErrors} life (KB/Sec) KB Vol Rekey Disabled/${remaining}`,
      `        Outbound: #pkts enc'ed ${c.encrypt} drop ${c.sendErrors} life (KB/Sec) KB Vol Rekey Disabled/${remaining}`,
    );
  }
  return lines;
}

/** `permit ip 192.168.0.0/255.255.0.0 192.168.0.0/255.255.0.0`, `permit 47 host 10.0.0.1 host 10.0.0.2`. */
function flowText(ace: ExtendedAce): string {
  const proto = ace.protocol === 'ip' ? 'ip' : String(aceProtocolNumber(ace.protocol) ?? ace.protocol);
  const side = (a: ExtendedAce['source']): string => {
    const mask = ~a.wildcard >>> 0;
    return a.wildcard === 0
      ? `host ${formatIpv4(a.address)}`
      : `${formatIpv4(a.address & mask)}/${formatIpv4(mask)}`;
  };
  return `${ace.action} ${proto} ${side(ace.source)} ${side(ace.destination)}`;
}
