// The DMVPN phase 2 scenario (issue 17, "More than one story") graded headless: every check of its lesson passes
// when the steps run as written, and the lesson's points fail when a step's line is left out.
// What it teaches, and where it comes from: EIGRP split horizon, on by default also on tunnels, keeps the hub from
// advertising one spoke's LAN back out of Tunnel10; next-hop-self (the default) advertises next hop 0.0.0.0, which
// "the IPv4 address from the received IPv4 header is used as the next hop" (RFC 7868 §6.9.3.8.1), so spokes route
// to each other through the hub; with `no ip next-hop-self eigrp` the hub passes on the other spoke's tunnel
// address, and the spoke resolves it with an NHRP Resolution Request through the hub, answered directly by the
// other spoke (RFC 2332 §5.2.1-5.2.2; Cisco "Configuring NHRP", DMVPN phase 2: "resolution request and reply packets
// that are sent via the spoke-hub-spoke path", the tunnel built "only when there is data traffic to use it").
import { describe, expect, it } from 'vitest';
import type { PacketRecord } from '../sim/kernel/trace';
import type { LessonStepData } from '../sim/scenario/lesson-schema';
import { type GradedLesson, gradeShippedLesson, withoutLines as without } from './grade.test-support';

const FILE = 'public/scenarios/dmvpn-phase2.json';

function grade(edit?: (steps: LessonStepData[]) => void): Promise<GradedLesson> {
  return gradeShippedLesson(FILE, edit);
}

/** The NBMA address each echo request Spoke-1 sent into Tunnel10 went to, in order, during the step. */
function echoPeers(graded: GradedLesson, title: string): string[] {
  const s = graded.step(title);
  const [from, to] = [s.startSeconds * 1e6, s.endSeconds * 1e6];
  return graded.lab.kernel.trace
    .all()
    .filter(
      (r): r is PacketRecord =>
        r.kind === 'packet' &&
        r.event === 'sent' &&
        r.device === 'Spoke-1' &&
        r.t >= from &&
        r.t <= to &&
        r.overlayPeer !== undefined &&
        r.summary.startsWith('ICMP echo request'),
    )
    .map((r) => r.overlayPeer!);
}

const SPLIT = 'no ip split-horizon eigrp 10';
const NEXT_HOP_SELF = 'no ip next-hop-self eigrp 10';
const RESOLUTION = 'Resolution: the spoke-to-spoke tunnel';
const VIA_HUB = "Spoke-1 learnt Spoke-2's LAN via the hub (192.168.100.1)";
const VIA_SPOKE = "Spoke-1 learnt Spoke-2's LAN with Spoke-2 (192.168.100.3) as next hop";
const RESOLVED = 'Spoke-1 resolved Spoke-2: 192.168.100.3 at NBMA 172.37.1.1, dynamic';

describe('DMVPN phase 2, graded', () => {
  it('passes every check of the lesson when its steps run as written', async () => {
    const graded = await grade();
    expect(graded.failed).toEqual([]);
    expect(graded.report).toMatchObject({ pass: true, passed: 18, failed: 0 });
    expect(
      graded.check(
        'Split horizon hides the other spokes',
        "Spoke-1 has no route to Spoke-2's LAN 192.168.12.0/24",
      ).detail,
    ).toBe(
      'Does not hold: Spoke-1 has no route for 192.168.12.0/24; traffic to 192.168.12.0 follows 0.0.0.0/0 (static) via 172.27.1.2, Serial1/0.',
    );
    expect(graded.check(SPLIT, VIA_HUB).detail).toBe(
      'Spoke-1 has 192.168.12.0/24 (eigrp) via 192.168.100.1, Tunnel10.',
    );
    expect(graded.check(NEXT_HOP_SELF, VIA_SPOKE).detail).toBe(
      'Spoke-1 has 192.168.12.0/24 (eigrp) via 192.168.100.3, Tunnel10.',
    );
    expect(graded.check(RESOLUTION, RESOLVED).detail).toBe(
      'Spoke-1 maps 192.168.100.3 to NBMA 172.37.1.1 on Tunnel10 (dynamic, from a resolution).',
    );
    // With next-hop-self every echo goes to the hub's NBMA address; after no next-hop-self, the first echo goes to
    // the hub while the resolution is pending and the next four straight to Spoke-2's.
    expect(echoPeers(graded, 'Split horizon hides the other spokes')).toEqual([]);
    expect(echoPeers(graded, RESOLUTION)).toEqual([
      '172.17.1.1',
      '172.37.1.1',
      '172.37.1.1',
      '172.37.1.1',
      '172.37.1.1',
    ]);
  }, 60_000);

  it('with split horizon left on, Spoke-1 never learns Spoke-2’s LAN and never resolves Spoke-2', async () => {
    const graded = await grade((steps) => without(steps, SPLIT, /split-horizon/));
    const missing = {
      pass: false,
      detail:
        'Spoke-1 has no route for 192.168.12.0/24; traffic to 192.168.12.0 follows 0.0.0.0/0 (static) via 172.27.1.2, Serial1/0.',
    };
    expect(graded.check(SPLIT, VIA_HUB)).toMatchObject(missing);
    // `no ip next-hop-self` alone changes nothing: the hub still keeps the spokes' routes from each other.
    expect(graded.check(NEXT_HOP_SELF, VIA_SPOKE)).toMatchObject(missing);
    expect(graded.check(RESOLUTION, RESOLVED)).toMatchObject({
      pass: false,
      detail:
        'Spoke-1 has no NHRP mapping for 192.168.100.3; its entries: 192.168.100.1 → 172.17.1.1 (static).',
    });
    expect(graded.report.pass).toBe(false);
  }, 60_000);

  it('with next-hop-self left on, Spoke-1 routes to Spoke-2 through the hub and resolves nothing', async () => {
    const graded = await grade((steps) => without(steps, NEXT_HOP_SELF, /next-hop-self/));
    expect(graded.check(NEXT_HOP_SELF, VIA_SPOKE)).toMatchObject({
      pass: false,
      detail: 'Spoke-1 has 192.168.12.0/24 (eigrp) via 192.168.100.1, Tunnel10, expected via 192.168.100.3.',
    });
    // The ping reaches Spoke-2 through the hub, whose address is mapped statically: no Resolution Request.
    expect(echoPeers(graded, RESOLUTION)).toEqual(Array(5).fill('172.17.1.1'));
    expect(graded.check(RESOLUTION, RESOLVED).pass).toBe(false);
    expect(
      graded.check(RESOLUTION, 'Spoke-1 received one Resolution Reply (show ip nhrp traffic)').pass,
    ).toBe(false);
    expect(graded.report.pass).toBe(false);
  }, 60_000);
});
