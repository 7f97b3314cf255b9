// The lab slice: loading a scenario through the worker API, what a failed load reports, and the lab's views.
import { describe, expect, it } from 'vitest';
import type { PageApi } from '../../worker/protocol';
import { createSimStore } from './compose';
import { DEFAULT_SCENARIO } from './constants';
import { SMALL_LAB, fakeEnv, portOver, replayEnv, smallRecording } from './fake-env.test-support';
import { replayApi } from './replay-worker';

describe('the lab slice', () => {
  it('loads a scenario: the lab view, one console per device at its prompt, the first device selected', async () => {
    const store = createSimStore(replayEnv());
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    const s = store.getState();
    expect(s.lab?.devices.map((d) => d.name)).toEqual(['KS', 'GM-1', 'constructor']);
    expect(s.labSerial).toBe(1);
    expect(s.sourceLabel).toBe('small.json');
    expect(s.selected).toBe('KS');
    expect(s.loading).toBe(false);
    expect(s.consoles.get('constructor')).toEqual({ transcript: '', prompt: 'constructor#', history: [] });
    expect(s.now).toBe(0);
    // The protocols' labels, colours and legend are the worker's (from the protocol descriptors).
    expect(s.wire.legend).toEqual(['esp', 'gre', 'eigrp', 'pim', 'gdoi']);
    expect([s.wire.name('gdoi'), s.wire.color('gdoi')]).toEqual(['GDOI', '#c62828']);
  });

  it('reports a scenario the worker refuses, in the problems panel, and keeps no half-loaded lab', async () => {
    const refusing: PageApi = {
      ...replayApi(smallRecording()),
      load: async () => ({
        ok: false,
        problems: [{ severity: 'error', message: 'Not a getlab-scenario/1 file.' }],
      }),
    };
    const store = createSimStore(fakeEnv(portOver(() => refusing)));
    await store.getState().loadText('{}', 'file:bad.json', 'bad.json');
    const s = store.getState();
    expect(s.lab).toBeUndefined();
    expect(s.loadFailure).toEqual({
      source: 'bad.json',
      problems: [{ severity: 'error', message: 'Not a getlab-scenario/1 file.' }],
    });
    expect(s.bottomTab).toBe('problems');
    s.dismissFailure();
    expect(store.getState().loadFailure).toBeUndefined();
  });

  it('fetches a shipped scenario from the base URL, and says which file could not be fetched', async () => {
    const env = replayEnv();
    const store = createSimStore(env);
    await store.getState().loadShipped('missing.json');
    expect(store.getState().loadFailure?.problems[0]?.message).toBe(
      '/scenarios/missing.json: HTTP 404 Not Found',
    );
    env.files.set(`/scenarios/${DEFAULT_SCENARIO}`, smallRecording().scenario);
    await store.getState().loadShipped(DEFAULT_SCENARIO);
    expect(store.getState().sourceLabel).toBe('Reference lab (completed)');
    expect(store.getState().source).toBe(`shipped:${DEFAULT_SCENARIO}`);
  });

  it('writes the current scenario with each device’s running-config, a device named `constructor` included', async () => {
    const store = createSimStore(replayEnv());
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    const scenario = JSON.parse(await store.getState().currentScenario()) as {
      devices: { name: string; config: string }[];
    };
    expect(scenario.devices.find((d) => d.name === 'constructor')?.config).toContain(
      'ip mroute 1.1.1.1 255.255.255.255 Tunnel10',
    );
  });

  it('a generated lab the worker cannot make is reported, not thrown', async () => {
    const store = createSimStore(replayEnv());
    await store.getState().loadGenerated(10);
    expect(store.getState().loadFailure?.source).toBe('Generated: hub and 10 spokes');
    expect(store.getState().lab).toBeUndefined();
  });

  it('refreshes the lab view from the worker (a link loss set there shows here)', async () => {
    const env = replayEnv();
    const store = createSimStore(env);
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    await env.worker.api().setLinkLoss(SMALL_LAB.links[0]!.id, 0.5);
    await store.getState().refreshLab();
    expect(store.getState().lab?.links[0]?.loss).toBe(0.5);
  });

  // Issue 18: while playing, the worker answers with the clock alone when the view did not change; the page then
  // keeps its view (no store update of the lab, no topology pass) and moves the clock.
  it('while playing, an unchanged view keeps the lab the page has and moves the clock', async () => {
    const asked: (number | undefined)[] = [];
    const base = replayApi(smallRecording());
    const api: PageApi = {
      ...base,
      // The worker numbers its views; the page says which one it holds.
      load: async (text) => {
        const r = await base.load(text);
        return { ...r, ...(r.lab ? { lab: { ...r.lab, serial: 7 } } : {}) };
      },
      labIfChanged: async (held) => {
        asked.push(held);
        return { unchanged: true, now: 7_000_000, clock: '*00:00:07.000 UTC Mon Jan 1 2024' };
      },
    };
    const store = createSimStore(fakeEnv(portOver(() => api)));
    await store.getState().loadText(smallRecording().scenario, 'file:small.json', 'small.json');
    const lab = store.getState().lab;
    await store.getState().refreshLab(true);
    expect(asked).toEqual([7]);
    expect(store.getState().lab).toBe(lab);
    expect(store.getState().now).toBe(7_000_000);
    expect(store.getState().clock).toBe('*00:00:07.000 UTC Mon Jan 1 2024');
  });
});
