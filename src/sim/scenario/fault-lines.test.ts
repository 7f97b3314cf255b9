import { describe, expect, it } from 'vitest';
import { faultLines } from './fault-lines';

const MROUTE = 'ip mroute 1.1.1.1 255.255.255.255 192.168.100.1';

// One implementation for the lesson buttons and the page's faults panel (src/ui/faults.ts reads it through
// worker/page-helpers.ts).
describe('faultLines', () => {
  it('removes and puts back the static mroutes, and nbma-mode under each tunnel', () => {
    const config = [
      'hostname H',
      'interface Tunnel10',
      ' ip pim nbma-mode',
      'interface Tunnel20',
      ' ip pim nbma-mode',
      MROUTE,
    ].join('\n');
    expect(faultLines('mroute', config)).toEqual({
      found: [{ line: MROUTE }],
      apply: ['configure terminal', `no ${MROUTE}`, 'end'],
      undo: ['configure terminal', MROUTE, 'end'],
    });
    expect(faultLines('nbma-mode', config)?.apply).toEqual([
      'configure terminal',
      'interface Tunnel10',
      'no ip pim nbma-mode',
      'exit',
      'interface Tunnel20',
      'no ip pim nbma-mode',
      'exit',
      'end',
    ]);
    expect(faultLines('mroute', 'hostname H')).toBeUndefined();
  });

  // The article: "it is important that the Central router is elected as the DR" (ip pim dr-priority 100).
  it('removes and puts back ip pim dr-priority on the tunnels only', () => {
    const config = [
      'hostname Central',
      'interface FastEthernet0/0',
      ' ip pim dr-priority 5',
      'interface Tunnel10',
      ' ip pim dr-priority 100',
      ' ip pim sparse-mode',
    ].join('\n');
    expect(faultLines('dr-priority', config)).toEqual({
      found: [{ iface: 'interface Tunnel10', line: 'ip pim dr-priority 100' }],
      apply: ['configure terminal', 'interface Tunnel10', 'no ip pim dr-priority 100', 'exit', 'end'],
      undo: ['configure terminal', 'interface Tunnel10', 'ip pim dr-priority 100', 'exit', 'end'],
    });
    expect(faultLines('dr-priority', 'interface Tunnel10\n ip pim sparse-mode')).toBeUndefined();
  });
});
