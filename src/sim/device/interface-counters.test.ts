import { describe, expect, it } from 'vitest';
import { encodeIpv4 } from '../net/ipv4';
import { parseIpv4 } from '../net/ipv4-address';
import { countPacket, fiveMinuteRates, zeroInterfaceCounters } from './interface-counters';

function packet(destination: string, payloadBytes: number): Uint8Array {
  return encodeIpv4({
    header: {
      tos: 0,
      identification: 1,
      dontFragment: false,
      moreFragments: false,
      fragmentOffset: 0,
      ttl: 64,
      protocol: 17,
      source: parseIpv4('10.0.0.1')!,
      destination: parseIpv4(destination)!,
      options: [],
    },
    payload: new Uint8Array(payloadBytes),
  });
}

const S = 1_000_000;

describe('interface counters', () => {
  it('count packets, bytes with the link header, broadcasts and IP multicasts as show interfaces prints them', () => {
    const c = zeroInterfaceCounters();
    countPacket(c, 'FastEthernet0/0', 'in', packet('224.0.0.10', 40), 0);
    countPacket(c, 'FastEthernet0/0', 'in', packet('255.255.255.255', 40), 0);
    countPacket(c, 'FastEthernet0/0', 'in', packet('10.0.0.2', 80), 0);
    expect(c.packetsIn).toBe(3);
    // 60 + 60 + 100 bytes of IP, plus the 14-byte Ethernet header each
    expect(c.bytesIn).toBe(220 + 3 * 14);
    expect(c.broadcastsIn).toBe(2);
    expect(c.multicastsIn).toBe(1);
    countPacket(c, 'Serial1/0', 'out', packet('10.0.0.2', 80), 0);
    expect(c.bytesOut).toBe(100 + 4); // Cisco HDLC header
    countPacket(c, 'Tunnel10', 'out', packet('10.0.0.2', 80), 0);
    expect(c.bytesOut).toBe(104 + 100); // a tunnel counts the passenger packet alone
  });

  it('5-minute rates are IOS exponentially weighted averages over 5-second samples', () => {
    // 1000 bits/s for 50 minutes: one 125-byte frame per second (111 bytes of IP + the 14-byte MAC header).
    const c = zeroInterfaceCounters();
    const ip = packet('10.0.0.2', 111 - 20);
    for (let t = 0; t < 3000; t++) countPacket(c, 'FastEthernet0/0', 'out', ip, t * S);
    const steady = fiveMinuteRates(c, 3000 * S);
    expect(steady.bitsOut).toBeGreaterThanOrEqual(990);
    expect(steady.bitsOut).toBeLessThanOrEqual(1000);
    expect(steady.packetsOut).toBe(1);
    // Five minutes of silence later the average has decayed by e^-1 (load-interval 300 s).
    const later = fiveMinuteRates(c, 3300 * S);
    expect(later.bitsOut).toBeGreaterThanOrEqual(Math.floor(1000 * Math.exp(-1)) - 5);
    expect(later.bitsOut).toBeLessThanOrEqual(Math.ceil(1000 * Math.exp(-1)) + 5);
    expect(fiveMinuteRates(c, 9000 * S).bitsOut).toBe(0);
  });
});
