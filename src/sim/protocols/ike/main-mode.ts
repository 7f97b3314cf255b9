/**
 * IKEv1 main mode with pre-shared keys (RFC 2409 §5, six messages), both roles:
 *   I→R HDR, SA · R→I HDR, SA · I→R HDR, KE, Ni · R→I HDR, KE, Nr · I→R HDR*, IDii, HASH_I · R→I HDR*, IDir, HASH_R
 * A wrong pre-shared key gives the two sides different SKEYID_e: the responder's decryption of message 5 is
 * garbage and IOS reports `%CRYPTO-4-IKMP_BAD_MESSAGE … failed its sanity check or is malformed`, while the
 * initiator retransmits until the SA dies ("Death by retransmission P1").
 */
import { equalBytes } from '../../crypto';
import { formatIpv4, ipv4ToBytes } from '../../net/ipv4-address';
import {
  decodeDecryptedPayloads,
  type DecodedIsakmp,
  DOI,
  encodeIsakmp,
  encodePayloadBody,
  EXCHANGE,
  ID_TYPE,
  ISAKMP_VERSION,
  type IsakmpPayload,
  NOTIFY,
  type Proposal,
} from '../../net/isakmp';
import type { LazyText, Router } from '../../device/router';
import type { Prng } from '../../kernel/prng';
import type { IkeSa } from './ike-sa';
import { keyExchangeGroup, keyExchangePair, keyExchangeSecret } from './key-exchange';
import { authHash, derivePhase1Keys, phase1Iv } from './keys';
import {
  chooseTransform,
  cipherName,
  type EffectivePolicy,
  policiesOf,
  preSharedKeyFor,
  transformAttributes,
} from './policy';

/**
 * What Main Mode uses of the IKE service (implemented by `IkeService`, which drives it): declared here so the
 * two modules do not import each other.
 */
export interface MainModeHost {
  readonly router: Router;
  readonly random: Prng;
  debug(text: LazyText): void;
  transmit(sa: IkeSa, bytes: Uint8Array, retransmit: boolean): Promise<void>;
  reply(sa: IkeSa, received: Uint8Array, bytes: Uint8Array): Promise<void>;
  stopRetransmit(sa: IkeSa): void;
  established(sa: IkeSa): Promise<void>;
  badMessage(sa: IkeSa): void;
  modeFailure(sa: IkeSa, why: string): Promise<void>;
  notify(sa: IkeSa, messageType: number): Promise<void>;
  remove(sa: IkeSa): void;
}

const NONCE_BYTES = 20;
const TEXT = new TextEncoder();

function find<K extends IsakmpPayload['kind']>(
  payloads: readonly IsakmpPayload[],
  kind: K,
): Extract<IsakmpPayload, { kind: K }> | undefined {
  return payloads.find((p): p is Extract<IsakmpPayload, { kind: K }> => p.kind === kind);
}

function plain(sa: IkeSa, payloads: IsakmpPayload[]): Uint8Array {
  return encodeIsakmp({
    header: {
      initiatorCookie: sa.cookieI,
      responderCookie: sa.cookieR,
      version: ISAKMP_VERSION,
      exchangeType: EXCHANGE.MAIN_MODE,
      flags: 0,
      messageId: 0,
    },
    payloads,
  });
}

/**
 * The phase-1 SA payload. GETLab sends DOI IPSEC (1) in main mode: the GDOI reference code uses DOI 2 here, but
 * Wireshark then decodes the proposals as GDOI sub-payloads; both values are accepted on receipt.
 */
function saPayload(proposals: Proposal[]): IsakmpPayload {
  return { kind: 'sa', doi: DOI.IPSEC, situation: 1, proposals };
}

function idPayload(sa: IkeSa): IsakmpPayload {
  return { kind: 'id', idType: ID_TYPE.IPV4_ADDR, protocol: 17, port: sa.port, data: ipv4ToBytes(sa.local) };
}

/**
 * RFC 2409 §5: HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b); HASH_R swaps the KE and
 * cookie pairs. `sa.keI`/`cookieI` are always the initiator's, whichever end computes the hash.
 */
function authHashOf(sa: IkeSa, of: 'I' | 'R', id: IsakmpPayload): Promise<Uint8Array> {
  const [ke, peerKe, cookie, peerCookie] =
    of === 'I' ? [sa.keI, sa.keR, sa.cookieI, sa.cookieR] : [sa.keR, sa.keI, sa.cookieR, sa.cookieI];
  return authHash(
    sa.policy!.hash,
    sa.keys!.skeyid,
    ke,
    peerKe,
    cookie,
    peerCookie,
    sa.saiBody,
    encodePayloadBody(id),
  );
}

/**
 * Message 5 (from the initiator) or 6 (from the responder): decrypts it and checks the sender's ID and HASH.
 * The IV chain moves on only for a sound message; anything else is IOS's IKMP_BAD_MESSAGE.
 */
async function openAuthMessage(
  svc: MainModeHost,
  sa: IkeSa,
  msg: DecodedIsakmp,
  encrypted: Uint8Array,
  sender: 'I' | 'R',
): Promise<boolean> {
  let payloads: IsakmpPayload[];
  let commit: () => void;
  try {
    const d = await sa.decrypt(0, encrypted);
    commit = d.commit;
    payloads = decodeDecryptedPayloads(msg.header, d.plaintext).payloads;
  } catch {
    svc.badMessage(sa);
    return false;
  }
  const id = find(payloads, 'id');
  const hash = find(payloads, 'hash');
  const expected = id && (await authHashOf(sa, sender, id));
  if (!hash || !expected || !equalBytes(expected, hash.data)) {
    svc.badMessage(sa);
    return false;
  }
  commit();
  return true;
}

function tag(sa: IkeSa): string {
  return `ISAKMP:(${sa.established || sa.keys ? sa.connId : 0})`;
}

function debugPolicy(svc: MainModeHost, sa: IkeSa, p: EffectivePolicy): void {
  svc.debug(() => `${tag(sa)}:Checking ISAKMP transform 1 against priority ${p.priority} policy`);
  svc.debug(() => `ISAKMP:      encryption ${cipherName(p)}`);
  svc.debug(() => `ISAKMP:      hash ${p.hash === 'md5' ? 'MD5' : p.hash === 'sha1' ? 'SHA' : 'SHA256'}`);
  svc.debug(() => `ISAKMP:      default group ${p.group}`);
  svc.debug(() => `ISAKMP:      auth ${p.authentication}`);
  svc.debug(() => `ISAKMP:      life type in seconds`);
}

/** Message 1: the initiator offers every pre-share policy as one transform of proposal 1 (as IOS does). */
export async function startMainMode(svc: MainModeHost, sa: IkeSa): Promise<void> {
  const policies = policiesOf(svc.router.config).filter((p) => p.authentication === 'pre-share');
  const offer = policies.length > 0 ? policies : policiesOf(svc.router.config);
  const sa1 = saPayload([
    {
      number: 1,
      protocolId: 1,
      spi: new Uint8Array(0),
      transforms: offer.map((p, i) => ({ number: i + 1, id: 1, attributes: transformAttributes(p) })),
    },
  ]);
  sa.saiBody = encodePayloadBody(sa1);
  svc.debug(() => `ISAKMP:(0):beginning Main Mode exchange`);
  await svc.transmit(sa, plain(sa, [sa1]), true);
}

export async function handleMainMode(
  svc: MainModeHost,
  sa: IkeSa,
  msg: DecodedIsakmp,
  bytes: Uint8Array,
): Promise<void> {
  if (sa.role === 'responder') await responder(svc, sa, msg, bytes);
  else await initiator(svc, sa, msg);
}

async function initiator(svc: MainModeHost, sa: IkeSa, msg: DecodedIsakmp): Promise<void> {
  if (sa.state === 'MM_NO_STATE') {
    const chosen = find(msg.payloads, 'sa');
    const t = chosen?.proposals[0]?.transforms[0];
    const local = policiesOf(svc.router.config);
    const match = t ? chooseTransform(local, [t]) : undefined;
    if (!match) {
      await svc.modeFailure(sa, 'the peer chose no transform we offered');
      return;
    }
    svc.stopRetransmit(sa);
    sa.cookieR = msg.header.responderCookie;
    sa.policy = match.policy;
    debugPolicy(svc, sa, match.policy);
    svc.debug(() => `${tag(sa)}:atts are acceptable.`);
    if (!(await prepareKeyExchange(svc, sa))) return;
    sa.keI = sa.dh!.publicValue;
    sa.nonceI = svc.random.bytes(NONCE_BYTES);
    sa.state = 'MM_SA_SETUP';
    svc.debug(() => `${tag(sa)}:Old State = IKE_I_MM2  New State = IKE_I_MM3`);
    await svc.transmit(
      sa,
      plain(sa, [
        { kind: 'ke', data: sa.keI },
        { kind: 'nonce', data: sa.nonceI },
      ]),
      true,
    );
    return;
  }
  if (sa.state === 'MM_SA_SETUP') {
    const ke = find(msg.payloads, 'ke');
    const nonce = find(msg.payloads, 'nonce');
    if (!ke || !nonce) return;
    svc.stopRetransmit(sa);
    sa.keR = ke.data;
    sa.nonceR = nonce.data;
    if (!(await computeKeys(svc, sa))) return;
    sa.state = 'MM_KEY_EXCH';
    svc.debug(() => `${tag(sa)}:Old State = IKE_I_MM4  New State = IKE_I_MM5`);
    const id = idPayload(sa);
    const ownHash = await authHashOf(sa, 'I', id);
    await svc.transmit(
      sa,
      await sa.encrypt(EXCHANGE.MAIN_MODE, 0, [id, { kind: 'hash', data: ownHash }]),
      true,
    );
    return;
  }
  if (sa.state === 'MM_KEY_EXCH' && msg.encrypted) {
    if (!(await openAuthMessage(svc, sa, msg, msg.encrypted, 'R'))) return;
    sa.lastPhase1Block = sa.peekIv(0)!;
    svc.stopRetransmit(sa);
    await svc.established(sa);
  }
}

async function responder(svc: MainModeHost, sa: IkeSa, msg: DecodedIsakmp, bytes: Uint8Array): Promise<void> {
  // A retransmission of the message we last answered gets the same answer (the peer lost it).
  if (sa.lastReceived && sa.lastSent && equalBytes(sa.lastReceived, bytes)) {
    svc.debug(() => `${tag(sa)}:phase 1 packet is a duplicate of a previous packet.`);
    await svc.transmit(sa, sa.lastSent, false);
    return;
  }
  if (sa.state === 'MM_NO_STATE' && !sa.policy) {
    const offered = find(msg.payloads, 'sa');
    const proposal = offered?.proposals[0];
    const match = proposal ? chooseTransform(policiesOf(svc.router.config), proposal.transforms) : undefined;
    if (!offered || !proposal || !match) {
      svc.debug(() => `ISAKMP:(0):atts are not acceptable. Next payload is 0`);
      svc.router.log(
        'syslog',
        `%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode failed with peer at ${formatIpv4(sa.peer)}`,
      );
      await svc.notify(sa, NOTIFY.NO_PROPOSAL_CHOSEN);
      svc.remove(sa);
      return;
    }
    sa.saiBody = encodePayloadBody(offered);
    sa.policy = match.policy;
    debugPolicy(svc, sa, match.policy);
    svc.debug(() => `ISAKMP:(0):atts are acceptable. Next payload is 0`);
    const reply = saPayload([{ ...proposal, transforms: [match.transform] }]);
    await svc.reply(sa, bytes, plain(sa, [reply]));
    return;
  }
  if (sa.state === 'MM_NO_STATE') {
    const ke = find(msg.payloads, 'ke');
    const nonce = find(msg.payloads, 'nonce');
    if (!ke || !nonce) return;
    sa.keI = ke.data;
    sa.nonceI = nonce.data;
    if (!(await prepareKeyExchange(svc, sa))) return;
    sa.keR = sa.dh!.publicValue;
    sa.nonceR = svc.random.bytes(NONCE_BYTES);
    if (!(await computeKeys(svc, sa))) return;
    sa.state = 'MM_KEY_EXCH';
    svc.debug(() => `${tag(sa)}:Old State = IKE_R_MM3  New State = IKE_R_MM4`);
    await svc.reply(
      sa,
      bytes,
      plain(sa, [
        { kind: 'ke', data: sa.keR },
        { kind: 'nonce', data: sa.nonceR },
      ]),
    );
    return;
  }
  if (sa.state === 'MM_KEY_EXCH' && msg.encrypted) {
    if (!(await openAuthMessage(svc, sa, msg, msg.encrypted, 'I'))) return;
    const own = idPayload(sa);
    const ownHash = await authHashOf(sa, 'R', own);
    const reply = await sa.encrypt(EXCHANGE.MAIN_MODE, 0, [own, { kind: 'hash', data: ownHash }]);
    sa.lastPhase1Block = sa.peekIv(0)!;
    await svc.reply(sa, bytes, reply);
    await svc.established(sa);
  }
}

async function prepareKeyExchange(svc: MainModeHost, sa: IkeSa): Promise<boolean> {
  const group = keyExchangeGroup(sa.policy!.group);
  if (!group) {
    await svc.modeFailure(sa, `Diffie-Hellman group ${sa.policy!.group} is not supported`);
    return false;
  }
  sa.group = group;
  sa.dh = await keyExchangePair(group, svc.random);
  return true;
}

async function computeKeys(svc: MainModeHost, sa: IkeSa): Promise<boolean> {
  const key = preSharedKeyFor(svc.router.config, sa.peer);
  if (!key) {
    svc.debug(() => `${tag(sa)}:No pre-shared key with ${formatIpv4(sa.peer)}!`);
    await svc.modeFailure(sa, 'no pre-shared key');
    return false;
  }
  const peerKe = sa.role === 'initiator' ? sa.keR : sa.keI;
  const secret = await keyExchangeSecret(sa.group!, sa.dh!, peerKe);
  if (!secret) {
    svc.badMessage(sa);
    return false;
  }
  sa.keys = await derivePhase1Keys({
    hash: sa.policy!.hash,
    keyBytes: sa.policy!.keyBytes,
    psk: TEXT.encode(key.key),
    nonceI: sa.nonceI,
    nonceR: sa.nonceR,
    sharedSecret: secret,
    cookieI: sa.cookieI,
    cookieR: sa.cookieR,
  });
  sa.setIv(0, await phase1Iv(sa.policy!.hash, sa.policy!.cipher, sa.keI, sa.keR));
  svc.debug(() => `${tag(sa)}:found peer pre-shared key matching ${formatIpv4(sa.peer)}`);
  svc.debug(() => `${tag(sa)}:SKEYID state generated`);
  return true;
}
