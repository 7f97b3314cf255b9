// Issue 13: no config text breaks the loader. Random lines made of IOS words, names that are Object.prototype
// members, numbers far out of range and junk never throw; whatever is accepted renders to a running-config that
// loads back to the same running-config (parse -> render -> parse is the identity, ARCHITECTURE.md).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CENTRAL_CONFIG, GM1_CONFIG, KS_CONFIG } from './article-configs.test-support';
import { parseConfig } from './parse';
import { renderRunningConfig } from './render';

const WORDS = [
  'interface',
  'Tunnel10',
  'Loopback0',
  'FastEthernet',
  'Serial1/0',
  'ip',
  'address',
  'no',
  'shutdown',
  'pim',
  'sparse-mode',
  'nbma-mode',
  'dr-priority',
  'igmp',
  'join-group',
  'nhrp',
  'map',
  'multicast',
  'dynamic',
  'nhs',
  'network-id',
  'tunnel',
  'key',
  'source',
  'mode',
  'gre',
  'multipoint',
  'router',
  'eigrp',
  'network',
  'auto-summary',
  'crypto',
  'gdoi',
  'group',
  'identity',
  'number',
  'server',
  'local',
  'rekey',
  'lifetime',
  'seconds',
  'retransmit',
  'sa',
  'ipsec',
  'profile',
  'match',
  'ipv4',
  'replay',
  'time',
  'window-size',
  'isakmp',
  'policy',
  'authentication',
  'pre-share',
  'transform-set',
  'esp-3des',
  'esp-md5-hmac',
  'access-list',
  'extended',
  'standard',
  'permit',
  'deny',
  'any',
  'host',
  'remark',
  'mroute',
  'route',
  'send-rp-announce',
  'send-rp-discovery',
  'scope',
  'group-list',
  'rp-address',
  'set',
  'exit',
  'end',
  'description',
  'constructor',
  'toString',
  'valueOf',
  '__proto__',
  'hasOwnProperty',
  '0',
  '1',
  '10',
  '123',
  '255',
  '65535',
  '4294967296',
  '99999999999999999999999',
  '-1',
  '1e999',
  'NaN',
  '1.1.1.1',
  '255.255.255.255',
  '239.10.10.1',
  '0.0.0.255',
  '192.168.100.1',
  '256.1.1.1',
  '?',
  '!',
  '|',
];

const line = fc
  .tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 9 }))
  .map(([indent, words]) => ' '.repeat(indent) + words.join(' '));
const junk = fc.string({ maxLength: 40 });
/** A line of the article's configs with one word replaced: mostly valid commands with odd values. */
const TEMPLATES = [KS_CONFIG, CENTRAL_CONFIG, GM1_CONFIG]
  .flatMap((c) => c.split('\n'))
  .filter((l) => l.trim() !== '' && !l.trim().startsWith('!'));
const mutated = fc
  .tuple(fc.constantFrom(...TEMPLATES), fc.nat(), fc.constantFrom(...WORDS))
  .map(([template, at, word]) => {
    const words = template.split(' ');
    words[at % words.length] = word;
    return words.join(' ');
  });

describe('config lines (fast-check)', () => {
  it('random lines never throw, and what loads renders to a config that loads back the same', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: line },
            { weight: 5, arbitrary: mutated },
            { weight: 1, arbitrary: junk },
          ),
          { maxLength: 30 },
        ),
        (lines) => {
          const text = `${KS_CONFIG}\n${lines.join('\n')}`;
          const first = renderRunningConfig(parseConfig(text).model);
          const again = parseConfig(first);
          expect(again.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(renderRunningConfig(again.model)).toBe(first);
        },
      ),
      { seed: 13, numRuns: 1000 },
    );
  });
});
