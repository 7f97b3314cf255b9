import type { Router } from '../device/router';

/**
 * How each interface got its address, for the Method column of `show ip interface brief` (Cisco IOS IP
 * Addressing Services Command Reference, "show ip interface", brief field descriptions: "NVRAM" for an
 * address read from the startup configuration, "manual" for one typed at the command line, "unset" for none).
 * Addresses from the scenario are NVRAM; a console session marks the ones it changes, on the router
 * (`router.addressesTypedAtConsole`), so a checkpoint's copy of the router keeps them.
 */

/** Each interface's address before a configuration line runs, to see what the line changed. */
export function addressSnapshot(router: Router): Map<string, string> {
  const snap = new Map<string, string>();
  for (const i of router.config.interfaces) {
    snap.set(i.name, i.address ? `${i.address.address}/${i.address.mask}` : '');
  }
  return snap;
}

/** Marks the interfaces whose address the line just run changed. */
export function noteConsoleAddresses(router: Router, before: Map<string, string>): void {
  const after = addressSnapshot(router);
  for (const [name, address] of after) {
    if (before.get(name) !== address) router.addressesTypedAtConsole.add(name);
  }
}

/** `NVRAM`, `manual` or `unset`. */
export function addressMethod(router: Router, ifName: string, hasAddress: boolean): string {
  if (!hasAddress) return 'unset';
  return router.addressesTypedAtConsole.has(ifName) ? 'manual' : 'NVRAM';
}
