import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { decodeGre } from '../../net/gre';
import { decodeIpv4, IP_PROTO } from '../../net/ipv4';
import { loadLab } from '../../scenario/lab';
import { decryptForInspection } from './inspect';

describe('decryptForInspection', () => {
  it("opens the reference lab's ESP with the sender's group TEK and finds the GRE packet inside", async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    await lab!.kernel.runUntil(seconds(12));
    const esp = lab!.kernel.trace.allFrames().find((f) => f.bytes[9] === IP_PROTO.ESP)!;
    expect(esp).toBeDefined();
    const sender = lab!.router(esp.from)!;
    const opened = await decryptForInspection(esp.bytes, [sender]);
    expect(opened?.heldBy).toBe(esp.from);
    expect(opened?.spi).toMatch(/^0x[0-9a-f]{8}$/);
    const inner = decodeIpv4(opened!.bytes);
    // Address preservation: the inner GRE packet has the outer header's addresses.
    const outer = decodeIpv4(esp.bytes);
    expect([inner.header.source, inner.header.destination]).toEqual([
      outer.header.source,
      outer.header.destination,
    ]);
    expect(inner.header.protocol).toBe(IP_PROTO.GRE);
    expect(decodeGre(inner.payload).key).toBe(123);
  });

  it('leaves non-ESP frames and unknown SPIs alone', async () => {
    const { lab } = loadLab(readFileSync('public/scenarios/getvpn-multicast-rekey.json', 'utf8'));
    await lab!.kernel.runUntil(seconds(12));
    const clear = lab!.kernel.trace.allFrames().find((f) => f.bytes[9] !== IP_PROTO.ESP)!;
    expect(await decryptForInspection(clear.bytes, lab!.routers)).toBeUndefined();
    const esp = lab!.kernel.trace.allFrames().find((f) => f.bytes[9] === IP_PROTO.ESP)!;
    const forged = esp.bytes.slice();
    forged[20] = (forged[20] ?? 0) ^ 0xff; // another SPI
    expect(await decryptForInspection(forged, lab!.routers)).toBeUndefined();
  });
});
