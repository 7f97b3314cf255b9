import { describe, expect, it } from 'vitest';
import { shortInterfaceName } from '../worker/page-helpers';
import type { TraceRecord } from '../worker/protocol';
import {
  appendTranscript,
  eventRow,
  listedRows,
  mergeProblems,
  problemText,
  problemWhere,
  rowMatches,
  withNewline,
} from './format';

describe('eventRow', () => {
  it('shows a dropped packet with its interface, protocols and reason', () => {
    const r: TraceRecord = {
      kind: 'packet',
      t: 12_345_678,
      event: 'dropped',
      device: 'GM-1',
      iface: 'Tunnel10',
      frameId: 7,
      protocols: ['ipv4', 'esp', 'gre', 'ipv4', 'udp', 'gdoi'],
      summary: '1.1.1.1 > 239.192.1.190 GDOI rekey',
      reason: 'RPF failure: 1.1.1.1 is reached through Serial1/0',
    };
    expect(eventRow(r)).toEqual({
      time: '12.345678',
      device: 'GM-1 Tunnel10',
      event: 'dropped',
      protocols: 'ipv4 / esp / gre / ipv4 / udp / gdoi',
      summary: '1.1.1.1 > 239.192.1.190 GDOI rekey',
      reason: 'RPF failure: 1.1.1.1 is reached through Serial1/0',
    });
  });

  it('shows log and state records with their text', () => {
    expect(
      eventRow({ kind: 'log', t: 0, device: 'KS', level: 'syslog', text: '%GDOI-5-KS_REKEY' }).summary,
    ).toBe('%GDOI-5-KS_REKEY');
    const state = eventRow({ kind: 'state', t: 1, device: 'SP', what: 'Serial1/0', detail: 'down' });
    expect([state.event, state.summary]).toEqual(['state', 'Serial1/0: down']);
  });
});

describe('rowMatches', () => {
  const row = eventRow({
    kind: 'packet',
    t: 0,
    event: 'sent',
    device: 'KS',
    frameId: 1,
    protocols: ['ipv4', 'pim'],
    summary: 'PIM Hello',
  });
  it('matches every word anywhere, ignoring case', () => {
    expect(rowMatches(row, 'ks PIM')).toBe(true);
    expect(rowMatches(row, '')).toBe(true);
    expect(rowMatches(row, 'ks gdoi')).toBe(false);
  });
});

describe('appendTranscript', () => {
  it('keeps the newest text and cuts at a line boundary', () => {
    expect(appendTranscript('line one\nline two\n', 'line three\n', 20)).toBe('line three\n');
    expect(appendTranscript('a\n', 'b\n', 20)).toBe('a\nb\n');
  });
});

describe('withNewline', () => {
  it('ends non-empty output with a newline', () => {
    expect(withNewline('x')).toBe('x\n');
    expect(withNewline('x\n')).toBe('x\n');
    expect(withNewline('')).toBe('');
  });
});

describe('shortInterfaceName (the short names the topology and multicast panel draw)', () => {
  it('abbreviates IOS interface names as IOS does', () => {
    expect(shortInterfaceName('FastEthernet1/0')).toBe('Fa1/0');
    expect(shortInterfaceName('Serial1/0')).toBe('Se1/0');
    expect(shortInterfaceName('Tunnel10')).toBe('Tu10');
    expect(shortInterfaceName('Loopback0')).toBe('Lo0');
    expect(shortInterfaceName('Weird0')).toBe('Weird0');
  });
});

describe('problems', () => {
  it('lists a problem reported twice once and says where it is', () => {
    const p = { severity: 'error', device: 'GM-1', line: 12, message: '% Invalid input' } as const;
    expect(mergeProblems([p], [{ ...p }])).toHaveLength(1);
    expect(problemWhere(p)).toBe('GM-1, line 12');
    expect(problemWhere({ severity: 'warning', message: 'x' })).toBe('');
  });
});

describe('problemText', () => {
  it('draws the IOS caret under the column the message points at', () => {
    const text = problemText({
      severity: 'error',
      device: 'KS',
      line: 17,
      text: 'crypto isakmp key 0 cisco address 2.2.2.2   ! Central',
      column: 44,
      message: "% Invalid input detected at '^' marker.",
    });
    const [line, caret, message] = text.split('\n');
    expect(line?.[caret?.indexOf('^') ?? -1]).toBe('!');
    expect(message).toBe("% Invalid input detected at '^' marker.");
  });

  it('shows a message that already quotes its line once', () => {
    expect(problemText({ severity: 'error', text: 'ip adress', message: 'ip adress\n   ^\n% Invalid' })).toBe(
      'ip adress\n   ^\n% Invalid',
    );
  });
});

describe('listedRows', () => {
  const log = (t: number, text: string): TraceRecord => ({
    kind: 'log',
    t,
    device: 'Hub',
    level: 'syslog',
    text,
  });
  const packet = (t: number, protocols: string[]): TraceRecord => ({
    kind: 'packet',
    t,
    event: 'sent',
    device: 'Hub',
    frameId: t,
    protocols,
    summary: `packet ${t}`,
  });
  const trace = [
    log(1, '%DMVPN-5-NHRP_NHS_UP first'),
    packet(2, ['ipv4', 'gre', 'ipv4', 'eigrp']),
    packet(3, ['ipv4', 'esp']),
    log(4, '%GDOI-5-KS_REKEY_TRANSFORMSET_CHANGED last'),
  ].map((record, i) => ({ seq: 10 + i, record }));

  it('keeps the newest rows passing both filters, oldest first, with their layers', () => {
    expect(listedRows(trace, [], '', 10).map((r) => r.seq)).toEqual([10, 11, 12, 13]);
    expect(listedRows(trace, [], '', 2).map((r) => r.seq)).toEqual([12, 13]);
    expect(listedRows(trace, ['esp'], '', 10).map((r) => r.seq)).toEqual([12]);
    expect(listedRows(trace, [], 'first', 10).map((r) => r.row.summary)).toEqual([
      '%DMVPN-5-NHRP_NHS_UP first',
    ]);
    const [gre] = listedRows(trace, ['eigrp'], '', 10);
    expect(gre?.layers).toEqual(['gre', 'eigrp']);
    expect(gre?.t).toBe(2);
  });

  it('formats a record once and returns the same row when the list is rebuilt', () => {
    const a = listedRows(trace, [], '', 10);
    const b = listedRows(trace.slice(1), [], '', 10);
    expect(b[0]?.row).toBe(a[1]?.row);
  });
});
