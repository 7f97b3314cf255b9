/**
 * The inspector's view of a multicast rekey (RFC 6407 §4 GROUPKEY-PUSH): opened with the KEK a group member
 * holds, its SEQ, SA KEK/TEK and KD shown, secret keys masked unless asked, and the SIG checked (RFC 6407 §4.2).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { loadLab, type Lab } from '../../scenario/lab';
import { decryptForInspection } from '../esp/inspect';
import { openRekeyForInspection } from './inspect';

const SCENARIO = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);

/** The reference lab after `crypto gdoi ks rekey` at 60 s: one multicast rekey on every link of the tree. */
async function labWithRekey(): Promise<Lab> {
  const lab = loadLab(SCENARIO).lab!;
  await lab.kernel.runUntil(seconds(60));
  const cli = new CliSession(lab.router('KS')!, { epochMs: lab.epochMs });
  await cli.execute('enable');
  await cli.execute('crypto gdoi ks rekey');
  await lab.kernel.runUntil(seconds(62));
  return lab;
}

/** The first rekey frame sent by the KS (UDP 848 in the clear on its link). */
function rekeyFrame(lab: Lab): Uint8Array {
  const f = lab.kernel.trace
    .allFrames()
    .find((x) => x.from === 'KS' && x.t >= seconds(60) && x.bytes[9] === 17 && x.bytes[23] === 0x50);
  expect(f).toBeDefined();
  return f!.bytes;
}

describe('openRekeyForInspection', () => {
  it('opens a multicast rekey with a member KEK, masks keys and verifies the signature', async () => {
    const lab = await labWithRekey();
    const opened = await openRekeyForInspection(rekeyFrame(lab), lab.routers);
    expect(opened).toBeDefined();
    expect(['Central', 'GM-1', 'GM-2', 'Hub']).toContain(opened!.heldBy);
    expect(opened!.signature.verified).toBe(true);
    const fields = opened!.layers.flatMap((l) => l.fields);
    const value = (label: string): string | undefined => fields.find((f) => f.label === label)?.value;
    expect(opened!.layers.map((l) => l.title)).toEqual([
      'GROUPKEY-PUSH header (decrypted with the KEK)',
      'Sequence Number',
      'Security Association (GDOI)',
      'Key Download',
      'Signature',
    ]);
    expect(Number(value('Sequence number'))).toBeGreaterThanOrEqual(1);
    expect(value('SA KEK SPI')).toBe(opened!.kekSpi);
    expect(value('SA TEK SPI')).toMatch(/^0x[0-9a-f]{8}$/);
    expect(value('TEK encryption key')).toMatch(/hidden/);
    expect(value('Signature check')).toMatch(/^OK: verified/);
    // Every field's bytes lie inside the opened message (the hex view highlights them).
    for (const f of fields) expect(f.end).toBeLessThanOrEqual(opened!.bytes.length);
  }, 60_000);

  it('shows the keys when asked: the TEK key is the one the members installed', async () => {
    const lab = await labWithRekey();
    const opened = await openRekeyForInspection(rekeyFrame(lab), lab.routers, true);
    const tekKey = opened!.layers.flatMap((l) => l.fields).find((f) => f.label === 'TEK encryption key');
    expect(tekKey?.value).toMatch(/^[0-9a-f]+ \(\d+ bytes\)$/);
    expect(opened!.keysShown).toBe(true);
  }, 60_000);

  it('finds the rekey inside ESP on a spoke link once the ESP is opened', async () => {
    const lab = await labWithRekey();
    const onTunnel = [];
    for (const f of lab.kernel.trace.allFrames().filter((x) => x.t >= seconds(60) && x.bytes[9] === 50)) {
      const inner = await decryptForInspection(f.bytes, lab.routers);
      if (!inner) continue;
      const opened = await openRekeyForInspection(inner.bytes, lab.routers);
      if (opened) onTunnel.push(opened);
    }
    expect(onTunnel.length).toBeGreaterThan(0);
    expect(onTunnel.every((o) => o.signature.verified)).toBe(true);
  }, 60_000);

  it('reports a tampered signature as failed, and leaves other packets alone', async () => {
    const lab = await labWithRekey();
    const frame = rekeyFrame(lab).slice();
    // The last ciphertext block holds SIG bytes and padding: flipping a bit there breaks the signature only.
    frame[frame.length - 20] = (frame[frame.length - 20] ?? 0) ^ 0x01;
    const tampered = await openRekeyForInspection(frame, lab.routers);
    expect(tampered?.signature.verified).toBe(false);
    expect(tampered?.layers.at(-1)?.warnings?.[0]).toMatch(/does not verify/);
    const other = lab.kernel.trace.allFrames().find((x) => x.bytes[9] === 47 || x.bytes[9] === 88)!;
    expect(await openRekeyForInspection(other.bytes, lab.routers)).toBeUndefined();
    expect(await openRekeyForInspection(new Uint8Array([1, 2, 3]), lab.routers)).toBeUndefined();
  }, 60_000);
});
