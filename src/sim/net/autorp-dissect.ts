/** Cisco Auto-RP dissector (UDP port 496). Field names follow Wireshark's auto_rp.* (not "autorp"). */
import { AUTORP_PORT, type AutoRpEntry, autoRpTitle, decodeAutoRp } from './autorp';
import { field, type Field, type Layer, registerUdpPortDissector } from './dissect';
import { prefixText } from './dissect-helpers';
import { formatIpv4 } from './ipv4-address';

const PIM_VERSION_NAMES = ['unknown', 'v1', 'v2', 'v2v1'] as const;

function entryFields(rps: readonly AutoRpEntry[], start: number): Field[] {
  let at = start;
  return rps.flatMap((rp) => {
    const fields = [
      field('auto_rp.rp_addr', 'RP address', formatIpv4(rp.rp), at, at + 4),
      field(
        'auto_rp.pim_ver',
        'Version',
        `${PIM_VERSION_NAMES[rp.pimVersion] ?? '?'} (${rp.pimVersion})`,
        at + 4,
        at + 5,
      ),
      field('auto_rp.group_num', 'Number of groups this RP maps to', rp.groups.length, at + 5, at + 6),
    ];
    at += 6;
    for (const g of rp.groups) {
      const sign = g.negative ? 'negative' : 'positive';
      fields.push(
        field('auto_rp.prefix_sign', 'Sign', `${sign}${g.bidir ? ', bidir' : ''}`, at, at + 1),
        field('auto_rp.mask_len', 'Mask length', g.maskLength, at + 1, at + 2),
        field('auto_rp.group_prefix', 'Prefix', formatIpv4(g.prefix), at + 2, at + 6),
      );
      at += 6;
    }
    return fields;
  });
}

/** 'RP 1.1.1.1 239.0.0.0/8 (-)227.99.99.99/32', groups in IOS `show ip pim rp mapping` style. */
function infoDetail(rps: readonly AutoRpEntry[]): string {
  return rps
    .map((rp) => {
      const groups = rp.groups.map((g) => `${g.negative ? '(-)' : ''}${prefixText(g.prefix, g.maskLength)}`);
      return [`RP ${formatIpv4(rp.rp)}`, ...groups].join(' ');
    })
    .join(', ');
}

registerUdpPortDissector(AUTORP_PORT, (ctx) => {
  const m = decodeAutoRp(ctx.bytes);
  const s = ctx.start;
  const title = autoRpTitle(m.kind);
  const typeName = m.kind === 'announce' ? 'RP announcement' : 'RP mapping';
  const layer: Layer = {
    protocol: 'autorp',
    title: `Cisco Auto-RP (${title})`,
    start: s,
    end: ctx.end,
    fields: [
      field('auto_rp.version', 'Protocol version', `1 or 1+ (${m.version})`, s, s + 1),
      field('auto_rp.type', 'Packet type', `${typeName} (${(ctx.bytes[0] ?? 0) & 0x0f})`, s, s + 1),
      field('auto_rp.rp_count', 'RP count', m.rps.length, s + 1, s + 2),
      field('auto_rp.holdtime', 'Holdtime', m.holdtime, s + 2, s + 4),
      ...entryFields(m.rps, s + 8),
    ],
    info: { name: `Auto-RP ${title}`, detail: infoDetail(m.rps) },
  };
  return [layer];
});
