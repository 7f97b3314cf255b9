/**
 * PIMv2 Bootstrap (type 4) and Candidate-RP-Advertisement (type 8) bodies, RFC 5059 §4.1 and §4.2. The PIM
 * header and its checksum (the whole message, RFC 7761 §4.9) come from `net/pim.ts`, which keeps these types
 * as raw `other` bodies: this module turns those bytes into BSR messages and back.
 */
import { ByteReader, ByteWriter } from '../../../net/bytes';
import type { Ipv4 } from '../../../net/ipv4-address';
import {
  decodePim,
  encodePim,
  PIM_TYPE,
  type PimEncodedGroup,
  readEncodedGroup,
  readEncodedUnicast,
  writeEncodedGroup,
  writeEncodedUnicast,
} from '../../../net/pim';

/** One RP of a group range in a Bootstrap message (RFC 5059 §4.1: RP address, holdtime, priority). */
export interface BsrRpEntry {
  readonly rp: Ipv4;
  /** Seconds; 0 withdraws the RP (RFC 5059 §3.3). */
  readonly holdtime: number;
  /** Lower is preferred (RFC 7761 §4.7.2). */
  readonly priority: number;
}

/** One group range of a Bootstrap message: `rpCount` is the range's total, `rps` what this fragment holds. */
export interface BsrGroupRange {
  readonly group: PimEncodedGroup;
  readonly rpCount: number;
  readonly rps: readonly BsrRpEntry[];
}

export interface BootstrapMessage {
  /** The same random tag on every fragment of one Bootstrap message (RFC 5059 §3.6). */
  readonly fragmentTag: number;
  readonly hashMaskLength: number;
  /** Higher is preferred (RFC 5059 §3.1.1). */
  readonly bsrPriority: number;
  readonly bsrAddress: Ipv4;
  readonly ranges: readonly BsrGroupRange[];
}

export interface CandidateRpAdvertisement {
  readonly priority: number;
  /** Seconds; IOS advertises 150 (2.5 × the 60 s C_RP_Adv_Period, RFC 5059 §3.3). */
  readonly holdtime: number;
  readonly rp: Ipv4;
  /** Empty: the C-RP serves every multicast group, 224.0.0.0/4 (RFC 5059 §4.2, Prefix Count 0). */
  readonly groups: readonly PimEncodedGroup[];
}

export type DecodedBootstrap = BootstrapMessage & { readonly checksumValid: boolean };
export type DecodedCandidateRpAdvertisement = CandidateRpAdvertisement & { readonly checksumValid: boolean };

/** The Bootstrap body after the PIM header (RFC 5059 §4.1). */
export function bootstrapBody(m: BootstrapMessage): Uint8Array {
  const w = new ByteWriter(64).u16(m.fragmentTag).u8(m.hashMaskLength).u8(m.bsrPriority);
  writeEncodedUnicast(w, m.bsrAddress);
  for (const r of m.ranges) {
    writeEncodedGroup(w, r.group);
    w.u8(r.rpCount).u8(r.rps.length).u16(0);
    for (const rp of r.rps) {
      writeEncodedUnicast(w, rp.rp);
      w.u16(rp.holdtime).u8(rp.priority).u8(0);
    }
  }
  return w.finish();
}

export function encodeBootstrap(m: BootstrapMessage): Uint8Array {
  return encodePim({ kind: 'other', type: PIM_TYPE.BOOTSTRAP, body: bootstrapBody(m) });
}

/** The C-RP-Adv body after the PIM header (RFC 5059 §4.2). */
export function candidateRpBody(m: CandidateRpAdvertisement): Uint8Array {
  const w = new ByteWriter(32).u8(m.groups.length).u8(m.priority).u16(m.holdtime);
  writeEncodedUnicast(w, m.rp);
  for (const g of m.groups) writeEncodedGroup(w, g);
  return w.finish();
}

export function encodeCandidateRpAdvertisement(m: CandidateRpAdvertisement): Uint8Array {
  return encodePim({ kind: 'other', type: PIM_TYPE.CANDIDATE_RP_ADVERTISEMENT, body: candidateRpBody(m) });
}

export function readBootstrapBody(body: Uint8Array): BootstrapMessage {
  const r = new ByteReader(body, 'pim bootstrap');
  const fragmentTag = r.u16();
  const hashMaskLength = r.u8();
  const bsrPriority = r.u8();
  if (hashMaskLength > 32) throw r.fail(`hash mask length ${hashMaskLength}, at most 32 for IPv4`, 2);
  const bsrAddress = readEncodedUnicast(r);
  const ranges: BsrGroupRange[] = [];
  while (r.remaining > 0) {
    const group = readEncodedGroup(r);
    const rpCount = r.u8();
    const fragmentRpCount = r.u8();
    r.advance(2);
    const rps: BsrRpEntry[] = [];
    for (let i = 0; i < fragmentRpCount; i++) {
      const rp = readEncodedUnicast(r);
      const holdtime = r.u16();
      const priority = r.u8();
      r.advance(1);
      rps.push({ rp, holdtime, priority });
    }
    ranges.push({ group, rpCount, rps });
  }
  return { fragmentTag, hashMaskLength, bsrPriority, bsrAddress, ranges };
}

export function readCandidateRpBody(body: Uint8Array): CandidateRpAdvertisement {
  const r = new ByteReader(body, 'pim c-rp-adv');
  const count = r.u8();
  const priority = r.u8();
  const holdtime = r.u16();
  const rp = readEncodedUnicast(r);
  const groups = Array.from({ length: count }, () => readEncodedGroup(r));
  if (r.remaining > 0) throw r.fail(`${r.remaining} bytes after the ${count} group prefixes`);
  return { priority, holdtime, rp, groups };
}

/** Decodes a whole PIMv2 Bootstrap message (header included); throws DecodeError on bad bytes. */
export function decodeBootstrap(bytes: Uint8Array): DecodedBootstrap {
  const m = decodePim(bytes);
  if (m.kind !== 'other' || m.type !== PIM_TYPE.BOOTSTRAP)
    throw new ByteReader(bytes, 'pim bootstrap').fail('not a Bootstrap message', 0);
  return { ...readBootstrapBody(m.body), checksumValid: m.checksumValid };
}

/** Decodes a whole PIMv2 Candidate-RP-Advertisement (header included). */
export function decodeCandidateRpAdvertisement(bytes: Uint8Array): DecodedCandidateRpAdvertisement {
  const m = decodePim(bytes);
  if (m.kind !== 'other' || m.type !== PIM_TYPE.CANDIDATE_RP_ADVERTISEMENT)
    throw new ByteReader(bytes, 'pim c-rp-adv').fail('not a Candidate-RP-Advertisement', 0);
  return { ...readCandidateRpBody(m.body), checksumValid: m.checksumValid };
}
