import { describe, expect, it } from 'vitest';
import { parseIpv4 } from '../../net/ipv4-address';
import { formatPrefix, makePrefix } from '../../net/prefix';
import { TopologyTable } from './topology';

const p = (t: string) => {
  const [a = '', l = '32'] = t.split('/');
  return makePrefix(parseIpv4(a) ?? 0, Number(l));
};
const INFINITE = 0xffffffff;

describe('TopologyTable', () => {
  it('keeps its entries in IOS order (address, then length) as they come and go', () => {
    const t = new TopologyTable();
    for (const x of ['20.0.5.0/24', '10.255.0.0/16', '20.0.1.0/24']) t.getOrCreate(p(x), INFINITE);
    const before = t.all();
    t.getOrCreate(p('20.0.3.0/24'), INFINITE);
    t.getOrCreate(p('20.0.1.0/25'), INFINITE);
    t.delete(p('20.0.5.0/24'));
    expect(t.all().map((e) => formatPrefix(e.prefix))).toEqual([
      '10.255.0.0/16',
      '20.0.1.0/24',
      '20.0.1.0/25',
      '20.0.3.0/24',
    ]);
    expect(t.sortedView().keys).toEqual(t.all().map((e) => formatPrefix(e.prefix)));
    // A list handed out earlier is not changed under its reader (a neighbour going down iterates it).
    expect(before.map((e) => formatPrefix(e.prefix))).toEqual([
      '10.255.0.0/16',
      '20.0.1.0/24',
      '20.0.5.0/24',
    ]);
  });

  it('tells each subscriber which destinations were touched since it last emptied its set', () => {
    const t = new TopologyTable();
    const a = t.trackTouched();
    t.getOrCreate(p('20.0.1.0/24'), INFINITE);
    const b = t.trackTouched();
    t.touch(p('20.0.2.0/24'));
    t.delete(p('20.0.1.0/24'));
    expect([...a].sort()).toEqual(['20.0.1.0/24', '20.0.2.0/24']);
    expect([...b].sort()).toEqual(['20.0.1.0/24', '20.0.2.0/24']);
    a.clear();
    t.untrackTouched(b);
    t.touch(p('20.0.9.0/24'));
    expect([...a]).toEqual(['20.0.9.0/24']);
    expect([...b].sort()).toEqual(['20.0.1.0/24', '20.0.2.0/24']);
  });
});
