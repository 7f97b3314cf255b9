import { compareInterfaceNames } from '../../config/interface-names';
import type { Router } from '../../device/router';
import { formatIpv4 } from '../../net/ipv4-address';
import { addressMethod } from '../address-method';

/** Physical interfaces first, then loopbacks and tunnels (IOS lists by ifIndex, which is creation order). */
export function iosInterfaceOrder(router: Router): string[] {
  const names = router.config.interfaces.map((i) => i.name);
  const virtual = (n: string): boolean => n.startsWith('Loopback') || n.startsWith('Tunnel');
  return [
    ...names.filter((n) => !virtual(n)).sort(compareInterfaceNames),
    ...names.filter(virtual).sort(compareInterfaceNames),
  ];
}

/** `show ip interface brief` in IOS 15 columns. */
export function showIpInterfaceBrief(router: Router): string {
  const lines = ['Interface                  IP-Address      OK? Method Status                Protocol'];
  for (const name of iosInterfaceOrder(router)) {
    const cfg = router.interfaceConfig(name)!;
    const state = router.interfaceState(name);
    const address = cfg.address ? formatIpv4(cfg.address.address) : 'unassigned';
    lines.push(
      `${name.padEnd(27)}${address.padEnd(16)}YES ${addressMethod(router, name, cfg.address !== undefined).padEnd(7)}${state.status.padEnd(22)}${state.protocol}`,
    );
  }
  return lines.join('\n');
}
