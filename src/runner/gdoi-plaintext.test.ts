import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readU32 } from '../sim/net/bytes';
import { decodeIpv4, IP_PROTO } from '../sim/net/ipv4';
import { decodeIsakmp, EXCHANGE, GDOI_PORT } from '../sim/net/isakmp';
import { decodeUdp } from '../sim/net/udp';
import { parseArgs } from './args';
import { runHeadless } from './run';

const REFERENCE = 'public/scenarios/getvpn-multicast-rekey.json';

/** The records of a little-endian classic pcap (24-byte file header, 16-byte record headers). */
function pcapRecords(pcap: Uint8Array): Uint8Array[] {
  const view = new DataView(pcap.buffer, pcap.byteOffset, pcap.byteLength);
  const out: Uint8Array[] = [];
  for (let at = 24; at < pcap.length;) {
    const length = view.getUint32(at + 8, true);
    out.push(pcap.subarray(at + 16, at + 16 + length));
    at += 16 + length;
  }
  return out;
}

describe('--gdoi-plaintext', () => {
  it('is parsed, and needs a file', () => {
    expect(parseArgs([REFERENCE, '--gdoi-plaintext', 'push.pcap'])).toMatchObject({
      gdoiPlaintextPath: 'push.pcap',
    });
    expect(parseArgs([REFERENCE, '--gdoi-plaintext'])).toEqual({ error: '--gdoi-plaintext takes a file' });
  });

  it('writes each GDOI push the KS sent, unencrypted, in the UDP 848 packet it travelled in', async () => {
    const result = await runHeadless({
      options: { scenarioPath: REFERENCE, until: 370, exec: [], log: false, gdoiPlaintextPath: 'push.pcap' },
      scenarioText: readFileSync(REFERENCE, 'utf8'),
    });
    const pcap = result.gdoiPlaintext!;
    expect(readU32(pcap, 0)).toBe(0xd4c3b2a1); // little-endian magic a1b2c3d4
    const records = pcapRecords(pcap);
    expect(records).toHaveLength(2); // the first rekey (about 300 s) and the next one, 60 s later
    records.forEach((frame, i) => {
      const ip = decodeIpv4(frame);
      expect(ip.header.protocol).toBe(IP_PROTO.UDP);
      const udp = decodeUdp(ip.payload, ip.header.source, ip.header.destination);
      expect([udp.sourcePort, udp.destinationPort, udp.checksumValid]).toEqual([GDOI_PORT, GDOI_PORT, true]);
      const m = decodeIsakmp(udp.payload);
      // GROUPKEY-PUSH in clear (flags 0): SEQ, SA (KEK and TEK), KD, SIG, numbered from 1 under the KEK.
      expect([m.header.exchangeType, m.header.flags]).toEqual([EXCHANGE.GROUPKEY_PUSH, 0]);
      expect(m.payloads.map((p) => p.kind)).toEqual(['seq', 'gdoi-sa', 'kd', 'sig']);
      expect(m.payloads[0]).toEqual({ kind: 'seq', sequence: i + 1 });
    });
    // Without the option nothing is built.
    const plain = await runHeadless({
      options: { scenarioPath: REFERENCE, until: 0, exec: [], log: false },
      scenarioText: readFileSync(REFERENCE, 'utf8'),
    });
    expect(plain.gdoiPlaintext).toBeUndefined();
  });
});
