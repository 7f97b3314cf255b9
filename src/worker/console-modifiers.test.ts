import { describe, expect, it } from 'vitest';
import { createSimApi } from './api';
import { REFERENCE } from './reference-lab.test-support';

// The page's console goes through the worker API: output modifiers, `?` and Tab after `|` reach it as they
// reach the runner (Cisco, "Searching and Filtering show Command Output").
describe('page console output modifiers', () => {
  it('filters, helps and completes through the worker API', async () => {
    const api = createSimApi();
    await api.load(REFERENCE);
    await api.runUntil(30_000_000);
    const r = await api.exec('GM-2', 'show ip interface brief | include ^Serial');
    expect(r.output).toMatch(/^Serial1\/0 +172\.37\.1\.1 +YES NVRAM +up +up$/);
    expect(r.prompt).toBe('GM-2#');
    expect(await api.help('GM-2', 'show ip interface brief | ')).toMatch(
      /^ {2}exclude +Exclude lines that match$/m,
    );
    expect(await api.complete('GM-2', 'show ip interface brief | ex')).toBe(
      'show ip interface brief | exclude ',
    );
    expect((await api.exec('GM-2', 'show ip interface brief | include ((')).output).toBe(
      '% Invalid regular expression',
    );
  });
});
