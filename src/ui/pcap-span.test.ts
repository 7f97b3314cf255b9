import { describe, expect, it } from 'vitest';
import { writePcap } from '../worker/page-helpers';
import { pcapSpan } from './pcap-span';

const EPOCH = Date.parse('2026-07-07T22:55:00.000Z') / 1000;

describe('what an exported capture holds', () => {
  it('counts the frames and reads their simulated times back from the record timestamps', () => {
    const pcap = writePcap(
      [
        { timeUs: 2_000_500, bytes: new Uint8Array(40) },
        { timeUs: 3_000_000, bytes: new Uint8Array(60) },
        { timeUs: 7_250_001, bytes: new Uint8Array(1) },
      ],
      EPOCH,
    );
    expect(pcapSpan(pcap, EPOCH)).toEqual({ frames: 3, firstUs: 2_000_500, lastUs: 7_250_001, firstId: 1 });
    // A window that lost its 120 oldest frames starts at frame 121.
    expect(pcapSpan(pcap, EPOCH, 120).firstId).toBe(121);
  });

  it('reads an empty capture as no frames', () => {
    expect(pcapSpan(writePcap([], EPOCH), EPOCH)).toEqual({ frames: 0, firstUs: 0, lastUs: 0, firstId: 1 });
  });
});
