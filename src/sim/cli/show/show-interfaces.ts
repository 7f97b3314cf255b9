import type { InterfaceConfig } from '../../config/model';
import {
  fiveMinuteRates,
  type InterfaceCounters,
  zeroInterfaceCounters,
} from '../../device/interface-counters';
import { effectiveBandwidthDelay, interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';
import { formatIpv4, lengthFromMask } from '../../net/ipv4-address';
import { iosDuration } from '../ios-time';
import { iosInterfaceOrder } from './show-ip-interface-brief';

/**
 * `show interfaces [name]` in IOS 15's layout (Cisco IOS Interface and Hardware Component Command Reference,
 * "show interfaces" and "show interfaces tunnel"; published 15.x output of GRE and mGRE tunnels: "Tunnel
 * protocol/transport multi-GRE/IP", "Key 0x…, sequencing disabled", "Tunnel transport MTU 1472 bytes",
 * "Tunnel transmit bandwidth 8000 (kbps)", "Received 0 broadcasts (0 IP multicasts)"). Line state and
 * counters come from the running router.
 */
export function showInterfaces(router: Router, name?: string): string {
  if (name !== undefined) {
    const cfg = router.interfaceConfig(name);
    if (!cfg) return `                ^\n% Invalid input detected at '^' marker.`;
    return interfaceBlock(router, cfg).join('\n');
  }
  return iosInterfaceOrder(router)
    .flatMap((n) => interfaceBlock(router, router.interfaceConfig(n)!))
    .join('\n');
}

/** GRE header bytes: 4, plus 4 for the key and 4 for the checksum (RFC 2784 §2.1, RFC 2890 §2). */
function greHeaderBytes(cfg: InterfaceConfig): number {
  return 4 + (cfg.tunnel.key !== undefined ? 4 : 0);
}

/**
 * A tunnel's own MTU: IOS 15 shows "MTU 17916 bytes" on a GRE tunnel without a key (published `show
 * interfaces`
 * output of IOS 15 tunnels: "MTU 17916 bytes, BW 100 Kbit/sec, DLY 50000 usec") and 4 bytes less for each
 * optional GRE field.
 */
export function tunnelInterfaceMtu(cfg: InterfaceConfig): number {
  return 17916 - (greHeaderBytes(cfg) - 4);
}

/**
 * The largest passenger packet the transport carries whole: the source interface's 1500 bytes less the outer
 * IPv4 header (20) and the GRE header: 1476 without a key, 1472 with `tunnel key` (Cisco, "Resolve IPv4
 * Fragmentation, MTU, MSS, and PMTUD Issues with GRE and IPsec": GRE adds 24 bytes, the key 4 more).
 */
export function tunnelTransportMtu(cfg: InterfaceConfig): number {
  return 1500 - 20 - greHeaderBytes(cfg);
}

function interfaceMtu(cfg: InterfaceConfig): number {
  const kind = interfaceKind(cfg.name);
  if (kind === 'loopback') return 1514;
  if (kind === 'tunnel') return tunnelInterfaceMtu(cfg);
  return 1500;
}

function interfaceBlock(router: Router, cfg: InterfaceConfig): string[] {
  const state = router.interfaceState(cfg.name);
  const kind = interfaceKind(cfg.name);
  const { bandwidth, delayUsec } = effectiveBandwidthDelay(cfg);
  const lines = [`${cfg.name} is ${state.status}, line protocol is ${state.protocol} `];
  lines.push(`  Hardware is ${hardware(cfg.name, burnedInAddress(router.name, cfg.name))}`);
  if (cfg.description) lines.push(`  Description: ${cfg.description}`);
  if (cfg.address)
    lines.push(
      `  Internet address is ${formatIpv4(cfg.address.address)}/${lengthFromMask(cfg.address.mask) ?? 32}`,
    );
  lines.push(`  MTU ${interfaceMtu(cfg)} bytes, BW ${bandwidth} Kbit/sec, DLY ${delayUsec} usec, `);
  lines.push('     reliability 255/255, txload 1/255, rxload 1/255');
  if (kind === 'tunnel') lines.push(...tunnelLines(router, cfg));
  else if (kind === 'loopback')
    lines.push('  Encapsulation LOOPBACK, loopback not set', '  Keepalive set (10 sec)');
  else if (cfg.name.startsWith('Serial'))
    lines.push(
      '  Encapsulation HDLC, crc 16, loopback not set',
      '  Keepalive set (10 sec)',
      '  Restart-Delay is 0 secs',
    );
  else
    lines.push(
      '  Encapsulation ARPA, loopback not set',
      '  Keepalive set (10 sec)',
      ...(cfg.name.startsWith('FastEthernet') ? ['  Half-duplex, 100Mb/s, 100BaseTX/FX'] : []),
      '  ARP type: ARPA, ARP Timeout 04:00:00',
    );
  // GETLab's explanation for students (not an IOS line): why the line protocol is down.
  if (state.reason && state.protocol === 'down') lines.push(`  Line protocol is down: ${state.reason}`);
  const c = router.counters.get(cfg.name) ?? zeroInterfaceCounters();
  lines.push(...counterLines(router, cfg, c));
  return lines;
}

/** Time since a packet, IOS style: `00:00:02`, `1d02h`, or `never`. */
function since(router: Router, t: number | undefined): string {
  return t === undefined ? 'never' : iosDuration(router.kernel.now - t);
}

function counterLines(router: Router, cfg: InterfaceConfig, c: InterfaceCounters): string[] {
  const physical = interfaceKind(cfg.name) === 'physical';
  // An Ethernet port (DEC21140 / i82543 on the 7200) adds its MAC-level error lines.
  const ethernet = physical && !cfg.name.startsWith('Serial');
  const rate = fiveMinuteRates(c, router.kernel.now);
  const lines = [
    `  Last input ${since(router, c.lastInput)}, output ${since(router, c.lastOutput)}, output hang never`,
    '  Last clearing of "show interface" counters never',
    `  Input queue: 0/75/${c.inputDrops}/0 (size/max/drops/flushes); Total output drops: ${c.outputDrops}`,
    '  Queueing strategy: fifo',
    `  Output queue: 0/${physical ? 40 : 0} (size/max)`,
    `  5 minute input rate ${rate.bitsIn} bits/sec, ${rate.packetsIn} packets/sec`,
    `  5 minute output rate ${rate.bitsOut} bits/sec, ${rate.packetsOut} packets/sec`,
    `     ${c.packetsIn} packets input, ${c.bytesIn} bytes, 0 no buffer`,
    `     Received ${c.broadcastsIn} broadcasts (${c.multicastsIn} IP multicasts)`,
    '     0 runts, 0 giants, 0 throttles ',
    ...(ethernet
      ? [
          '     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored',
          '     0 watchdog',
          '     0 input packets with dribble condition detected',
        ]
      : ['     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored, 0 abort']),
    `     ${c.packetsOut} packets output, ${c.bytesOut} bytes, 0 underruns`,
    '     0 output errors, 0 collisions, 0 interface resets',
    '     0 unknown protocol drops',
    ...(ethernet
      ? ['     0 babbles, 0 late collision, 0 deferred', '     0 lost carrier, 0 no carrier']
      : []),
    '     0 output buffer failures, 0 output buffers swapped out',
  ];
  if (cfg.name.startsWith('Serial')) {
    lines.push('     0 carrier transitions     DCD=up  DSR=up  DTR=up  RTS=up  CTS=up');
  }
  return lines;
}

function hardware(name: string, mac: string): string {
  if (name.startsWith('Loopback')) return 'Loopback';
  if (name.startsWith('Tunnel')) return 'Tunnel';
  if (name.startsWith('Serial')) return 'M4T';
  if (name.startsWith('GigabitEthernet')) return `i82543 (Livengood), address is ${mac} (bia ${mac})`;
  return `DEC21140, address is ${mac} (bia ${mac})`;
}

/**
 * A burned-in MAC address per router and port, in the `caXX.XXXX.SSPP` form emulated 7200s show: fixed for a
 * device (derived from its name with FNV-1a, so the same lab prints the same addresses) and distinct per port.
 */
export function burnedInAddress(device: string, ifName: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < device.length; i++) h = Math.imul(h ^ device.charCodeAt(i), 0x01000193) >>> 0;
  const [slot = 0, port = 0] = (/(\d+)\/(\d+)/.exec(ifName) ?? []).slice(1).map(Number);
  const hex = (n: number, w: number): string => n.toString(16).padStart(w, '0').slice(-w);
  return `ca${hex(h >>> 24, 2)}.${hex(h & 0xffff, 4)}.${hex(slot, 2)}${hex(port, 2)}`;
}

function tunnelLines(router: Router, cfg: InterfaceConfig): string[] {
  const t = cfg.tunnel;
  const lines = ['  Encapsulation TUNNEL, loopback not set', '  Keepalive not set'];
  const linestate = tunnelLinestate(router, cfg);
  if (linestate) lines.push(`  Tunnel linestate evaluation ${linestate}`);
  const src = t.source;
  if (!src) lines.push('  Tunnel source UNKNOWN');
  else if (src.kind === 'address') lines.push(`  Tunnel source ${formatIpv4(src.address)}`);
  else {
    const exists = router.interfaceConfig(src.name);
    const address = router.interfaceAddress(src.name);
    if (!exists) lines.push(`  Tunnel source ${src.name} (interface does not exist)`);
    else
      lines.push(`  Tunnel source ${address !== undefined ? formatIpv4(address) : 'UNKNOWN'} (${src.name})`);
  }
  if (t.destination !== undefined) lines[lines.length - 1] += `, destination ${formatIpv4(t.destination)}`;
  lines.push(`  Tunnel protocol/transport ${t.mode === 'gre-multipoint' ? 'multi-GRE/IP' : 'GRE/IP'}`);
  if (t.key !== undefined) lines.push(`    Key 0x${t.key.toString(16).toUpperCase()}, sequencing disabled`);
  else lines.push('    Key disabled, sequencing disabled');
  lines.push(
    '    Checksumming of packets disabled',
    '  Tunnel TTL 255, Fast tunneling enabled',
    `  Tunnel transport MTU ${tunnelTransportMtu(cfg)} bytes`,
    '  Tunnel transmit bandwidth 8000 (kbps)',
    '  Tunnel receive bandwidth 8000 (kbps)',
  );
  return lines;
}

/**
 * IOS 15's "Tunnel linestate evaluation" line: `up`, or `down - <why>`. Published output gives "down - no
 * IPv4 tunnel source address" for a tunnel whose source has no address; GETLab prints it when the source
 * address cannot be had (no source, a source interface without an address or that the router does not have).
 * genieparser's golden `show interfaces` output (CiscoTestAutomation/genieparser, src/genie/libs/parser/iosxe/
 * tests/ShowInterfaces/cli/equal/golden_interface_output_10_output.txt) gives two more: "down - no IPv4 tunnel
 * destination address" (Tunnel4, GRE/IP with a source and no destination) and "down - no output interface"
 * (Tunnel10, Tunnel5: a destination the router has no route to). The line is left out for the other down
 * reasons (a source interface that is down, the recursive-routing hold-down), whose wording has no source.
 */
function tunnelLinestate(router: Router, cfg: InterfaceConfig): string | undefined {
  if (cfg.shutdown) return undefined;
  const src = cfg.tunnel.source;
  const address = !src ? undefined : src.kind === 'address' ? src.address : router.interfaceAddress(src.name);
  if (address === undefined) return 'down - no IPv4 tunnel source address';
  if (router.isUp(cfg.name)) return 'up';
  if (cfg.tunnel.mode !== 'gre-ip' || (src?.kind === 'interface' && !router.isUp(src.name))) return undefined;
  if (cfg.tunnel.destination === undefined) return 'down - no IPv4 tunnel destination address';
  return router.rib.resolve(cfg.tunnel.destination) ? undefined : 'down - no output interface';
}
