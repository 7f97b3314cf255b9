/**
 * `show crypto ipsec sa [detail]` in IOS 15 layout for GET VPN members: one block per interface carrying a
 * crypto map, one flow per gdoi entry with an installed policy (identified by the first permit ACE of the
 * downloaded ACL), the group SA listed as inbound (every live TEK) and outbound (the current TEK).
 */
import type { CommandMatch } from '../../config/grammar';
import type { ExtendedAce } from '../../config/model';
import type { Router } from '../../device/router';
import type { ExecCommand } from '../../cli/exec-types';
import { formatIpv4 } from '../../net/ipv4-address';
import { icvLength, ivLength } from '../../net/esp';
import { aceProtocolNumber } from './acl-match';
import type { ActiveEntry, EspCounters, EspService } from './esp-service';
import { espOf, spiIos } from './esp-service';
import { showCryptoSession } from './crypto-session';
import type { GroupTek } from './group-policy';
import { saKeysOf, transformText } from './transform';

const DEFAULT_MTU = 1500;

function ident(ace: ExtendedAce | undefined, side: 'source' | 'destination'): string {
  if (!ace) return '(0.0.0.0/0.0.0.0/0/0)';
  const a = ace[side];
  const port = (side === 'source' ? ace.sourcePort : ace.destinationPort)?.ports[0] ?? 0;
  const mask = ~a.wildcard >>> 0;
  return `(${formatIpv4(a.address & mask)}/${formatIpv4(mask)}/${aceProtocolNumber(ace.protocol) ?? 0}/${port})`;
}

function counterLines(c: Readonly<EspCounters>, detail: boolean): string[] {
  const lines = [
    `    #pkts encaps: ${c.encaps}, #pkts encrypt: ${c.encrypt}, #pkts digest: ${c.digest}`,
    `    #pkts decaps: ${c.decaps}, #pkts decrypt: ${c.decrypt}, #pkts verify: ${c.verify}`,
    '    #pkts compressed: 0, #pkts decompressed: 0',
    '    #pkts not compressed: 0, #pkts compr. failed: 0',
    '    #pkts not decompressed: 0, #pkts decompress failed: 0',
  ];
  if (!detail) return [...lines, `    #send errors ${c.sendErrors}, #recv errors ${c.recvErrors}`];
  return [
    ...lines,
    `    #pkts no sa (send) ${c.noSaSend}, #pkts invalid sa (rcv) ${c.invalidSaRecv}`,
    `    #pkts encaps failed (send) 0, #pkts decap failed (rcv) ${c.decapFailed}`,
    `    #pkts invalid prot (recv) 0, #pkts verify failed: ${c.verifyFailed}`,
    `    #pkts invalid identity (recv) ${c.invalidIdentity}, #pkts invalid len (rcv) 0`,
    '    #pkts replay rollover (send): 0, #pkts replay rollover (rcv): 0',
    `    ##pkts replay failed (rcv): ${c.replayFailed}`,
    '    #pkts tagged (send): 0, #pkts untagged (rcv): 0',
    '    #pkts not tagged (send): 0, #pkts not untagged (rcv): 0',
    '    #pkts internal err (send): 0, #pkts internal err (recv) 0',
  ];
}

function saLines(
  esp: EspService,
  tek: GroupTek,
  direction: 'inbound' | 'outbound',
  mapName: string,
): string[] {
  const now = esp.router.kernel.now;
  const ids = esp.saIds(tek.spi);
  const conn = (direction === 'inbound' ? ids?.inbound : ids?.outbound) ?? 0;
  const remaining = Math.max(0, Math.floor((tek.expiresAt - now) / 1_000_000));
  const replay = tek.replay
    ? `        replay detection support: Y  replay window size: ${tek.replay.windowSize}`
    : '        replay detection support: N';
  return [
    `      spi: ${spiIos(tek.spi)}`,
    `        transform: ${transformText(tek.transform)} ,`,
    '        in use settings ={Tunnel, }',
    `        conn id: ${conn}, flow_id: SW:${conn - 2000}, sibling_flags 80000040, crypto map: ${mapName}`,
    `        sa timing: remaining key lifetime (sec): (${remaining})`,
    '        Kilobyte Volume Rekey has been disabled',
    `        IV size: ${ivLength(saKeysOf(tek).cipher)} bytes`,
    replay,
    '        Status: ACTIVE(ACTIVE)',
    '',
  ];
}

/** Plaintext MTU: path MTU minus the worst-case ESP overhead (header, IV, padding, trailer, ICV). */
function plaintextMtu(mtu: number, tek: GroupTek | undefined): number {
  if (!tek) return mtu;
  const sa = saKeysOf(tek);
  const iv = ivLength(sa.cipher);
  return mtu - (8 + iv + (iv - 1) + 2 + icvLength(sa.auth));
}

function flowLines(
  router: Router,
  ifName: string,
  mapName: string,
  local: string,
  e: ActiveEntry,
  detail: boolean,
): string[] {
  const esp = espOf(router);
  if (!esp) return [];
  const now = router.kernel.now;
  const ace = e.policy.acl.find((a) => a.action === 'permit');
  const live = e.policy.teks.filter((t) => now < t.expiresAt);
  const current = esp.currentTek(e.policy);
  const mtu = router.interfaceConfig(ifName)?.ipMtu ?? DEFAULT_MTU;
  return [
    '',
    '   protected vrf: (none)',
    `   local  ident (addr/mask/prot/port): ${ident(ace, 'source')}`,
    `   remote ident (addr/mask/prot/port): ${ident(ace, 'destination')}`,
    `   Group: ${e.group}`,
    '   current_peer 0.0.0.0 port 848',
    '     PERMIT, flags={origin_is_acl,}',
    ...counterLines(esp.countersOf(ifName, mapName, e.group), detail),
    '',
    `     local crypto endpt.: ${local}, remote crypto endpt.: 0.0.0.0`,
    `     plaintext mtu ${plaintextMtu(mtu, current)}, path mtu ${mtu}, ip mtu ${mtu}, ip mtu idb ${ifName}`,
    `     current outbound spi: ${current ? spiIos(current.spi) : '0x0(0)'}`,
    '     PFS (Y/N): N, DH group: none',
    '',
    '     inbound esp sas:',
    ...live.flatMap((t) => saLines(esp, t, 'inbound', mapName)),
    '     inbound ah sas:',
    '',
    '     inbound pcp sas:',
    '',
    '     outbound esp sas:',
    ...(current ? saLines(esp, current, 'outbound', mapName) : []),
    '     outbound ah sas:',
    '',
    '     outbound pcp sas:',
  ];
}

export function showCryptoIpsecSa(router: Router, detail = false): string {
  const esp = espOf(router);
  const blocks: string[] = [];
  for (const iface of router.config.interfaces) {
    const active = esp?.interfaceCryptoMap(iface.name);
    if (!active) continue;
    const localIf = active.map.localAddress;
    const address =
      (localIf !== undefined ? router.interfaceAddress(localIf) : undefined) ??
      router.interfaceAddress(iface.name) ??
      0;
    const local = formatIpv4(address);
    const lines = [
      '',
      `interface: ${iface.name}`,
      `    Crypto map tag: ${active.map.name}, local addr ${local}`,
    ];
    for (const e of active.entries)
      lines.push(...flowLines(router, iface.name, active.map.name, local, e, detail));
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n');
}

const HELP = {
  show: 'Show running system information',
  crypto: 'Encryption module',
  ipsec: 'Show IPSEC policy',
  sa: 'IPSEC SA table',
  detail: 'detailed SA information',
};

/** EXEC commands of the ESP module, appended to EXEC_COMMANDS. */
export const ESP_COMMANDS: ExecCommand[] = [
  {
    modes: ['user', 'privileged'],
    syntax: 'show crypto ipsec sa [detail]',
    help: HELP,
    run: (c, m: CommandMatch) => c.out.push(showCryptoIpsecSa(c.router, m.has('detail'))),
  },
  {
    modes: ['user', 'privileged'],
    syntax: 'show crypto session [detail]',
    help: {
      show: HELP.show,
      crypto: HELP.crypto,
      session: 'Show crypto sessions (tunnels)',
      detail: 'Show detailed crypto session information',
    },
    run: (c, m: CommandMatch) => c.out.push(showCryptoSession(c.router, m.has('detail'))),
  },
];
