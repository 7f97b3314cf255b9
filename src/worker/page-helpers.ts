// Pure helpers the page shares with the simulator. The page imports nothing from src/sim itself (ESLint's
// no-restricted-imports for src/ui): what it needs besides the worker API's types comes through here. Only
// leaf modules are re-exported, so the page's bundle does not take in the simulator.
export { iosClock } from '../sim/cli/ios-time';
export { shortInterfaceName } from '../sim/config/interface-names';
export { writePcap } from '../sim/net/pcap';
export { globalLineFault, tunnelLineFault, type FaultLines } from '../sim/scenario/fault-lines';

/**
 * The simulated clock's start when a scenario names none: `DEFAULT_CLOCK` of `sim/scenario/lab.ts` (a module
 * that takes in the whole simulator; page-helpers.test.ts checks the two agree).
 */
export const DEFAULT_CLOCK = '2026-07-07T22:55:00.000Z';
