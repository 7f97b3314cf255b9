/**
 * The one import for dissection: every protocol's dissector registration (the *-dissect.ts modules register
 * themselves on import), re-exporting dissect/summarize so callers cannot get them without the registrations.
 * IPv4, UDP and ICMP are built into dissect.ts.
 */
import './autorp-dissect';
import './eigrp-dissect';
import './esp-dissect';
import './gre-dissect';
import './igmp-dissect';
import './isakmp-dissect';
import './nhrp-dissect';
import './pim-dissect';
// PIM BSR (types 4 and 8) lives in its protocol folder and registers with pim-dissect.
import '../protocols/pim/bsr/bsr-dissect';

export { dissect, summarize } from './dissect';
export type { DissectContext, Dissector, Field, Layer } from './dissect';
