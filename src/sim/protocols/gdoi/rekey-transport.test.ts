/**
 * `rekey transport unicast` on the reference lab's KS, typed on its console as a user would.
 *
 * Cisco GET VPN Configuration Guide, key server configuration: `rekey transport unicast` (under `server local`)
 * "configures unicast delivery of rekey messages to GMs"; without it the KS sends multicast rekeys. Published key
 * server configurations print it after `rekey authentication` and report the group as `Group Name : … (Unicast)`
 * in `show crypto gdoi`. "Unicast Rekeying": in a unicast group "after receiving the rekey message from the key
 * server, a group member sends an encrypted acknowledge (ACK) message"; the KS removes a member after three
 * consecutive rekeys without an ACK (unicast-rekey.test.ts covers the removal).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CliSession } from '../../cli/cli-session';
import { seconds } from '../../kernel/time';
import { parseIpv4 } from '../../net/ipv4-address';
import type { Lab } from '../../scenario/lab';
import { loadLab } from '../../scenario/lab';
import { servicesOf } from '../services.test-support';
import type { KeyServerGroup } from './ks';

const REFERENCE = readFileSync(
  new URL('../../../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);
const SERVER = ['configure terminal', 'crypto gdoi group GDOI_GROUP', 'server local'];
const MEMBERS = ['2.2.2.2', '11.11.11.11', '12.12.12.12'];

const ip = (t: string): number => parseIpv4(t) ?? 0;

async function exec(lab: Lab, device: string, ...lines: string[]): Promise<string> {
  const cli = new CliSession(lab.router(device)!, { epochMs: lab.epochMs });
  let out = '';
  for (const line of lines) out = await cli.execute(line);
  return out;
}

function ksOf(lab: Lab): KeyServerGroup {
  return servicesOf(lab.router('KS')!).gdoi.keyServers.get('GDOI_GROUP')!;
}

describe('rekey transport unicast (config)', () => {
  it('is accepted under server local, printed after rekey authentication, and removed by its no form', async () => {
    const lab = loadLab(REFERENCE).lab!;
    expect(await exec(lab, 'KS', ...SERVER, 'rekey transport unicast', 'end')).toBe('');
    const section = await exec(lab, 'KS', 'show running-config | section crypto gdoi');
    expect(section).toContain(
      '  rekey authentication mypubkey rsa GDOI_KEYS\n  rekey transport unicast\n  sa ipsec 1\n',
    );
    // `rekey address ipv4` stays in the configuration; the transport is unicast all the same.
    expect(section).toContain('  rekey address ipv4 MULTICAST_REKEY\n');
    expect(ksOf(lab).multicast).toBe(false);
    expect(await exec(lab, 'KS', 'show crypto gdoi')).toContain(
      '    Group Name               : GDOI_GROUP (Unicast)',
    );
    await exec(lab, 'KS', ...SERVER, 'no rekey transport unicast', 'end');
    expect(await exec(lab, 'KS', 'show running-config | section crypto gdoi')).not.toContain('transport');
    expect(ksOf(lab).multicast).toBe(true);
  });

  it('rejects a transport IOS does not offer, with the caret under it', async () => {
    const lab = loadLab(REFERENCE).lab!;
    const out = await exec(lab, 'KS', ...SERVER, 'rekey transport broadcast');
    expect(out).toContain('% Invalid input detected at');
    expect(ksOf(lab).multicast).toBe(true);
  });
});

describe('switching a running group from multicast to unicast rekey', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = loadLab(REFERENCE).lab!;
    await lab.kernel.runUntil(seconds(100));
    await exec(lab, 'KS', ...SERVER, 'rekey transport unicast', 'end');
    await lab.kernel.runUntil(seconds(440));
  }, 60_000);

  it('sends the next rekey to each member instead of 239.10.10.1', () => {
    const sent = ksOf(lab).sent.filter((p) => p.time > seconds(100));
    expect(sent.map((p) => [p.destination, p.retransmission])).toEqual(MEMBERS.map((m) => [ip(m), false]));
  });

  it('every member acknowledges the first unicast rekey, so nothing is retransmitted', async () => {
    const ks = ksOf(lab);
    for (const m of MEMBERS)
      expect(ks.members.get(ip(m))).toMatchObject({ acksReceived: 1, awaitingAck: false, rekeyRetries: 0 });
    expect(ks.rekeysRetransmitted).toBe(0);
    const members = await exec(lab, 'KS', 'show crypto gdoi ks members');
    expect(members).toContain(
      'Group Member ID    : 12.12.12.12   GM Version: 1.0.4\n Group ID          : 123\n Group Name        : GDOI_GROUP\n Key Server ID     : 1.1.1.1\n Rekeys sent       : 1\n Rekeys retries    : 0\n Rekey Acks Rcvd   : 1\n Rekey Acks missed : 0',
    );
  });

  it('the members now hold a KEK for unicast rekeys', async () => {
    expect(await exec(lab, 'GM-2', 'show crypto gdoi')).toContain('    Rekey Transport Type     : Unicast');
  });
});
