/**
 * Role templates: the running-config text of a key server, DMVPN hub, spoke (group member), provider and plain
 * router in the reference design's style. The hub-and-spoke generator (generate.ts) and the topology editor
 * (edit/add-router.ts) both fill them, so the design's knowledge is written once: the generator with its scalable
 * addressing, the editor with what it reads from the lab it edits (edit/lab-facts.ts).
 *
 * Parameters are dotted-quad text, as a config line takes them. An optional part (a WAN address, a default route)
 * left out gives a config without that line: the editor writes it when a link gives the interface an address.
 */

/** An address and mask as `ip address` takes them. */
export interface AddressMask {
  readonly address: string;
  readonly mask: string;
}

/** A static route as `ip route` takes it. */
export interface RouteLine {
  readonly prefix: string;
  readonly mask: string;
  readonly nextHop: string;
}

/** What a group member needs of its key server (Cisco GET VPN configuration guide: group member config). */
export interface MemberCryptoParams {
  /** The KS's registration address (`server address ipv4`), the ISAKMP peer. */
  readonly ksAddress: string;
  /** The GDOI group's identity number, the same on the KS and its members. */
  readonly identity: number;
  /** The ISAKMP pre-shared key toward the KS. */
  readonly preSharedKey: string;
}

/** The DMVPN cloud a hub or spoke's mGRE tunnel belongs to. */
export interface TunnelParams {
  readonly number: number;
  readonly address: AddressMask;
  /** `tunnel key`: absent when the cloud has none. */
  readonly key?: number;
  readonly networkId: number;
}

export interface SpokeTemplateParams {
  readonly hostname: string;
  readonly loopback: string;
  /** The site LAN's stand-in (Loopback1). */
  readonly lan: AddressMask;
  /** The WAN interface: the tunnel's source, where the crypto map applies. */
  readonly wan: { readonly interface: string; readonly address?: AddressMask };
  readonly tunnel: TunnelParams;
  /** The hub (NHS): its tunnel address and NBMA (WAN) address. */
  readonly hub: { readonly tunnel: string; readonly nbma: string };
  /**
   * The rekey group the member joins on its tunnel (`ip igmp join-group`). Absent: a lab without multicast (no
   * `ip multicast-routing`, no PIM).
   */
  readonly rekeyGroup?: string;
  /** The GDOI group. Absent: a DMVPN spoke only (no crypto map, no mroute toward a key server). */
  readonly member?: MemberCryptoParams;
  readonly eigrpAs: number;
  /** `network` lines' arguments under `router eigrp` (`192.168.11.0`, `20.0.1.0 0.0.0.255`). */
  readonly eigrpNetworks: readonly string[];
  /** The default route's next hop (the provider's address on the WAN link). */
  readonly defaultRoute?: string;
}

export interface HubTemplateParams {
  readonly hostname: string;
  readonly loopback: string;
  readonly lan: AddressMask;
  /** The LAN toward the key server. */
  readonly ksLink?: { readonly interface: string; readonly address?: AddressMask };
  readonly wan: { readonly interface: string; readonly address?: AddressMask };
  readonly tunnel: TunnelParams;
  readonly rekeyGroup: string;
  readonly member: MemberCryptoParams;
  readonly eigrpAs: number;
  readonly eigrpNetworks: readonly string[];
  readonly routes: readonly RouteLine[];
}

export interface KeyServerLink {
  readonly interface: string;
  readonly description: string;
  readonly address: AddressMask;
}

export interface KeyServerTemplateParams {
  readonly hostname: string;
  /** Loopback0: the address members register to (`address ipv4`) and the Auto-RP RP address. */
  readonly loopback: string;
  readonly links: readonly KeyServerLink[];
  readonly identity: number;
  readonly rekeyGroup: string;
  readonly routes: readonly RouteLine[];
  /**
   * Candidate RP and mapping agent on Loopback0 (the article's KS). Default true; false for a second key server
   * in a lab that has its RP already, which would otherwise take the RP over: for the same group range the
   * mapping agent picks the candidate RP with the highest IP address ([INF] from FRR pimd's
   * `autorp_build_disc_rps`, which implements the same rule).
   */
  readonly autoRp?: boolean;
}

export interface ProviderInterface {
  readonly interface: string;
  readonly description: string;
  readonly address: AddressMask;
}

export interface ProviderTemplateParams {
  readonly hostname: string;
  readonly interfaces: readonly ProviderInterface[];
  readonly routes: readonly RouteLine[];
}

export interface PlainRouterTemplateParams {
  readonly hostname: string;
  readonly loopback: string;
}

const HOST_MASK = '255.255.255.255';

/** `ip route <prefix> <mask> <next hop>`. */
export function routeLine(r: RouteLine): string {
  return `ip route ${r.prefix} ${r.mask} ${r.nextHop}`;
}

const ipAddressLine = (a: AddressMask | undefined): string[] =>
  a ? [` ip address ${a.address} ${a.mask}`] : [];

/**
 * A member's ISAKMP and GDOI part: pre-shared key toward the KS, the group, and the crypto map sourced from
 * Loopback0 (the article's GM config: `crypto map DMVPN local-address Loopback 0`).
 */
export function memberCryptoTemplate(p: MemberCryptoParams): string {
  return `crypto isakmp policy 10
 authentication pre-share
crypto isakmp key ${p.preSharedKey} address ${p.ksAddress}
!
crypto gdoi group GDOI_GM
 identity number ${p.identity}
 server address ipv4 ${p.ksAddress}
!
crypto map DMVPN local-address Loopback0
crypto map DMVPN 10 gdoi
 set group GDOI_GM
!`;
}

/** The router's Loopback0, in PIM sparse mode (the article's routers all have one) when multicast runs. */
function loopback0(address: string, pim = true): string {
  return `interface Loopback0
 ip address ${address} ${HOST_MASK}
${pim ? ' ip pim sparse-mode\n' : ''}!`;
}

function wanInterface(
  wan: { readonly interface: string; readonly address?: AddressMask },
  crypto = true,
): string {
  return [
    `interface ${wan.interface}`,
    ...ipAddressLine(wan.address),
    ...(crypto ? [' crypto map DMVPN'] : []),
    '!',
  ].join('\n');
}

function eigrpBlock(as: number, networks: readonly string[]): string {
  return [`router eigrp ${as}`, ' no auto-summary', ...networks.map((n) => ` network ${n}`), '!'].join('\n');
}

/**
 * A DMVPN spoke and GET VPN member (the article's GM-1): registers to the hub as NHS, maps multicast to the
 * hub's NBMA address, joins the rekey group on its tunnel, and points the RPF check for the KS at the tunnel
 * with a static `ip mroute` (the article's fix for the spokes' RPF failure).
 */
export function spokeTemplate(p: SpokeTemplateParams): string {
  const t = p.tunnel;
  const multicast = p.rekeyGroup !== undefined;
  const line = (on: boolean, text: string): string => (on ? `${text}\n` : '');
  return `hostname ${p.hostname}
${line(multicast, 'ip multicast-routing')}!
${loopback0(p.loopback, multicast)}
interface Loopback1
 description Site LAN
 ip address ${p.lan.address} ${p.lan.mask}
!
${p.member ? `${memberCryptoTemplate(p.member)}\n` : ''}${wanInterface(p.wan, p.member !== undefined)}
interface Tunnel${t.number}
 ip address ${t.address.address} ${t.address.mask}
 tunnel mode gre multipoint
 tunnel source ${p.wan.interface}
${line(t.key !== undefined, ` tunnel key ${t.key}`)} ip nhrp nhs ${p.hub.tunnel}
 ip nhrp map ${p.hub.tunnel} ${p.hub.nbma}
 ip nhrp map multicast ${p.hub.nbma}
 ip nhrp network-id ${t.networkId}
${line(multicast, ' ip pim sparse-mode')}${line(multicast, ` ip igmp join-group ${p.rekeyGroup}`)}!
${eigrpBlock(p.eigrpAs, p.eigrpNetworks)}
${line(p.member !== undefined && multicast, `ip mroute ${p.member?.ksAddress} ${HOST_MASK} ${p.hub.tunnel}`)}${line(p.defaultRoute !== undefined, routeLine({ prefix: '0.0.0.0', mask: '0.0.0.0', nextHop: p.defaultRoute ?? '' }))}end
`;
}

/**
 * A DMVPN hub (the article's Central): dynamic NHRP multicast mappings, PIM NBMA mode and the DR priority on the
 * tunnel, also a GET VPN member.
 */
export function hubTemplate(p: HubTemplateParams): string {
  const t = p.tunnel;
  const ksLink = p.ksLink
    ? `${[
        `interface ${p.ksLink.interface}`,
        ' description Connection to KS',
        ...ipAddressLine(p.ksLink.address),
        ' ip pim sparse-mode',
        '!',
      ].join('\n')}\n`
    : '';
  return `hostname ${p.hostname}
ip multicast-routing
!
${loopback0(p.loopback)}
interface Loopback1
 description Hub site LAN
 ip address ${p.lan.address} ${p.lan.mask}
!
${ksLink}${memberCryptoTemplate(p.member)}
${wanInterface(p.wan)}
interface Tunnel${t.number}
 ip address ${t.address.address} ${t.address.mask}
 tunnel mode gre multipoint
 tunnel source ${p.wan.interface}
${t.key !== undefined ? ` tunnel key ${t.key}\n` : ''} ip nhrp map multicast dynamic
 ip nhrp network-id ${t.networkId}
 ip pim dr-priority 100
 ip pim sparse-mode
 ip pim nbma-mode
 ip igmp join-group ${p.rekeyGroup}
!
${eigrpBlock(p.eigrpAs, p.eigrpNetworks)}
${p.routes.map((r) => `${routeLine(r)}\n`).join('')}end
`;
}

const AUTO_RP_LINES = `ip pim send-rp-announce Loopback0 scope 10 group-list 1
ip pim send-rp-discovery Loopback0 scope 10
access-list 1 permit 239.0.0.0 0.255.255.255
`;

/**
 * A GET VPN key server (the article's KS): the GDOI group with a multicast rekey signed with its RSA key, and
 * Auto-RP candidate RP and mapping agent on Loopback0.
 */
export function keyServerTemplate(p: KeyServerTemplateParams): string {
  const links = p.links
    .map(
      (l) => `interface ${l.interface}
 description ${l.description}
 ip address ${l.address.address} ${l.address.mask}
 ip pim sparse-mode
!
`,
    )
    .join('');
  return `hostname ${p.hostname}
ip multicast-routing
!
${loopback0(p.loopback)}
${links}crypto key generate rsa general-keys label GDOI_KEYS modulus 1024 exportable
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
 identity number ${p.identity}
 server local
  rekey address ipv4 MULTICAST_REKEY
  rekey lifetime seconds 300
  rekey retransmit 60 number 2
  rekey authentication mypubkey rsa GDOI_KEYS
  sa ipsec 1
   profile GDOI_PROFILE
   match address ipv4 ACL
   replay time window-size 5
  address ipv4 ${p.loopback}
!
ip access-list extended MULTICAST_REKEY
 permit ip any host ${p.rekeyGroup}
ip access-list extended ACL
 permit gre any any
!
${p.autoRp === false ? '' : AUTO_RP_LINES}${p.routes.map((r) => `${routeLine(r)}\n`).join('')}end
`;
}

/** The service provider (the article's SP): addresses on its links and static routes, no multicast, no crypto. */
export function providerTemplate(p: ProviderTemplateParams): string {
  const lines = [`hostname ${p.hostname}`];
  for (const i of p.interfaces) {
    lines.push(
      `interface ${i.interface}`,
      ` description ${i.description}`,
      ` ip address ${i.address.address} ${i.address.mask}`,
    );
  }
  for (const r of p.routes) lines.push(routeLine(r));
  lines.push('end', '');
  return lines.join('\n');
}

/** A router with a hostname and a loopback: the starting point for a design of the user's own. */
export function plainRouterTemplate(p: PlainRouterTemplateParams): string {
  return `hostname ${p.hostname}
!
interface Loopback0
 ip address ${p.loopback} ${HOST_MASK}
!
end
`;
}
