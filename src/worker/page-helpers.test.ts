import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOCK as LAB_DEFAULT_CLOCK } from '../sim/scenario/lab';
import { DEFAULT_CLOCK } from './page-helpers';

describe('helpers the page shares with the simulator', () => {
  it('starts the clock where a lab without one starts (an exported pcap is stamped from it)', () => {
    expect(DEFAULT_CLOCK).toBe(LAB_DEFAULT_CLOCK);
  });
});
