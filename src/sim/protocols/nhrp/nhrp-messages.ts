import {
  NHRP_FLAG,
  nhrpCiscoAuthentication,
  type NhrpCie,
  type NhrpExtension,
  type NhrpMessage,
} from '../../net/nhrp';
import type { Ipv4 } from '../../net/ipv4-address';

/** IOS sends hop count 255 and MTU 1514 in its CIEs (IOS packet captures). */
export const NHRP_HOP_COUNT = 255;

/** Every NHRP message but the Error Indication: requests and replies with CIEs and extensions. */
export type NhrpRequestReply = Exclude<NhrpMessage, { kind: 'error-indication' }>;
export const NHRP_CIE_MTU = 1514;

/** The addresses of one side of an NHRP exchange on a tunnel. */
export interface NhrpEndpoint {
  readonly nbma: Ipv4;
  readonly protocol: Ipv4;
}

function authentication(password: string | undefined): NhrpExtension[] {
  return password !== undefined ? [nhrpCiscoAuthentication(password)] : [];
}

/**
 * The extensions IOS puts in every request and reply: Responder Address (empty in a request, the responder's
 * CIE in a reply), Forward and Reverse Transit NHS, then the authentication string if configured.
 */
function extensions(password: string | undefined, responder?: NhrpCie): NhrpExtension[] {
  return [
    { kind: 'responder-address', compulsory: true, cies: responder ? [responder] : [] },
    { kind: 'forward-transit-nhs', compulsory: true, cies: [] },
    { kind: 'reverse-transit-nhs', compulsory: true, cies: [] },
    ...authentication(password),
  ];
}

/** RFC 2332 §5.2.3 Registration Request, as a DMVPN spoke sends it to its NHS (U flag: unique). */
export function registrationRequest(
  self: NhrpEndpoint,
  nhs: Ipv4,
  requestId: number,
  holdtime: number,
  password?: string,
): NhrpMessage {
  return {
    kind: 'registration-request',
    hopCount: NHRP_HOP_COUNT,
    sourceNbma: self.nbma,
    sourceProtocol: self.protocol,
    destinationProtocol: nhs,
    flags: NHRP_FLAG.REGISTRATION_U,
    requestId,
    cies: [{ code: 0, prefixLength: 32, mtu: NHRP_CIE_MTU, holdingTime: holdtime, preference: 0 }],
    extensions: extensions(password),
  };
}

/** RFC 2332 §5.2.4 Registration Reply: the request echoed with a CIE code and our Responder Address. */
export function registrationReply(
  request: NhrpRequestReply,
  responder: NhrpEndpoint,
  code: number,
  password?: string,
): NhrpMessage {
  const holdingTime = request.cies[0]?.holdingTime ?? 7200;
  return {
    ...request,
    kind: 'registration-reply',
    hopCount: NHRP_HOP_COUNT,
    cies: request.cies.map((c) => ({ ...c, code })),
    extensions: extensions(password, responderCie(responder, holdingTime)),
  };
}

/** RFC 2332 §5.2.1 Resolution Request for `target`, sent towards the NHS. */
export function resolutionRequest(
  self: NhrpEndpoint,
  target: Ipv4,
  requestId: number,
  holdtime: number,
  password?: string,
): NhrpMessage {
  return {
    kind: 'resolution-request',
    hopCount: NHRP_HOP_COUNT,
    sourceNbma: self.nbma,
    sourceProtocol: self.protocol,
    destinationProtocol: target,
    flags: NHRP_FLAG.RESOLUTION_Q | NHRP_FLAG.RESOLUTION_S,
    requestId,
    cies: [{ code: 0, prefixLength: 0, mtu: NHRP_CIE_MTU, holdingTime: holdtime, preference: 0 }],
    extensions: extensions(password),
  };
}

/** RFC 2332 §5.2.2 Resolution Reply from the station that owns the target: its own NBMA in the CIE. */
export function resolutionReply(
  request: NhrpRequestReply,
  self: NhrpEndpoint,
  holdtime: number,
  password?: string,
): NhrpMessage {
  // The owner answers for itself: the reply's CIE and the Responder Address are the same.
  const cie = responderCie(self, holdtime);
  return {
    ...request,
    kind: 'resolution-reply',
    hopCount: NHRP_HOP_COUNT,
    flags: request.flags | NHRP_FLAG.RESOLUTION_A,
    cies: [cie],
    extensions: extensions(password, cie),
  };
}

/** RFC 2332 §5.2.7 Error Indication about `offending`, back to its sender. */
export function errorIndication(
  self: NhrpEndpoint,
  offending: NhrpMessage,
  errorCode: number,
  packet: Uint8Array,
): NhrpMessage {
  return {
    kind: 'error-indication',
    hopCount: NHRP_HOP_COUNT,
    sourceNbma: self.nbma,
    sourceProtocol: self.protocol,
    destinationProtocol: offending.sourceProtocol,
    errorCode,
    errorOffset: 0,
    packet,
  };
}

function responderCie(responder: NhrpEndpoint, holdingTime: number): NhrpCie {
  return {
    code: 0,
    prefixLength: 32,
    mtu: NHRP_CIE_MTU,
    holdingTime,
    preference: 0,
    clientNbma: responder.nbma,
    clientProtocol: responder.protocol,
  };
}

/** The Cisco cleartext password in an Authentication extension, if any. */
export function authenticationOf(m: NhrpMessage): string | undefined {
  if (m.kind === 'error-indication') return undefined;
  const ext = m.extensions.find((e) => e.kind === 'authentication');
  if (!ext || ext.kind !== 'authentication') return undefined;
  return String.fromCharCode(...ext.data);
}
