// Pure helpers the page shares with the simulator. The page imports nothing from src/sim itself (ESLint's
// no-restricted-imports for src/ui): what it needs besides the worker API's types comes through here. Only
// leaf modules are re-exported, so the page's bundle does not take in the simulator.
import type { EventClass, EventKind, Marker, MarkerKind, TraceRecord } from './protocol';

export { iosClock } from '../sim/cli/ios-time';
export { shortInterfaceName } from '../sim/config/interface-names';
export { writePcap } from '../sim/net/pcap';
export { globalLineFault, tunnelLineFault, type FaultLines } from '../sim/scenario/fault-lines';

/**
 * The simulated clock's start when a scenario names none: `DEFAULT_CLOCK` of `sim/scenario/lab.ts` (a module
 * that takes in the whole simulator; page-helpers.test.ts checks the two agree).
 */
export const DEFAULT_CLOCK = '2026-07-07T22:55:00.000Z';

/** The worker's record kinds the timeline marks (one marker per IOS message: the counts are the log's). */
const MARKER_KINDS: ReadonlyMap<EventKind, MarkerKind> = new Map<EventKind, MarkerKind>([
  // %GDOI-5-GM_REGS_COMPL: one per group member that completed GDOI registration.
  ['registration', 'registration'],
  // %GDOI-5-KS_SEND_MCAST_REKEY / _UNICAST_REKEY: one per rekey the key server sends.
  ['rekey-sent', 'rekey'],
  // %SYS-5-CONFIG_I: a user left configuration mode.
  ['config-change', 'config'],
]);

/**
 * The timeline marker a classified record makes: a GDOI registration or a rekey sent (their syslog lines), a packet
 * dropped by the RPF check, a configuration change. The worker's marker log (`markers.ts`) and the page's player of a
 * recorded trace both use it.
 */
export function markerOfClass(r: TraceRecord, c: EventClass): Marker | undefined {
  if (r.kind === 'log') {
    const kind = MARKER_KINDS.get(c.kind);
    return kind ? { t: r.t, kind, device: r.device, text: r.text } : undefined;
  }
  if (r.kind === 'packet' && c.kind === 'rpf-drop')
    return { t: r.t, kind: 'rpf-drop', device: r.device, text: `${r.summary}: ${c.drop?.text ?? ''}` };
  return undefined;
}
