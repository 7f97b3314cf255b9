/**
 * The reference lab (public/scenarios/getvpn-multicast-rekey.json): registration of Central, GM-1 and GM-2,
 * the multicast rekeys with the article's settings (rekey lifetime 300, retransmit 60 × 2), the show outputs,
 * the rekey debug, and rejected forged / replayed / tampered rekeys.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { generateRsaKeyPair } from '../../crypto';
import type { Router } from '../../device/router';
import { seconds } from '../../kernel/time';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { encodeUdp } from '../../net/udp';
import type { Lab } from '../../scenario/lab';
import { loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';
import { kdPayload, saPayload } from './payloads';
import { buildPush } from './push';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const SCENARIO = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);

function logs(lab: Lab, device: string, from = 0): string[] {
  return lab.kernel.trace
    .all()
    .filter((r) => r.kind === 'log' && r.device === device && r.t >= from)
    .map((r) => (r.kind === 'log' ? r.text : ''));
}

async function exec(lab: Lab, device: string, command: string): Promise<string> {
  const cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  const out = await cli.execute(command);
  return typeof out === 'string' ? out : JSON.stringify(out);
}

function r(lab: Lab, name: string): Router {
  return lab.router(name)!;
}

/** Delivers a GDOI push to a member as the multicast module would (UDP 848 to 239.10.10.1 from 1.1.1.1). */
async function deliverPush(router: Router, bytes: Uint8Array): Promise<void> {
  const src = ip('1.1.1.1');
  const dst = ip('239.10.10.1');
  const payload = encodeUdp({ sourcePort: 848, destinationPort: 848, payload: bytes }, src, dst);
  const header = ipv4Header({ protocol: IP_PROTO.UDP, source: src, destination: dst });
  await router.deliverLocal({ datagram: { header, payload }, bytes: encodeIpv4({ header, payload }) });
}

describe('GET VPN in the reference lab', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = loadLab(SCENARIO).lab!;
    await lab.kernel.runUntil(seconds(30));
  }, 60_000);

  it('registers all three members: the KS shows Group Members : 3', async () => {
    const out = await exec(lab, 'KS', 'show crypto gdoi');
    expect(out).toContain('    Group Name               : GDOI_GROUP (Multicast)');
    expect(out).toContain('    Group Members            : 3');
    expect(out).toContain('    Group Rekey Lifetime     : 300 secs');
    expect(out).toContain('      Replay method          : Time Based');
    expect(out).toContain('      ACL Configured         : access-list ACL');
    for (const gm of ['Central', 'GM-1', 'GM-2']) {
      expect(logs(lab, gm)).toContain(
        `%GDOI-5-GM_REGS_COMPL: Registration to KS 1.1.1.1 complete for group GDOI_GM using address ${
          { Central: '2.2.2.2', 'GM-1': '11.11.11.11', 'GM-2': '12.12.12.12' }[gm]
        }`,
      );
    }
    const isakmp = await exec(lab, 'KS', 'show crypto isakmp sa');
    expect(isakmp).toMatch(/\n1\.1\.1\.1 {9}11\.11\.11\.11 {5}GDOI_IDLE {9}\d{4} ACTIVE\n/);
    expect(isakmp).toContain('239.10.10.1     1.1.1.1         GDOI_REKEY           0 ACTIVE');
  });

  it("prints the member view of show crypto gdoi in the article's layout with live values", async () => {
    const out = (await exec(lab, 'Central', 'show crypto gdoi')).split('\n');
    const tek = servicesOf(r(lab, 'Central')).gdoi.members.get('GDOI_GM')!.teks[0]!;
    const spiHex = tek.spi.toString(16).toUpperCase().padStart(8, '0');
    expect(out.slice(0, 7)).toEqual([
      'GROUP INFORMATION',
      '    Group Name               : GDOI_GM',
      '    Group Identity           : 123',
      '    Rekeys received          : 0',
      '    IPSec SA Direction       : Both',
      '    Active Group Server      : 1.1.1.1',
      '    Group Server list        : 1.1.1.1',
    ]);
    expect(out[7]).toMatch(/^ {4}GM Reregisters in {8}: \d+ secs$/);
    expect(out.slice(8)).toEqual([
      '    Rekey Received           : never',
      '    Rekeys received',
      '         Cumulative          : 0',
      '         After registration  : 0',
      ' ACL Downloaded From KS 1.1.1.1:',
      '   access-list  permit gre any any',
      'KEK POLICY:',
      '    Rekey Transport Type     : Multicast',
      '    Lifetime (secs)          : 272',
      '    Encrypt Algorithm        : 3DES',
      '    Key Size                 : 192',
      '    Sig Hash Algorithm       : HMAC_AUTH_SHA',
      '    Sig Key Length (bits)    : 1024',
      'TEK POLICY for the current KS-Policy ACEs Downloaded:',
      '    IPsec SA:',
      `        spi: 0x${spiHex}(${tek.spi})`,
      '        transform: esp-3des esp-md5-hmac',
      '        sa timing:remaining key lifetime (sec): (3572)',
      '        Anti-Replay(Time Based) : 5 sec interval',
    ]);
    // The group TEK went to ESP: the same SPI and keys on every member.
    for (const gm of ['Central', 'GM-1', 'GM-2']) {
      const policy = servicesOf(r(lab, gm)).esp.groupPolicy('DMVPN', 'GDOI_GM');
      expect(policy?.teks[0]?.spi).toBe(tek.spi);
      expect(policy?.teks[0]?.encryptionKey).toEqual(tek.encryptionKey);
    }
  });

  it('sends the seq 1 multicast rekey at the end of the KEK lifetime; every member receives it, with the debug', async () => {
    await exec(lab, 'GM-1', 'debug crypto gdoi ks rekey');
    await lab.kernel.runUntil(seconds(310));
    expect(logs(lab, 'KS', seconds(30))).toContain(
      '%GDOI-5-KS_SEND_MCAST_REKEY: Sending Multicast Rekey for group GDOI_GROUP from address 1.1.1.1 to 239.10.10.1  with seq # 1',
    );
    for (const gm of ['Central', 'GM-1', 'GM-2']) {
      expect(logs(lab, gm, seconds(30))).toContain(
        '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GDOI_GM from 1.1.1.1 to 239.10.10.1 with seq # 1',
      );
    }
    // The article's `debug crypto gdoi ks rekey` block on GM-1, line for line, without its timestamps. The
    // SPIs, message IDs and connection IDs are ours (normalised below); every other character must match.
    const article = [
      'GDOI:INFRA:(GDOI_GM:1004):Received Rekey Message!',
      'GDOI:INFRA:(GDOI_GM:1004):Signature Valid!',
      'GDOI:INFRA:(1004):received payload type 18',
      'GDOI:INFRA:(1004):processing GDOI Seq Payload, message_id  0',
      'GDOI:INFRA:(1004):Completed SEQ Processing for seq 1',
      'GDOI:INFRA:(1004):processing GDOI SA Payload, message ID + 0',
      'GDOI:INFRA:(1004):processing GDOI SA KEK Payload',
      'GDOI:INFRA:(0): kek_sa->src 1.1.1.1 kek_sa->dst 239.10.10.1',
      'GDOI:INFRA:(0):    KEK_ALGORITHM 5',
      'GDOI:INFRA:(0):    KEY_LENGTH 192',
      'GDOI:INFRA:(0):    KEY_LIFETIME 299',
      'GDOI:INFRA:(0):    SIG_HASH_ALG 2',
      'GDOI:INFRA:(0):    SIG_ALG 1',
      'GDOI:INFRA:(0):    SIG_KEY_LEN 1024',
      'GDOI:INFRA:(0): New Kek is received, reset last_seq_num to 0',
      'GDOI:INFRA:(0): Completed KEK Processing',
      'GDOI:INFRA:(1004):processing GDOI Private Attribute Payload',
      'GDOI:INFRA:(1004): Completed GDOI Attribute Processing',
      'GDOI:INFRA:(GDOI_GM:1004):Completed processing 1 GDOI SA TEK Payloads',
      'GDOI:INFRA:(1004):received payload type 17',
      'GDOI:INFRA:(1004):processing GDOI KD Payload, message_id  0',
      'GDOI:INFRA:(1004):processing GDOI Key Packet, message_id  1694874040',
      'GDOI:INFRA:(1004):processing TEK KD: spi is 0xDE2B7089',
      'GDOI:INFRA:(1004):                   lifetime is 3300 seconds',
      'GDOI:INFRA:(1004):TEK Integrity Key 16 bytes',
      'GDOI:INFRA:(1004):Completed KeyPkt Processing',
      'GDOI:INFRA:(1004):processing GDOI Key Packet, message_id  1694874040',
      'GDOI:INFRA:(1004): Processing KEK KD',
      'GDOI:INFRA:(1004):KEK Alg Key 32 bytes',
      'GDOI:INFRA:(1004):KEK Sig Key 162 bytes',
      'GDOI:INFRA:(1004):Completed KeyPkt Processing',
      'GDOI:INFRA:(1004):Multicast Rekey from KS 2',
      '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GDOI_GM from 1.1.1.1 to 239.10.10.1 with seq # 1',
      'GDOI:INFRA:(GDOI_GM:1004): using SPI 8D8385D6C8FF4A10',
      'GDOI:INFRA:(GDOI_GM:0):crypto exact match ace number : 1',
    ];
    const normalise = (line: string): string =>
      line
        .replace(/\((GDOI_GM:)?[1-9]\d{3}\)/, '($1<conn>)')
        .replace(/message_id {2}\d+/, 'message_id  <mid>')
        .replace(/spi is 0x[0-9A-F]{8}$/, 'spi is <spi>')
        .replace(/using SPI [0-9A-F]{16}$/, 'using SPI <spi>');
    const gm1 = logs(lab, 'GM-1', seconds(30));
    const first = gm1.findIndex((t) => t.endsWith(':Received Rekey Message!'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(gm1.slice(first, first + article.length).map(normalise)).toEqual(article.map(normalise));
    // The SIG key in the KD is the KS's SPKI: the 162-byte DER of its 1024-bit key.
    const ksKey = await servicesOf(r(lab, 'KS')).gdoi.rsaKey('GDOI_KEYS')!;
    expect(ksKey.spki).toHaveLength(162);
    expect(servicesOf(r(lab, 'GM-1')).gdoi.members.get('GDOI_GM')!.kek!.sigKey).toEqual(ksKey.spki);
  }, 60_000);

  it('prints the KS view of show crypto gdoi line for line as the article does (SA remaining 3072 s)', async () => {
    const ks = servicesOf(r(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    // The article's KS output was taken 528 s after the keys were made: TEK remaining 3072 s, the second KEK
    // (made 1 s before the 300 s rekey, ks.ts KEK_PREPARATION) 229 s into its 300 s, the first rekey's two
    // retransmissions over.
    await lab.kernel.runUntil(ks.teks.at(-1)!.createdAt + seconds(528));
    expect((await exec(lab, 'KS', 'show crypto gdoi')).split('\n')).toEqual([
      'GROUP INFORMATION',
      '    Group Name               : GDOI_GROUP (Multicast)',
      '    Group Identity           : 123',
      '    Group Members            : 3',
      '    IPSec SA Direction       : Both',
      '    Active Group Server      : Local',
      '    Group Rekey Lifetime     : 300 secs',
      '    Group Rekey',
      '        Remaining Lifetime   : 71 secs',
      '    Rekey Retransmit Period  : 60 secs',
      '    Rekey Retransmit Attempts: 2',
      '    Group Retransmit',
      '        Remaining Lifetime   : 0 secs',
      '      IPSec SA Number        : 1',
      '      IPSec SA Rekey Lifetime: 3600 secs',
      '      Profile Name           : GDOI_PROFILE',
      '      Replay method          : Time Based',
      '      Replay Window Size     : 5',
      '      SA Rekey',
      '         Remaining Lifetime  : 3072 secs',
      '      ACL Configured         : access-list ACL',
      '    Group Server list        : Local',
    ]);
    const members = await exec(lab, 'KS', 'show crypto gdoi ks members');
    expect(members.split('\n').slice(0, 3)).toEqual([
      'Group Member Information :',
      '',
      'Number of rekeys sent for group GDOI_GROUP : 1',
    ]);
    for (const gm of ['2.2.2.2', '11.11.11.11', '12.12.12.12']) {
      expect(members).toContain(`Group Member ID    : ${gm}   GM Version: 1.0.4`);
    }
    // Multicast rekeys are not acknowledged: the ACK counters stay at zero.
    expect(members).toContain(' Rekeys sent       : 1\n Rekeys retries    : 2\n Rekey Acks Rcvd   : 0');
  }, 60_000);

  it('prints show crypto gdoi ks rekey as the article does (4 sent, 8 retransmitted, 22 s and 2123 s)', async () => {
    // The article's output was taken 1477 s after the keys were made (SA remaining 2123 s).
    const ks = servicesOf(r(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    await lab.kernel.runUntil(ks.teks.at(-1)!.createdAt + seconds(1477));
    const out = await exec(lab, 'KS', 'show crypto gdoi ks rekey');
    expect(out.split('\n')).toEqual([
      'Group GDOI_GROUP (Multicast)',
      '    Number of Rekeys sent               : 4',
      '    Number of Rekeys retransmitted      : 8',
      '    KEK rekey lifetime (sec)            : 300',
      '        Remaining lifetime (sec)        : 22',
      '    Retransmit period                   : 60',
      '    Number of retransmissions           : 2',
      '    IPSec SA 1  lifetime (sec)          : 3600',
      '        Remaining lifetime (sec)        : 2123',
      '    Number of registrations after rekey : 0',
      '    Multicast destination address       : 239.10.10.1',
    ]);
    const gm = servicesOf(r(lab, 'GM-2')).gdoi.members.get('GDOI_GM')!;
    expect(gm.rekeysCumulative).toBe(12);
  }, 60_000);

  it('rejects a replayed, a forged and a tampered rekey, each with its log line, and changes no key', async () => {
    const gm1 = r(lab, 'GM-1');
    const member = servicesOf(gm1).gdoi.members.get('GDOI_GM')!;
    const ks = servicesOf(r(lab, 'KS')).gdoi.keyServers.get('GDOI_GROUP')!;
    const before = { kek: member.kek, teks: member.teks.map((t) => t.spi), seq: member.lastSeq };
    const from = lab.kernel.now;

    // Replayed: the last push GM-1 accepted, sent again.
    const last = ks.sent[ks.sent.length - 1]!;
    await deliverPush(gm1, last.bytes);
    // The member logs once it has checked the signature (44 ms in the article's debug timestamps).
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));
    expect(logs(lab, 'GM-1', from)).toContain(
      `%GDOI-3-GDOI_REKEY_SEQ_FAILURE: Failed to process rekey seq # ${last.seq} in seq payload for group GDOI_GM, last seq # ${last.seq}`,
    );

    // Forged: well-formed and encrypted with the current KEK, but signed by another RSA key.
    const now = lab.kernel.now;
    const payloads = [
      { kind: 'seq' as const, sequence: 99 },
      saPayload(ks.kek, ks.liveTeks(), now),
      kdPayload(ks.kek, ks.liveTeks()),
    ];
    const other = await generateRsaKeyPair(1024);
    const forged = await buildPush(ks.kek!, other.privateKey, 128, payloads);
    await deliverPush(gm1, forged.bytes);

    // Tampered: signed by the KS, one ciphertext bit flipped.
    const ksKey = await servicesOf(r(lab, 'KS')).gdoi.rsaKey('GDOI_KEYS')!;
    const genuine = await buildPush(ks.kek!, ksKey.privateKey, 128, payloads);
    const tampered = genuine.bytes.slice();
    tampered[60]! ^= 0x10;
    await deliverPush(gm1, tampered);
    await lab.kernel.runUntil(lab.kernel.now + seconds(1));

    const failures = logs(lab, 'GM-1', from).filter((t) => t.startsWith('%GDOI-3-GDOI_REKEY_FAILURE'));
    expect(failures).toEqual([
      '%GDOI-3-GDOI_REKEY_FAILURE: Processing of REKEY payloads failed on GM 11.11.11.11 in the group GDOI_GM, with peer at 1.1.1.1',
      '%GDOI-3-GDOI_REKEY_FAILURE: Processing of REKEY payloads failed on GM 11.11.11.11 in the group GDOI_GM, with peer at 1.1.1.1',
    ]);
    expect(member.rejected.slice(-3).map((x) => x.reason)).toEqual(['sequence', 'signature', 'signature']);
    expect(member.kek).toBe(before.kek);
    expect(member.teks.map((t) => t.spi)).toEqual(before.teks);
    expect(member.lastSeq).toBe(before.seq);

    // The genuine message itself is accepted (seq 99 is above the last one).
    await deliverPush(gm1, genuine.bytes);
    expect(member.lastSeq).toBe(99);
  }, 60_000);
});
