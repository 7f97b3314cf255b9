import type { Router } from '../../device/router';
import { millis, type SimTime } from '../../kernel/time';
import { encodeIcmp } from '../../net/icmp';
import { IP_PROTO } from '../../net/ipv4';
import { formatIpv4, type Ipv4, isMulticast } from '../../net/ipv4-address';
import type { IcmpService } from './icmp-service';

export interface PingOptions {
  readonly destination: Ipv4;
  readonly source?: Ipv4;
  /** Forces the outgoing interface (IOS `ping … source <if>` on a multicast group uses it). */
  readonly outInterface?: string;
  readonly repeat: number;
  /** Datagram size in bytes, as IOS counts it (IP header included). */
  readonly size: number;
  readonly timeout: SimTime;
}

export interface PingReply {
  readonly from: Ipv4;
  readonly rtt: SimTime;
}

/** One character per echo as IOS prints them, plus the replies (a multicast echo can draw several). */
export interface PingResult {
  readonly marks: string;
  readonly replies: PingReply[][];
}

const IP_ICMP_HEADER = 28;

/**
 * IOS `ping`: one echo at a time, the next one after a reply or the timeout. For a multicast destination
 * every reply within the timeout is collected (IOS prints `Reply to request 0 from …`).
 */
export async function runPing(router: Router, icmp: IcmpService, opts: PingOptions): Promise<PingResult> {
  const kernel = router.kernel;
  const identifier = kernel.prng.nextInt(1, 0xffff);
  const multicast = isMulticast(opts.destination);
  let marks = '';
  const replies: PingReply[][] = [];
  const data = new Uint8Array(Math.max(0, opts.size - IP_ICMP_HEADER));
  // IOS fills echo data with the 0xABCD pattern.
  for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 ? 0xab : 0xcd;

  for (let seq = 0; seq < opts.repeat; seq++) {
    const sentAt = kernel.now;
    const got: PingReply[] = [];
    let mark = '';
    const stop = icmp.listen((msg, ctx) => {
      if (msg.kind === 'echo-reply' && msg.identifier === identifier && msg.sequence === seq) {
        got.push({ from: ctx.datagram.header.source, rtt: kernel.now - sentAt });
      } else if (msg.kind === 'destination-unreachable' && quotesEcho(msg.original, identifier, seq)) {
        mark = 'U';
      }
    });
    const sent = await router.sendIp({
      destination: opts.destination,
      source: opts.source,
      outInterface: opts.outInterface,
      protocol: IP_PROTO.ICMP,
      ttl: multicast ? 255 : undefined,
      payload: encodeIcmp({ kind: 'echo-request', identifier, sequence: seq, data }),
    });
    if (sent) {
      await kernel.runUntilCondition(
        () => (!multicast && got.length > 0) || mark !== '',
        sentAt + opts.timeout,
      );
    } else {
      // IOS waits out the timeout when the packet could not be sent (no route / encapsulation failed).
      await kernel.runUntil(sentAt + opts.timeout);
    }
    stop();
    marks += got.length > 0 ? '!' : mark || '.';
    replies.push(got);
  }
  return { marks, replies };
}

function quotesEcho(original: Uint8Array, identifier: number, seq: number): boolean {
  const ihl = ((original[0] ?? 0) & 0x0f) * 4;
  if (original[9] !== IP_PROTO.ICMP || original.length < ihl + 8) return false;
  const id = ((original[ihl + 4] ?? 0) << 8) | (original[ihl + 5] ?? 0);
  const sq = ((original[ihl + 6] ?? 0) << 8) | (original[ihl + 7] ?? 0);
  return id === identifier && sq === seq;
}

/** The lines IOS prints for a finished unicast ping. */
export function formatPing(opts: PingOptions, result: PingResult): string[] {
  const lines = [
    'Type escape sequence to abort.',
    `Sending ${opts.repeat}, ${opts.size}-byte ICMP Echos to ${formatIpv4(opts.destination)}, timeout is ${opts.timeout / 1_000_000} seconds:`,
  ];
  if (opts.source !== undefined)
    lines.push(`Packet sent with a source address of ${formatIpv4(opts.source)} `);
  if (isMulticast(opts.destination)) {
    result.replies.forEach((rs, i) => {
      if (rs.length === 0) lines.push('.');
      for (const r of rs) lines.push(`Reply to request ${i} from ${formatIpv4(r.from)}, ${ms(r.rtt)} ms`);
    });
    return lines;
  }
  lines.push(...wrapMarks(result.marks));
  const ok = result.replies.filter((r) => r.length > 0).map((r) => r[0]!.rtt);
  const pct = Math.floor((ok.length * 100) / opts.repeat);
  let summary = `Success rate is ${pct} percent (${ok.length}/${opts.repeat})`;
  if (ok.length > 0) {
    const min = Math.min(...ok);
    const max = Math.max(...ok);
    const avg = ok.reduce((a, b) => a + b, 0) / ok.length;
    summary += `, round-trip min/avg/max = ${ms(min)}/${ms(avg)}/${ms(max)} ms`;
  }
  lines.push(summary);
  return lines;
}

/** IOS wraps the `!!!!!` line every 70 characters. */
function wrapMarks(marks: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < marks.length; i += 70) out.push(marks.slice(i, i + 70));
  return out;
}

function ms(us: number): number {
  return Math.round(us / 1000);
}

export const PING_DEFAULTS = { repeat: 5, size: 100, timeout: millis(2000) } as const;
