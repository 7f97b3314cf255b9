// The small PIM labs several tests share: a multi-access link where two routers assert (RFC 7761 §4.6), and a
// first-hop DR that registers to an RP elsewhere with a shorter path to the source (RFC 7761 §4.4, SPT switchover).
import type { Lab } from '../../scenario/lab';
import { loadTestLab } from './test-lab.test-support';

/**
 * A multi-access link built from a full-mesh mGRE tunnel (every router maps multicast to the other two): R1 and
 * R2 both hear the source SRC (5.5.5.5) on their own serial line and both flood its dense traffic onto the
 * tunnel, where R3 has a member. `r2Distance` is the distance of R2's static route to the source.
 */
export function lanLab(r2Distance: number): Lab {
  const tunnel = (me: number, serial: string): string => {
    const others = [1, 2, 3].filter((n) => n !== me);
    return [
      'interface Tunnel5',
      ` ip address 10.9.9.${me} 255.255.255.0`,
      ' tunnel mode gre multipoint',
      ` tunnel source ${serial}`,
      ' ip nhrp network-id 5',
      ...others.flatMap((n) => [
        ` ip nhrp map 10.9.9.${n} 172.16.${n}.1`,
        ` ip nhrp map multicast 172.16.${n}.1`,
      ]),
      ' ip pim dense-mode',
      '!',
    ].join('\n');
  };
  const upstream = (me: number): string =>
    [
      `hostname R${me}`,
      'ip multicast-routing',
      'interface Serial1/0',
      ` ip address 10.0.${me}.2 255.255.255.0`,
      ' ip pim dense-mode',
      'interface Serial1/1',
      ` ip address 172.16.${me}.1 255.255.255.0`,
      tunnel(me, 'Serial1/1'),
      'ip route 0.0.0.0 0.0.0.0 172.16.' + me + '.2',
      `ip route 5.5.5.5 255.255.255.255 10.0.${me}.1${me === 2 ? ` ${r2Distance}` : ''}`,
    ].join('\n');
  const scenario = {
    format: 'getlab-scenario/1',
    title: 'assert',
    description: '',
    seed: 7,
    devices: [
      {
        name: 'SRC',
        role: 'router',
        config: [
          'hostname SRC',
          'ip multicast-routing',
          'interface Loopback0',
          ' ip address 5.5.5.5 255.255.255.255',
          ' ip pim dense-mode',
          'interface Serial1/0',
          ' ip address 10.0.1.1 255.255.255.0',
          ' ip pim dense-mode',
          'interface Serial1/1',
          ' ip address 10.0.2.1 255.255.255.0',
          ' ip pim dense-mode',
          'ip route 10.9.9.0 255.255.255.0 10.0.1.2',
        ].join('\n'),
      },
      { name: 'R1', role: 'router', config: upstream(1) },
      { name: 'R2', role: 'router', config: upstream(2) },
      {
        name: 'R3',
        role: 'router',
        config: [
          'hostname R3',
          'ip multicast-routing',
          'interface Loopback0',
          ' ip address 3.3.3.3 255.255.255.255',
          ' ip pim dense-mode',
          ' ip igmp join-group 239.1.1.1',
          'interface Serial1/0',
          ' ip address 172.16.3.1 255.255.255.0',
          tunnel(3, 'Serial1/0'),
          'ip route 0.0.0.0 0.0.0.0 172.16.3.2',
          'ip route 5.5.5.5 255.255.255.255 10.9.9.1',
        ].join('\n'),
      },
      {
        name: 'SW',
        role: 'provider',
        config: [1, 2, 3]
          .map((n) => `interface Serial1/${n}\n ip address 172.16.${n}.2 255.255.255.0`)
          .join('\n'),
      },
    ],
    links: [
      { a: 'SRC Se1/0', b: 'R1 Se1/0' },
      { a: 'SRC Se1/1', b: 'R2 Se1/0' },
      { a: 'R1 Se1/1', b: 'SW Se1/1' },
      { a: 'R2 Se1/1', b: 'SW Se1/2' },
      { a: 'R3 Se1/0', b: 'SW Se1/3' },
    ],
  };
  return loadTestLab(scenario);
}

/**
 * A source behind a first-hop DR that is not the RP:
 *
 *   SRC (10.1.0.1) --- R1 (DR) --- RP (2.2.2.2) --- R3 (member of 239.2.2.2 on Loopback0)
 *                        \______________________________/   (R1–R3: the shortest path to the source)
 *
 * R3's shared tree runs through the RP; its shortest-path tree to 10.1.0.1 is the direct R1–R3 line.
 */
export function sptLab(r3Extra: string[] = []): Lab {
  const common = ['ip multicast-routing', 'ip pim rp-address 2.2.2.2'];
  const iface = (name: string, address: string, extra: string[] = []): string[] => [
    `interface ${name}`,
    ` ip address ${address} 255.255.255.0`,
    ' ip pim sparse-mode',
    ...extra,
  ];
  const device = (name: string, lines: string[]) => ({
    name,
    role: 'router',
    config: [`hostname ${name}`, ...common, ...lines].join('\n'),
  });
  const scenario = {
    format: 'getlab-scenario/1',
    title: 'spt',
    description: '',
    seed: 3,
    devices: [
      device('SRC', [
        ...iface('Serial1/0', '10.1.0.1', [' ip pim dr-priority 0']),
        'ip route 0.0.0.0 0.0.0.0 10.1.0.2',
      ]),
      device('R1', [
        ...iface('Serial1/0', '10.1.0.2', [' ip pim dr-priority 10']),
        ...iface('Serial1/1', '10.1.12.1'),
        ...iface('Serial1/2', '10.1.13.1'),
        'ip route 2.2.2.2 255.255.255.255 10.1.12.2',
        'ip route 3.3.3.3 255.255.255.255 10.1.13.3',
        'ip route 10.1.23.0 255.255.255.0 10.1.12.2',
      ]),
      device('RP', [
        'interface Loopback0',
        ' ip address 2.2.2.2 255.255.255.255',
        ' ip pim sparse-mode',
        ...iface('Serial1/0', '10.1.12.2'),
        ...iface('Serial1/1', '10.1.23.2'),
        'ip route 10.1.0.0 255.255.255.0 10.1.12.1',
        'ip route 3.3.3.3 255.255.255.255 10.1.23.3',
      ]),
      device('R3', [
        'interface Loopback0',
        ' ip address 3.3.3.3 255.255.255.255',
        ' ip pim sparse-mode',
        ' ip igmp join-group 239.2.2.2',
        ...iface('Serial1/0', '10.1.23.3'),
        ...iface('Serial1/1', '10.1.13.3'),
        'ip route 2.2.2.2 255.255.255.255 10.1.23.2',
        'ip route 10.1.0.0 255.255.255.0 10.1.13.1',
        ...r3Extra,
      ]),
    ],
    links: [
      { a: 'SRC Se1/0', b: 'R1 Se1/0' },
      { a: 'R1 Se1/1', b: 'RP Se1/0' },
      { a: 'RP Se1/1', b: 'R3 Se1/0' },
      { a: 'R1 Se1/2', b: 'R3 Se1/1' },
    ],
  };
  return loadTestLab(scenario);
}
