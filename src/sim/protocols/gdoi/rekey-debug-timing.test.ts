/**
 * `debug crypto gdoi gm rekey` lines advance in time as the member works through a push, and carry real
 * message IDs. The article's GM-1 debug (published IOS output) prints "Received Rekey Message!" at 36.975,
 * "Signature Valid!" at 37.019 and then a line every ~4 ms up to 37.151, with %GDOI-5-GM_RECV_REKEY among
 * them; its "processing GDOI Seq Payload, message_id  0" is the push header's M-ID (0 for a push, RFC 6407
 * §4) and its key packets print a non-zero ID, which GETLab takes from the member's GROUPKEY-PULL [M].
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { millis, seconds } from '../../kernel/time';
import { decodeIpv4 } from '../../net/ipv4';
import { decodeIsakmpHeader, GDOI_PORT } from '../../net/isakmp';
import { decodeUdp } from '../../net/udp';
import { loadTestLab, logRecords, router } from '../../scenario/test-lab.test-support';
import { REKEY_STEP_TIME, SIGNATURE_CHECK_TIME } from './gm';

const SCENARIO = JSON.parse(
  readFileSync(new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url), 'utf8'),
) as object;

describe('GDOI rekey debug timing', () => {
  it('prints each step of a push as it is processed, with the message IDs on the wire', async () => {
    const lab = loadTestLab(SCENARIO);
    await lab.kernel.runUntil(seconds(30));
    await new CliSession(router(lab, 'GM-1'), { epochMs: lab.epochMs }).execute('debug crypto gdoi gm rekey');
    await lab.kernel.runUntil(seconds(310));

    const lines = logRecords(lab, 'GM-1', seconds(30));
    const start = lines.findIndex((l) => l.text.endsWith(':Received Rekey Message!'));
    const end = lines.findIndex((l) => l.text.includes('crypto exact match ace number'));
    expect(start).toBeGreaterThanOrEqual(0);
    const block = lines.slice(start, end + 1);
    expect(block.length).toBeGreaterThan(30);
    const t0 = block[0]!.t;
    expect(block[1]!.text).toMatch(/:Signature Valid!$/);
    expect(block[1]!.t - t0).toBe(SIGNATURE_CHECK_TIME);
    // Then one step per line, in order.
    for (let i = 2; i < block.length; i++) {
      if (block[i]!.text.startsWith('%GDOI-5-GM_RECV_REKEY')) {
        expect(block[i]!.t).toBe(block[i - 1]!.t);
        continue;
      }
      expect(block[i]!.t - block[i - 1]!.t).toBe(REKEY_STEP_TIME);
    }
    expect(block.at(-1)!.t - t0).toBeGreaterThan(millis(120));
    expect(block.at(-1)!.t - t0).toBeLessThan(millis(250));

    // The push's own M-ID is 0; the key packets carry the M-ID of GM-1's GROUPKEY-PULL as sent on the wire.
    const texts = block.map((l) => l.text);
    expect(
      texts.filter((t) => /^GDOI:INFRA:\(\d+\):processing GDOI Seq Payload, message_id {2}0$/.test(t)),
    ).toHaveLength(1);
    const pullMids = new Set<number>();
    for (const r of lab.kernel.trace.all()) {
      if (
        r.kind !== 'packet' ||
        r.device !== 'GM-1' ||
        r.event !== 'sent' ||
        !r.summary.includes('GROUPKEY-PULL')
      )
        continue;
      const frame = lab.kernel.trace.frame(r.frameId);
      if (!frame) continue;
      const ip = decodeIpv4(frame.bytes);
      const udp = decodeUdp(ip.payload, ip.header.source, ip.header.destination);
      if (udp.destinationPort === GDOI_PORT) pullMids.add(decodeIsakmpHeader(udp.payload).messageId);
    }
    const keyPacketMids = texts
      .filter((t) => t.includes('processing GDOI Key Packet, message_id'))
      .map((t) => Number(t.replace(/.*message_id {2}/, '')));
    expect(keyPacketMids.length).toBe(2);
    expect(keyPacketMids[0]).not.toBe(0);
    expect(pullMids.has(keyPacketMids[0]!)).toBe(true);
  }, 60_000);
});
