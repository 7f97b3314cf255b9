// The fake worker plays a trace recorded from the real worker API: what it hands the page is what the simulator
// handed out, at the same moments, so slices tested over it see the lab the page would.
import { beforeAll, describe, expect, it } from 'vitest';
// The shipped reference lab's text, as the page fetches it (Vite's `?raw`: the page's tests use no Node API).
import REFERENCE from '../../../public/scenarios/getvpn-multicast-rekey.json?raw';
import { createSimApi } from '../../worker/api';
import type { TraceRecord } from '../../worker/protocol';
import { createSimStore } from './compose';
import { SECOND, replayEnv } from './fake-env.test-support';
import { recordTrace } from './record-trace.test-support';
import { type TraceRecording, replayApi } from './replay-worker';

const UNTIL = 20 * SECOND;

let recording: TraceRecording;
beforeAll(async () => {
  recording = await recordTrace(createSimApi(), REFERENCE, UNTIL, [['GM-2', 'show ip pim rp mapping']]);
}, 120_000);

/** A record without the fields JSON drops (undefined ones): how a recording file keeps it. */
const plain = (records: readonly TraceRecord[]): unknown => JSON.parse(JSON.stringify(records));

describe('the replay worker', () => {
  it('hands out the records the simulator did, up to any moment, and the same clock', async () => {
    const live = createSimApi();
    await live.load(REFERENCE);
    const replay = replayApi(recording);
    await replay.load(REFERENCE);
    for (const t of [3 * SECOND, 3 * SECOND, 11 * SECOND, UNTIL]) {
      const [a, b] = [await live.runUntil(t), await replay.runUntil(t)];
      expect(plain(b.records)).toEqual(plain(a.records));
      expect([b.now, b.clock, b.total]).toEqual([a.now, a.clock, a.total]);
    }
    expect(recording.events.length).toBeGreaterThan(100);
  });

  it('rewinds, steps and finds the next event of a protocol as the simulator does', async () => {
    const live = createSimApi();
    await live.load(REFERENCE);
    const replay = replayApi(recording);
    await replay.load(REFERENCE);
    await live.runUntil(8 * SECOND);
    await replay.runUntil(8 * SECOND);
    const [a, b] = [await live.stepMatching(['pim'], UNTIL), await replay.stepMatching(['pim'], UNTIL)];
    expect(plain(b.records.slice(b.step!.from))).toEqual(plain(a.records.slice(a.step!.from)));
    expect(b.step?.end).toBe(a.step?.end);
    const [ra, rb] = [await live.rewind(5 * SECOND, 100), await replay.rewind(5 * SECOND, 100)];
    expect(plain(rb.batch.records)).toEqual(plain(ra.batch.records));
    expect(rb.batch.total).toBe(ra.batch.total);
    const [sa, sb] = [await live.step(), await replay.step()];
    expect(plain(sb.records)).toEqual(plain(sa.records));
  });

  it('answers the show lines recorded, and says plainly that others were not', async () => {
    const replay = replayApi(recording);
    await replay.load(REFERENCE);
    expect(await replay.show('GM-2', 'show ip pim rp mapping')).toContain('RP 1.1.1.1');
    expect(await replay.show('GM-2', 'show clock')).toBe(
      '% GETLab is playing a recorded trace: "show clock" was not recorded.',
    );
    expect(await replay.prompt('GM-2')).toBe('GM-2#');
  });

  it('drives the page store: the reference lab’s registrations and rekeys reach the timeline', async () => {
    const store = createSimStore(replayEnv(recording));
    await store.getState().loadText(REFERENCE, 'shipped:getvpn-multicast-rekey.json', 'Reference lab');
    await store.getState().seek(UNTIL);
    const kinds = new Set(store.getState().markers.map((m) => m.kind));
    expect(kinds.has('registration')).toBe(true);
    expect(store.getState().lab?.devices.map((d) => d.name)).toContain('KS');
    expect(store.getState().consoles.get('KS')?.transcript).toContain('%GDOI');
  });
});
