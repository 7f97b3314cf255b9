/**
 * GDOI on one router: the key server groups (`server local`), the member groups (gdoi crypto map entries on
 * interfaces), the RSA key store, and the wiring to IKE (PULL under an ISAKMP SA, PUSH on UDP 848) and ESP.
 * `reconcile` follows the running-config: groups appear, change and disappear with it.
 */
import type { GdoiGroup } from '../../config/model';
import type { PacketContext, Router, RouterModule } from '../../device/router';
import { bound } from '../../kernel/bound';
import { millis } from '../../kernel/time';
import { type DecodedIsakmp, decodeIsakmpHeader, GDOI_PORT } from '../../net/isakmp';
import type { Ipv4 } from '../../net/ipv4-address';
import type { EspService } from '../esp/esp-service';
import type { IkeSa } from '../ike/ike-sa';
import type { IkeService } from '../ike/ike-service';
import { readPushAck, verifyPushAck } from './ack';
import { type GmBinding, GroupMember } from './gm';
import { KeyServerGroup } from './ks';
import { ksPolicyOf } from './ks-policy';
import { PullEngine, type PullServer } from './pull';
import { generateStoredKey, type StoredRsaKey } from './rsa-keys';
import { serviceOf } from '../services';

/** IOS registers shortly after the crypto map is applied; GETLab waits for the routing protocols to boot. */
export const REGISTRATION_DELAY = millis(2000);

export class GdoiService implements RouterModule, PullServer {
  readonly name = 'gdoi';
  readonly router: Router;
  readonly ike: IkeService;
  readonly esp: EspService;
  readonly pull: PullEngine;
  readonly keyServers = new Map<string, KeyServerGroup>();
  readonly members = new Map<string, GroupMember>();
  /**
   * Promises of key pairs. A checkpoint shares each settled Promise with its copy (issue 18): it resolves to a
   * StoredRsaKey, which nothing mutates after generation (its CryptoKeys and SPKI bytes are only read).
   */
  private readonly keys = new Map<string, Promise<StoredRsaKey>>();
  private gdoiOn = false;

  constructor(router: Router, ike: IkeService, esp: EspService) {
    this.router = router;
    this.ike = ike;
    this.esp = esp;
    this.pull = new PullEngine(ike);
    this.pull.server = this;
    // Bound methods, not closures, so a checkpoint copies IKE's hooks (kernel/bound.ts).
    ike.onPull = bound(this.pull, this.pull.receive);
    ike.onPush = bound(this, this.receivePush);
    ike.onPushAck = bound(this, this.receivePushAck);
    router.modules.push(this);
  }

  /** The RSA key pair named `label` in the key store, once generated. */
  rsaKey(label: string): Promise<StoredRsaKey> | undefined {
    return this.keys.get(label);
  }

  reconcile(): void {
    this.reconcileKeys();
    this.reconcileKeyServers();
    this.reconcileMembers();
  }

  private reconcileKeys(): void {
    const wanted = new Set<string>();
    for (const k of this.router.config.crypto.rsaKeys) {
      const id = `${k.label}|${k.modulus}`;
      wanted.add(k.label);
      if (this.keys.has(k.label) && this.keyIds.get(k.label) === id) continue;
      const prng = this.router.kernel.prng.fork(`rsa ${this.router.name} ${k.label} ${k.modulus}`);
      const identity = `${this.router.name}|${prng.fork('identity').nextU32()}`;
      this.keys.set(k.label, generateStoredKey(identity, k.label, k.modulus, k.exportable, prng));
      this.keyIds.set(k.label, id);
    }
    for (const label of [...this.keys.keys()]) if (!wanted.has(label)) this.keys.delete(label);
  }

  private readonly keyIds = new Map<string, string>();

  private reconcileKeyServers(): void {
    const seen = new Set<string>();
    for (const g of this.router.config.crypto.gdoiGroups) {
      const policy = ksPolicyOf(this.router.config, g);
      if (!policy) continue;
      seen.add(g.name);
      const existing = this.keyServers.get(g.name);
      if (existing) existing.updatePolicy(policy);
      else {
        this.keyServers.set(
          g.name,
          new KeyServerGroup(this.router, this.ike, policy, bound(this, this.signingKey, g.name)),
        );
      }
    }
    for (const [name, ks] of this.keyServers) {
      if (!seen.has(name)) {
        ks.stop();
        this.keyServers.delete(name);
      }
    }
  }

  /** The key pair group `group` signs its rekeys with (`rekey authentication mypubkey rsa`), once generated. */
  private async signingKey(group: string): Promise<StoredRsaKey | undefined> {
    const label = this.keyServers.get(group)?.policy.keyLabel;
    return label === undefined ? undefined : this.keys.get(label);
  }

  /** Every (crypto map, gdoi entry) applied to an interface whose group names a key server. */
  bindings(): GmBinding[] {
    const out: GmBinding[] = [];
    const cfg = this.router.config;
    for (const iface of cfg.interfaces) {
      if (iface.cryptoMap === undefined || iface.shutdown) continue;
      const map = cfg.crypto.cryptoMaps.find((m) => m.name === iface.cryptoMap);
      for (const e of map?.entries ?? []) {
        if (e.kind !== 'gdoi' || e.group === undefined) continue;
        const group: GdoiGroup | undefined = cfg.crypto.gdoiGroups.find((g) => g.name === e.group);
        const server = group?.serverAddresses[0];
        if (!group || server === undefined || out.some((b) => b.group === group.name)) continue;
        const local =
          (map?.localAddress !== undefined ? this.router.interfaceAddress(map.localAddress) : undefined) ??
          this.router.interfaceAddress(iface.name);
        if (local === undefined) continue;
        out.push({ group: group.name, identity: group.identity ?? 0, server, cryptoMap: map!.name, local });
      }
    }
    return out;
  }

  private reconcileMembers(): void {
    const bindings = this.bindings();
    for (const b of bindings) {
      const gm = this.members.get(b.group);
      if (gm) {
        gm.binding = b;
        continue;
      }
      const member = new GroupMember(this.router, this.ike, this.esp, this.pull, b);
      this.members.set(b.group, member);
      if (!this.gdoiOn) {
        this.gdoiOn = true;
        this.router.log('syslog', '%CRYPTO-6-GDOI_ON_OFF: GDOI is ON');
      }
      member.scheduleRegistration(REGISTRATION_DELAY);
    }
    for (const [name, gm] of this.members) {
      if (!bindings.some((b) => b.group === name)) {
        gm.stop();
        this.members.delete(name);
      }
    }
    if (this.members.size === 0 && this.gdoiOn) {
      this.gdoiOn = false;
      this.router.log('syslog', '%CRYPTO-6-GDOI_ON_OFF: GDOI is OFF');
    }
  }

  /** The multicast rekey groups this router's members listen to (IOS joins them on the crypto-map path). */
  rekeyGroups(): Ipv4[] {
    const out: Ipv4[] = [];
    for (const gm of this.members.values()) {
      const d = gm.kek?.destination;
      if (d !== undefined && d !== 0 && !out.includes(d)) out.push(d);
    }
    return out;
  }

  async groupFor(identity: number, member: IkeSa): ReturnType<PullServer['groupFor']> {
    const ks = [...this.keyServers.values()].find((k) => k.policy.identity === identity);
    if (!ks) {
      this.router.debugLog(
        'crypto gdoi',
        () => `GDOI:KS: no group with identity ${identity} for ${member.peer}`,
      );
      return undefined;
    }
    if (!(await ks.ensureKeys())) return undefined;
    return {
      name: ks.name,
      kek: ks.kek,
      teks: ks.liveTeks(),
      // Bound, not closures: a PULL exchange keeps them between its messages (issue 18, checkpoints).
      seq: bound(ks, ks.currentSeq),
      registered: bound(ks, ks.memberRegistered, member.peer),
    };
  }

  private async receivePush(ctx: PacketContext, bytes: Uint8Array): Promise<void> {
    const h = decodeIsakmpHeader(bytes);
    const cookies = new Uint8Array([...h.initiatorCookie, ...h.responderCookie]);
    const gm = [...this.members.values()].find((m) => m.knowsKek(cookies)) ?? [...this.members.values()][0];
    if (!gm) {
      this.router.drop(ctx, 0, 'GDOI rekey for a group this router is not a member of');
      return;
    }
    await gm.receivePush(ctx, bytes);
  }

  /**
   * KS: a member acknowledges a unicast rekey. The ACK must come from the member it names, under the ISAKMP SA
   * that member registered with (its HASH proves it), for a KEK of one of our groups.
   */
  private async receivePushAck(ctx: PacketContext, msg: DecodedIsakmp): Promise<void> {
    const ack = readPushAck(msg);
    if (typeof ack === 'string') {
      this.router.drop(ctx, 0, ack);
      return;
    }
    const ks = [...this.keyServers.values()].find((k) => k.knowsKek(ack.kekSpi));
    const sa = this.ike.sas.find(
      (s) => s.established && s.peer === ack.member && s.port === GDOI_PORT && s.role === 'responder',
    );
    if (!ks || !sa || !(await verifyPushAck(sa, msg, ack))) {
      this.router.drop(ctx, 0, 'GDOI rekey ACK with an unknown KEK, no registration SA or a wrong HASH');
      return;
    }
    ks.receiveAck(ack.member, ack.seq);
  }
}

/** The GDOI service on `router`; undefined where its config does not run it (see its `descriptor.ts`). */
export function gdoiOf(router: Router): GdoiService | undefined {
  return serviceOf<GdoiService>(router, 'gdoi');
}
