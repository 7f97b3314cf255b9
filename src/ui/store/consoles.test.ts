// Consoles: one per device, kept in a Map (a device named `constructor` is a device like any other), with the
// lines typed, IOS's answers, the history and the device's syslog lines (IOS `logging console`).
import { describe, expect, it } from 'vitest';
import { createSimStore } from './compose';
import { SECOND, replayEnv, smallRecording } from './fake-env.test-support';

async function loadedStore() {
  const store = createSimStore(replayEnv());
  await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
  return store;
}

describe('the consoles slice', () => {
  it('runs a line on the device’s console: prompt, line and answer in its transcript, the line in its history', async () => {
    const store = await loadedStore();
    const answer = await store.getState().exec('GM-1', 'show clock');
    expect(answer).toEqual({ output: '*22:55:10.000 UTC Tue Jul 7 2026', prompt: 'GM-1#' });
    const c = store.getState().consoles.get('GM-1');
    expect(c?.transcript).toBe('GM-1#show clock\n*22:55:10.000 UTC Tue Jul 7 2026\n');
    expect(c?.history).toEqual(['show clock']);
    // The other consoles are untouched.
    expect(store.getState().consoles.get('KS')?.transcript).toBe('');
  });

  it('keeps a console for a device named `constructor` (a plain object would hand back its prototype)', async () => {
    const store = await loadedStore();
    await store.getState().exec('constructor', 'show clock');
    const c = store.getState().consoles.get('constructor');
    expect(c?.prompt).toBe('constructor#');
    expect(c?.history).toEqual(['show clock']);
    expect(c?.transcript).toContain('constructor#show clock');
    expect(store.getState().consoles.get('__proto__')).toBeUndefined();
  });

  it('does not repeat a line in the history, nor keep an empty one', async () => {
    const store = await loadedStore();
    await store.getState().exec('KS', 'show clock');
    await store.getState().exec('KS', 'show clock');
    await store.getState().exec('KS', '  ');
    expect(store.getState().consoles.get('KS')?.history).toEqual(['show clock']);
  });

  it('prints each device’s syslog lines on its own console as the lab runs', async () => {
    const store = await loadedStore();
    await store.getState().seek(6 * SECOND);
    expect(store.getState().consoles.get('GM-1')?.transcript).toBe(
      '%GDOI-5-GM_REGS_COMPL: Registration complete\n',
    );
    expect(store.getState().consoles.get('constructor')?.transcript).toBe(
      '%SYS-5-CONFIG_I: Configured from console by console\n',
    );
  });

  it('a load gives every device a fresh console', async () => {
    const store = await loadedStore();
    await store.getState().exec('KS', 'show clock');
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    expect(store.getState().consoles.get('KS')).toEqual({ transcript: '', prompt: 'KS#', history: [] });
  });
});
