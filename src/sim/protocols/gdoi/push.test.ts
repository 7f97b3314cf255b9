/**
 * GROUPKEY-PUSH with real keys: built and signed by the KS code, then checked by independent code (Node's
 * OpenSSL for 3DES-CBC and RSA-SHA1) and decoded by tshark from a plaintext copy.
 */
import { createDecipheriv, createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  importRsaPrivateKey,
  rsaPublicFromPrivate,
  exportSpki,
  importRsaPublicKey,
  generateRsaKeyPair,
} from '../../crypto';
import { Prng } from '../../kernel/prng';
import { seconds } from '../../kernel/time';
import { concatBytes } from '../../net/bytes';
import { ikeSaPayload } from '../../net/codec-fixtures.test-support';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { encodeIsakmp, EXCHANGE, ISAKMP_VERSION, type IsakmpPayload } from '../../net/isakmp';
import { writePcap } from '../../net/pcap';
import { TSHARK, tsharkRuns } from '../../net/tshark-oracle.test-support';
import { encodeUdp } from '../../net/udp';
import type { KekMaterial, TekMaterial } from './material';
import { kdPayload, kekFrom, saPayload, teksFrom } from './payloads';
import { buildPush, openPush } from './push';
import { deterministicRsaPkcs8 } from './rsa-keys';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const prng = new Prng(42);

async function ksKey() {
  const privateKey = await importRsaPrivateKey(deterministicRsaPkcs8(1024, new Prng(7)));
  const publicKey = await rsaPublicFromPrivate(privateKey);
  return { privateKey, publicKey, spki: await exportSpki(publicKey) };
}

function material(spki: Uint8Array): { kek: KekMaterial; tek: TekMaterial } {
  const kek: KekMaterial = {
    spi: prng.bytes(16),
    cipher: '3des',
    keyBits: 192,
    key: prng.bytes(24),
    iv: prng.bytes(8),
    lifetime: 300,
    createdAt: 0,
    expiresAt: seconds(300),
    sigKey: spki,
    sigKeyBits: 1024,
    source: ip('1.1.1.1'),
    destination: ip('239.10.10.1'),
  };
  const tek: TekMaterial = {
    spi: 0xde2b7089,
    transform: { encryption: 'esp-3des', keyBits: 192, integrity: 'esp-md5-hmac' },
    encryptionKey: prng.bytes(24),
    integrityKey: prng.bytes(16),
    lifetime: 3600,
    createdAt: 0,
    expiresAt: seconds(3600),
    acl: [
      {
        kind: 'extended',
        action: 'permit',
        protocol: 'gre',
        source: { address: 0, wildcard: 0xffffffff },
        destination: { address: 0, wildcard: 0xffffffff },
      },
    ],
    replay: { kind: 'time', windowSize: 5 },
  };
  return { kek, tek };
}

function payloads(kek: KekMaterial, tek: TekMaterial, seq: number): IsakmpPayload[] {
  return [{ kind: 'seq', sequence: seq }, saPayload(kek, [tek], seconds(300)), kdPayload(kek, [tek])];
}

function udpPacket(src: string, dst: string, payload: Uint8Array): Uint8Array {
  const udp = encodeUdp({ sourcePort: 848, destinationPort: 848, payload }, ip(src), ip(dst));
  return encodeIpv4({
    header: ipv4Header({ protocol: IP_PROTO.UDP, source: ip(src), destination: ip(dst) }),
    payload: udp,
  });
}

describe('GROUPKEY-PUSH signing and KEK encryption', () => {
  it('signs "rekey"|HDR|SEQ|SA|KD with RSA-SHA1 and encrypts with the KEK static IV (checked by OpenSSL)', async () => {
    const key = await ksKey();
    expect(key.spki).toHaveLength(162);
    const { kek, tek } = material(key.spki);
    const push = await buildPush(kek, key.privateKey, 128, payloads(kek, tek, 1));
    const bytes = push.bytes;
    // Cookies are the KEK SPI, exchange 33, E flag, M-ID 0, Length = on-wire length.
    expect(bytes.subarray(0, 16)).toEqual(kek.spi);
    expect([bytes[16], bytes[17], bytes[18], bytes[19]]).toEqual([18, 0x10, 33, 1]);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getUint32(24)).toBe(bytes.length);
    expect((bytes.length - 28) % 8).toBe(0);

    const decipher = createDecipheriv('des-ede3-cbc', kek.key, kek.iv).setAutoPadding(false);
    const plain = new Uint8Array(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]));
    // The plaintext copy carries the same chain: everything up to the SIG payload's 128-byte signature.
    const chainLength = push.plaintextCopy.length - 28 - 132;
    expect(plain.subarray(0, chainLength)).toEqual(push.plaintextCopy.subarray(28, 28 + chainLength));
    const signature = plain.subarray(chainLength + 4, chainLength + 4 + 128);
    const signed = concatBytes(
      new TextEncoder().encode('rekey'),
      bytes.subarray(0, 28),
      plain.subarray(0, chainLength),
    );
    const pub = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' });
    expect(verify('sha1', signed, pub, signature)).toBe(true);

    const opened = await openPush(bytes, kek, key.publicKey);
    expect(opened.ok).toBe(true);
  });

  it('rejects another signer and a flipped bit; round-trips KEK and TEK through the payloads', async () => {
    const key = await ksKey();
    const { kek, tek } = material(key.spki);
    const forged = await buildPush(
      kek,
      (await generateRsaKeyPair(1024)).privateKey,
      128,
      payloads(kek, tek, 2),
    );
    expect(await openPush(forged.bytes, kek, key.publicKey)).toMatchObject({
      ok: false,
      reason: 'signature',
    });
    const good = await buildPush(kek, key.privateKey, 128, payloads(kek, tek, 2));
    for (const at of [40, 200, good.bytes.length - 1]) {
      const t = good.bytes.slice();
      t[at]! ^= 1;
      expect((await openPush(t, kek, await importRsaPublicKey(key.spki))).ok).toBe(false);
    }
    const opened = await openPush(good.bytes, kek, key.publicKey);
    if (!opened.ok) throw new Error('push did not open');
    const sa = opened.payloads.find((p) => p.kind === 'gdoi-sa');
    const kd = opened.payloads.find((p) => p.kind === 'kd');
    if (sa?.kind !== 'gdoi-sa' || kd?.kind !== 'kd') throw new Error('missing payloads');
    const back = kekFrom(
      sa.kek!,
      kd.packets.find((p) => p.kdType === 2),
      0,
    );
    expect(back).toMatchObject({ spi: kek.spi, key: kek.key, iv: kek.iv, sigKey: key.spki, cipher: '3des' });
    const teks = teksFrom(sa.teks, kd.packets, 0);
    expect(teks[0]).toMatchObject({
      spi: tek.spi,
      encryptionKey: tek.encryptionKey,
      integrityKey: tek.integrityKey,
      replay: tek.replay,
      lifetime: 3300,
    });
    expect(teks[0]!.acl).toEqual(tek.acl);
  });
});

const runTshark = tsharkRuns('push.test.ts');

describe('ISAKMP/GDOI decoded by tshark', () => {
  it.runIf(runTshark)(
    'decodes main mode, the encrypted push and its plaintext copy with no malformed packet',
    async () => {
      const key = await ksKey();
      const { kek, tek } = material(key.spki);
      const push = await buildPush(kek, key.privateKey, 128, payloads(kek, tek, 1));
      const mm1 = encodeIsakmp({
        header: {
          initiatorCookie: prng.bytes(8),
          responderCookie: new Uint8Array(8),
          version: ISAKMP_VERSION,
          exchangeType: EXCHANGE.MAIN_MODE,
          flags: 0,
          messageId: 0,
        },
        payloads: [
          ikeSaPayload([
            {
              number: 1,
              id: 1,
              attributes: [
                { type: 1, value: 1 },
                { type: 2, value: 2 },
                { type: 3, value: 1 },
                { type: 4, value: 1 },
              ],
            },
          ]),
        ],
      });
      // A GROUPKEY-PULL message 1 as the IKE SA sends it: header in clear, payloads CBC-encrypted (E flag).
      const pull = encodeIsakmp({
        header: {
          initiatorCookie: prng.bytes(8),
          responderCookie: prng.bytes(8),
          version: ISAKMP_VERSION,
          exchangeType: EXCHANGE.GROUPKEY_PULL,
          flags: 1,
          messageId: 0x65058ab8,
        },
        payloads: [{ kind: 'raw', type: 8, body: prng.bytes(44) }],
      });
      const frames = [
        udpPacket('11.11.11.11', '1.1.1.1', mm1),
        udpPacket('11.11.11.11', '1.1.1.1', pull),
        udpPacket('1.1.1.1', '239.10.10.1', push.bytes),
        udpPacket('1.1.1.1', '239.10.10.1', push.plaintextCopy),
      ].map((bytes, i) => ({ timeUs: i * 1000, bytes }));
      const dir = mkdtempSync(join(tmpdir(), 'getlab-gdoi-'));
      try {
        const file = join(dir, 'gdoi.pcap');
        writeFileSync(file, writePcap(frames, 1_700_000_000));
        const fields = [
          'isakmp.exchangetype',
          'isakmp.flags',
          'isakmp.seq.seq',
          'isakmp.sat.spi',
          'isakmp.sak.spi',
          'isakmp.kd.payload.spi',
          'isakmp.sa.doi',
          'isakmp.sig',
          '_ws.malformed',
        ];
        const out = execFileSync(
          TSHARK,
          [
            '-r',
            file,
            '-d',
            'udp.port==848,isakmp',
            '-T',
            'fields',
            '-E',
            'aggregator=;',
            ...fields.flatMap((f) => ['-e', f]),
          ],
          { encoding: 'utf8' },
        );
        const rows = out
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => l.split('\t'));
        expect(rows[0]!.slice(0, 2)).toEqual(['2', '0x00']);
        expect(rows[0]![6]).toBe('1');
        expect(rows[1]!.slice(0, 2)).toEqual(['32', '0x01']);
        expect(rows[2]!.slice(0, 3)).toEqual(['33', '0x01', '']);
        const [ex, flags, seq, satSpi, sakSpi, kdSpi, doi, sig, malformed] = rows[3]!;
        expect([ex, flags, seq, doi, malformed]).toEqual(['33', '0x00', '1', '2', '']);
        expect(satSpi).toBe('de2b7089');
        expect(sakSpi).toBe(Buffer.from(kek.spi).toString('hex'));
        expect(kdSpi).toBe(`de2b7089;${Buffer.from(kek.spi).toString('hex')}`);
        expect(sig).toHaveLength(256);
        for (const r of rows) expect(r[8]).toBe('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
