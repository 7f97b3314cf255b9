/** The interfaces the editor offers for a new link: valid for the platform and not used by a link yet. */
import { parseConfig } from '../../config/parse';
import { parseScenario, type Scenario } from '../schema';
import { linkedInterfaces } from './link-ends';
import { platformInterfaces } from './platform';

/** The hardware interfaces a device's config and links name (canonical), which fix its slots' adapters. */
export function usedInterfaces(scenario: Scenario, device: string): Set<string> {
  const d = scenario.devices.find((x) => x.name === device);
  const used = linkedInterfaces(scenario, device);
  if (d) for (const i of parseConfig(d.config, d.name).model.interfaces) used.add(i.name);
  return used;
}

/** Interface names valid for the platform on this device that no link uses yet, in IOS order. */
export function freeInterfacesOf(scenario: Scenario, device: string): string[] {
  if (!scenario.devices.some((d) => d.name === device)) return [];
  const linked = linkedInterfaces(scenario, device);
  return platformInterfaces(usedInterfaces(scenario, device)).filter((n) => !linked.has(n));
}

/** The same from scenario text (the worker's `freeInterfaces`): none for a text that does not load. */
export function freeInterfaces(scenarioText: string, device: string): readonly string[] {
  const { scenario } = parseScenario(scenarioText);
  return scenario ? freeInterfacesOf(scenario, device) : [];
}
