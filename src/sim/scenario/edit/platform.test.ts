// The platform's interfaces: a Cisco 7206VXR's slots (Cisco 7200 VXR Installation and Configuration Guide,
// "Chassis Slot and Logical Interface Numbering": slot 0 the I/O controller's Fast Ethernet, slots 1 to 6 port
// adapters), one adapter type per slot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateHubSpokes } from '../generate';
import { parseScenario } from '../schema';
import { freeInterfaces, freeInterfacesOf } from './free-interfaces';
import { platformInterface, platformInterfaces } from './platform';

const referenceText = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');

describe('platformInterfaces', () => {
  it('offers a fresh router the I/O Fast Ethernet and, per empty slot, a 2-port FE or 8-port serial adapter', () => {
    const all = platformInterfaces([]);
    expect(all.slice(0, 4)).toEqual(['FastEthernet0/0', 'FastEthernet0/1', 'FastEthernet1/0', 'Serial1/0']);
    expect(all).toHaveLength(2 + 6 * (2 + 8));
    expect(all).toContain('Serial6/7');
    expect(all).not.toContain('Serial7/0');
    expect(all).not.toContain('Serial0/0');
  });

  it('keeps a used slot to its adapter type, with every port up to the highest used', () => {
    const all = platformInterfaces(['Serial1/0', 'FastEthernet2/0', 'Serial9/12']);
    expect(all).not.toContain('FastEthernet1/0');
    expect(all).not.toContain('Serial2/0');
    expect(all).toContain('Serial9/12');
    expect(all).not.toContain('Serial9/13');
    expect(platformInterface('se 9/3', ['Serial9/12'])).toEqual({ name: 'Serial9/3' });
  });
});

describe('freeInterfaces', () => {
  it("lists SP's unlinked interfaces in IOS order (Serial1/0-1/2 are linked)", () => {
    const free = freeInterfaces(referenceText, 'SP');
    expect(free.slice(0, 4)).toEqual(['FastEthernet0/0', 'FastEthernet0/1', 'Serial1/3', 'Serial1/4']);
    expect(free).not.toContain('Serial1/1');
  });

  it('offers an interface the config names but no link uses', () => {
    const s = parseScenario(referenceText).scenario!;
    expect(freeInterfacesOf(s, 'Central')).toContain('FastEthernet0/1');
    expect(freeInterfacesOf(s, 'Central')).not.toContain('FastEthernet0/0');
    expect(freeInterfacesOf(s, 'Central')).not.toContain('Serial2/0');
  });

  it("extends the generated SP's 16-port slots", () => {
    const free = freeInterfacesOf(generateHubSpokes({ spokes: 20 }), 'SP');
    expect(free).toContain('Serial2/4');
    expect(free).toContain('Serial2/7');
    expect(free).not.toContain('Serial2/3');
  });

  it('has nothing for an unknown device or a text that does not load', () => {
    expect(freeInterfaces(referenceText, 'constructor')).toEqual([]);
    expect(freeInterfaces('not json', 'SP')).toEqual([]);
  });
});
