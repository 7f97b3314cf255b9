/**
 * The interfaces a router of the lab's platform has. GETLab's routers are modelled on the Cisco 7200 the
 * article's lab ran on: slot 0 is the I/O controller's Fast Ethernet, slots 1 to 6 take one port adapter each
 * (Cisco 7200 VXR Installation and Configuration Guide, OL-5013, "Chassis Slot and Logical Interface Numbering":
 * "slot 1 through slot 6 in the Cisco 7206VXR ... Port adapter slot 0 is always reserved for the Fast Ethernet
 * port on the I/O controller"; interfaces are named `<type> <slot>/<port>`).
 *
 * The editor offers, per slot: slot 0 `FastEthernet0/0`–`0/1` (a dual-port I/O controller); slots 1–6 a
 * two-port Fast Ethernet adapter (PA-2FE-TX: `FastEthernetN/0`–`N/1`) or an eight-port serial adapter (PA-8T:
 * `SerialN/0`–`N/7`). A slot holds one adapter, so once the device's config or a link uses a type in a slot,
 * the slot offers that type only. The generated labs go past a real 7206VXR (the SP's 16-port slots beyond slot
 * 6, the KS's `FastEthernet1/0`–`1/15`): a slot already in use keeps every port up to the highest used, so a
 * lab's own interfaces are always valid.
 */
import { canonicalInterfaceName, interfaceTypeOf, sortInterfaceNames } from '../../config/interface-names';

const PA_SLOTS = 6;
/** Ports of each adapter type the editor offers in an empty slot (PA-2FE-TX, PA-8T; slot 0 the I/O's 2 FE). */
const PORTS: ReadonlyMap<string, number> = new Map([
  ['FastEthernet', 2],
  ['Serial', 8],
]);

interface SlotUse {
  readonly type: string;
  readonly highestPort: number;
}

/** `Serial1/3` -> slot 1, port 3; undefined for virtual or sub-interfaces, or other numbering. */
export function slotPort(name: string): { type: string; slot: number; port: number } | undefined {
  const type = interfaceTypeOf(name);
  const m = /^[A-Za-z]+(\d+)\/(\d+)$/.exec(name);
  if (!type || type.virtual || !m) return undefined;
  return { type: type.full, slot: Number(m[1]), port: Number(m[2]) };
}

/** What each used slot holds, from the hardware interfaces a device names. */
function slotUses(used: Iterable<string>): Map<number, SlotUse> {
  const slots = new Map<number, SlotUse>();
  for (const name of used) {
    const sp = slotPort(name);
    if (!sp) continue;
    const prev = slots.get(sp.slot);
    // A slot already claimed by another type stays with the first (a lab that mixes types keeps loading).
    if (prev && prev.type !== sp.type) continue;
    slots.set(sp.slot, { type: sp.type, highestPort: Math.max(prev?.highestPort ?? -1, sp.port) });
  }
  return slots;
}

/**
 * Every hardware interface the device can have, in IOS order, given the interfaces its config and links
 * already use (`used`, canonical names).
 */
export function platformInterfaces(used: Iterable<string>): string[] {
  const slots = slotUses(used);
  const last = Math.max(PA_SLOTS, ...slots.keys());
  const names: string[] = [];
  for (let slot = 0; slot <= last; slot++) {
    const use = slots.get(slot);
    const types = use
      ? [use.type]
      : slot === 0
        ? ['FastEthernet']
        : slot <= PA_SLOTS
          ? ['FastEthernet', 'Serial']
          : [];
    for (const type of types) {
      const ports = Math.max(PORTS.get(type) ?? 1, (use?.highestPort ?? -1) + 1);
      for (let port = 0; port < ports; port++) names.push(`${type}${slot}/${port}`);
    }
  }
  return sortInterfaceNames(names);
}

/**
 * Whether `name` (any IOS spelling) is an interface of the platform for a device using `used`; the canonical
 * name, or a plain-language reason.
 */
export function platformInterface(
  name: string,
  used: Iterable<string>,
): { name: string } | { error: string } {
  const canonical = canonicalInterfaceName(name);
  if (!canonical) return { error: `"${name}" is not an interface name.` };
  const type = interfaceTypeOf(canonical);
  if (type?.virtual) return { error: `${canonical} is a virtual interface: a link needs a physical one.` };
  if (!platformInterfaces(used).includes(canonical))
    return { error: `${canonical} is not an interface this router has.` };
  return { name: canonical };
}
