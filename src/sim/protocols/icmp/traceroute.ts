import type { Router } from '../../device/router';
import { millis, type SimTime } from '../../kernel/time';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';
import { encodeUdp } from '../../net/udp';
import type { IcmpService } from './icmp-service';

export interface TracerouteOptions {
  readonly destination: Ipv4;
  readonly source?: Ipv4;
  readonly maxTtl: number;
  readonly probes: number;
  readonly timeout: SimTime;
}

export const TRACEROUTE_DEFAULTS = { maxTtl: 30, probes: 3, timeout: millis(3000) } as const;

/** First UDP port IOS probes (as Unix traceroute: 33434 upwards). */
const BASE_PORT = 33434;

/**
 * IOS `traceroute`: UDP probes with TTL 1, 2, … until the destination answers with port unreachable.
 * Returns IOS's lines (`  1 172.27.1.2 4 msec 4 msec 4 msec`).
 */
export async function runTraceroute(
  router: Router,
  icmp: IcmpService,
  opts: TracerouteOptions,
): Promise<string[]> {
  const kernel = router.kernel;
  const lines = [
    'Type escape sequence to abort.',
    `Tracing the route to ${formatIpv4(opts.destination)}`,
    'VRF info: (vrf in name/id, vrf out name/id)',
  ];
  let port = BASE_PORT;
  // The UDP checksum covers the source address, so pick it now as IOS's output path would.
  const source = opts.source ?? router.sourceAddressFor(opts.destination) ?? 0;
  for (let ttl = 1; ttl <= opts.maxTtl; ttl++) {
    let hop: Ipv4 | undefined;
    let reached = false;
    const cells: string[] = [];
    for (let p = 0; p < opts.probes; p++) {
      const probePort = port++;
      const sentAt = kernel.now;
      let answer: { from: Ipv4; final: boolean } | undefined;
      const stop = icmp.listen((msg, ctx) => {
        if (msg.kind !== 'time-exceeded' && msg.kind !== 'destination-unreachable') return;
        if (quotedPort(msg.original) !== probePort) return;
        answer = { from: ctx.datagram.header.source, final: msg.kind === 'destination-unreachable' };
      });
      const sent = await router.sendIp({
        destination: opts.destination,
        source,
        protocol: IP_PROTO.UDP,
        ttl,
        payload: encodeUdp(
          { sourcePort: 49152 + (probePort % 1000), destinationPort: probePort, payload: new Uint8Array(0) },
          source,
          opts.destination,
        ),
      });
      if (sent) await kernel.runUntilCondition(() => answer !== undefined, sentAt + opts.timeout);
      else await kernel.runUntil(sentAt + opts.timeout);
      stop();
      const got = answer as { from: Ipv4; final: boolean } | undefined;
      if (!got) {
        cells.push('*');
        continue;
      }
      const rtt = Math.max(1, Math.round((kernel.now - sentAt) / 1000));
      // IOS names the responder before the first time it answers and again whenever it changes.
      cells.push(hop === got.from ? `${rtt} msec` : `${formatIpv4(got.from)} ${rtt} msec`);
      hop = got.from;
      reached ||= got.final;
    }
    lines.push(formatHopLine(ttl, cells));
    if (reached) break;
  }
  return lines;
}

/** `  1 172.27.1.2 4 msec 4 msec 4 msec`; a lost probe prints `* ` (IOS's double space after a star). */
function formatHopLine(ttl: number, cells: string[]): string {
  const label = String(ttl).padStart(3, ' ');
  return `${label} ${cells.map((c) => (c === '*' ? '* ' : c)).join(' ')}`.trimEnd();
}

function quotedPort(original: Uint8Array): number | undefined {
  const ihl = ((original[0] ?? 0) & 0x0f) * 4;
  if (original[9] !== IP_PROTO.UDP || original.length < ihl + 4) return undefined;
  return ((original[ihl + 2] ?? 0) << 8) | (original[ihl + 3] ?? 0);
}
