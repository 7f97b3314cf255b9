import { describe, expect, it } from 'vitest';

import { type Ipv4, parseIpv4 } from '../../net/ipv4-address';
import { entryName, MrouteTable, newEntry } from './mroute-table';

// Table order: (*,G) before its (S,G) entries, higher groups first: the article's GM-2 debug deletes
// `(*, 239.10.10.1)` then `(*, 224.0.1.40)` walking the table (seed article lines 251-252).
const ip = (text: string): Ipv4 => parseIpv4(text)!;

describe('MrouteTable.all', () => {
  const names = (t: MrouteTable): string[] => t.all().map(entryName);

  it('lists entries in table order after every add and delete (the sorted list is kept between changes)', () => {
    const t = new MrouteTable();
    const g1 = ip('239.10.10.1');
    const g2 = ip('224.0.1.40');
    t.add(newEntry(ip('10.1.1.1'), g1, 0));
    t.add(newEntry(undefined, g2, 0));
    expect(names(t)).toEqual(['(10.1.1.1, 239.10.10.1)', '(*, 224.0.1.40)']);
    const star = t.add(newEntry(undefined, g1, 0));
    expect(names(t)).toEqual(['(*, 239.10.10.1)', '(10.1.1.1, 239.10.10.1)', '(*, 224.0.1.40)']);
    t.delete(star);
    expect(names(t)).toEqual(['(10.1.1.1, 239.10.10.1)', '(*, 224.0.1.40)']);
  });

  it('leaves a list already handed out unchanged when an entry is deleted while the caller walks it', () => {
    const t = new MrouteTable();
    const g = ip('239.10.10.1');
    t.add(newEntry(undefined, g, 0));
    t.add(newEntry(ip('10.1.1.1'), g, 0));
    const walked: string[] = [];
    for (const e of t.all()) {
      walked.push(entryName(e));
      t.delete(e);
    }
    expect(walked).toEqual(['(*, 239.10.10.1)', '(10.1.1.1, 239.10.10.1)']);
    expect(t.all()).toEqual([]);
  });
});
