import type { InterfaceConfig } from '../../config/model';
import { effectiveBandwidthDelay, interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';
import { formatIpv4, lengthFromMask } from '../../net/ipv4-address';
import { iosInterfaceOrder } from './show-ip-interface-brief';

/** `show interfaces [name]` in IOS layout; line state and counters come from the running router. */
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

function interfaceBlock(router: Router, cfg: InterfaceConfig): string[] {
  const state = router.interfaceState(cfg.name);
  const kind = interfaceKind(cfg.name);
  const { bandwidth, delayUsec } = effectiveBandwidthDelay(cfg);
  const lines = [`${cfg.name} is ${state.status}, line protocol is ${state.protocol} `];
  lines.push(`  Hardware is ${hardware(cfg.name)}`);
  if (cfg.description) lines.push(`  Description: ${cfg.description}`);
  if (cfg.address)
    lines.push(
      `  Internet address is ${formatIpv4(cfg.address.address)}/${lengthFromMask(cfg.address.mask) ?? 32}`,
    );
  const mtu = kind === 'loopback' ? 1514 : kind === 'tunnel' ? 17912 : 1500;
  lines.push(`  MTU ${mtu} bytes, BW ${bandwidth} Kbit/sec, DLY ${delayUsec} usec, `);
  lines.push('     reliability 255/255, txload 1/255, rxload 1/255');
  if (kind === 'tunnel') lines.push(...tunnelLines(router, cfg));
  else if (kind === 'loopback')
    lines.push('  Encapsulation LOOPBACK, loopback not set', '  Keepalive set (10 sec)');
  else if (cfg.name.startsWith('Serial'))
    lines.push('  Encapsulation HDLC, crc 16, loopback not set', '  Keepalive set (10 sec)');
  else lines.push('  Encapsulation ARPA, loopback not set', '  Keepalive set (10 sec)');
  if (state.reason && state.protocol === 'down') lines.push(`  Line protocol is down: ${state.reason}`);
  const c = router.counters.get(cfg.name) ?? { in: 0, out: 0, drops: 0 };
  lines.push(
    `  Input queue: 0/75/${c.drops}/0 (size/max/drops/flushes); Total output drops: 0`,
    '  5 minute input rate 0 bits/sec, 0 packets/sec',
    '  5 minute output rate 0 bits/sec, 0 packets/sec',
    `     ${c.in} packets input`,
    `     ${c.out} packets output`,
  );
  return lines;
}

function hardware(name: string): string {
  if (name.startsWith('Loopback')) return 'Loopback';
  if (name.startsWith('Tunnel')) return 'Tunnel';
  if (name.startsWith('Serial')) return 'M4T';
  if (name.startsWith('GigabitEthernet'))
    return 'i82543 (Livengood), address is ca01.0000.0000 (bia ca01.0000.0000)';
  return 'DEC21140, address is ca01.0000.0000 (bia ca01.0000.0000)';
}

function tunnelLines(router: Router, cfg: InterfaceConfig): string[] {
  const t = cfg.tunnel;
  const lines = ['  Encapsulation TUNNEL, loopback not set', '  Keepalive not set'];
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
    '  Tunnel transport MTU 1476 bytes',
  );
  return lines;
}
