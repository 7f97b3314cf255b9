// The realtime loop's call (`runUntilColumns`): the same records as `runUntil`, moved as transferable columns.
import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { RecordColumnsReader } from './record-columns';
import { REFERENCE, SECOND } from './reference-lab.test-support';

describe('runUntilColumns', () => {
  it('hands the page the records runUntil would, with their classes, frame by frame', async () => {
    const cloned = createSimApi();
    const columns = createSimApi();
    await cloned.load(REFERENCE);
    await columns.load(REFERENCE);
    for (const t of [5 * SECOND, 30 * SECOND, 65 * SECOND]) {
      const expected = await cloned.runUntil(t, 4000);
      const { columns: cols, ...rest } = await columns.runUntilColumns(t, 4000);
      const records = new RecordColumnsReader(cols).all();
      expect(rest).toEqual({
        now: expected.now,
        clock: expected.clock,
        total: expected.total,
        markers: expected.markers,
      });
      expect(records.length).toBeGreaterThan(0);
      // What the page received before: the records as a structured clone.
      expect(records).toEqual(structuredClone(expected.records));
      expect(records.some((r) => r.kind === 'packet' && r.typed?.layers.includes('esp'))).toBe(true);
    }
  });
});
