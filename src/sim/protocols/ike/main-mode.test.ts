import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import { parseIpv4 } from '../../net/ipv4-address';
import { buildLab, logLines, router } from '../eigrp/test-lab.test-support';
import { servicesOf } from '../services.test-support';
import type { IkeSa } from './ike-sa';

const ip = (t: string): number => parseIpv4(t) ?? 0;

function lab(gmKey: string, policy = ' authentication pre-share') {
  return buildLab(
    [
      {
        name: 'KS',
        config: `hostname KS
interface FastEthernet0/0
 ip address 10.0.0.1 255.255.255.0
crypto isakmp policy 10
${policy}
crypto isakmp key cisco address 0.0.0.0 0.0.0.0
`,
      },
      {
        name: 'GM',
        config: `hostname GM
interface FastEthernet0/0
 ip address 10.0.0.2 255.255.255.0
crypto isakmp policy 10
${policy}
crypto isakmp key ${gmKey} address 10.0.0.1
`,
      },
    ],
    [{ a: 'KS Fa0/0', b: 'GM Fa0/0' }],
  );
}

async function mainMode(l: ReturnType<typeof lab>): Promise<{ result: (IkeSa | undefined)[] }> {
  const result: (IkeSa | undefined)[] = [];
  await servicesOf(router(l, 'GM')).ike.initiate(ip('10.0.0.2'), ip('10.0.0.1'), 848, (sa) => {
    result.push(sa);
  });
  await l.kernel.runUntil(seconds(120));
  return { result };
}

describe('IKE main mode with pre-shared keys', () => {
  it('completes with the right key: both ends derive the same keys and show GDOI_IDLE', async () => {
    const l = lab('cisco', ' encryption 3des\n hash md5\n authentication pre-share\n group 2');
    const { result } = await mainMode(l);
    expect(result).toHaveLength(1);
    const gm = result[0]!;
    expect(gm.state).toBe('GDOI_IDLE');
    const ks = servicesOf(router(l, 'KS')).ike.sas[0]!;
    expect(ks.state).toBe('GDOI_IDLE');
    expect(ks.keys!.skeyidE).toEqual(gm.keys!.skeyidE);
    expect(ks.keys!.encryptionKey).toHaveLength(24);
    expect(ks.lastPhase1Block).toEqual(gm.lastPhase1Block);
    expect(gm.policy).toMatchObject({ cipher: '3des', hash: 'md5', group: 2 });
    expect(logLines(l, 'KS').filter((t) => t.includes('IKMP_BAD_MESSAGE'))).toEqual([]);
  });

  it('uses the IOS defaults (DES, SHA, group 1) for a policy with only `authentication pre-share`', async () => {
    const l = lab('cisco');
    const { result } = await mainMode(l);
    expect(result[0]?.policy).toMatchObject({ cipher: 'des', hash: 'sha1', group: 1, lifetime: 86400 });
    expect(result[0]?.dh?.publicValue).toHaveLength(96);
  });

  it('fails with a wrong key: the KS logs IKMP_BAD_MESSAGE per attempt and the GM SA dies by retransmission', async () => {
    const l = lab('wrong');
    const gm = router(l, 'GM');
    gm.debug.add('crypto isakmp');
    const { result } = await mainMode(l);
    expect(result).toEqual([undefined]);
    const bad = logLines(l, 'KS').filter((t) => t.startsWith('%CRYPTO-4-IKMP_BAD_MESSAGE'));
    // Message 5 and its five retransmissions.
    expect(bad).toHaveLength(6);
    expect(bad[0]).toBe(
      '%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.0.2 failed its sanity check or is malformed',
    );
    expect(logLines(l, 'GM')).toContain(
      'ISAKMP:(1001):deleting SA reason "Death by retransmission P1" state (I) MM_KEY_EXCH (peer 10.0.0.1)',
    );
    expect(servicesOf(gm).ike.sas).toEqual([]);
    expect(servicesOf(router(l, 'KS')).ike.sas[0]?.state).toBe('MM_KEY_EXCH');
  });

  it('logs a message 6 whose encrypted body is not whole blocks as IKMP_BAD_MESSAGE on the initiator', async () => {
    const l = lab('cisco');
    const ks = servicesOf(router(l, 'KS')).ike;
    const send = ks.sendUdp.bind(ks);
    // The KS's only encrypted main-mode message is message 6: cut its last byte, keeping the header's length true.
    ks.sendUdp = (source, destination, port, payload, ttl) => {
      const encryptedMainMode = payload[18] === 2 && (payload[19]! & 1) === 1;
      if (!encryptedMainMode) return send(source, destination, port, payload, ttl);
      const cut = payload.slice(0, payload.length - 1);
      new DataView(cut.buffer).setUint32(24, cut.length);
      return send(source, destination, port, cut, ttl);
    };
    const { result } = await mainMode(l);
    expect(result).toEqual([undefined]);
    expect(logLines(l, 'GM')).toContain(
      '%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 10.0.0.1 failed its sanity check or is malformed',
    );
  });

  it('refuses a proposal with no matching policy', async () => {
    const l = buildLab(
      [
        {
          name: 'KS',
          config:
            'hostname KS\ninterface FastEthernet0/0\n ip address 10.0.0.1 255.255.255.0\ncrypto isakmp policy 1\n authentication pre-share\n group 2\ncrypto isakmp key cisco address 10.0.0.2\n',
        },
        {
          name: 'GM',
          config:
            'hostname GM\ninterface FastEthernet0/0\n ip address 10.0.0.2 255.255.255.0\ncrypto isakmp policy 1\n authentication pre-share\n group 5\ncrypto isakmp key cisco address 10.0.0.1\n',
        },
      ],
      [{ a: 'KS Fa0/0', b: 'GM Fa0/0' }],
    );
    const { result } = await mainMode(l);
    expect(result).toEqual([undefined]);
    expect(logLines(l, 'KS')).toContain(
      '%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at 10.0.0.2',
    );
  });
});
