import type { SimTime } from '../../kernel/time';
import { seconds } from '../../kernel/time';
import type { NhrpMessage } from '../../net/nhrp';

/**
 * `ip nhrp max-send` default in IOS 15: 100 packets every 10 seconds (Cisco IOS IP Addressing Services
 * Command Reference, "ip nhrp max-send": "packet-count … The default value is 100"; "every interval …
 * The default value is 10 seconds").
 */
export const MAX_SEND_PACKETS = 100;
const MAX_SEND_INTERVAL = seconds(10);

/** The message kinds `show ip nhrp traffic` counts, in its order. */
export const NHRP_TRAFFIC_KINDS = [
  'Resolution Request',
  'Resolution Reply',
  'Registration Request',
  'Registration Reply',
  'Purge Request',
  'Purge Reply',
  'Error Indication',
  'Traffic Indication',
  'Redirect Suppress',
] as const;

export type NhrpTrafficKind = (typeof NHRP_TRAFFIC_KINDS)[number];

/** Sent and received NHRP packets of one tunnel, by kind, and the max-send window's usage. */
export class NhrpTraffic {
  readonly sent = new Map<NhrpTrafficKind, number>();
  readonly received = new Map<NhrpTrafficKind, number>();
  private windowStart = 0;
  private windowSent = 0;

  count(direction: 'sent' | 'received', kind: NhrpMessage['kind'], now: SimTime): void {
    const name = trafficKind(kind);
    const map = direction === 'sent' ? this.sent : this.received;
    map.set(name, (map.get(name) ?? 0) + 1);
    if (direction === 'sent') {
      this.roll(now);
      this.windowSent++;
    }
  }

  /** Percent of the max-send budget used in the current interval. */
  usage(now: SimTime): number {
    this.roll(now);
    return Math.floor((this.windowSent * 100) / MAX_SEND_PACKETS);
  }

  total(direction: 'sent' | 'received'): number {
    let n = 0;
    for (const v of (direction === 'sent' ? this.sent : this.received).values()) n += v;
    return n;
  }

  private roll(now: SimTime): void {
    const start = now - (now % MAX_SEND_INTERVAL);
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.windowSent = 0;
    }
  }
}

function trafficKind(kind: NhrpMessage['kind']): NhrpTrafficKind {
  switch (kind) {
    case 'resolution-request':
      return 'Resolution Request';
    case 'resolution-reply':
      return 'Resolution Reply';
    case 'registration-request':
      return 'Registration Request';
    case 'registration-reply':
      return 'Registration Reply';
    case 'purge-request':
      return 'Purge Request';
    case 'purge-reply':
      return 'Purge Reply';
    case 'error-indication':
      return 'Error Indication';
  }
}
