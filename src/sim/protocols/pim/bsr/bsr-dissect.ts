/**
 * Inspector fields for the PIMv2 Bootstrap and Candidate-RP-Advertisement bodies, named as Wireshark names them
 * (`pim.fragment_tag`, `pim.hash_mask_len`, `pim.bsr_priority`, `pim.bsr`, `pim.rp_count`, `pim.frp_count`,
 * `pim.rp`, `pim.priority`, `pim.prefix_count`, `pim.holdtime`). Registered with `net/pim-dissect.ts` on import.
 */
import { field, type Field } from '../../../net/dissect';
import { hex, prefixText } from '../../../net/dissect-helpers';
import { formatIpv4 } from '../../../net/ipv4-address';
import { PIM_TYPE } from '../../../net/pim';
import { registerPimBodyDissector } from '../../../net/pim-dissect';
import { readBootstrapBody, readCandidateRpBody } from './bsr-codec';

const ENCODED_UNICAST = 6;
const ENCODED_GROUP = 8;
const RANGE_HEADER = 4;
const RP_ENTRY = ENCODED_UNICAST + 4;

function bootstrapFields(body: Uint8Array, at: number): Field[] {
  const m = readBootstrapBody(body);
  const out: Field[] = [
    field('pim.fragment_tag', 'Fragment tag', hex(m.fragmentTag), at, at + 2),
    field('pim.hash_mask_len', 'Hash mask len', m.hashMaskLength, at + 2, at + 3),
    field('pim.bsr_priority', 'BSR priority', m.bsrPriority, at + 3, at + 4),
    field('pim.bsr', 'BSR', formatIpv4(m.bsrAddress), at + 4, at + 4 + ENCODED_UNICAST),
  ];
  let p = at + 4 + ENCODED_UNICAST;
  for (const r of m.ranges) {
    out.push(
      field('pim.group', 'Group', prefixText(r.group.address, r.group.maskLength), p + 3, p + ENCODED_GROUP),
      field('pim.rp_count', 'RP count', r.rpCount, p + ENCODED_GROUP, p + ENCODED_GROUP + 1),
      field('pim.frp_count', 'FRP count', r.rps.length, p + ENCODED_GROUP + 1, p + ENCODED_GROUP + 2),
    );
    p += ENCODED_GROUP + RANGE_HEADER;
    for (const rp of r.rps) {
      out.push(
        field('pim.rp', 'RP', formatIpv4(rp.rp), p, p + ENCODED_UNICAST),
        field('pim.holdtime', 'Holdtime', rp.holdtime, p + ENCODED_UNICAST, p + ENCODED_UNICAST + 2),
        field('pim.priority', 'Priority', rp.priority, p + ENCODED_UNICAST + 2, p + ENCODED_UNICAST + 3),
      );
      p += RP_ENTRY;
    }
  }
  return out;
}

function candidateRpFields(body: Uint8Array, at: number): Field[] {
  const m = readCandidateRpBody(body);
  const groupsAt = at + 4 + ENCODED_UNICAST;
  return [
    field('pim.prefix_count', 'Prefix-count', m.groups.length, at, at + 1),
    field('pim.priority', 'Priority', m.priority, at + 1, at + 2),
    field('pim.holdtime', 'Holdtime', m.holdtime, at + 2, at + 4),
    field('pim.rp', 'RP', formatIpv4(m.rp), at + 4, groupsAt),
    ...m.groups.map((g, i) =>
      field(
        'pim.group',
        'Group',
        prefixText(g.address, g.maskLength),
        groupsAt + i * ENCODED_GROUP + 3,
        groupsAt + (i + 1) * ENCODED_GROUP,
      ),
    ),
  ];
}

registerPimBodyDissector(PIM_TYPE.BOOTSTRAP, {
  fields: bootstrapFields,
  detail: (body) => {
    const m = readBootstrapBody(body);
    const rps = m.ranges.flatMap((r) => r.rps.map((rp) => formatIpv4(rp.rp)));
    return `BSR ${formatIpv4(m.bsrAddress)} priority ${m.bsrPriority}${rps.length ? ` RP ${rps.join(' ')}` : ''}`;
  },
});

registerPimBodyDissector(PIM_TYPE.CANDIDATE_RP_ADVERTISEMENT, {
  fields: candidateRpFields,
  detail: (body) => {
    const m = readCandidateRpBody(body);
    return `RP ${formatIpv4(m.rp)} priority ${m.priority} holdtime ${m.holdtime}`;
  },
});
