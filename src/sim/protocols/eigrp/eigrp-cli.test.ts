import { describe, expect, it } from 'vitest';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { buildLab, cli, logLines, router } from './test-lab.test-support';

const cfg = (name: string, lo: string, fa: string) => `hostname ${name}
interface Loopback0
 ip address ${lo} 255.255.255.255
interface FastEthernet0/0
 ip address ${fa} 255.255.255.0
router eigrp 10
 no auto-summary
 network 10.0.12.0 0.0.0.255
 network ${lo} 0.0.0.0
`;

async function pair(): Promise<Lab> {
  const lab = buildLab(
    [
      { name: 'R1', config: cfg('R1', '1.1.1.1', '10.0.12.1') },
      { name: 'R2', config: cfg('R2', '2.2.2.2', '10.0.12.2') },
    ],
    [{ a: 'R1 Fa0/0', b: 'R2 Fa0/0' }],
  );
  await lab.kernel.runUntil(seconds(12));
  return lab;
}

describe('EIGRP show commands', () => {
  it('show ip eigrp neighbors', async () => {
    const lab = await pair();
    const out = await cli(lab, 'R1', 'show ip eigrp neighbors');
    const lines = out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'EIGRP-IPv4 Neighbors for AS(10)',
      'H   Address                 Interface              Hold Uptime   SRTT   RTO  Q  Seq',
      '                                                   (sec)         (ms)       Cnt Num',
    ]);
    // Hold counts down from 15 between hellos; uptime since the adjacency formed near t = 0.
    expect(lines[3]).toMatch(
      /^0 {3}10\.0\.12\.2 {15}Fa0\/0 {18} {2}1[0-4] 00:00:1[12] +\d+ +\d+ {2}0 {2}\d+$/,
    );
    expect(await cli(lab, 'R1', 'sh ip eig 10 nei')).toBe(out);
  });

  it('show ip eigrp topology', async () => {
    const lab = await pair();
    const out = await cli(lab, 'R1', 'show ip eigrp topology');
    expect(out).toBe(
      [
        'EIGRP-IPv4 Topology Table for AS(10)/ID(1.1.1.1)',
        'Codes: P - Passive, A - Active, U - Update, Q - Query, R - Reply,',
        '       r - reply Status, s - sia Status',
        '',
        'P 1.1.1.1/32, 1 successors, FD is 128256',
        '        via Connected, Loopback0',
        'P 2.2.2.2/32, 1 successors, FD is 156160',
        '        via 10.0.12.2 (156160/128256), FastEthernet0/0',
        'P 10.0.12.0/24, 1 successors, FD is 28160',
        '        via Connected, FastEthernet0/0',
      ].join('\n'),
    );
  });

  it('show ip eigrp interfaces [detail]', async () => {
    const lab = await pair();
    const out = (await cli(lab, 'R1', 'show ip eigrp interfaces detail')).split('\n');
    expect(out.slice(0, 3)).toEqual([
      'EIGRP-IPv4 Interfaces for AS(10)',
      '                              Xmit Queue   PeerQ        Mean   Pacing Time   Multicast    Pending',
      'Interface              Peers  Un/Reliable  Un/Reliable  SRTT   Un/Reliable   Flow Timer   Routes',
    ]);
    expect(out[3]).toMatch(/^Lo0 {20} {2}0 {8}0\/0 {7}0\/0 {11}0 {8}0\/0 {11}0 {11}0$/);
    expect(out[4]).toBe('  Hello-interval is 5, Hold-time is 15');
    expect(out[5]).toBe('  Split-horizon is enabled');
    expect(out[6]).toMatch(/^Fa0\/0 {20}1 {8}0\/0 {7}0\/0 +\d+ {8}0\/0 +\d+ {11}0$/);
  });

  it('show ip route eigrp lists only EIGRP routes, in show ip route layout', async () => {
    const lab = await pair();
    const out = await cli(lab, 'R1', 'show ip route eigrp');
    expect(out).toContain('Gateway of last resort is not set');
    expect(out).toMatch(
      /\n {6}2\.0\.0\.0\/32 is subnetted, 1 subnets\nD {8}2\.2\.2\.2 \[90\/156160\] via 10\.0\.12\.2, 00:00:1\d, FastEthernet0\/0/,
    );
    expect(out).not.toContain('is directly connected');
  });
});

describe('debug eigrp packets', () => {
  it('prints IOS’s two-line packet debugs, and stops on undebug', async () => {
    const lab = await pair();
    expect(await cli(lab, 'R1', 'debug eigrp packets')).toContain('EIGRP Packets debugging is on');
    await lab.kernel.runUntil(lab.kernel.now + seconds(6));
    const lines = logLines(lab, 'R1');
    expect(lines).toContain(
      'EIGRP: Sending HELLO on FastEthernet0/0\n  AS 10, Flags 0x0, Seq 0/0 idbQ 0/0 iidbQ un/rely 0/0',
    );
    expect(lines).toContain(
      'EIGRP: Received HELLO on FastEthernet0/0 nbr 10.0.12.2\n  AS 10, Flags 0x0, Seq 0/0 idbQ 0/0 iidbQ un/rely 0/0 peerQ un/rely 0/0',
    );
    await cli(lab, 'R1', 'undebug eigrp packets');
    const count = logLines(lab, 'R1').length;
    await lab.kernel.runUntil(lab.kernel.now + seconds(6));
    expect(logLines(lab, 'R1').length).toBe(count);
  });

  it('shows the reliable exchange: UPDATE with its sequence, then the ACK', async () => {
    const lab = buildLab(
      [
        { name: 'R1', config: cfg('R1', '1.1.1.1', '10.0.12.1') },
        { name: 'R2', config: cfg('R2', '2.2.2.2', '10.0.12.2') },
      ],
      [{ a: 'R1 Fa0/0', b: 'R2 Fa0/0' }],
    );
    router(lab, 'R1').debug.add('eigrp packets');
    await lab.kernel.runUntil(seconds(5));
    const lines = logLines(lab, 'R1');
    const eot = lines.findIndex((l) =>
      /^EIGRP: Sending UPDATE on FastEthernet0\/0 nbr 10\.0\.12\.2\n {2}AS 10, Flags 0x8, Seq \d+\/\d+/.test(
        l,
      ),
    );
    expect(eot).toBeGreaterThan(-1);
    const seq = /Seq (\d+)\//.exec(lines[eot]!)![1];
    expect(lines.slice(eot)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^EIGRP: Received ACK on FastEthernet0/0 nbr 10\\.0\\.12\\.2\\n  AS 10, Flags 0x0, Seq 0/${seq} `,
        ),
      ),
    );
  });
});
