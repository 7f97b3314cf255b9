import { formatIpv4, type Ipv4 } from '../net/ipv4-address';
import { SCENARIO_FORMAT, type Scenario, type ScenarioDevice, type ScenarioLink } from './schema';
import {
  hubTemplate,
  keyServerTemplate,
  type MemberCryptoParams,
  providerTemplate,
  type ProviderInterface,
  type RouteLine,
  spokeTemplate,
  type TunnelParams,
} from './templates';

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

const member: MemberCryptoParams = { ksAddress: '1.1.1.1', identity: 123, preSharedKey: 'cisco' };
const REKEY_GROUP = '239.10.10.1';
const CLOUD_MASK = '255.255.0.0';
/** The generated clouds all use the article's tunnel interface, key and NHRP network id. */
const cloudTunnel = (address: Ipv4): TunnelParams => ({
  number: 10,
  address: { address: f(address), mask: CLOUD_MASK },
  key: 123,
  networkId: 123,
});

function ksConfig(hubs: number): string {
  return keyServerTemplate({
    hostname: 'KS',
    loopback: '1.1.1.1',
    links: Array.from({ length: hubs }, (_, k) => k + 1).map((h) => ({
      interface: ksInterface(h),
      description: `Connection to ${hubs === 1 ? 'the hub' : hubName(h, hubs)}`,
      address: { address: f(ksLinkKs(h)), mask: '255.255.255.0' },
    })),
    identity: member.identity,
    rekeyGroup: REKEY_GROUP,
    routes: [{ prefix: '0.0.0.0', mask: '0.0.0.0', nextHop: f(ksLinkHub(1)) }],
  });
}

function hubConfig(h: number, hubs: number): string {
  return hubTemplate({
    hostname: hubName(h, hubs),
    loopback: f(hubLoopback(h)),
    lan: { address: `192.168.${h}.1`, mask: '255.255.255.0' },
    ksLink: {
      interface: 'FastEthernet0/0',
      address: { address: f(ksLinkHub(h)), mask: '255.255.255.0' },
    },
    wan: { interface: 'Serial2/0', address: { address: f(hubNbma(h)), mask: '255.255.255.0' } },
    tunnel: cloudTunnel(hubTunnel(h)),
    rekeyGroup: REKEY_GROUP,
    member,
    eigrpAs: 10,
    eigrpNetworks: [`192.168.${h}.0`, `${f(cloudNetwork(h))} 0.0.255.255`],
    routes: [
      { prefix: '1.1.1.1', mask: '255.255.255.255', nextHop: f(ksLinkKs(h)) },
      { prefix: '0.0.0.0', mask: '0.0.0.0', nextHop: f(spHub(h)) },
    ],
  });
}

function spokeConfig(i: number, hubs: number): string {
  const wan = spokeWan(i);
  const h = hubOf(i, hubs);
  return spokeTemplate({
    hostname: `GM-${i}`,
    loopback: f(spokeLoopback(i)),
    lan: { address: f(spokeLan(i)), mask: '255.255.255.0' },
    wan: { interface: 'Serial1/0', address: { address: f(wan.spoke), mask: '255.255.255.252' } },
    tunnel: cloudTunnel(spokeTunnel(i, h)),
    hub: { tunnel: f(hubTunnel(h)), nbma: f(hubNbma(h)) },
    rekeyGroup: REKEY_GROUP,
    member,
    eigrpAs: 10,
    eigrpNetworks: [`${f(spokeLan(i) - 1)} 0.0.0.255`, `${f(cloudNetwork(h))} 0.0.255.255`],
    defaultRoute: f(wan.sp),
  });
}

function spConfig(n: number, hubs: number): string {
  const interfaces: ProviderInterface[] = [];
  const routes: RouteLine[] = [];
  const host = '255.255.255.255';
  for (let h = 1; h <= hubs; h++) {
    interfaces.push({
      interface: `Serial0/${h - 1}`,
      description: hubName(h, hubs),
      address: { address: f(spHub(h)), mask: '255.255.255.0' },
    });
  }
  for (let i = 1; i <= n; i++) {
    interfaces.push({
      interface: spSerial(i),
      description: `GM-${i}`,
      address: { address: f(spokeWan(i).sp), mask: '255.255.255.252' },
    });
  }
  routes.push({ prefix: '1.1.1.1', mask: host, nextHop: f(hubNbma(1)) });
  for (let h = 1; h <= hubs; h++) {
    routes.push(
      { prefix: f(hubLoopback(h)), mask: host, nextHop: f(hubNbma(h)) },
      { prefix: `10.1.${h}.0`, mask: '255.255.255.0', nextHop: f(hubNbma(h)) },
    );
  }
  for (let i = 1; i <= n; i++)
    routes.push({ prefix: f(spokeLoopback(i)), mask: host, nextHop: f(spokeWan(i).spoke) });
  return providerTemplate({ hostname: 'SP', interfaces, routes });
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
