import { expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE, SECOND } from './reference-lab.test-support';

it('gives the page each member’s keys and the key server’s counters as plain data', async () => {
  const api = createSimApi();
  await api.load(REFERENCE);
  await api.runUntil(310 * SECOND);
  const gm1 = await api.gdoiView('GM-1');
  // Plain data: it survives the structured clone of the worker boundary unchanged.
  expect(structuredClone(gm1)).toEqual(gm1);
  expect(gm1.keyServers).toEqual([]);
  const m = gm1.members[0]!;
  expect(m).toMatchObject({
    group: 'GDOI_GM',
    identity: 123,
    keyServer: '1.1.1.1',
    status: 'Registered',
    lastSeq: 1,
    rekeysReceived: 1,
    rekeyTransport: 'multicast',
    rekeysRejected: 0,
  });
  expect(m.currentTekSpi).toMatch(/^0x[0-9A-F]{8}$/);
  expect(m.kekSpi).toMatch(/^[0-9A-F]{32}$/);
  expect(m.kekSecondsToExpiry).toBeGreaterThan(290);
  expect(m.tekSecondsToExpiry).toBeGreaterThan(3200);
  const ks = (await api.gdoiView('KS')).keyServers[0]!;
  expect(ks).toMatchObject({ group: 'GDOI_GROUP', seq: 1, rekeysSent: 1, rekeysRetransmitted: 0 });
  expect(ks.tekSpi).toBe(m.currentTekSpi);
  expect(ks.kekSpi).toBe(m.kekSpi);
  expect(ks.members).toHaveLength(3);
  await expect(api.gdoiView('nope')).rejects.toThrow('There is no device named "nope".');
}, 60_000);
