import { ByteReader, ByteWriter, writeU16 } from './bytes';
import { internetChecksum } from './checksum';
import type { Ipv4 } from './ipv4-address';

/** ar$op.type values (RFC 2332 §5; 8 is Cisco's DMVPN Phase 3 Traffic Indication, kept raw here). */
export const NHRP_OP = {
  RESOLUTION_REQUEST: 1,
  RESOLUTION_REPLY: 2,
  REGISTRATION_REQUEST: 3,
  REGISTRATION_REPLY: 4,
  PURGE_REQUEST: 5,
  PURGE_REPLY: 6,
  ERROR_INDICATION: 7,
} as const;

/**
 * Mandatory-part flag bits. Their meaning depends on the op type (RFC 2332 §5.2): Resolution uses Q A D U S,
 * Registration uses U in the top bit, Purge uses N. NAT is Cisco's "NAT supported" bit (Wireshark nhrp.flag.nat).
 */
export const NHRP_FLAG = {
  RESOLUTION_Q: 0x8000,
  RESOLUTION_A: 0x4000,
  RESOLUTION_D: 0x2000,
  RESOLUTION_U: 0x1000,
  RESOLUTION_S: 0x0800,
  REGISTRATION_U: 0x8000,
  PURGE_N: 0x8000,
  CISCO_NAT: 0x0002,
} as const;

/** Extension types (RFC 2332 §5.3); the top bit of the type word is the Compulsory bit. */
export const NHRP_EXT = {
  END: 0,
  RESPONDER_ADDRESS: 3,
  FORWARD_TRANSIT_NHS: 4,
  REVERSE_TRANSIT_NHS: 5,
  AUTHENTICATION: 7,
  VENDOR_PRIVATE: 8,
} as const;

/** Error Indication codes (RFC 2332 §5.2.7). */
export const NHRP_ERROR = {
  UNRECOGNIZED_EXTENSION: 1,
  LOOP_DETECTED: 3,
  PROTOCOL_ADDRESS_UNREACHABLE: 6,
  PROTOCOL_ERROR: 7,
  SDU_SIZE_EXCEEDED: 8,
  INVALID_EXTENSION: 9,
  INVALID_RESOLUTION_REPLY: 10,
  AUTHENTICATION_FAILURE: 11,
  HOP_COUNT_EXCEEDED: 15,
} as const;

/** Cisco's `ip nhrp authentication` SPI: cleartext password follows the 4-byte SPI word. */
export const NHRP_AUTH_CISCO_CLEARTEXT = 1;

const COMPULSORY = 0x8000;
const FIXED_HEADER_LENGTH = 20;
const AFN_IPV4 = 1;
const ETHERTYPE_IPV4 = 0x0800;

/** Client Information Entry (RFC 2332 §5.2.0.1). Addresses are omitted (length 0) when undefined. */
export interface NhrpCie {
  code: number;
  prefixLength: number;
  mtu: number;
  holdingTime: number;
  preference: number;
  clientNbma?: Ipv4;
  clientProtocol?: Ipv4;
}

export type NhrpExtension =
  | {
      kind: 'responder-address' | 'forward-transit-nhs' | 'reverse-transit-nhs';
      compulsory: boolean;
      cies: NhrpCie[];
    }
  /** RFC 2332 §5.3.4. IOS sends SPI 1 and the cleartext password (see nhrpCiscoAuthentication). */
  | { kind: 'authentication'; compulsory: boolean; spi: number; data: Uint8Array }
  /** RFC 2332 §5.3.5: a 24-bit IEEE OUI then vendor data. */
  | { kind: 'vendor-private'; compulsory: boolean; vendorId: number; data: Uint8Array }
  | { kind: 'other'; type: number; compulsory: boolean; value: Uint8Array };

/** What every NHRP message carries besides its op-specific fields (IPv4 over IPv4 NBMA, as DMVPN uses). */
interface NhrpCommon {
  /** ar$hopcnt: IOS sends 255. */
  hopCount: number;
  sourceNbma: Ipv4;
  sourceProtocol: Ipv4;
  destinationProtocol: Ipv4;
}

export type NhrpRequestReplyKind =
  | 'resolution-request'
  | 'resolution-reply'
  | 'registration-request'
  | 'registration-reply'
  | 'purge-request'
  | 'purge-reply';

export type NhrpMessage =
  | (NhrpCommon & {
      kind: NhrpRequestReplyKind;
      flags: number;
      requestId: number;
      cies: NhrpCie[];
      /** Encoded in order, then an End extension (compulsory, as IOS sends it) when the list is not empty. */
      extensions: NhrpExtension[];
    })
  /** RFC 2332 §5.2.7: no CIEs and no extensions; `packet` is the offending NHRP packet (or its start). */
  | (NhrpCommon & { kind: 'error-indication'; errorCode: number; errorOffset: number; packet: Uint8Array });

export type DecodedNhrp = NhrpMessage & {
  packetSize: number;
  checksum: number;
  checksumValid: boolean;
  extensionOffset: number;
};

const KIND_OF_OP: Readonly<Record<number, NhrpMessage['kind']>> = {
  1: 'resolution-request',
  2: 'resolution-reply',
  3: 'registration-request',
  4: 'registration-reply',
  5: 'purge-request',
  6: 'purge-reply',
  7: 'error-indication',
};

const OP_OF_KIND = Object.fromEntries(
  Object.entries(KIND_OF_OP).map(([op, kind]) => [kind, Number(op)]),
) as Record<NhrpMessage['kind'], number>;

export function nhrpOpType(kind: NhrpMessage['kind']): number {
  return OP_OF_KIND[kind];
}

/** Human title, e.g. 'Registration Request'. */
export function nhrpTitle(kind: NhrpMessage['kind']): string {
  return kind
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * Cisco `ip nhrp authentication <password>`: SPI 1 (cleartext), the password as ASCII, at most 8 characters.
 * Wireshark (pref nhrp.auth_ext_has_addr, on by default) reads RFC 2332's source-address slot after the SPI, so
 * it flags passwords shorter than 4 characters as an incomplete extension; 4-8 character passwords decode clean.
 */
export function nhrpCiscoAuthentication(password: string): NhrpExtension {
  const data = Uint8Array.from(password.slice(0, 8), (c) => c.charCodeAt(0) & 0xff);
  return { kind: 'authentication', compulsory: true, spi: NHRP_AUTH_CISCO_CLEARTEXT, data };
}

function writeCie(w: ByteWriter, c: NhrpCie): void {
  const nbmaLength = c.clientNbma !== undefined ? 4 : 0;
  const protoLength = c.clientProtocol !== undefined ? 4 : 0;
  w.u8(c.code).u8(c.prefixLength).u16(0).u16(c.mtu).u16(c.holdingTime);
  w.u8(nbmaLength).u8(0).u8(protoLength).u8(c.preference); // cli addr T/L, subaddr T/L, proto len, pref
  if (c.clientNbma !== undefined) w.ipv4(c.clientNbma);
  if (c.clientProtocol !== undefined) w.ipv4(c.clientProtocol);
}

function extensionType(e: NhrpExtension): number {
  switch (e.kind) {
    case 'responder-address':
      return NHRP_EXT.RESPONDER_ADDRESS;
    case 'forward-transit-nhs':
      return NHRP_EXT.FORWARD_TRANSIT_NHS;
    case 'reverse-transit-nhs':
      return NHRP_EXT.REVERSE_TRANSIT_NHS;
    case 'authentication':
      return NHRP_EXT.AUTHENTICATION;
    case 'vendor-private':
      return NHRP_EXT.VENDOR_PRIVATE;
    case 'other':
      return e.type;
  }
}

function extensionValue(e: NhrpExtension): Uint8Array {
  const w = new ByteWriter();
  if (e.kind === 'authentication') w.u32(e.spi).bytes(e.data);
  else if (e.kind === 'vendor-private')
    w.u8(e.vendorId >>> 16)
      .u16(e.vendorId & 0xffff)
      .bytes(e.data);
  else if (e.kind === 'other') w.bytes(e.value);
  else for (const c of e.cies) writeCie(w, c);
  return w.finish();
}

function writeExtensions(w: ByteWriter, extensions: readonly NhrpExtension[]): void {
  for (const e of extensions) {
    const value = extensionValue(e);
    w.u16((e.compulsory ? COMPULSORY : 0) | (extensionType(e) & 0x3fff))
      .u16(value.length)
      .bytes(value);
  }
  w.u16(COMPULSORY | NHRP_EXT.END).u16(0);
}

/**
 * Encodes an NHRP packet for ar$afn 1 (IPv4 NBMA) and ar$pro.type 0x0800 (RFC 2332 §5.1). Packet size,
 * extension offset and the checksum (RFC 1071 over the whole packet, §5.1 ar$chksum) are computed here.
 */
export function encodeNhrp(m: NhrpMessage): Uint8Array {
  const w = new ByteWriter(128)
    .u16(AFN_IPV4)
    .u16(ETHERTYPE_IPV4)
    .zeros(5) // ar$pro.snap
    .u8(m.hopCount)
    .u16(0) // ar$pktsz
    .u16(0) // ar$chksum
    .u16(0) // ar$extoff
    .u8(1) // ar$op.version
    .u8(nhrpOpType(m.kind))
    .u8(4) // ar$shtl: NSAP format, 4 bytes (IPv4 NBMA)
    .u8(0) // ar$sstl: no subaddress
    .u8(4) // src proto len
    .u8(4); // dst proto len
  if (m.kind === 'error-indication') w.u16(0).u16(m.errorCode).u16(m.errorOffset);
  else w.u16(m.flags).u32(m.requestId);
  w.ipv4(m.sourceNbma).ipv4(m.sourceProtocol).ipv4(m.destinationProtocol);
  let extensionOffset = 0;
  if (m.kind === 'error-indication') w.bytes(m.packet);
  else {
    for (const c of m.cies) writeCie(w, c);
    if (m.extensions.length > 0) {
      extensionOffset = w.length;
      writeExtensions(w, m.extensions);
    }
  }
  if (w.length > 0xffff) throw new RangeError(`nhrp packet of ${w.length} bytes`);
  w.setU16(10, w.length).setU16(14, extensionOffset);
  const bytes = w.finish();
  writeU16(bytes, 12, internetChecksum(bytes));
  return bytes;
}

function readCie(r: ByteReader): NhrpCie {
  const code = r.u8();
  const prefixLength = r.u8();
  r.advance(2);
  const mtu = r.u16();
  const holdingTime = r.u16();
  const nbmaLength = r.u8() & 0x3f;
  const subaddressLength = r.u8() & 0x3f;
  const protoLength = r.u8();
  const preference = r.u8();
  const cie: NhrpCie = { code, prefixLength, mtu, holdingTime, preference };
  if (nbmaLength === 4) cie.clientNbma = r.ipv4();
  else if (nbmaLength !== 0) throw r.fail(`client NBMA length ${nbmaLength}, expected 0 or 4`, r.offset - 4);
  r.advance(subaddressLength);
  if (protoLength === 4) cie.clientProtocol = r.ipv4();
  else if (protoLength !== 0) throw r.fail(`client protocol length ${protoLength}, expected 0 or 4`);
  return cie;
}

function readCies(r: ByteReader): NhrpCie[] {
  const cies: NhrpCie[] = [];
  while (r.remaining > 0) cies.push(readCie(r));
  return cies;
}

function readExtension(type: number, compulsory: boolean, r: ByteReader): NhrpExtension {
  switch (type) {
    case NHRP_EXT.RESPONDER_ADDRESS:
      return { kind: 'responder-address', compulsory, cies: readCies(r) };
    case NHRP_EXT.FORWARD_TRANSIT_NHS:
      return { kind: 'forward-transit-nhs', compulsory, cies: readCies(r) };
    case NHRP_EXT.REVERSE_TRANSIT_NHS:
      return { kind: 'reverse-transit-nhs', compulsory, cies: readCies(r) };
    case NHRP_EXT.AUTHENTICATION:
      return { kind: 'authentication', compulsory, spi: r.u32(), data: r.take(r.remaining) };
    case NHRP_EXT.VENDOR_PRIVATE: {
      const vendorId = (r.u8() << 16) | r.u16();
      return { kind: 'vendor-private', compulsory, vendorId, data: r.take(r.remaining) };
    }
    default:
      return { kind: 'other', type, compulsory, value: r.take(r.remaining) };
  }
}

/** Reads extensions up to and including End (RFC 2332 §5.3: End is the last one; bytes after it are ignored). */
function readExtensions(r: ByteReader): NhrpExtension[] {
  const extensions: NhrpExtension[] = [];
  while (r.remaining > 0) {
    const typeWord = r.u16();
    const length = r.u16();
    const type = typeWord & 0x3fff;
    if (type === NHRP_EXT.END) break;
    extensions.push(readExtension(type, (typeWord & COMPULSORY) !== 0, r.sub(length, 'nhrp')));
  }
  return extensions;
}

/** Decodes an NHRP packet (IPv4 over IPv4 NBMA only); bytes after ar$pktsz are ignored. */
export function decodeNhrp(bytes: Uint8Array): DecodedNhrp {
  const r = new ByteReader(bytes, 'nhrp');
  r.need(FIXED_HEADER_LENGTH, 'a 20-byte fixed header');
  const afn = r.u16();
  const protocolType = r.u16();
  if (afn !== AFN_IPV4) throw r.fail(`ar$afn ${afn}, only 1 (IPv4) is supported`, 0);
  if (protocolType !== ETHERTYPE_IPV4) throw r.fail(`ar$pro.type 0x${protocolType.toString(16)}`, 2);
  r.advance(5);
  const hopCount = r.u8();
  const packetSize = r.u16();
  const checksum = r.u16();
  const extensionOffset = r.u16();
  const version = r.u8();
  const op = r.u8();
  const shtl = r.u8() & 0x3f;
  const sstl = r.u8() & 0x3f;
  if (packetSize < FIXED_HEADER_LENGTH || packetSize > bytes.length)
    throw r.fail(`ar$pktsz ${packetSize} outside 20..${bytes.length}`, 10);
  if (version !== 1) throw r.fail(`ar$op.version ${version}, expected 1`, 16);
  const kind = KIND_OF_OP[op];
  if (!kind) throw r.fail(`unsupported op type ${op}`, 17);
  if (shtl !== 4) throw r.fail(`ar$shtl length ${shtl}, expected 4 (IPv4 NBMA)`, 18);
  if (extensionOffset !== 0 && (extensionOffset < FIXED_HEADER_LENGTH || extensionOffset > packetSize))
    throw r.fail(`ar$extoff ${extensionOffset} outside 20..${packetSize}`, 14);
  const mandatoryEnd = extensionOffset !== 0 ? extensionOffset : packetSize;
  const m = new ByteReader(bytes, 'nhrp', FIXED_HEADER_LENGTH, mandatoryEnd);
  const sourceProtocolLength = m.u8();
  const destinationProtocolLength = m.u8();
  if (sourceProtocolLength !== 4 || destinationProtocolLength !== 4)
    throw m.fail(
      `protocol address lengths ${sourceProtocolLength}/${destinationProtocolLength}, expected 4/4`,
      20,
    );
  const meta = {
    packetSize,
    checksum,
    checksumValid: internetChecksum(bytes.subarray(0, packetSize)) === 0,
    extensionOffset,
  };
  if (kind === 'error-indication') {
    m.advance(2);
    const errorCode = m.u16();
    const errorOffset = m.u16();
    const common = readAddresses(m, hopCount, sstl);
    return { kind, ...common, errorCode, errorOffset, packet: m.take(m.remaining), ...meta };
  }
  const flags = m.u16();
  const requestId = m.u32();
  const common = readAddresses(m, hopCount, sstl);
  const cies = readCies(m);
  const extensions =
    extensionOffset !== 0 ? readExtensions(new ByteReader(bytes, 'nhrp', extensionOffset, packetSize)) : [];
  return { kind, ...common, flags, requestId, cies, extensions, ...meta };
}

function readAddresses(m: ByteReader, hopCount: number, subaddressLength: number): NhrpCommon {
  const sourceNbma = m.ipv4();
  m.advance(subaddressLength);
  return { hopCount, sourceNbma, sourceProtocol: m.ipv4(), destinationProtocol: m.ipv4() };
}
