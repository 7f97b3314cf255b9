import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { DecodeError } from './decode-error';
import { type AutoRpMessage, decodeAutoRp, encodeAutoRp } from './autorp';
import { autoRpMapping, ip } from './codec-fixtures.test-support';

const scenario = autoRpMapping;

describe('Auto-RP', () => {
  // Layout: Wireshark packet-auto_rp.c; holdtime 181 as IOS packet captures show.
  it('encodes the scenario RP-Announce and RP-Discovery byte for byte', () => {
    expect(toHex(encodeAutoRp(scenario('announce')), ' ')).toBe(
      '11 01 00 b5 00 00 00 00 01 01 01 01 03 01 00 08 ef 00 00 00',
    );
    expect(toHex(encodeAutoRp(scenario('discovery')), ' ')).toBe(
      '12 01 00 b5 00 00 00 00 01 01 01 01 03 01 00 08 ef 00 00 00',
    );
  });

  it('decodes the real Cisco announce with a negative (deny) entry', () => {
    const m = decodeAutoRp(fromHex('11 01 00 b5 00000000 0a000005 03 02 01 20 e3636363 00 08 e3000000'));
    expect(m).toEqual({
      kind: 'announce',
      version: 1,
      holdtime: 181,
      rps: [
        {
          rp: ip('10.0.0.5'),
          pimVersion: 3,
          groups: [
            { prefix: ip('227.99.99.99'), maskLength: 32, negative: true },
            { prefix: ip('227.0.0.0'), maskLength: 8, negative: false },
          ],
        },
      ],
    });
  });

  it('round-trips several RPs, a bidir group and holdtime 0', () => {
    const m: AutoRpMessage = {
      kind: 'discovery',
      holdtime: 0,
      rps: [
        { rp: ip('1.1.1.1'), pimVersion: 2, groups: [] },
        {
          rp: ip('2.2.2.2'),
          pimVersion: 1,
          groups: [
            { prefix: ip('237.0.0.0'), maskLength: 8, negative: false, bidir: true },
            { prefix: ip('230.0.0.0'), maskLength: 8, negative: true },
          ],
        },
      ],
    };
    const bytes = encodeAutoRp(m);
    expect(bytes.length).toBe(8 + 6 + 6 + 12);
    expect(toHex(bytes.subarray(20, 22))).toBe('0208'); // bidir bit, as in the real capture
    expect(decodeAutoRp(bytes)).toEqual({ ...m, version: 1 });
  });

  it('throws DecodeError on truncated or foreign input', () => {
    const bytes = encodeAutoRp(scenario('announce'));
    expect(() => decodeAutoRp(bytes.subarray(0, 7))).toThrow(DecodeError);
    expect(() => decodeAutoRp(bytes.subarray(0, 17))).toThrow(
      expect.objectContaining({ protocol: 'autorp', offset: 16 }),
    );
    expect(() => decodeAutoRp(fromHex('2101 00b5 00000000'))).toThrow(/version 2/);
    expect(() => decodeAutoRp(fromHex('1301 00b5 00000000'))).toThrow(/type 3/);
  });
});
