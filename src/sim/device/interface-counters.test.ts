import { describe, expect, it } from 'vitest';
import { ipPacket } from '../net/codec-fixtures.test-support';
import { countPacket, fiveMinuteRates, zeroInterfaceCounters } from './interface-counters';

/** A UDP-numbered packet of `payloadBytes` (only its addresses and length are counted). */
function packet(destination: string, payloadBytes: number): Uint8Array {
  return ipPacket(17, '10.0.0.1', destination, new Uint8Array(payloadBytes), { ttl: 64 });
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

  it('5-minute rates follow Cisco document 12816 interval by interval, with idle gaps, after any simulated time', () => {
    // Cisco, "What is the definition of bits/sec in the output of the show interfaces command?" (12816):
    // every 5 s, new average = ((average - interval) * exp(-5/300)) + interval. The reference below applies it
    // to every 5-second interval of a day with irregular traffic and long silences.
    const c = zeroInterfaceCounters();
    const ip = packet('10.0.0.2', 80); // 100 bytes of IP + 14 of Ethernet = 912 bits
    const perInterval = new Map<number, number>();
    for (let t = 0; t < 86_400; t += t % 7 === 0 ? 3 : t < 40_000 || t > 80_000 ? 1 : 5_000) {
      countPacket(c, 'FastEthernet0/0', 'in', ip, t * S + 250_000);
      const interval = Math.floor(t / 5);
      perInterval.set(interval, (perInterval.get(interval) ?? 0) + 1);
    }
    let bits = 0;
    let packets = 0;
    const decay = Math.exp(-5 / 300);
    for (let interval = 0; interval < 86_400 / 5; interval++) {
      const n = perInterval.get(interval) ?? 0;
      bits = (bits - (n * 912) / 5) * decay + (n * 912) / 5;
      packets = (packets - n / 5) * decay + n / 5;
    }
    const shown = fiveMinuteRates(c, 86_400 * S);
    expect(Math.abs(shown.bitsIn - bits)).toBeLessThanOrEqual(0.5 + 1e-6);
    expect(shown.packetsIn).toBe(Math.round(packets));
    expect(shown.bitsIn).toBeGreaterThan(0);
    // What the rates keep is one average and one open interval, however long the interface has run.
    expect(Object.keys(c.rates)).toEqual(['interval', 'average', 'open']);
  });
});
