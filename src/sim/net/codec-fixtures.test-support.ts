/**
 * Packets of the reference lab built by hand, shared by the codec, dissector and tshark tests (test-only).
 * Addresses are the article's: the hub Central (NBMA 172.17.1.1, tunnel 192.168.100.1), the spokes (NBMA
 * 172.17.2.2 …, tunnel 192.168.100.2 …), the KS loopback and RP 1.1.1.1, the rekey group 239.10.10.1.
 */
import { type AutoRpMessage, encodeAutoRp } from './autorp';
import {
  EIGRP_OPCODE,
  type EigrpExternalData,
  type EigrpMetric,
  type EigrpPacket,
  type EigrpTlv,
} from './eigrp';
import { encodeGre } from './gre';
import type { IgmpMessage } from './igmp';
import { encodeIpv4, IP_PROTO, type Ipv4Header, ipv4Header } from './ipv4';
import type { IsakmpPayload, Transform } from './isakmp';
import { parseIpv4 } from './ipv4-address';
import { NHRP_ERROR, NHRP_FLAG, nhrpCiscoAuthentication, type NhrpMessage } from './nhrp';
import { pimNullRegisterHeader, type PimMessage } from './pim';

/** An NHRP request or reply (every kind but the Error Indication): it carries CIEs and extensions. */
export type NhrpRequestReply = Extract<NhrpMessage, { extensions: unknown }>;

/** A dotted quad as a number; 0 for a typo, so a fixture never throws at import. */
export const ip = (text: string): number => parseIpv4(text) ?? 0;

/** An IPv4 packet around `payload`, with the header defaults of `ipv4Header` unless `extra` says otherwise. */
export function ipPacket(
  protocol: number,
  src: string,
  dst: string,
  payload: Uint8Array,
  extra: Partial<Ipv4Header> = {},
): Uint8Array {
  return encodeIpv4({
    header: ipv4Header({ protocol, source: ip(src), destination: ip(dst), ...extra }),
    payload,
  });
}

/** The lab's tunnel key (`tunnel key 123`). */
export const TUNNEL_KEY = 123;

/** `payload` in GRE with the lab's tunnel key, in an IPv4 packet between two NBMA addresses. */
export function greFrame(
  src: string,
  dst: string,
  protocolType: number,
  payload: Uint8Array,
  withChecksum = false,
): Uint8Array {
  return ipPacket(
    IP_PROTO.GRE,
    src,
    dst,
    encodeGre({ protocolType, key: TUNNEL_KEY, payload, withChecksum }),
  );
}

/** Link-local control traffic as IOS sends it: TTL 1, ToS 0xC0 (Internet control precedence, RFC 791). */
export const LINK_LOCAL: Partial<Ipv4Header> = { ttl: 1, tos: 0xc0 };
/** IGMP as IOS sends it: link-local, with the Router Alert option (RFC 2236 §2, RFC 2113). */
export const ROUTER_ALERT: Partial<Ipv4Header> = {
  ...LINK_LOCAL,
  options: [{ kind: 'router-alert', value: 0 }],
};

/**
 * The spoke's registration to the hub (RFC 2332 §5.2.1, as IOS sends it): U flag, one CIE /32 MTU 1514 hold
 * 7200, and the Responder Address, Forward and Reverse Transit NHS Record extensions (types 3, 4, 5).
 */
export const NHRP_REGISTRATION: NhrpRequestReply = {
  kind: 'registration-request',
  hopCount: 255,
  sourceNbma: ip('172.17.2.2'),
  sourceProtocol: ip('192.168.100.2'),
  destinationProtocol: ip('192.168.100.1'),
  flags: NHRP_FLAG.REGISTRATION_U,
  requestId: 7,
  cies: [{ code: 0, prefixLength: 32, mtu: 1514, holdingTime: 7200, preference: 0 }],
  extensions: [
    { kind: 'responder-address', compulsory: true, cies: [] },
    { kind: 'forward-transit-nhs', compulsory: true, cies: [] },
    { kind: 'reverse-transit-nhs', compulsory: true, cies: [] },
  ],
};

/** The same registration with `ip nhrp authentication cisco123` (Cisco's Authentication extension, type 7). */
export const NHRP_AUTHENTICATED_REGISTRATION: NhrpRequestReply = {
  ...NHRP_REGISTRATION,
  extensions: [...NHRP_REGISTRATION.extensions, nhrpCiscoAuthentication('cisco123')],
};

/** The hub's reply: the Responder Address extension names the hub (NBMA 172.17.1.1, tunnel 192.168.100.1). */
export const NHRP_REGISTRATION_REPLY: NhrpRequestReply = {
  ...NHRP_REGISTRATION,
  kind: 'registration-reply',
  extensions: [
    {
      kind: 'responder-address',
      compulsory: true,
      cies: [
        {
          ...NHRP_REGISTRATION.cies[0]!,
          clientNbma: ip('172.17.1.1'),
          clientProtocol: ip('192.168.100.1'),
        },
      ],
    },
    { kind: 'forward-transit-nhs', compulsory: true, cies: [] },
    { kind: 'reverse-transit-nhs', compulsory: true, cies: [] },
  ],
};

/** The spoke's (*,239.10.10.1) join towards the hub, RP 1.1.1.1 (RFC 7761 §4.9.5). */
export const PIM_STAR_G_JOIN: PimMessage = {
  kind: 'join-prune',
  upstreamNeighbor: ip('192.168.100.1'),
  holdtime: 210,
  groups: [
    {
      group: { address: ip('239.10.10.1'), maskLength: 32 },
      joins: [{ address: ip('1.1.1.1'), maskLength: 32, sparse: true, wildcard: true, rpt: true }],
      prunes: [],
    },
  ],
};

/** The same join with an (S,G,rpt) prune of source 10.1.7.1, as after the last hop's SPT switchover. */
export const PIM_JOIN_PRUNE: PimMessage = {
  ...PIM_STAR_G_JOIN,
  groups: [
    {
      ...PIM_STAR_G_JOIN.groups[0]!,
      prunes: [{ address: ip('10.1.7.1'), maskLength: 32, sparse: true, wildcard: false, rpt: true }],
    },
  ],
};

/** The hub's NHRP Error Indication (RFC 2332 §5.2.7: Authentication Failure) quoting `offending`. */
export function nhrpAuthenticationFailure(offending: Uint8Array, errorOffset: number): NhrpMessage {
  return {
    kind: 'error-indication',
    hopCount: 255,
    sourceNbma: ip('172.17.1.1'),
    sourceProtocol: ip('192.168.100.1'),
    destinationProtocol: ip('192.168.100.2'),
    errorCode: NHRP_ERROR.AUTHENTICATION_FAILURE,
    errorOffset,
    packet: offending,
  };
}

/** The DR's Null-Register probe for (10.1.7.1, 239.10.10.1) (RFC 7761 §4.4: N bit, the inner IP header only). */
export const PIM_NULL_REGISTER: PimMessage = {
  kind: 'register',
  border: false,
  nullRegister: true,
  packet: pimNullRegisterHeader(ip('10.1.7.1'), ip('239.10.10.1')),
};

/** The EIGRP Hello of AS 10 (RFC 7868 §6.7.1-2): K1 = K3 = 1, hold 15, IOS software version 12.4 / TLV 1.2. */
export const EIGRP_HELLO: EigrpPacket = {
  opcode: EIGRP_OPCODE.HELLO,
  flags: 0,
  sequence: 0,
  ack: 0,
  vrid: 0,
  as: 10,
  tlvs: [
    { kind: 'parameters', k1: 1, k2: 0, k3: 1, k4: 0, k5: 0, k6: 0, holdTime: 15 },
    { kind: 'software-version', release: [12, 4], tlvVersion: [1, 2] },
  ],
};

/** A LAN behind a 100 kbit/s tunnel: delay 256 × 10 (tens of µs), bandwidth 256 × 10^7 / 10^6 kbit/s. */
export const EIGRP_LAN_METRIC: EigrpMetric = {
  delay: 0x100,
  bandwidth: 0xa00,
  mtu: 1500,
  hopCount: 0,
  reliability: 255,
  load: 1,
  tag: 0,
  flags: 0,
};

/** A spoke's LAN 10.2.2.0/24 behind the tunnel, in an IPv4 Internal TLV (RFC 7868 §6.9.1, 3 destination bytes). */
export const EIGRP_LAN_ROUTE: EigrpTlv = {
  kind: 'ipv4-internal',
  nextHop: 0,
  metric: EIGRP_LAN_METRIC,
  destination: ip('10.2.2.0'),
  prefixLength: 24,
};

/** A route redistributed by 2.2.2.2 (tag 77, originating protocol 3) in an IPv4 External TLV (RFC 7868). */
export const EIGRP_EXTERNAL_DATA: EigrpExternalData = {
  originatingRouter: ip('2.2.2.2'),
  originatingAs: 0,
  tag: 77,
  externalMetric: 0,
  protocol: 3,
  flags: 0,
};

/** The RP's PIMv1 RP-Reachable for 239.10.10.1/32 in IGMP; Cisco sends holdtime 270 (IOS packet capture). */
export const PIMV1_RP_REACHABLE: IgmpMessage = {
  kind: 'pimv1-rp-reachable',
  group: ip('239.10.10.1'),
  groupMask: 0xffffffff,
  rp: ip('1.1.1.1'),
  holdtime: 270,
};

/**
 * An IKE main-mode SA payload with one proposal (RFC 2409 §5; RFC 2407: DOI 1 = IPsec, situation 1 =
 * SIT_IDENTITY_ONLY; protocol 1 = PROTO_ISAKMP, no SPI).
 */
export function ikeSaPayload(transforms: Transform[]): IsakmpPayload {
  return {
    kind: 'sa',
    doi: 1,
    situation: 1,
    proposals: [{ number: 1, protocolId: 1, spi: new Uint8Array(0), transforms }],
  };
}

/** The KS's Auto-RP message: RP 1.1.1.1 (PIM version field 3) for 239.0.0.0/8, holdtime 181. */
export function autoRpMapping(kind: AutoRpMessage['kind']): AutoRpMessage {
  return {
    kind,
    holdtime: 181,
    rps: [
      {
        rp: ip('1.1.1.1'),
        pimVersion: 3,
        groups: [{ prefix: ip('239.0.0.0'), maskLength: 8, negative: false }],
      },
    ],
  };
}

/** `autoRpMapping` on the wire. */
export const encodedAutoRpMapping = (kind: AutoRpMessage['kind']): Uint8Array =>
  encodeAutoRp(autoRpMapping(kind));
