// A saved or shared lab is the scenario with every device's config as it is now. IOS keeps generated RSA keys in
// NVRAM, not in the running-config, so `show running-config` never lists `crypto key generate`; a scenario has no
// NVRAM, so the config it saves carries the key generation, or its key server boots without rekey keys.
import { describe, expect, it } from 'vitest';
import { loadLab } from '../sim/scenario/lab';
import { logLines } from '../sim/scenario/test-lab.test-support';
import { createSimApi } from './api';
import { REFERENCE, SECOND } from './reference-lab.test-support';

describe('the config a saved lab keeps', () => {
  it('carries the KS key generation that the running-config leaves out, so the saved lab still registers', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(5 * SECOND);
    expect(await api.runningConfig('KS')).not.toContain('crypto key generate');
    const ks = await api.scenarioConfig('KS');
    expect(ks).toContain('crypto key generate rsa general-keys label GDOI_KEYS modulus 1024 exportable');

    const scenario = JSON.parse(REFERENCE) as { devices: { name: string; config: string }[] };
    for (const d of scenario.devices) d.config = await api.scenarioConfig(d.name);
    const { lab } = loadLab(JSON.stringify(scenario));
    await lab!.kernel.runUntil(10 * SECOND);
    expect(logLines(lab!, 'KS').join('\n')).not.toContain('KS_NO_RSA_KEYS');
    for (const gm of ['GM-1', 'GM-2'])
      expect(logLines(lab!, gm).some((l) => l.includes('%GDOI-5-GM_REGS_COMPL'))).toBe(true);
  });
});
