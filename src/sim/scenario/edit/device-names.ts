/** Names for new and renamed devices: IOS hostnames, unique in the lab. Names are only compared, never keys. */
import type { Scenario } from '../schema';
import type { EditRole } from './edit-ops';

/**
 * IOS's hostname rule (Cisco IOS command reference, `hostname`): "They must start with a letter, end with a
 * letter or digit, and have as interior characters only letters, digits, and hyphens. Names must be 63
 * characters or fewer" (RFC 1035's host names).
 */
const HOSTNAME = /^[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Why `name` cannot name a new device of the lab, or undefined when it can. */
export function nameProblem(scenario: Scenario, name: string): string | undefined {
  if (!HOSTNAME.test(name))
    return `"${name}" is not a valid hostname: it must start with a letter, end with a letter or digit, hold only letters, digits and hyphens, and be at most 63 characters.`;
  if (scenario.devices.some((d) => d.name === name)) return `There is already a device named "${name}".`;
  return undefined;
}

/**
 * The first free default name for a role: GM-3, KS-2, Central-2, SP-2, R1, ... A spoke follows the lab's own
 * spokes' names when they share one (`Spoke-4` after `Spoke-1`..`Spoke-3`).
 */
export function defaultName(scenario: Scenario, role: EditRole, spokes: readonly string[] = []): string {
  const taken = new Set(scenario.devices.map((d) => d.name));
  const numbered = (make: (k: number) => string, from: number): string => {
    for (let k = from; ; k++) if (!taken.has(make(k))) return make(k);
  };
  switch (role) {
    case 'spoke': {
      const prefix = sharedPrefix(spokes) ?? 'GM-';
      return numbered((k) => `${prefix}${k}`, 1);
    }
    case 'router':
      return numbered((k) => `R${k}`, 1);
    case 'key-server':
      return taken.has('KS') ? numbered((k) => `KS-${k}`, 2) : 'KS';
    case 'hub':
      return taken.has('Central') ? numbered((k) => `Central-${k}`, 2) : 'Central';
    case 'provider':
      return taken.has('SP') ? numbered((k) => `SP-${k}`, 2) : 'SP';
  }
}

/** The prefix every name shares before its number (`Spoke-` of `Spoke-1`, `Spoke-2`), if they all have one. */
function sharedPrefix(names: readonly string[]): string | undefined {
  const prefixes = new Set(names.map((n) => /^([A-Za-z][A-Za-z0-9-]*?)\d+$/.exec(n)?.[1]));
  const [only] = prefixes;
  return prefixes.size === 1 && only !== undefined ? only : undefined;
}
