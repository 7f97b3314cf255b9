import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import type { PacketRecord } from '../../kernel/trace';
import type { Lab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';
import type { EspTransform, GroupTek } from './group-policy';
import { TEK_ROLLOVER } from './esp-service';
import { espKeylog } from './keylog';
import { ESP_3DES_MD5, getVpnLab, makeTek, permitAny, policy, routerOf } from './test-lab.test-support';

const SPI = 0x9cae4c22;

async function run(lab: Lab, device: string, line: string): Promise<string> {
  return new CliSession(routerOf(lab, device), { epochMs: lab.epochMs }).execute(line);
}

function install(lab: Lab, teks: GroupTek[], acl = [permitAny('icmp')], devices = ['GM1', 'GM2']): void {
  for (const d of devices) servicesOf(routerOf(lab, d)).esp.installGroupPolicy('GETVPN', policy(acl, teks));
}

function packets(lab: Lab, from = 0): PacketRecord[] {
  return lab.kernel.trace
    .all()
    .slice(from)
    .filter((r): r is PacketRecord => r.kind === 'packet');
}

function logs(lab: Lab, device: string): string[] {
  return lab.kernel.trace.all().flatMap((r) => (r.kind === 'log' && r.device === device ? [r.text] : []));
}

/** The bytes of the last ESP frame GM1 put on its link. */
function lastEspFrameFromGm1(lab: Lab): Uint8Array {
  const frame = lab.kernel.trace
    .allFrames()
    .filter((f) => f.from === 'GM1' && f.bytes[9] === 50)
    .at(-1);
  if (!frame) throw new Error('GM1 sent no ESP');
  return frame.bytes;
}

describe('GET VPN crypto map: fail-open before registration', () => {
  it('passes traffic in clear while no group policy is installed', async () => {
    const lab = getVpnLab();
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0')).toContain(
      'Success rate is 100 percent (5/5)',
    );
    const onWire = packets(lab).filter((p) => p.event === 'sent' && p.device === 'GM1');
    expect(onWire.every((p) => p.protocols[1] === 'icmp')).toBe(true);
    expect(await run(lab, 'GM1', 'show crypto ipsec sa')).toBe(
      '\ninterface: Serial1/0\n    Crypto map tag: GETVPN, local addr 1.1.1.1',
    );
  });
});

describe('GET VPN crypto map: ESP with the group TEK', () => {
  const transforms: EspTransform[] = [
    ESP_3DES_MD5,
    { encryption: 'esp-aes', keyBits: 128, integrity: 'esp-sha-hmac' },
    { encryption: 'esp-aes', keyBits: 256, integrity: 'esp-sha256-hmac' },
    { encryption: 'esp-des', keyBits: 64, integrity: 'esp-md5-hmac' },
  ];
  for (const t of transforms) {
    it(`${t.encryption} ${t.keyBits} ${t.integrity}: a ping crosses as ESP with addresses preserved`, async () => {
      const lab = getVpnLab();
      install(lab, [makeTek(SPI, t, { replay: { kind: 'time', windowSize: 5 } })]);
      expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0')).toContain('(5/5)');
      const sent = packets(lab).filter((p) => p.event === 'sent' && p.device !== 'SP');
      expect(sent).toHaveLength(10);
      for (const p of sent) {
        expect(p.protocols).toEqual(['ipv4', 'esp']);
        expect(p.summary).toMatch(
          /^ESP (1\.1\.1\.1 > 2\.2\.2\.2|2\.2\.2\.2 > 1\.1\.1\.1) SPI=0x9cae4c22 seq=\d/,
        );
      }
      // SP has no crypto map: it forwards the ESP untouched (transit).
      expect(packets(lab).filter((p) => p.device === 'SP' && p.event === 'forwarded')).toHaveLength(10);
    });
  }

  it('counts in show crypto ipsec sa, IOS layout', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5, { replay: { kind: 'time', windowSize: 5 } })]);
    await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0');
    await lab.kernel.runUntil(seconds(6));
    const show = await run(lab, 'GM1', 'show crypto ipsec sa');
    expect(show).toContain('interface: Serial1/0\n    Crypto map tag: GETVPN, local addr 1.1.1.1');
    expect(show).toContain('   local  ident (addr/mask/prot/port): (0.0.0.0/0.0.0.0/1/0)');
    expect(show).toContain('   Group: GDOI_GM');
    expect(show).toContain('    #pkts encaps: 5, #pkts encrypt: 5, #pkts digest: 5');
    expect(show).toContain('    #pkts decaps: 5, #pkts decrypt: 5, #pkts verify: 5');
    expect(show).toContain('    #send errors 0, #recv errors 0');
    expect(show).toContain('     current outbound spi: 0x9CAE4C22(2628668450)');
    expect(show).toContain(
      [
        '     inbound esp sas:',
        '      spi: 0x9CAE4C22(2628668450)',
        '        transform: esp-3des esp-md5-hmac ,',
        '        in use settings ={Tunnel, }',
        '        conn id: 2001, flow_id: SW:1, sibling_flags 80000040, crypto map: GETVPN',
        '        sa timing: remaining key lifetime (sec): (3594)',
      ].join('\n'),
    );
    expect(show).toContain('     outbound esp sas:\n      spi: 0x9CAE4C22(2628668450)');
    expect(await run(lab, 'GM1', 'show crypto ipsec sa detail')).toContain(
      '    ##pkts replay failed (rcv): 0',
    );
  });

  it('leaves traffic the ACL does not permit in clear (permit gre: ICMP and UDP 848 stay clear)', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5)], [permitAny('gre')]);
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0')).toContain('(5/5)');
    expect(
      packets(lab)
        .filter((p) => p.event === 'sent')
        .every((p) => p.protocols[1] === 'icmp'),
    ).toBe(true);
  });

  it('exports every installed SA in Wireshark esp_sa format', () => {
    const lab = getVpnLab();
    const tek = makeTek(SPI, ESP_3DES_MD5);
    install(lab, [tek]);
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    expect(espKeylog(lab.routers)).toBe(
      '# This file is automatically generated, DO NOT MODIFY.\n' +
        `"IPv4","*","*","0x9cae4c22","TripleDES-CBC [RFC2451]","0x${hex(tek.encryptionKey)}","HMAC-MD5-96 [RFC2403]","0x${hex(tek.integrityKey)}"\n`,
    );
  });
});

describe('GET VPN crypto map: drops', () => {
  it('drops cleartext that the ACL says must be encrypted once the member has a policy', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5)], [permitAny('icmp')], ['GM2']);
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0')).toContain('(0/5)');
    const drops = packets(lab).filter((p) => p.device === 'GM2' && p.event === 'dropped');
    expect(drops).toHaveLength(5);
    expect(drops[0]?.reason).toMatch(
      /^cleartext packet matched the GET VPN ACL of group GDOI_GM on Serial1\/0/,
    );
    expect(logs(lab, 'GM2')).toEqual([
      "%CRYPTO-4-RECVD_PKT_NOT_IPSEC: Rec'd packet not an IPSEC packet. (ip) vrf/dest_addr= /2.2.2.2, src_addr= 1.1.1.1, prot= 1",
    ]);
    expect(await run(lab, 'GM2', 'show crypto ipsec sa')).toContain('#send errors 0, #recv errors 5');
    // Without its policy (cleared, re-registering) the member is back to fail-open.
    const gm2 = servicesOf(routerOf(lab, 'GM2')).esp;
    expect(gm2.cryptoMapsOfGroup('GDOI_GM')).toEqual(['GETVPN']);
    gm2.removeGroupPolicy('GETVPN', 'GDOI_GM');
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0')).toContain('(5/5)');
  });

  it('drops ESP with an unknown SPI (the peer has another TEK)', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(0x11112222, ESP_3DES_MD5)], [permitAny('icmp')], ['GM1']);
    install(lab, [makeTek(SPI, ESP_3DES_MD5)], [permitAny('icmp')], ['GM2']);
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1')).toContain('(0/1)');
    const drop = packets(lab).find((p) => p.device === 'GM2' && p.event === 'dropped');
    expect(drop?.reason).toMatch(/^ESP with unknown SPI 0x11112222: no installed group SA on Serial1\/0/);
    expect(logs(lab, 'GM2')).toEqual([
      "%CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for destaddr=2.2.2.2, prot=50, spi=0x11112222(286335522), srcaddr=1.1.1.1, input interface=Serial1/0",
    ]);
  });

  it('drops a packet with one flipped bit: ICV check failed', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5)]);
    await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1');
    const tampered = new Uint8Array(lastEspFrameFromGm1(lab));
    tampered[40] = (tampered[40] ?? 0) ^ 0x01; // inside the ciphertext
    const from = lab.kernel.trace.all().length;
    await routerOf(lab, 'GM2').receiveFrame('Serial1/0', tampered, 0);
    const drop = packets(lab, from).find((p) => p.event === 'dropped');
    expect(drop?.reason).toBe(
      'ESP HMAC-MD5-96 ICV check failed (SPI 0x9cae4c22): packet altered or wrong key',
    );
    expect(logs(lab, 'GM2')).toContain(
      '%CRYPTO-4-RECVD_PKT_MAC_ERR: decrypt: mac verify failed for connection id=2001',
    );
    const show = await run(lab, 'GM2', 'show crypto ipsec sa detail');
    expect(show).toContain('#pkts invalid prot (recv) 0, #pkts verify failed: 1');
  });

  it('time-based anti-replay: a copy within the window passes, one replayed after it is dropped and logged', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5, { replay: { kind: 'time', windowSize: 5 } })]);
    await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1');
    const captured = lastEspFrameFromGm1(lab);
    const gm2 = routerOf(lab, 'GM2');
    const decaps = (): number => servicesOf(gm2).esp.countersOf('Serial1/0', 'GETVPN', 'GDOI_GM').decaps;
    expect(decaps()).toBe(1);
    await gm2.receiveFrame('Serial1/0', captured, 0); // TBAR does not catch duplicates inside the window
    expect(decaps()).toBe(2);
    await lab.kernel.runUntil(seconds(30));
    const from = lab.kernel.trace.all().length;
    await gm2.receiveFrame('Serial1/0', captured, 0);
    expect(decaps()).toBe(2);
    expect(packets(lab, from).find((p) => p.event === 'dropped')?.reason).toMatch(
      /^time-based anti-replay: sent at pseudotime 0\.\d\d s, now 30\.00 s, outside the 5 s window$/,
    );
    expect(logs(lab, 'GM2').slice(-2)).toEqual([
      expect.stringMatching(
        /^%GDOI-4-TIMEBASED_REPLAY_FAILED: An anti replay check has failed in group GDOI_GM from sourceip-address 1\.1\.1\.1\. my_pseudotime is 30\.00 secs, peer_pseudotime is 0\.\d\d secs, replay_window is 5 \(second\)$/,
      ),
      '%CRYPTO-4-PKT_REPLAY_ERR: decrypt: replay check failed connection id=2001, sequence number=1',
    ]);
    expect(servicesOf(gm2).esp.countersOf('Serial1/0', 'GETVPN', 'GDOI_GM').replayFailed).toBe(1);
  });

  it('counter anti-replay: an immediate duplicate is dropped', async () => {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, ESP_3DES_MD5, { replay: { kind: 'counter', windowSize: 64 } })]);
    await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1');
    const from = lab.kernel.trace.all().length;
    await routerOf(lab, 'GM2').receiveFrame('Serial1/0', lastEspFrameFromGm1(lab), 0);
    expect(packets(lab, from).find((p) => p.event === 'dropped')?.reason).toBe(
      'counter anti-replay: sequence 1 from 1.1.1.1 already seen or left of the 64-packet window',
    );
  });
});

describe('GET VPN crypto map: rekey overlap', () => {
  it('keeps encrypting with the old TEK until 30 s before it expires, decrypting with both', async () => {
    const lab = getVpnLab();
    const old = makeTek(SPI, ESP_3DES_MD5, { lifetime: 60 });
    const next = makeTek(0x0badcafe, ESP_3DES_MD5);
    install(lab, [old], [permitAny('icmp')], ['GM1']);
    install(lab, [next, old], [permitAny('icmp')], ['GM2']);
    // GM2 holds the new TEK already but still answers with the old one: GM1, which missed the rekey, decrypts.
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1')).toContain('(1/1)');
    const before = await run(lab, 'GM2', 'show crypto ipsec sa');
    expect(before).toContain(`current outbound spi: 0x${SPI.toString(16).toUpperCase()}(${SPI})`);
    // 31 s later the old TEK has 29 s left: GM2 rolls over to the new TEK, still unknown to GM1.
    await lab.kernel.runUntil(seconds(31));
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1')).toContain('(0/1)');
    expect(servicesOf(routerOf(lab, 'GM2')).esp.countersOf('Serial1/0', 'GETVPN', 'GDOI_GM').decaps).toBe(2);
    expect(packets(lab).find((p) => p.device === 'GM1' && p.event === 'dropped')?.reason).toMatch(
      /unknown SPI 0x0badcafe/,
    );
    install(lab, [next, old], [permitAny('icmp')], ['GM1']);
    expect(await run(lab, 'GM1', 'ping 2.2.2.2 source Loopback0 repeat 1')).toContain('(1/1)');
    const show = await run(lab, 'GM2', 'show crypto ipsec sa');
    expect(show).toContain('current outbound spi: 0xBADCAFE(195939070)');
    expect(show.match(/ {6}spi: /g)).toHaveLength(3); // inbound: new + old; outbound: new
    await lab.kernel.runUntil(seconds(61));
    expect((await run(lab, 'GM2', 'show crypto ipsec sa')).match(/ {6}spi: /g)).toHaveLength(2);
  });
});

describe('GET VPN crypto map: determinism with WebCrypto transforms', () => {
  const AES_SHA: EspTransform = { encryption: 'esp-aes', keyBits: 256, integrity: 'esp-sha-hmac' };

  /** Five packets fired without awaiting (as `void send()` protocol code does) inside one event at 5 s. */
  async function detachedBurst(): Promise<{ hash: string; sent: PacketRecord[] }> {
    const lab = getVpnLab();
    install(lab, [makeTek(SPI, AES_SHA)], [permitAny('udp')]);
    const gm1 = routerOf(lab, 'GM1');
    lab.kernel.schedule(seconds(5), () => {
      for (let i = 0; i < 5; i++) {
        const payload = new Uint8Array([0x30, 0x39, 0x30, 0x39, 0, 12, 0, 0, i, i, i, i]);
        void gm1.sendIp({ destination: 0x02020202, source: 0x01010101, protocol: 17, payload });
      }
    });
    // The next event, 1 µs later: without the kernel finishing the detached sends first, it would run while
    // AES is still busy and the packets would leave late, at a time that depends on the host.
    lab.kernel.schedule(seconds(5) + 1, () => undefined);
    await lab.kernel.runUntil(seconds(6));
    const sent = packets(lab).filter((p) => p.device === 'GM1' && p.event === 'sent');
    return { hash: lab.kernel.trace.hash(), sent };
  }

  it('sends ESP from un-awaited sends at the instant they were made, in call order, with one trace', async () => {
    const a = await detachedBurst();
    expect(a.sent).toHaveLength(5);
    expect(a.sent.every((p) => p.t === seconds(5) && p.protocols[1] === 'esp')).toBe(true);
    const b = await detachedBurst();
    expect(b.hash).toBe(a.hash);
  });
});

describe('currentTek (the TEK a member encrypts with)', () => {
  /** The definition as first written (a filtered copy of the live TEKs): the loop must pick the same TEK. */
  function byFilter(teks: readonly GroupTek[], now: number): GroupTek | undefined {
    const live = teks.filter((t) => t.installedAt <= now && now < t.expiresAt);
    for (let i = live.length - 1; i > 0; i--) {
      const t = live[i]!;
      if (t.expiresAt - now > TEK_ROLLOVER) return t;
    }
    return live[0];
  }

  it('stays on the oldest live TEK until 30 s before its expiry, for any TEK list and time', () => {
    const esp = servicesOf(routerOf(getVpnLab(), 'GM1')).esp;
    const tekArb = fc.record({ installedAt: fc.nat(400), lifetime: fc.integer({ min: 1, max: 400 }) });
    fc.assert(
      fc.property(fc.array(tekArb, { maxLength: 5 }), fc.nat(900), (specs, nowS) => {
        const teks = specs.map((s, i) => ({
          ...makeTek(SPI + i, ESP_3DES_MD5, { lifetime: s.lifetime }),
          installedAt: seconds(s.installedAt),
          expiresAt: seconds(s.installedAt + s.lifetime),
        }));
        const now = seconds(nowS);
        expect(esp.currentTek(policy([], teks), now)?.spi).toBe(byFilter(teks, now)?.spi);
      }),
      { numRuns: 500 },
    );
  });
});
