import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { configsZip, fileStem } from './ExportActions';

describe('fileStem', () => {
  it("makes a file name of the lab's title, and one for a lab without a usable title", () => {
    expect(fileStem('GET VPN rekey using multicast over DMVPN')).toBe(
      'get-vpn-rekey-using-multicast-over-dmvpn',
    );
    expect(fileStem('  ../../etc ')).toBe('etc');
    expect(fileStem('***')).toBe('getlab-lab');
    expect(fileStem(undefined)).toBe('getlab-lab');
    expect(fileStem('x'.repeat(100))).toHaveLength(60);
  });
});

describe('configsZip', () => {
  it('zips one <device>.txt per device with its configuration exactly, a device named __proto__ too', () => {
    const files = [
      { device: 'KS', config: 'hostname KS\n!\nend\n' },
      { device: '__proto__', config: 'hostname __proto__\n' },
    ];
    const unzipped = unzipSync(configsZip(files));
    expect(Object.keys(unzipped).sort()).toEqual(['KS.txt', '__proto__.txt']);
    expect(strFromU8(unzipped['KS.txt']!)).toBe('hostname KS\n!\nend\n');
    expect(strFromU8(unzipped['__proto__.txt']!)).toBe('hostname __proto__\n');
  });
});
