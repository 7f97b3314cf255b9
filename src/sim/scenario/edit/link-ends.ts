/** A scenario link's ends read as the lab reads them (`"GM-1 Se1/0"`: device, then interface in any spelling). */
import { canonicalInterfaceName } from '../../config/interface-names';
import type { Scenario, ScenarioLink } from '../schema';
import type { InterfaceRef } from './edit-ops';

/** `"<device> <interface>"` as device and canonical interface; undefined when it does not read. */
export function linkEnd(text: string): InterfaceRef | undefined {
  const m = /^\s*(\S+)\s+(.+?)\s*$/.exec(text);
  if (!m) return undefined;
  const iface = canonicalInterfaceName((m[2] ?? '').replace(/\s+/g, ''));
  return iface ? { device: m[1] ?? '', interface: iface } : undefined;
}

/** True when the link has this end. */
export function linkHasEnd(link: ScenarioLink, end: InterfaceRef): boolean {
  return [link.a, link.b].some((t) => {
    const e = linkEnd(t);
    return e !== undefined && e.device === end.device && e.interface === end.interface;
  });
}

/** The interfaces of `device` that links use (canonical names). */
export function linkedInterfaces(scenario: Scenario, device: string): Set<string> {
  const out = new Set<string>();
  for (const l of scenario.links) {
    for (const t of [l.a, l.b]) {
      const e = linkEnd(t);
      if (e?.device === device) out.add(e.interface);
    }
  }
  return out;
}

/** The device at a link's other end from `device`, when the link touches it. */
export function otherDevice(link: ScenarioLink, device: string): string | undefined {
  const a = linkEnd(link.a);
  const b = linkEnd(link.b);
  if (a?.device === device) return b?.device;
  if (b?.device === device) return a?.device;
  return undefined;
}
