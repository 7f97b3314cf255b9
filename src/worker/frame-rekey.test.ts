// The worker's `frame` call opens a GDOI rekey with the KEK a group member holds (RFC 6407 §4), on the key
// server's link and inside ESP on the tunnels, and masks key material unless asked.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import type { SimApi, TraceRecord } from './protocol';
import { REFERENCE, SECOND } from './reference-lab.test-support';

async function afterRekey(): Promise<{ api: SimApi; records: TraceRecord[] }> {
  const api = createSimApi();
  await api.load(REFERENCE);
  await api.runUntil(60 * SECOND);
  await api.exec('KS', 'crypto gdoi ks rekey');
  const batch = await api.runUntil(62 * SECOND);
  return { api, records: [...batch.records] };
}

describe('frame: GDOI rekeys', () => {
  it('opens the rekey the KS sends and the copy inside ESP on a spoke link, signature checked', async () => {
    const { api, records } = await afterRekey();
    const sent = records.filter(
      (r) => r.kind === 'packet' && r.frameId > 0 && r.protocols.includes('isakmp'),
    );
    expect(sent.length).toBeGreaterThan(0);
    const clear = sent[0]!;
    if (clear.kind !== 'packet') throw new Error('not a packet');
    const frame = await api.frame(clear.frameId);
    expect(frame?.rekey?.signature.verified).toBe(true);
    const labels = frame!.rekey!.layers.flatMap((l) => l.fields.map((f) => f.label));
    expect(labels).toEqual(
      expect.arrayContaining(['Sequence number', 'SA KEK SPI', 'SA TEK SPI', 'Signature check']),
    );
    const key = frame!.rekey!.layers.flatMap((l) => l.fields).find((f) => f.label === 'TEK encryption key');
    expect(key?.value).toMatch(/hidden/);
    const shown = await api.frame(clear.frameId, { revealKeys: true });
    expect(
      shown?.rekey?.layers.flatMap((l) => l.fields).find((f) => f.label === 'TEK encryption key')?.value,
    ).toMatch(/^[0-9a-f]{16,} /);
    expect(structuredClone(frame)).toEqual(frame);

    // On the tunnels the rekey travels in GRE inside ESP: opened with a TEK, then with a member's KEK.
    let inside = 0;
    const onTunnels = records.filter(
      (r) => r.kind === 'packet' && r.frameId > 0 && r.protocols.includes('esp'),
    );
    for (const r of onTunnels) {
      if (r.kind !== 'packet') continue;
      const f = await api.frame(r.frameId);
      if (f?.decrypted && f.rekey?.signature.verified) inside++;
    }
    expect(inside).toBeGreaterThan(0);
  }, 60_000);
});
