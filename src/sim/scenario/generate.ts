import { formatIpv4, type Ipv4 } from '../net/ipv4-address';
import { SCENARIO_FORMAT, type Scenario, type ScenarioDevice, type ScenarioLink } from './schema';

/**
 * Hub-and-spoke labs of the reference design at any size: a KS behind the DMVPN hub(s), N spokes over an SP
 * underlay, PIM sparse mode with Auto-RP from the KS, each spoke joined to the rekey group with the static
 * `ip mroute` towards its hub, and every spoke (and hub) a GET VPN member.
 *
 * Addressing (so it scales past the article's /24s): spoke i (1-based) has WAN 100.64.0.0/10 /30 blocks,
 * Loopback0 11.x.y.z, a LAN stand-in 20.x.y.1/24 and a tunnel address in its hub's /16.
 *
 * Several hubs: each hub h (1-based) runs its own DMVPN cloud (Tunnel10 in 10.(256-h).0.0/16, NBMA address
 * 172.17.h.1) and spoke i belongs to hub ((i-1) mod H) + 1. Every hub has its own link to the KS (10.1.h.0/24),
 * which is the RP and multicast source for all of them: the rekey leaves the KS once per hub link and each hub
 * replicates it to its spokes. Unicast to the KS (IKE, GDOI registration) goes through hub 1, whose underlay
 * address the SP routes 1.1.1.1 to. With one hub the lab is the single-hub design (hub named `Central`).
 */
export interface HubSpokeOptions {
  readonly spokes: number;
  /** DMVPN hubs (clouds); 1 by default. */
  readonly hubs?: number;
  readonly seed?: number;
}

const MAX_SPOKES = 16_000;
const MAX_HUBS = 16;

/** `hub-spokes:<N>` or `hub-spokes:<N>:<H>` (N spokes spread over H hubs). */
export function parseGenerateSpec(spec: string): HubSpokeOptions | { error: string } {
  const m = /^hub-spokes:(\d+)(?::(\d+))?$/.exec(spec);
  if (!m) return { error: `--generate takes hub-spokes:<N> or hub-spokes:<N>:<hubs>, got "${spec}"` };
  const spokes = Number(m[1]);
  const hubs = m[2] === undefined ? 1 : Number(m[2]);
  if (spokes < 1 || spokes > MAX_SPOKES) return { error: `hub-spokes needs 1 to ${MAX_SPOKES} spokes` };
  if (hubs < 1 || hubs > MAX_HUBS) return { error: `hub-spokes takes 1 to ${MAX_HUBS} hubs` };
  if (hubs > spokes) return { error: `${hubs} hubs need at least ${hubs} spokes` };
  return hubs === 1 ? { spokes } : { spokes, hubs };
}

const ip = (a: number, b: number, c: number, d: number): Ipv4 => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

function spokeWan(i: number): { spoke: Ipv4; sp: Ipv4 } {
  const base = ip(100, 64, 0, 0) + (i - 1) * 4;
  return { spoke: base + 1, sp: base + 2 };
}

const spokeLoopback = (i: number): Ipv4 => ip(11, (i >> 16) & 255, (i >> 8) & 255, i & 255);
const spokeLan = (i: number): Ipv4 => ip(20, (i >> 8) & 255, i & 255, 1);
/** Spoke i's hub (1-based): spokes are dealt to the hubs in turn. */
const hubOf = (i: number, hubs: number): number => ((i - 1) % hubs) + 1;
/** Tunnel network of hub h's cloud: 10.255.0.0/16 for hub 1, 10.254.0.0/16 for hub 2, ... */
const cloudNetwork = (h: number): Ipv4 => ip(10, 256 - h, 0, 0);
const hubTunnel = (h: number): Ipv4 => cloudNetwork(h) + 1;
const spokeTunnel = (i: number, h: number): Ipv4 => cloudNetwork(h) + ((i + 1) & 0xffff);
/** SP-side serial for spoke i: 16 ports per slot, from Serial1/0 on (Serial0/x faces the hubs). */
const spSerial = (i: number): string => `Serial${1 + ((i - 1) >> 4)}/${(i - 1) & 15}`;

const hubNbma = (h: number): Ipv4 => ip(172, 17, h, 1);
const spHub = (h: number): Ipv4 => ip(172, 17, h, 2);
const hubLoopback = (h: number): Ipv4 => ip(2, 2, 2, h + 1);
/** The KS-hub link of hub h: 10.1.h.0/24, hub .1, KS .2. */
const ksLinkHub = (h: number): Ipv4 => ip(10, 1, h, 1);
const ksLinkKs = (h: number): Ipv4 => ip(10, 1, h, 2);
const ksInterface = (h: number): string => `FastEthernet1/${h - 1}`;
const hubName = (h: number, hubs: number): string => (hubs === 1 ? 'Central' : `Central-${h}`);
const f = formatIpv4;

function ksConfig(hubs: number): string {
  const links = Array.from({ length: hubs }, (_, k) => k + 1)
    .map(
      (h) => `interface ${ksInterface(h)}
 description Connection to ${hubs === 1 ? 'the hub' : hubName(h, hubs)}
 ip address ${f(ksLinkKs(h))} 255.255.255.0
 ip pim sparse-mode
!`,
    )
    .join('\n');
  return `hostname KS
ip multicast-routing
!
interface Loopback0
 ip address 1.1.1.1 255.255.255.255
 ip pim sparse-mode
!
${links}
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
ip route 0.0.0.0 0.0.0.0 ${f(ksLinkHub(1))}
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

function hubConfig(h: number, hubs: number): string {
  return `hostname ${hubName(h, hubs)}
ip multicast-routing
!
interface Loopback0
 ip address ${f(hubLoopback(h))} 255.255.255.255
 ip pim sparse-mode
!
interface Loopback1
 description Hub site LAN
 ip address 192.168.${h}.1 255.255.255.0
!
interface FastEthernet0/0
 description Connection to KS
 ip address ${f(ksLinkHub(h))} 255.255.255.0
 ip pim sparse-mode
!
${memberCrypto()}
interface Serial2/0
 ip address ${f(hubNbma(h))} 255.255.255.0
 crypto map DMVPN
!
interface Tunnel10
 ip address ${f(hubTunnel(h))} 255.255.0.0
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
 network 192.168.${h}.0
 network ${f(cloudNetwork(h))} 0.0.255.255
!
ip route 1.1.1.1 255.255.255.255 ${f(ksLinkKs(h))}
ip route 0.0.0.0 0.0.0.0 ${f(spHub(h))}
end
`;
}

function spokeConfig(i: number, hubs: number): string {
  const wan = spokeWan(i);
  const h = hubOf(i, hubs);
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
 ip address ${f(spokeTunnel(i, h))} 255.255.0.0
 tunnel mode gre multipoint
 tunnel source Serial1/0
 tunnel key 123
 ip nhrp nhs ${f(hubTunnel(h))}
 ip nhrp map ${f(hubTunnel(h))} ${f(hubNbma(h))}
 ip nhrp map multicast ${f(hubNbma(h))}
 ip nhrp network-id 123
 ip pim sparse-mode
 ip igmp join-group 239.10.10.1
!
router eigrp 10
 no auto-summary
 network ${f(spokeLan(i) - 1)} 0.0.0.255
 network ${f(cloudNetwork(h))} 0.0.255.255
!
ip mroute 1.1.1.1 255.255.255.255 ${f(hubTunnel(h))}
ip route 0.0.0.0 0.0.0.0 ${f(wan.sp)}
end
`;
}

function spConfig(n: number, hubs: number): string {
  const lines = ['hostname SP'];
  for (let h = 1; h <= hubs; h++) {
    lines.push(
      `interface Serial0/${h - 1}`,
      ` description ${hubName(h, hubs)}`,
      ` ip address ${f(spHub(h))} 255.255.255.0`,
    );
  }
  for (let i = 1; i <= n; i++) {
    lines.push(
      `interface ${spSerial(i)}`,
      ` description GM-${i}`,
      ` ip address ${f(spokeWan(i).sp)} 255.255.255.252`,
    );
  }
  lines.push(`ip route 1.1.1.1 255.255.255.255 ${f(hubNbma(1))}`);
  for (let h = 1; h <= hubs; h++) {
    lines.push(
      `ip route ${f(hubLoopback(h))} 255.255.255.255 ${f(hubNbma(h))}`,
      `ip route 10.1.${h}.0 255.255.255.0 ${f(hubNbma(h))}`,
    );
  }
  for (let i = 1; i <= n; i++)
    lines.push(`ip route ${f(spokeLoopback(i))} 255.255.255.255 ${f(spokeWan(i).spoke)}`);
  lines.push('end', '');
  return lines.join('\n');
}

export function generateHubSpokes(options: HubSpokeOptions): Scenario {
  const n = options.spokes;
  const hubs = Math.max(1, Math.min(options.hubs ?? 1, n));
  const hubY = (h: number): number => (hubs === 1 ? 0 : Math.round((h - (hubs + 1) / 2) * 160));
  const devices: ScenarioDevice[] = [{ name: 'KS', role: 'router', x: -430, y: 0, config: ksConfig(hubs) }];
  const links: ScenarioLink[] = [];
  for (let h = 1; h <= hubs; h++) {
    const name = hubName(h, hubs);
    devices.push({ name, role: 'router', x: -200, y: hubY(h), config: hubConfig(h, hubs) });
    links.push(
      { a: `KS ${ksInterface(h)}`, b: `${name} FastEthernet0/0`, delayMs: 1 },
      { a: `${name} Serial2/0`, b: `SP Serial0/${h - 1}`, delayMs: 5 },
    );
  }
  devices.push({ name: 'SP', role: 'provider', x: 60, y: 0, config: spConfig(n, hubs) });
  const radius = Math.max(250, n * 12);
  for (let i = 1; i <= n; i++) {
    const angle = n === 1 ? 0 : -Math.PI / 2 + (Math.PI * (i - 1)) / (n - 1);
    devices.push({
      name: `GM-${i}`,
      role: 'router',
      x: Math.round(60 + radius * Math.cos(angle)),
      y: Math.round(radius * Math.sin(angle)),
      config: spokeConfig(i, hubs),
    });
    links.push({ a: `GM-${i} Serial1/0`, b: `SP ${spSerial(i)}`, delayMs: 5 });
  }
  const behind = hubs === 1 ? 'one hub' : `${hubs} hubs (one DMVPN cloud each)`;
  return {
    format: SCENARIO_FORMAT,
    title: `GET VPN over DMVPN: ${hubs === 1 ? 'hub' : `${hubs} hubs`} and ${n} spoke${n === 1 ? '' : 's'}`,
    description: `A generated lab of the reference design with ${n} spokes (group members) behind ${behind}.`,
    seed: options.seed ?? 1,
    devices,
    links,
  };
}

/** The hub names of a generated lab (`Central`, or `Central-1` … `Central-H`). */
export function generatedHubNames(hubs: number): string[] {
  return Array.from({ length: hubs }, (_, k) => hubName(k + 1, hubs));
}
