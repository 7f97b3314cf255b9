/**
 * IKEv1 on one router: the ISAKMP SA table (`show crypto isakmp sa`), UDP 500 and 848 input, main mode in
 * both roles, retransmission and the dispatch of GDOI exchanges (GROUPKEY-PULL runs under an ISAKMP SA;
 * GROUPKEY-PUSH is protected by the KEK and goes straight to the GDOI module).
 *
 * Everything is callback-driven: the kernel awaits each event handler, so a handler must never wait for a
 * message that only a later event can deliver.
 */
import {
  errorText,
  type LazyText,
  type PacketContext,
  type Router,
  type RouterModule,
  type UdpHandler,
} from '../../device/router';
import { bound } from '../../kernel/bound';
import { Timer } from '../../kernel/timer';
import { seconds } from '../../kernel/time';
import type { Prng } from '../../kernel/prng';
import { bytesEqual } from '../../net/bytes';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import {
  type DecodedIsakmp,
  decodeIsakmp,
  DOI,
  encodeIsakmp,
  EXCHANGE,
  GDOI_PORT,
  ISAKMP_PORT,
  ISAKMP_VERSION,
} from '../../net/isakmp';
import { encodeUdp } from '../../net/udp';
import { IP_PROTO } from '../../net/ipv4';
import { IkeSa } from './ike-sa';
import { handleMainMode, type MainModeHost, startMainMode } from './main-mode';
import { serviceOf } from '../services';

export const DEBUG_ISAKMP = 'crypto isakmp';
/** IOS retransmits an unanswered phase-1 message every 10 s, five times, then deletes the SA. */
export const RETRANSMIT_INTERVAL = seconds(10);
export const RETRANSMIT_LIMIT = 5;
const FIRST_CONN_ID = 1001;

type Done = (sa: IkeSa | undefined) => void | Promise<void>;

interface Pending {
  /** Set right after the pending record is made (its expiry is bound to the record). */
  timer: Timer | undefined;
  bytes: Uint8Array;
  count: number;
}

export class IkeService implements RouterModule, MainModeHost {
  readonly name = 'ike';
  readonly router: Router;
  readonly random: Prng;
  readonly sas: IkeSa[] = [];
  /**
   * `sas` bucketed by initiator cookie (immutable per SA), each bucket in `sas` order, so `receive` finds a
   * message's SA without scanning every SA: that scan was 3.6 % of a 10,000-spoke run (issue 18).
   */
  private readonly sasByCookieI = new Map<string, IkeSa[]>();
  /** GROUPKEY-PULL messages, decrypted under their ISAKMP SA (set by the GDOI module). */
  onPull: ((sa: IkeSa, msg: DecodedIsakmp, plaintext: Uint8Array) => void | Promise<void>) | undefined;
  /** GROUPKEY-PUSH messages as received (set by the GDOI module). */
  onPush: ((ctx: PacketContext, bytes: Uint8Array) => void | Promise<void>) | undefined;
  /** GROUPKEY-PUSH acknowledgements of unicast rekeys (set by the GDOI module; the KS verifies them). */
  onPushAck: ((ctx: PacketContext, msg: DecodedIsakmp) => void | Promise<void>) | undefined;
  private nextConnId = FIRST_CONN_ID;
  private readonly retransmits = new Map<IkeSa, Pending>();
  private readonly waiting = new Map<IkeSa, Done[]>();
  private readonly expiry = new Map<IkeSa, Timer>();

  constructor(router: Router) {
    this.router = router;
    this.random = router.kernel.prng.fork(`ike ${router.name}`);
    // Bound methods, not closures, so a checkpoint copies the router's UDP handlers (kernel/bound.ts).
    router.setUdpHandler(GDOI_PORT, bound(this, this.receiveUdp, GDOI_PORT));
    router.setUdpHandler(ISAKMP_PORT, bound(this, this.receiveUdp, ISAKMP_PORT));
    router.modules.push(this);
  }

  reconcile(): void {
    // Policies and keys are read when an exchange needs them; existing SAs live until they expire (IOS).
  }

  debug(text: LazyText): void {
    this.router.debugLog(DEBUG_ISAKMP, text);
  }

  allocateConnId(): number {
    return this.nextConnId++;
  }

  /** An established SA to `peer` from `local`, if any. */
  findEstablished(local: Ipv4, peer: Ipv4, port = GDOI_PORT): IkeSa | undefined {
    return this.sas.find((s) => s.established && s.local === local && s.peer === peer && s.port === port);
  }

  /**
   * Runs main mode to `peer` (or reuses an SA already up) and calls `done` with the SA, or with undefined when
   * the exchange fails.
   */
  async initiate(local: Ipv4, peer: Ipv4, port: number, done: Done): Promise<void> {
    const up = this.findEstablished(local, peer, port);
    if (up) {
      await done(up);
      return;
    }
    const inProgress = this.sas.find(
      (s) => s.role === 'initiator' && s.local === local && s.peer === peer && !s.established,
    );
    if (inProgress) {
      this.waiting.get(inProgress)?.push(done);
      return;
    }
    const sa = new IkeSa(
      'initiator',
      this.allocateConnId(),
      local,
      peer,
      port,
      this.random.bytes(8),
      this.router.kernel.now,
    );
    this.addSa(sa);
    this.waiting.set(sa, [done]);
    await startMainMode(this, sa);
  }

  private receiveUdp(port: number, ctx: PacketContext, udp: Parameters<UdpHandler>[1]): Promise<void> {
    return this.receive(ctx, udp.sourcePort, udp.payload, port);
  }

  private async receive(
    ctx: PacketContext,
    sourcePort: number,
    payload: Uint8Array,
    port: number,
  ): Promise<void> {
    let msg: DecodedIsakmp;
    try {
      msg = decodeIsakmp(payload);
    } catch (e) {
      this.router.drop(ctx, 0, `malformed ISAKMP message: ${errorText(e)}`);
      return;
    }
    const h = ctx.datagram.header;
    if (msg.header.exchangeType === EXCHANGE.GROUPKEY_PUSH) {
      if (this.onPush) await this.onPush(ctx, payload);
      else this.router.drop(ctx, 0, 'GDOI rekey for a group this router is not a member of');
      return;
    }
    if (msg.header.exchangeType === EXCHANGE.GROUPKEY_PUSH_ACK) {
      if (this.onPushAck) await this.onPushAck(ctx, msg);
      else this.router.drop(ctx, 0, 'GDOI rekey acknowledgement, but this router is no key server');
      return;
    }
    let sa = this.sasByCookieI
      .get(cookieKey(msg.header.initiatorCookie))
      ?.find(
        (s) =>
          bytesEqual(s.cookieR, msg.header.responderCookie) ||
          (s.role === 'initiator' && s.state === 'MM_NO_STATE'),
      );
    this.debug(
      () =>
        `ISAKMP (${sa?.connId ?? 0}): received packet from ${formatIpv4(h.source)} dport ${port} sport ${sourcePort} Global (${sa ? (sa.role === 'initiator' ? 'I' : 'R') : 'N'}) ${sa?.state ?? 'NEW SA'}`,
    );
    if (msg.header.exchangeType === EXCHANGE.MAIN_MODE) {
      if (!sa) {
        if (msg.header.responderCookie.some((b) => b !== 0)) {
          this.router.drop(ctx, 0, 'ISAKMP message for an unknown SA');
          return;
        }
        sa = new IkeSa(
          'responder',
          this.allocateConnId(),
          h.destination,
          h.source,
          port,
          msg.header.initiatorCookie,
          this.router.kernel.now,
        );
        sa.cookieR = this.random.bytes(8);
        this.addSa(sa);
      }
      await handleMainMode(this, sa, msg, payload);
      return;
    }
    if (msg.header.exchangeType === EXCHANGE.INFORMATIONAL) {
      if (sa && !msg.encrypted && msg.payloads.some((p) => p.kind === 'notification')) {
        await this.modeFailure(sa, 'the peer sent a notification');
      }
      return;
    }
    if (msg.header.exchangeType === EXCHANGE.GROUPKEY_PULL) {
      if (!sa || !sa.established || !msg.encrypted) {
        this.router.drop(ctx, 0, 'GROUPKEY-PULL without an ISAKMP SA');
        return;
      }
      let plaintext: Uint8Array;
      let commit: () => void;
      try {
        ({ plaintext, commit } = await sa.decrypt(msg.header.messageId, msg.encrypted));
      } catch {
        this.badMessage(sa);
        return;
      }
      if (this.onPull) {
        // The GDOI module decides whether the message is sound before the IV chain moves on.
        const before = sa.peekIv(msg.header.messageId);
        commit();
        const accepted = await this.onPullChecked(sa, msg, plaintext);
        if (!accepted && before) sa.setIv(msg.header.messageId, before);
      }
    }
  }

  private async onPullChecked(sa: IkeSa, msg: DecodedIsakmp, plaintext: Uint8Array): Promise<boolean> {
    try {
      await this.onPull?.(sa, msg, plaintext);
      return true;
    } catch (e) {
      this.debug(() => `ISAKMP:(${sa.connId}):GROUPKEY-PULL message rejected: ${errorText(e)}`);
      this.badMessage(sa);
      return false;
    }
  }

  /** Sends a message of `sa`; with `retransmit`, IOS's phase-1 retransmission applies until stopRetransmit. */
  async transmit(sa: IkeSa, bytes: Uint8Array, retransmit: boolean): Promise<void> {
    if (retransmit) this.armRetransmit(sa, bytes);
    this.debug(
      () =>
        `${sa.keys ? `ISAKMP:(${sa.connId})` : 'ISAKMP:(0)'}: sending packet to ${formatIpv4(sa.peer)} my_port ${sa.port} peer_port ${sa.port} (${sa.role === 'initiator' ? 'I' : 'R'}) ${sa.state}`,
    );
    await this.sendUdp(sa.local, sa.peer, sa.port, bytes);
  }

  /** A responder's answer, remembered so that a retransmitted request gets it again. */
  async reply(sa: IkeSa, received: Uint8Array, bytes: Uint8Array): Promise<void> {
    sa.lastReceived = received;
    sa.lastSent = bytes;
    await this.transmit(sa, bytes, false);
  }

  async sendUdp(
    source: Ipv4,
    destination: Ipv4,
    port: number,
    payload: Uint8Array,
    ttl?: number,
  ): Promise<boolean> {
    const udp = encodeUdp({ sourcePort: port, destinationPort: port, payload }, source, destination);
    return this.router.sendIp({ destination, source, protocol: IP_PROTO.UDP, payload: udp, ttl });
  }

  private armRetransmit(sa: IkeSa, bytes: Uint8Array): void {
    this.stopRetransmit(sa);
    const pending: Pending = { bytes, count: 0, timer: undefined };
    // A bound method, not a closure, so a checkpoint copies the pending retransmission (kernel/bound.ts).
    const timer = new Timer(this.router.kernel, bound(this, this.retransmitDue, sa, pending));
    pending.timer = timer;
    this.retransmits.set(sa, pending);
    timer.start(RETRANSMIT_INTERVAL);
  }

  /** IOS's phase-1 retransmission of `sa`'s last message, or the SA's deletion after RETRANSMIT_LIMIT tries. */
  private async retransmitDue(sa: IkeSa, pending: Pending): Promise<void> {
    if (pending.count >= RETRANSMIT_LIMIT) {
      this.debug(
        () =>
          `ISAKMP:(${sa.connId}):deleting SA reason "Death by retransmission P1" state (${sa.role === 'initiator' ? 'I' : 'R'}) ${sa.state} (peer ${formatIpv4(sa.peer)})`,
      );
      await this.fail(sa);
      return;
    }
    pending.count++;
    this.debug(() => `ISAKMP:(${sa.connId}): retransmitting phase 1 ${sa.state}...`);
    this.debug(
      () =>
        `ISAKMP (${sa.connId}): incrementing error counter on sa, attempt ${pending.count} of ${RETRANSMIT_LIMIT}: retransmit phase 1`,
    );
    pending.timer?.start(RETRANSMIT_INTERVAL);
    await this.sendUdp(sa.local, sa.peer, sa.port, pending.bytes);
  }

  stopRetransmit(sa: IkeSa): void {
    this.retransmits.get(sa)?.timer?.stop();
    this.retransmits.delete(sa);
  }

  /** Phase 1 is complete: GDOI registrations show the SA as GDOI_IDLE, plain IKE as QM_IDLE. */
  async established(sa: IkeSa): Promise<void> {
    sa.state = sa.port === GDOI_PORT ? 'GDOI_IDLE' : 'QM_IDLE';
    sa.establishedAt = this.router.kernel.now;
    this.debug(() => `ISAKMP:(${sa.connId}):SA authentication status:`);
    this.debug(() => `\tauthenticated`);
    this.debug(() => `ISAKMP:(${sa.connId}):SA has been authenticated with ${formatIpv4(sa.peer)}`);
    this.debug(() => `ISAKMP:(${sa.connId}):Input = IKE_MESG_INTERNAL, IKE_PHASE1_COMPLETE`);
    const expiry = new Timer(this.router.kernel, bound(this, this.remove, sa));
    expiry.start(seconds(sa.policy?.lifetime ?? 86400));
    this.expiry.set(sa, expiry);
    const callbacks = this.waiting.get(sa) ?? [];
    this.waiting.delete(sa);
    for (const cb of callbacks) await cb(sa);
  }

  /** IOS's log when a message does not decrypt or authenticate (a wrong pre-shared key on the peer). */
  badMessage(sa: IkeSa): void {
    this.router.log(
      'syslog',
      `%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from ${formatIpv4(sa.peer)} failed its sanity check or is malformed`,
    );
  }

  async modeFailure(sa: IkeSa, why: string): Promise<void> {
    this.debug(() => `ISAKMP:(${sa.connId}):${why}`);
    await this.fail(sa);
  }

  async notify(sa: IkeSa, messageType: number): Promise<void> {
    const bytes = encodeIsakmp({
      header: {
        initiatorCookie: sa.cookieI,
        responderCookie: sa.cookieR,
        version: ISAKMP_VERSION,
        exchangeType: EXCHANGE.INFORMATIONAL,
        flags: 0,
        messageId: this.random.nextU32(),
      },
      payloads: [
        {
          kind: 'notification',
          doi: DOI.IPSEC,
          protocolId: 1,
          messageType,
          spi: new Uint8Array(0),
          data: new Uint8Array(0),
        },
      ],
    });
    await this.sendUdp(sa.local, sa.peer, sa.port, bytes);
  }

  private async fail(sa: IkeSa): Promise<void> {
    const callbacks = this.waiting.get(sa) ?? [];
    this.remove(sa);
    for (const cb of callbacks) await cb(undefined);
  }

  remove(sa: IkeSa): void {
    this.stopRetransmit(sa);
    this.expiry.get(sa)?.stop();
    this.expiry.delete(sa);
    this.waiting.delete(sa);
    const i = this.sas.indexOf(sa);
    if (i >= 0) this.sas.splice(i, 1);
    const key = cookieKey(sa.cookieI);
    const bucket = this.sasByCookieI.get(key);
    const j = bucket?.indexOf(sa) ?? -1;
    if (bucket && j >= 0) bucket.splice(j, 1);
    if (bucket?.length === 0) this.sasByCookieI.delete(key);
  }

  private addSa(sa: IkeSa): void {
    this.sas.push(sa);
    const key = cookieKey(sa.cookieI);
    const bucket = this.sasByCookieI.get(key);
    if (bucket) bucket.push(sa);
    else this.sasByCookieI.set(key, [sa]);
  }
}

/** An ISAKMP cookie (8 bytes) as a Map key. */
function cookieKey(cookie: Uint8Array): string {
  let k = '';
  for (const b of cookie) k += String.fromCharCode(b);
  return k;
}

/** The IKE service on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function ikeOf(router: Router): IkeService | undefined {
  return serviceOf<IkeService>(router, 'ike');
}
