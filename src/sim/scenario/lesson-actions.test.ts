import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRunningConfig } from '../config/render';
import { seconds } from '../kernel/time';
import { loadLab } from './lab';
import { LessonDriver } from './lesson-actions';

const reference = readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8');
const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1';

describe('LessonDriver', () => {
  it('applies a fault once, undoes it once, and runs to the next rekey of the KS (rekey lifetime 300 s)', async () => {
    const lab = loadLab(reference).lab!;
    const driver = new LessonDriver(lab);
    const gm2 = lab.router('GM-2')!;
    await driver.perform({ kind: 'fault', fault: 'mroute', device: 'GM-2', on: true });
    await driver.perform({ kind: 'fault', fault: 'mroute', device: 'GM-2', on: true });
    expect(renderRunningConfig(gm2.config)).not.toContain(MROUTE);
    await driver.perform({ kind: 'fault', fault: 'mroute', device: 'GM-2', on: false });
    expect(renderRunningConfig(gm2.config)).toContain(MROUTE);
    expect(driver.transcript.filter((l) => l.startsWith('GM-2(config)#'))).toEqual([
      `GM-2(config)#no ${MROUTE}`,
      'GM-2(config)#end',
      `GM-2(config)#${MROUTE}`,
      'GM-2(config)#end',
    ]);
    await driver.perform({ kind: 'next-rekey', ks: 'KS' });
    const t = lab.kernel.now;
    expect(t).toBeGreaterThan(seconds(300));
    expect(t).toBeLessThan(seconds(310));
    await driver.perform({ kind: 'cli', device: 'constructor', lines: ['show clock'] });
    expect(driver.transcript.at(-1)).toBe('% There is no device named "constructor" (line "show clock").');
  }, 60_000);
});
