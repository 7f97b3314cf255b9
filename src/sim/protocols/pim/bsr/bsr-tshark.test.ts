/**
 * tshark as the oracle for the BSR codec and dissector: a Bootstrap (as the KS floods it to 224.0.0.13, TTL 1)
 * and a Candidate-RP-Advertisement (unicast to the BSR) must decode in tshark with the expected fields, a good
 * PIM checksum and no malformed or error item; our own dissector must show the same values under the same
 * Wireshark field names. Runs when /usr/bin/tshark exists or GETLAB_REQUIRE_TSHARK=1.
 */
import { describe, expect, it } from 'vitest';
import { ip, ipPacket } from '../../../net/codec-fixtures.test-support';
import { dissect } from '../../../net/dissectors';
import { IP_PROTO } from '../../../net/ipv4';
import {
  askTshark,
  expectedOracle,
  type OracleFrame,
  tsharkRuns,
} from '../../../net/tshark-oracle.test-support';
import { encodeBootstrap, encodeCandidateRpAdvertisement } from './bsr-codec';

const runTshark = tsharkRuns('bsr-tshark.test.ts');

function pimPacket(src: string, dst: string, payload: Uint8Array, ttl: number): Uint8Array {
  return ipPacket(IP_PROTO.PIM, src, dst, payload, { ttl, tos: 0xc0 });
}

const FRAMES: OracleFrame[] = [
  {
    name: 'Bootstrap from the KS with its RP-set',
    bytes: pimPacket(
      '10.1.1.1',
      '224.0.0.13',
      encodeBootstrap({
        fragmentTag: 0x2a17,
        hashMaskLength: 30,
        bsrPriority: 100,
        bsrAddress: ip('1.1.1.1'),
        ranges: [
          {
            group: { address: ip('224.0.0.0'), maskLength: 4 },
            rpCount: 2,
            rps: [
              { rp: ip('1.1.1.1'), holdtime: 150, priority: 0 },
              { rp: ip('4.4.4.4'), holdtime: 150, priority: 10 },
            ],
          },
        ],
      }),
      1,
    ),
    expect: {
      'pim.type': '4',
      'pim.cksum.status': '1',
      'pim.fragment_tag': '0x2a17',
      'pim.hash_mask_len': '30',
      'pim.bsr_priority': '100',
      'pim.bsr': '1.1.1.1',
      'pim.rp_count': '2',
      'pim.frp_count': '2',
      'pim.rp': '1.1.1.1,4.4.4.4',
      'pim.holdtime': '150,150',
      'pim.priority': '0,10',
    },
  },
  {
    name: 'Candidate-RP-Advertisement unicast to the BSR',
    bytes: pimPacket(
      '1.1.1.1',
      '2.2.2.2',
      encodeCandidateRpAdvertisement({
        priority: 5,
        holdtime: 150,
        rp: ip('1.1.1.1'),
        groups: [{ address: ip('239.0.0.0'), maskLength: 8 }],
      }),
      255,
    ),
    expect: {
      'pim.type': '8',
      'pim.cksum.status': '1',
      'pim.prefix_count': '1',
      'pim.priority': '5',
      'pim.holdtime': '150',
      'pim.rp': '1.1.1.1',
    },
  },
];

/** Our dissector's values for `name`, joined as tshark joins repeated fields. */
function ownValue(bytes: Uint8Array, name: string): string {
  const values = dissect(bytes)
    .flatMap((l) => l.fields)
    .filter((f) => f.name === name)
    .map((f) => f.value);
  return values.join(',');
}

describe('PIM BSR messages decoded by tshark', () => {
  it.runIf(runTshark)('decode with the expected fields, a good checksum and no errors', () => {
    expect(askTshark(FRAMES)).toEqual(expectedOracle(FRAMES));
  });

  it('our dissector shows the values tshark shows, under the same field names', () => {
    for (const f of FRAMES) {
      for (const [name, value] of Object.entries(f.expect)) {
        if (name === 'pim.cksum.status' || name === 'pim.type') continue;
        expect({ frame: f.name, name, value: ownValue(f.bytes, name) }).toEqual({
          frame: f.name,
          name,
          value,
        });
      }
    }
    const [bootstrap] = FRAMES;
    expect(dissect(bootstrap?.bytes ?? new Uint8Array()).at(-1)?.info).toEqual({
      name: 'PIM Bootstrap',
      detail: 'BSR 1.1.1.1 priority 100 RP 1.1.1.1 4.4.4.4',
    });
  });
});
