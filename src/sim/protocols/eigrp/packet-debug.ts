import { EIGRP_OPCODE, type EigrpPacket } from '../../net/eigrp';
import { formatIpv4, type Ipv4 } from '../../net/ipv4-address';

/** The packet type as `debug eigrp packets` names it; a Hello with an Ack and no TLVs is an ACK. */
export function opcodeName(p: Pick<EigrpPacket, 'opcode' | 'ack' | 'tlvs'>): string {
  switch (p.opcode) {
    case EIGRP_OPCODE.HELLO:
      return p.ack !== 0 && p.tlvs.length === 0 ? 'ACK' : 'HELLO';
    case EIGRP_OPCODE.UPDATE:
      return 'UPDATE';
    case EIGRP_OPCODE.QUERY:
      return 'QUERY';
    case EIGRP_OPCODE.REPLY:
      return 'REPLY';
    case EIGRP_OPCODE.SIA_QUERY:
      return 'SIAQUERY';
    case EIGRP_OPCODE.SIA_REPLY:
      return 'SIAREPLY';
    default:
      return `opcode ${p.opcode}`;
  }
}

/**
 * `debug eigrp packets`: IOS's two-line form, "EIGRP: Received HELLO on Serial0/1 nbr 172.16.0.10" then
 * "  AS 1, Flags 0x0, Seq 0/0 idbQ 0/0 iidbQ un/rely 0/0 peerQ un/rely 0/0" (published IOS output:
 * itcertnotes.blogspot.com, "EIGRP debug commands"; labs4ccnp.blogspot.com, "EIGRP protocol messages").
 * `queueCount` is the neighbour's reliable queue, shown as "peerQ un/rely 0/N" when a neighbour is named.
 */
export function debugPacketText(
  verb: 'Sending' | 'Received',
  p: EigrpPacket,
  iface: string,
  peer: Ipv4 | undefined,
  queueCount: number | undefined,
): string {
  const who = peer !== undefined ? ` nbr ${formatIpv4(peer)}` : '';
  const peerQ = queueCount !== undefined ? ` peerQ un/rely 0/${queueCount}` : '';
  return (
    `EIGRP: ${verb} ${opcodeName(p)} on ${iface}${who}\n` +
    `  AS ${p.as}, Flags 0x${p.flags.toString(16)}, Seq ${p.sequence}/${p.ack} idbQ 0/0 iidbQ un/rely 0/0${peerQ}`
  );
}
