import { describe, expect, it } from 'vitest';
import { LOG_BUFFER_BYTES, LoggingBuffer } from './logging-buffer';

describe('logging buffer', () => {
  it('keeps the most recent messages that fit in its 8192 bytes, and memory bounded by that, however long it logs', () => {
    // IOS `logging buffered` is a circular buffer of a fixed byte size (`show logging`: "Log Buffer (8192
    // bytes):"): older messages are overwritten. A simulated day of a chatty router must not keep them all.
    const buffer = new LoggingBuffer();
    const text = '%GDOI-5-GM_RECV_REKEY: Received Rekey for group GETVPN from 10.0.0.1 to 239.1.1.1';
    for (let i = 0; i < 20_000; i++) buffer.add(i * 1_000_000, `${text} #${i}`);
    const shown = buffer.contents();
    const bytes = shown.reduce((n, l) => n + 22 + l.text.length + 1, 0);
    expect(bytes).toBeLessThanOrEqual(LOG_BUFFER_BYTES);
    expect(shown[shown.length - 1]!.text).toBe(`${text} #19999`);
    expect(buffer.logged).toBe(20_000);
    expect(buffer.retained).toBeLessThanOrEqual(2 * shown.length + 65);
  });
});
