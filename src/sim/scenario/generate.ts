import { formatIpv4, type Ipv4 } from '../net/ipv4-address';
import { SCENARIO_FORMAT, type Scenario, type ScenarioDevice, type ScenarioLink } from './schema';

/**
 * Hub-and-spoke labs of the reference design at any size: a KS behind the DMVPN hub, N spokes over an SP
 * underlay, PIM sparse mode with Auto-RP from the KS, each spoke joined to the rekey group with the static
 * `ip mroute` towards the hub, and every spoke a GET VPN member.
 *
 * Addressing (so it scales past the article's /24s): spoke i (1-based) has WAN 100.64.0.0/10 /30 blocks,
 * Loopback0 11.x.y.z, a LAN stand-in 20.x.y.1/24 and tunnel address 10.255.x.y/16 (hub 10.255.0.1).
 */
export interface HubSpokeOptions {
  readonly spokes: number;
  readonly seed?: number;
}

const MAX_SPOKES = 16_000;

export function parseGenerateSpec(spec: string): HubSpokeOptions | { error: string } {
  const m = /^hub-spokes:(\d+)$/.exec(spec);
  if (!m) return { error: `--generate takes hub-spokes:<N>, got "${spec}"` };
  const spokes = Number(m[1]);
  if (spokes < 1 || spokes > MAX_SPOKES) return { error: `hub-spokes needs 1 to ${MAX_SPOKES} spokes` };
  return { spokes };
}

const ip = (a: number, b: number, c: number, d: number): Ipv4 => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

function spokeWan(i: number): { spoke: Ipv4; sp: Ipv4 } {
  const base = ip(100, 64, 0, 0) + (i - 1) * 4;
  return { spoke: base + 1, sp: base + 2 };
}

const spokeLoopback = (i: number): Ipv4 => ip(11, (i >> 16) & 255, (i >> 8) & 255, i & 255);
const spokeLan = (i: number): Ipv4 => ip(20, (i >> 8) & 255, i & 255, 1);
const spokeTunnel = (i: number): Ipv4 => ip(10, 255, ((i + 1) >> 8) & 255, (i + 1) & 255);
/** SP-side serial for spoke i: 16 ports per slot, from Serial1/0 on (Serial0/0 faces the hub). */
const spSerial = (i: number): string => `Serial${1 + ((i - 1) >> 4)}/${(i - 1) & 15}`;

const HUB_NBMA = ip(172, 17, 1, 1);
const SP_HUB = ip(172, 17, 1, 2);
const f = formatIpv4;

function ksConfig(): string {
  return `hostname KS
ip multicast-routing
!
interface Loopback0
 ip address 1.1.1.1 255.255.255.255
 ip pim sparse-mode
!
interface FastEthernet1/0
 description Connection to the hub
 ip address 10.1.1.2 255.255.255.0
 ip pim sparse-mode
!
crypto key generate rsa general-keys label GDOI_KEYS modulus 1024 exportable
!
crypto isakmp policy 10
 authentication pre-share
crypto isakmp key cisco address 0.0.0.0 0.0.0.0
!
crypto ipsec transform-set GDOI_TS esp-3des esp-md5-hmac
!
crypto ipsec profile GDOI_PROFILE
 set transform-set GDOI_TS
!
crypto gdoi group GDOI_GROUP
 identity number 123
 server local
  rekey address ipv4 MULTICAST_REKEY
  rekey lifetime seconds 300
  rekey retransmit 60 number 2
  rekey authentication mypubkey rsa GDOI_KEYS
  sa ipsec 1
   profile GDOI_PROFILE
   match address ipv4 ACL
   replay time window-size 5
  address ipv4 1.1.1.1
!
ip access-list extended MULTICAST_REKEY
 permit ip any host 239.10.10.1
ip access-list extended ACL
 permit gre any any
!
ip pim send-rp-announce Loopback0 scope 10 group-list 1
ip pim send-rp-discovery Loopback0 scope 10
access-list 1 permit 239.0.0.0 0.255.255.255
ip route 0.0.0.0 0.0.0.0 10.1.1.1
end
`;
}

function memberCrypto(): string {
  return `crypto isakmp policy 10
 authentication pre-share
crypto isakmp key cisco address 1.1.1.1
!
crypto gdoi group GDOI_GM
 identity number 123
 server address ipv4 1.1.1.1
!
crypto map DMVPN local-address Loopback0
crypto map DMVPN 10 gdoi
 set group GDOI_GM
!`;
}

function hubConfig(): string {
  return `hostname Central
ip multicast-routing
!
interface Loopback0
 ip address 2.2.2.2 255.255.255.255
 ip pim sparse-mode
!
interface Loopback1
 description Hub site LAN
 ip address 192.168.1.1 255.255.255.0
!
interface FastEthernet0/0
 description Connection to KS
 ip address 10.1.1.1 255.255.255.0
 ip pim sparse-mode
!
${memberCrypto()}
interface Serial2/0
 ip address ${f(HUB_NBMA)} 255.255.255.0
 crypto map DMVPN
!
interface Tunnel10
 ip address 10.255.0.1 255.255.0.0
 tunnel mode gre multipoint
 tunnel source Serial2/0
 tunnel key 123
 ip nhrp map multicast dynamic
 ip nhrp network-id 123
 ip pim dr-priority 100
 ip pim sparse-mode
 ip pim nbma-mode
 ip igmp join-group 239.10.10.1
!
router eigrp 10
 no auto-summary
 network 192.168.1.0
 network 10.255.0.0 0.0.255.255
!
ip route 1.1.1.1 255.255.255.255 10.1.1.2
ip route 0.0.0.0 0.0.0.0 ${f(SP_HUB)}
end
`;
}

function spokeConfig(i: number): string {
  const wan = spokeWan(i);
  return `hostname GM-${i}
ip multicast-routing
!
interface Loopback0
 ip address ${f(spokeLoopback(i))} 255.255.255.255
 ip pim sparse-mode
!
interface Loopback1
 description Site LAN
 ip address ${f(spokeLan(i))} 255.255.255.0
!
${memberCrypto()}
interface Serial1/0
 ip address ${f(wan.spoke)} 255.255.255.252
 crypto map DMVPN
!
interface Tunnel10
 ip address ${f(spokeTunnel(i))} 255.255.0.0
 tunnel mode gre multipoint
 tunnel source Serial1/0
 tunnel key 123
 ip nhrp nhs 10.255.0.1
 ip nhrp map 10.255.0.1 ${f(HUB_NBMA)}
 ip nhrp map multicast ${f(HUB_NBMA)}
 ip nhrp network-id 123
 ip pim sparse-mode
 ip igmp join-group 239.10.10.1
!
router eigrp 10
 no auto-summary
 network ${f(spokeLan(i) - 1)} 0.0.0.255
 network 10.255.0.0 0.0.255.255
!
ip mroute 1.1.1.1 255.255.255.255 10.255.0.1
ip route 0.0.0.0 0.0.0.0 ${f(wan.sp)}
end
`;
}

function spConfig(n: number): string {
  const lines = [
    'hostname SP',
    'interface Serial0/0',
    ' description Central',
    ` ip address ${f(SP_HUB)} 255.255.255.0`,
  ];
  for (let i = 1; i <= n; i++) {
    lines.push(
      `interface ${spSerial(i)}`,
      ` description GM-${i}`,
      ` ip address ${f(spokeWan(i).sp)} 255.255.255.252`,
    );
  }
  lines.push(
    'ip route 1.1.1.1 255.255.255.255 172.17.1.1',
    'ip route 2.2.2.2 255.255.255.255 172.17.1.1',
    'ip route 10.1.1.0 255.255.255.0 172.17.1.1',
  );
  for (let i = 1; i <= n; i++)
    lines.push(`ip route ${f(spokeLoopback(i))} 255.255.255.255 ${f(spokeWan(i).spoke)}`);
  lines.push('end', '');
  return lines.join('\n');
}

export function generateHubSpokes(options: HubSpokeOptions): Scenario {
  const n = options.spokes;
  const devices: ScenarioDevice[] = [
    { name: 'KS', role: 'router', x: -430, y: 0, config: ksConfig() },
    { name: 'Central', role: 'router', x: -200, y: 0, config: hubConfig() },
    { name: 'SP', role: 'provider', x: 60, y: 0, config: spConfig(n) },
  ];
  const links: ScenarioLink[] = [
    { a: 'KS FastEthernet1/0', b: 'Central FastEthernet0/0', delayMs: 1 },
    { a: 'Central Serial2/0', b: 'SP Serial0/0', delayMs: 5 },
  ];
  const radius = Math.max(250, n * 12);
  for (let i = 1; i <= n; i++) {
    const angle = n === 1 ? 0 : -Math.PI / 2 + (Math.PI * (i - 1)) / (n - 1);
    devices.push({
      name: `GM-${i}`,
      role: 'router',
      x: Math.round(60 + radius * Math.cos(angle)),
      y: Math.round(radius * Math.sin(angle)),
      config: spokeConfig(i),
    });
    links.push({ a: `GM-${i} Serial1/0`, b: `SP ${spSerial(i)}`, delayMs: 5 });
  }
  return {
    format: SCENARIO_FORMAT,
    title: `GET VPN over DMVPN: hub and ${n} spoke${n === 1 ? '' : 's'}`,
    description: `A generated lab of the reference design with ${n} spokes (group members) behind one hub.`,
    seed: options.seed ?? 1,
    devices,
    links,
  };
}
