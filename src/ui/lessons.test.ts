// The lessons' checks read the worker's typed views (no show-output parsing), and lesson 2's story holds end to
// end on the lab: remove GM-2's mroute, the rekey is dropped on RPF, put it back, GM-2 holds the keys again.
import { describe, expect, it } from 'vitest';
import { createSimApi } from '../worker/api';
import type { SimApi, TraceRecord } from '../worker/protocol';
import REFERENCE from '../../public/scenarios/getvpn-multicast-rekey.json?raw';
import { type Marker, markerOf } from './hops';
import { LESSONS, cachedFacts, runChecks } from './lessons';

const SECOND = 1_000_000;
const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1';

/** The page's markers, built from every record the worker handed out (as the store does). */
function withMarkers(api: SimApi): {
  markers: Marker[];
  run: (t: number) => Promise<void>;
  configure: (device: string, line: string) => Promise<void>;
} {
  const markers: Marker[] = [];
  const take = (records: readonly TraceRecord[]): void => {
    for (const r of records) {
      const m = markerOf(r);
      if (m) markers.push(m);
    }
  };
  return {
    markers,
    run: async (t) => take((await api.runUntil(t)).records),
    configure: async (device, line) => {
      for (const l of ['configure terminal', line, 'end']) take((await api.exec(device, l)).records);
    },
  };
}

const checks = (api: SimApi, step: number, markers: readonly Marker[]): Promise<boolean[]> =>
  runChecks(
    LESSONS[step]!,
    cachedFacts(
      {
        pim: (d) => api.pimView(d),
        gdoi: (d) => api.gdoiView(d),
        multicast: (s, g) => api.multicastView(s, g),
      },
      markers,
    ),
  );

describe('lesson checks read typed state', () => {
  it('are green on the reference lab once it has run to the first rekey', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const lab = withMarkers(api);
    expect(await checks(api, 0, lab.markers)).toContain(false);
    await lab.run(310 * SECOND);
    expect(await checks(api, 0, lab.markers)).toEqual([true, true, true]);
    expect(await checks(api, 2, lab.markers)).toEqual([true, true]);
    expect(await checks(api, 3, lab.markers)).toEqual([true, true, true]);
    expect(await checks(api, 4, lab.markers)).toEqual([true, true, true]);
    // The RPF failure's own drop check is red while the static mroute is in place; the others are green.
    expect(await checks(api, 1, lab.markers)).toEqual([false, true, true]);
  });

  it('lesson 2: the rekey is dropped on RPF at GM-2, and the next rekey reaches GM-2 again after the fix', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    const lab = withMarkers(api);
    await lab.run(60 * SECOND);
    await lab.configure('GM-2', `no ${MROUTE}`);
    // Past the first rekey (300 s): dropped at GM-2 by the RPF check (RFC 7761 §4.2).
    await lab.run(320 * SECOND);
    const drop = lab.markers.find((m) => m.kind === 'rpf-drop' && m.device === 'GM-2');
    expect(drop?.text).toContain('RPF check failed');
    expect(await checks(api, 1, lab.markers)).toEqual([true, false, false]);
    await lab.configure('GM-2', MROUTE);
    expect(await checks(api, 1, lab.markers)).toEqual([true, true, false]);
    // Cisco 116737: meanwhile GM-2 re-registers by unicast when its KEK runs out (GM 1.0.4 and later); that is
    // no rekey. With the mroute back, the next multicast rekey reaches GM-2 through the tunnel.
    expect(
      lab.markers.some((m) => m.kind === 'registration' && m.device === 'GM-2' && m.t > 300 * SECOND),
    ).toBe(true);
    await lab.run(320 * SECOND + 300 * SECOND + 60 * SECOND);
    expect(await checks(api, 1, lab.markers)).toEqual([true, true, true]);
    expect((await api.gdoiView('GM-2')).members[0]?.rekeysReceived).toBeGreaterThan(0);
  });

  it('a view that cannot be read is a red check, not a failure', async () => {
    const api = createSimApi();
    const failing = cachedFacts(
      {
        pim: () => Promise.reject(new Error('no lab')),
        gdoi: () => Promise.reject(new Error('no lab')),
        multicast: (s, g) => api.multicastView(s, g),
      },
      [],
    );
    expect(await runChecks(LESSONS[2]!, failing)).toEqual([false, false]);
  });
});
