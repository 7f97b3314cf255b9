import type { InterfaceConfig } from '../../config/model';
import { interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';
import { formatIpv4, lengthFromMask } from '../../net/ipv4-address';
import { eigrpInterfaceNames } from '../../protocols/eigrp/eigrp-process';
import { tunnelTransportMtu } from './show-interfaces';
import { addressMethod } from '../address-method';
import { iosInterfaceOrder } from './show-ip-interface-brief';

/**
 * `show ip interface [name]` in IOS 15's layout (Cisco IOS IP Addressing Services Command Reference,
 * "show ip interface", sample output and field table: "Internet address is …", "Broadcast address is …",
 * "Address determined by non-volatile memory", "MTU is … bytes", "Multicast reserved groups joined: …",
 * "Outgoing access list is not set", "Split horizon is enabled", "IP CEF switching is enabled" …). An
 * interface without an address prints "Internet protocol processing disabled".
 */
export function showIpInterface(router: Router, name?: string): string {
  if (name !== undefined) {
    const cfg = router.interfaceConfig(name);
    if (!cfg) return `                   ^\n% Invalid input detected at '^' marker.`;
    return ipInterfaceBlock(router, cfg).join('\n');
  }
  return iosInterfaceOrder(router)
    .flatMap((n) => ipInterfaceBlock(router, router.interfaceConfig(n)!))
    .join('\n');
}

function ipInterfaceBlock(router: Router, cfg: InterfaceConfig): string[] {
  const state = router.interfaceState(cfg.name);
  const head = `${cfg.name} is ${state.status}, line protocol is ${state.protocol}`;
  if (!cfg.address) return [head, '  Internet protocol processing disabled'];
  const groups = reservedGroups(router, cfg);
  return [
    head,
    `  Internet address is ${formatIpv4(cfg.address.address)}/${lengthFromMask(cfg.address.mask) ?? 32}`,
    '  Broadcast address is 255.255.255.255',
    addressMethod(router, cfg.name, true) === 'manual'
      ? '  Address determined by configuration command'
      : '  Address determined by non-volatile memory',
    `  MTU is ${ipMtu(cfg)} bytes`,
    '  Helper address is not set',
    '  Directed broadcast forwarding is disabled',
    ...(groups.length > 0 ? [`  Multicast reserved groups joined: ${groups.join(' ')}`] : []),
    '  Outgoing access list is not set',
    '  Inbound  access list is not set',
    // `ip proxy-arp` is on by default on every interface (Cisco IP Addressing Services, "ip proxy-arp").
    '  Proxy ARP is enabled',
    '  Local Proxy ARP is disabled',
    '  Security level is default',
    '  Split horizon is enabled',
    '  ICMP redirects are always sent',
    '  ICMP unreachables are always sent',
    '  ICMP mask replies are never sent',
    '  IP fast switching is enabled',
    '  IP fast switching on the same interface is disabled',
    '  IP Flow switching is disabled',
    '  IP CEF switching is enabled',
    '  IP CEF switching turbo vector',
    `  IP multicast fast switching is ${router.config.multicastRouting ? 'enabled' : 'disabled'}`,
    '  IP multicast distributed fast switching is disabled',
    '  IP route-cache flags are Fast, CEF',
    '  Router Discovery is disabled',
    '  IP output packet accounting is disabled',
    '  IP access violation accounting is disabled',
    '  TCP/IP header compression is disabled',
    '  RTP/IP header compression is disabled',
    '  Policy routing is disabled',
    '  Network address translation is disabled',
    '  BGP Policy Mapping is disabled',
    '  Input features: MCI Check',
    '  IPv4 WCCP Redirect outbound is disabled',
    '  IPv4 WCCP Redirect inbound is disabled',
    '  IPv4 WCCP Redirect exclude is disabled',
  ];
}

/** The IP MTU: `ip mtu`, else the hardware MTU (a loopback's 1514, a tunnel's transport MTU). */
function ipMtu(cfg: InterfaceConfig): number {
  if (cfg.ipMtu !== undefined) return cfg.ipMtu;
  const kind = interfaceKind(cfg.name);
  if (kind === 'tunnel') return tunnelTransportMtu(cfg);
  return kind === 'loopback' ? 1514 : 1500;
}

/**
 * Link-local groups the interface listens to, in the order IOS lists them for a PIM and EIGRP interface:
 * all-systems 224.0.0.1, all-routers 224.0.0.2, IGMPv3 reports 224.0.0.22, ALL-PIM-ROUTERS 224.0.0.13
 * (RFC 7761 §4.3.1), EIGRP 224.0.0.10 (RFC 7868 §5.2).
 */
function reservedGroups(router: Router, cfg: InterfaceConfig): string[] {
  const groups: string[] = [];
  if (router.config.multicastRouting && cfg.pim.mode !== undefined) {
    groups.push('224.0.0.1', '224.0.0.2', '224.0.0.22', '224.0.0.13');
  }
  if (router.config.eigrp.some((p) => eigrpInterfaceNames(p, [cfg]).length > 0)) groups.push('224.0.0.10');
  return groups;
}
