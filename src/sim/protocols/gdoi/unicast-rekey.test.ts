/**
 * Unicast rekeys: the reference lab's KS without `rekey address ipv4 MULTICAST_REKEY` sends each rekey to each
 * member's registration address; members acknowledge (RFC 8263 ACK under their registration SA); only members
 * that have not acknowledged get the retransmissions; a member that misses MISSED_ACK_LIMIT rekeys in a row is
 * removed from the group and gets no more rekeys.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds, type SimTime } from '../../kernel/time';
import { encodeIpv4, IP_PROTO, ipv4Header } from '../../net/ipv4';
import { parseIpv4 } from '../../net/ipv4-address';
import { encodeUdp } from '../../net/udp';
import type { Lab } from '../../scenario/lab';
import { loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';
import { buildPushAck } from './ack';
import { MISSED_ACK_LIMIT } from './ks';

const ip = (t: string): number => parseIpv4(t) ?? 0;
const MULTICAST = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);
const UNICAST = MULTICAST.replace('  rekey address ipv4 MULTICAST_REKEY\\n', '');

function logs(lab: Lab, device: string, from: SimTime = 0, to = Infinity): string[] {
  const out: string[] = [];
  for (const r of lab.kernel.trace.all()) {
    if (r.kind === 'log' && r.device === device && r.t >= from && r.t < to) out.push(r.text);
  }
  return out;
}

async function exec(lab: Lab, device: string, ...lines: string[]): Promise<string> {
  const cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  let out = '';
  for (const line of lines) out = await cli.execute(line);
  return out;
}

describe('unicast rekey (no rekey address on the KS)', () => {
  let lab: Lab;
  beforeAll(async () => {
    expect(UNICAST).not.toBe(MULTICAST);
    lab = loadLab(UNICAST).lab!;
    await lab.kernel.runUntil(seconds(30));
    // GM-2's loopback becomes unreachable from the KS side: its rekeys (and so its ACKs) are lost.
    await exec(lab, 'SP', 'configure terminal', 'no ip route 12.12.12.12 255.255.255.255 172.37.1.1', 'end');
  }, 60_000);

  it('sends each rekey to each member, which acknowledges it; only the silent one gets retransmissions', async () => {
    expect(await exec(lab, 'KS', 'show crypto gdoi')).toContain(
      'Group Name               : GDOI_GROUP (Unicast)',
    );
    await lab.kernel.runUntil(seconds(310));
    const sent = logs(lab, 'KS', seconds(30)).filter((t) => t.startsWith('%GDOI-5-KS_SEND_UNICAST_REKEY'));
    expect(sent).toEqual(
      ['2.2.2.2', '11.11.11.11', '12.12.12.12'].map(
        (gm) =>
          `%GDOI-5-KS_SEND_UNICAST_REKEY: Sending Unicast Rekey for group GDOI_GROUP from address 1.1.1.1 to ${gm} with seq # 1`,
      ),
    );
    expect(logs(lab, 'GM-1', seconds(30))).toContain(
      '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GDOI_GM from 1.1.1.1 to 11.11.11.11 with seq # 1',
    );
    const ks = servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    expect(ks.members.get(ip('2.2.2.2'))).toMatchObject({ acksReceived: 1, awaitingAck: false });
    expect(ks.members.get(ip('11.11.11.11'))).toMatchObject({ acksReceived: 1, awaitingAck: false });
    expect(ks.members.get(ip('12.12.12.12'))).toMatchObject({ acksReceived: 0, awaitingAck: true });
    // The ACKs travelled as GDOI packets (UDP 848) and reached the KS.
    const acks = lab.kernel.trace
      .all()
      .filter(
        (r) => r.kind === 'packet' && r.device === 'KS' && r.event === 'delivered' && r.t > seconds(300),
      );
    expect(acks.length).toBeGreaterThanOrEqual(2);

    await lab.kernel.runUntil(seconds(440));
    const retries = logs(lab, 'KS', seconds(310), seconds(440)).filter((t) => t.includes('UNICAST_REKEY'));
    expect(retries.map((t) => t.replace(/.* to (\S+) with .*/, '$1'))).toEqual([
      '12.12.12.12',
      '12.12.12.12',
    ]);
    expect(ks.rekeysRetransmitted).toBe(2);
  }, 60_000);

  it('rejects an ACK whose HASH was not made with the named member’s registration keys', async () => {
    const ks = servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    const gm1 = servicesOf(lab.router('GM-1')!);
    const sa = gm1.ike.findEstablished(ip('11.11.11.11'), ip('1.1.1.1'))!;
    const forged = await buildPushAck(sa, ks.kek!.spi, 1, ip('12.12.12.12'));
    const src = ip('11.11.11.11');
    const dst = ip('1.1.1.1');
    const payload = encodeUdp({ sourcePort: 848, destinationPort: 848, payload: forged }, src, dst);
    const header = ipv4Header({ protocol: IP_PROTO.UDP, source: src, destination: dst });
    const before = ks.members.get(ip('12.12.12.12'))!.acksReceived;
    await lab
      .router('KS')!
      .deliverLocal({ datagram: { header, payload }, bytes: encodeIpv4({ header, payload }) });
    expect(ks.members.get(ip('12.12.12.12'))!.acksReceived).toBe(before);
    const last = lab.kernel.trace.all().at(-1);
    expect(last).toMatchObject({ kind: 'packet', event: 'dropped', device: 'KS' });
    expect(last?.kind === 'packet' ? last.reason : '').toContain('wrong HASH');
  });

  it(`removes a member after ${MISSED_ACK_LIMIT} unacknowledged rekeys; the others keep acknowledging`, async () => {
    await lab.kernel.runUntil(seconds(1300));
    const ks = servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
    // Rekeys at about 302, 602, 902 s; the third one's retransmissions end 180 s later.
    expect(ks.removed.map((r) => r.address)).toEqual([ip('12.12.12.12')]);
    expect(ks.removed[0]!.time).toBeGreaterThanOrEqual(seconds(1082));
    expect(ks.removed[0]!.time).toBeLessThan(seconds(1083));
    expect(logs(lab, 'KS')).toContain(
      '%GDOI-4-KS_GM_DELETED: GM 12.12.12.12 deleted from group GDOI_GROUP: no ACK for 3 unicast rekeys',
    );
    expect(logs(lab, 'KS', ks.removed[0]!.time).filter((t) => t.includes('to 12.12.12.12'))).toEqual([]);
    expect(ks.rekeysRetransmitted).toBe(2 * MISSED_ACK_LIMIT);
    expect(await exec(lab, 'KS', 'show crypto gdoi')).toContain('    Group Members            : 2');
    const members = await exec(lab, 'KS', 'show crypto gdoi ks members');
    expect(members).not.toContain('12.12.12.12');
    const gm1 = members.slice(members.indexOf('Group Member ID    : 11.11.11.11'));
    expect(gm1).toContain(
      ' Rekeys sent       : 4\n Rekeys retries    : 0\n Rekey Acks Rcvd   : 4\n Rekey Acks missed : 0',
    );
    expect(gm1).toContain(' Rcvd seq num : 1 1 1 1');
  }, 60_000);
});
