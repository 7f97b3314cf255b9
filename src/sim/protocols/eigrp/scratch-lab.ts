import type { Lab } from '../../scenario/lab';
export function triangleForScratch(buildLab: typeof import("./test-lab").buildLab): Lab {
  return buildLab(
    [
      {
        name: 'R1',
        config: `hostname R1
interface FastEthernet0/0
 ip address 10.0.12.1 255.255.255.0
interface Serial1/0
 ip address 10.0.13.1 255.255.255.0
router eigrp 10
 network 10.0.0.0
`,
      },
      {
        name: 'R2',
        config: `hostname R2
interface Loopback0
 ip address 2.2.2.2 255.255.255.255
interface FastEthernet0/0
 ip address 10.0.12.2 255.255.255.0
interface FastEthernet0/1
 ip address 10.0.23.2 255.255.255.0
router eigrp 10
 network 10.0.0.0
 network 2.2.2.2 0.0.0.0
`,
      },
      {
        name: 'R3',
        config: `hostname R3
interface Loopback0
 ip address 3.3.3.3 255.255.255.255
interface FastEthernet0/1
 ip address 10.0.23.3 255.255.255.0
interface Serial1/0
 ip address 10.0.13.3 255.255.255.0
router eigrp 10
 network 10.0.0.0
 network 3.3.3.3 0.0.0.0
`,
      },
    ],
    [
      { a: 'R1 Fa0/0', b: 'R2 Fa0/0' },
      { a: 'R2 Fa0/1', b: 'R3 Fa0/1' },
      { a: 'R1 Se1/0', b: 'R3 Se1/0' },
    ],
  );
}

