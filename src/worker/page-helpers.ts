// Pure helpers the page shares with the simulator. The page imports nothing from src/sim itself (ESLint's
// no-restricted-imports for src/ui): what it needs besides the worker API's types comes through here.
export { iosClock } from '../sim/cli/ios-time';
export { shortInterfaceName } from '../sim/config/interface-names';
export { writePcap } from '../sim/net/pcap';
export { DEFAULT_CLOCK } from '../sim/scenario/lab';
