import { describe, expect, it } from 'vitest';
import { ip } from '../../net/codec-fixtures.test-support';
import { EIGRP_OPCODE, type EigrpPacket } from '../../net/eigrp';
import { debugPacketText, opcodeName } from './packet-debug';

// Published IOS `debug eigrp packets` output (itcertnotes.blogspot.com, "EIGRP debug commands";
// labs4ccnp.blogspot.com, "EIGRP protocol messages").
const hello: EigrpPacket = {
  opcode: EIGRP_OPCODE.HELLO,
  flags: 0,
  sequence: 0,
  ack: 0,
  vrid: 0,
  as: 1,
  tlvs: [],
};

describe('debug eigrp packets', () => {
  it('prints a sent hello as IOS does, without the peer queue', () => {
    expect(debugPacketText('Sending', hello, 'Serial0/1', undefined, undefined)).toBe(
      'EIGRP: Sending HELLO on Serial0/1\n  AS 1, Flags 0x0, Seq 0/0 idbQ 0/0 iidbQ un/rely 0/0',
    );
  });

  it('names the neighbour and its reliable queue on a received packet', () => {
    const update = { ...hello, opcode: EIGRP_OPCODE.UPDATE, flags: 0x9, sequence: 1, as: 100 };
    expect(debugPacketText('Received', update, 'FastEthernet0/0', ip('10.10.10.2'), 1)).toBe(
      'EIGRP: Received UPDATE on FastEthernet0/0 nbr 10.10.10.2\n' +
        '  AS 100, Flags 0x9, Seq 1/0 idbQ 0/0 iidbQ un/rely 0/0 peerQ un/rely 0/1',
    );
  });

  it('calls a hello that only acknowledges an ACK', () => {
    expect(opcodeName({ ...hello, ack: 7 })).toBe('ACK');
    expect(opcodeName({ ...hello, opcode: EIGRP_OPCODE.QUERY })).toBe('QUERY');
  });
});
