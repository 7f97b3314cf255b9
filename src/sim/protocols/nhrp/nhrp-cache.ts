import type { SimTime } from '../../kernel/time';
import type { Ipv4 } from '../../net/ipv4-address';

/** IOS entry types: `static` from `ip nhrp map`, `dynamic` from registration or resolution. */
export type NhrpEntryType = 'static' | 'dynamic' | 'incomplete';

/** IOS's `Flags:` words in `show ip nhrp`. */
export type NhrpFlag = 'unique' | 'registered' | 'used' | 'nhop' | 'router' | 'implicit';

/** One NHRP cache entry: a tunnel (protocol) address and the NBMA address behind it (RFC 2332 §5.2). */
export interface NhrpEntry {
  readonly protocol: Ipv4;
  readonly prefixLength: number;
  nbma?: Ipv4;
  type: NhrpEntryType;
  flags: Set<NhrpFlag>;
  created: SimTime;
  /** Absent for static entries (`never expire`). */
  expires?: SimTime;
  /** Last time forwarding used the entry: dynamic spoke-to-spoke entries are only refreshed when used. */
  lastUsed?: SimTime;
  /** How the entry was learned, for `show dmvpn` attributes and the overlay drawing. */
  learnedBy: 'config' | 'registration' | 'resolution';
}

/** The NHRP cache of one tunnel interface. */
export class NhrpCache {
  private readonly entries = new Map<Ipv4, NhrpEntry>();

  get(protocol: Ipv4): NhrpEntry | undefined {
    return this.entries.get(protocol);
  }

  set(entry: NhrpEntry): void {
    this.entries.set(entry.protocol, entry);
  }

  delete(protocol: Ipv4): boolean {
    return this.entries.delete(protocol);
  }

  all(): NhrpEntry[] {
    return [...this.entries.values()].sort((a, b) => a.protocol - b.protocol);
  }

  /** Replaces the static entries with those of the config, keeping learned ones. */
  syncStatic(maps: readonly { protocol: Ipv4; nbma: Ipv4 }[], now: SimTime): void {
    const wanted = new Map(maps.map((m) => [m.protocol, m.nbma]));
    for (const e of this.all()) {
      if (e.type === 'static' && wanted.get(e.protocol) !== e.nbma) this.entries.delete(e.protocol);
    }
    for (const [protocol, nbma] of wanted) {
      const cur = this.entries.get(protocol);
      if (cur?.type === 'static') continue;
      this.entries.set(protocol, {
        protocol,
        prefixLength: 32,
        nbma,
        type: 'static',
        flags: new Set(),
        created: now,
        learnedBy: 'config',
      });
    }
  }
}
