/**
 * Opens a GROUPKEY-PUSH (RFC 6407 §4, exchange 33) for the inspector with the KEK a group member holds, as
 * `esp/inspect.ts` opens ESP with a TEK a router holds: HDR, SEQ, SA KEK/TEK and KD, and the result of checking
 * the SIG payload against the key server's public key from the member's last key download (RFC 6407 §4.2: the
 * member "MUST verify the signature"). Key material is masked unless asked for. Keys stay in the simulator: only
 * the opened message and its description leave.
 */
import { cbcDecrypt, importRsaPublicKey, rsaVerify } from '../../crypto';
import type { Router } from '../../device/router';
import { concatBytes, toHex } from '../../net/bytes';
import { field, type Field, type Layer } from '../../net/dissect';
import { dissect } from '../../net/dissectors';
import { formatIpv4 } from '../../net/ipv4-address';
import {
  type Attribute,
  attrNumber,
  decodeIsakmpHeader,
  decodePayload,
  EXCHANGE,
  type IdData,
  ISAKMP_FLAG_ENCRYPTION,
  ISAKMP_HEADER_LENGTH,
  type IsakmpHeader,
  type IsakmpPayload,
  KD_TYPE,
  KEK_ATTR,
  PAYLOAD,
  type RawPayload,
  TEK_ATTR,
  walkPayloads,
} from '../../net/isakmp';
import { gdoiOf } from './gdoi-service';
import type { KekMaterial } from './material';

/** The string RFC 6407 §4.2 (and RFC 3547 §4.7) prefixes to the signed data. */
const REKEY = new TextEncoder().encode('rekey');

/** A GROUPKEY-PUSH opened for display. */
export interface OpenedRekey {
  /** The group member whose KEK opened it. */
  readonly heldBy: string;
  /** The KEK SPI (the message's cookie pair) in hex. */
  readonly kekSpi: string;
  /** The message with its payloads in the clear: the header as sent, then the decrypted payload chain. */
  readonly bytes: Uint8Array;
  /** HDR, SEQ, SA, KD and SIG, with byte ranges into `bytes`. */
  readonly layers: Layer[];
  readonly signature: { readonly verified: boolean; readonly detail: string };
  /** True when key material is shown in the clear (else masked). */
  readonly keysShown: boolean;
}

/** KEK_ALGORITHM (RFC 6407 §5.3.3.2) and ESP transform (RFC 2407 §4.4.4) names. */
const KEK_ALGORITHMS: ReadonlyMap<number, string> = new Map([
  [1, 'KEK_ALG_DES'],
  [2, 'KEK_ALG_3DES'],
  [3, 'KEK_ALG_AES'],
]);
const ESP_TRANSFORMS: ReadonlyMap<number, string> = new Map([
  [2, 'ESP_DES'],
  [3, 'ESP_3DES'],
  [12, 'ESP_AES'],
]);
const AUTH_ALGORITHMS: ReadonlyMap<number, string> = new Map([
  [1, 'HMAC-MD5'],
  [2, 'HMAC-SHA'],
  [5, 'HMAC-SHA2-256'],
]);

/**
 * Finds a GROUPKEY-PUSH in `packet` (an IPv4 packet: a wire frame, or the inner packet of an opened ESP) and
 * opens it with the KEK of the first group member among `routers` that holds the KEK its cookies name.
 */
export async function openRekeyForInspection(
  packet: Uint8Array,
  routers: readonly Router[],
  revealKeys = false,
): Promise<OpenedRekey | undefined> {
  const message = pushIn(packet);
  if (!message) return undefined;
  const header = decodeIsakmpHeader(message);
  const cookies = concatBytes(header.initiatorCookie, header.responderCookie);
  for (const router of routers) {
    for (const member of gdoiOf(router)?.members.values() ?? []) {
      const kek = [member.kek, member.previousKek].find((k) => k !== undefined && sameBytes(k.spi, cookies));
      if (!kek) continue;
      const opened = await openWith(message, header, kek, revealKeys);
      if (opened) return { ...opened, heldBy: router.name };
    }
  }
  return undefined;
}

/** The encrypted GROUPKEY-PUSH carried in `packet` (UDP 848, possibly inside GRE), if any. */
function pushIn(packet: Uint8Array): Uint8Array | undefined {
  let layers: Layer[];
  try {
    layers = dissect(packet);
  } catch {
    return undefined;
  }
  const gdoi = layers.find((l) => l.protocol === 'isakmp');
  if (!gdoi || gdoi.end - gdoi.start < ISAKMP_HEADER_LENGTH) return undefined;
  const message = packet.subarray(gdoi.start, gdoi.end);
  const exchange = message[18];
  const flags = message[19] ?? 0;
  if (exchange !== EXCHANGE.GROUPKEY_PUSH || (flags & ISAKMP_FLAG_ENCRYPTION) === 0) return undefined;
  return message;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function openWith(
  message: Uint8Array,
  header: IsakmpHeader,
  kek: KekMaterial,
  revealKeys: boolean,
): Promise<Omit<OpenedRekey, 'heldBy'> | undefined> {
  let plaintext: Uint8Array;
  let raw: RawPayload[];
  try {
    plaintext = await cbcDecrypt(
      kek.cipher,
      kek.key,
      kek.iv,
      message.subarray(ISAKMP_HEADER_LENGTH, header.length),
    );
    raw = walkPayloads(plaintext, header.nextPayload);
  } catch {
    return undefined;
  }
  const headerBytes = message.subarray(0, ISAKMP_HEADER_LENGTH);
  const bytes = concatBytes(headerBytes, plaintext);
  const signature = await checkSignature(raw, headerBytes, plaintext, kek);
  const layers = [
    headerLayer(header, bytes.length),
    ...raw.map((p) => payloadLayer(p, revealKeys, signature)),
  ];
  return { kekSpi: toHex(kek.spi), bytes, layers, signature, keysShown: revealKeys };
}

/** RFC 6407 §4.2 / RFC 3547 §4.7: RSASSA-PKCS1-v1_5 over "rekey" ‖ HDR ‖ the payloads before SIG. */
async function checkSignature(
  raw: readonly RawPayload[],
  header: Uint8Array,
  plaintext: Uint8Array,
  kek: KekMaterial,
): Promise<OpenedRekey['signature']> {
  const sig = raw.find((p) => p.type === PAYLOAD.SIG);
  if (!sig) return { verified: false, detail: 'no SIG payload' };
  const key = await importRsaPublicKey(kek.sigKey);
  const signed = concatBytes(REKEY, header, plaintext.subarray(0, sig.offset));
  const verified = await rsaVerify(key, sig.body, signed);
  return {
    verified,
    detail: verified
      ? `verified with the key server's ${kek.sigKeyBits}-bit RSA public key (SHA-1)`
      : 'does not verify with the key server public key the member holds',
  };
}

function headerLayer(h: IsakmpHeader, length: number): Layer {
  return {
    protocol: 'gdoi',
    title: 'GROUPKEY-PUSH header (decrypted with the KEK)',
    start: 0,
    end: ISAKMP_HEADER_LENGTH,
    fields: [
      field(
        'gdoi.kek_spi',
        'KEK SPI (cookies)',
        toHex(concatBytes(h.initiatorCookie, h.responderCookie)),
        0,
        16,
      ),
      field('isakmp.exchangetype', 'Exchange type', `GROUPKEY-PUSH (${h.exchangeType})`, 18, 19),
      field('isakmp.flags', 'Flags', `0x${h.flags.toString(16).padStart(2, '0')} (Encryption)`, 19, 20),
      field('isakmp.messageid', 'Message ID', `0x${h.messageId.toString(16).padStart(8, '0')}`, 20, 24),
      field(
        'isakmp.length',
        'Length',
        `${h.length} (decrypted payloads and padding: ${length - 28})`,
        24,
        28,
      ),
    ],
  };
}

const PAYLOAD_TITLES: ReadonlyMap<number, string> = new Map([
  [PAYLOAD.SEQ, 'Sequence Number'],
  [PAYLOAD.SA, 'Security Association (GDOI)'],
  [PAYLOAD.KD, 'Key Download'],
  [PAYLOAD.SIG, 'Signature'],
]);

function payloadLayer(raw: RawPayload, revealKeys: boolean, sig: OpenedRekey['signature']): Layer {
  const start = ISAKMP_HEADER_LENGTH + raw.offset;
  const end = start + 4 + raw.body.length;
  const layer: Layer = {
    protocol: 'gdoi',
    title: PAYLOAD_TITLES.get(raw.type) ?? `Payload ${raw.type}`,
    start,
    end,
    fields: [],
  };
  if (raw.type === PAYLOAD.SIG) {
    layer.fields.push(field('isakmp.sig', 'Signature', `${raw.body.length} bytes`, start + 4, end));
    layer.fields.push(
      field(
        'gdoi.sig_check',
        'Signature check',
        `${sig.verified ? 'OK' : 'FAILED'}: ${sig.detail}`,
        start,
        end,
      ),
    );
    if (!sig.verified) layer.warnings = [`signature ${sig.detail}`];
    return layer;
  }
  let p: IsakmpPayload;
  try {
    p = decodePayload(raw.type, raw.body, EXCHANGE.GROUPKEY_PUSH);
  } catch (e) {
    return { ...layer, error: e instanceof Error ? e.message : String(e) };
  }
  layer.fields.push(...contentFields(p, raw, start, end, revealKeys));
  return layer;
}

function contentFields(
  p: IsakmpPayload,
  raw: RawPayload,
  start: number,
  end: number,
  reveal: boolean,
): Field[] {
  switch (p.kind) {
    case 'seq':
      return [field('isakmp.seq.seq', 'Sequence number', p.sequence, start + 4, end)];
    case 'gdoi-sa':
      return [
        ...(p.kek ? kekFields(p.kek, start, end) : []),
        ...p.teks.flatMap((t) => {
          const at = within(raw.body, new Uint8Array(u32(t.spi)), start + 4, start, end);
          return [
            field('gdoi.sat.spi', 'SA TEK SPI', `0x${t.spi.toString(16).padStart(8, '0')}`, at.start, at.end),
            field(
              'gdoi.sat.transform',
              'SA TEK transform',
              tekTransform(t.transformId, t.attributes),
              start,
              end,
            ),
            field(
              'gdoi.sat.selector',
              'SA TEK selector',
              selector(t.protocol, t.source, t.destination),
              start,
              end,
            ),
          ];
        }),
      ];
    case 'kd':
      return p.packets.flatMap((k) =>
        keyPacketFields(k.kdType, k.spi, k.attributes, raw, start, end, reveal),
      );
    default:
      return [];
  }
}

function kekFields(
  k: NonNullable<Extract<IsakmpPayload, { kind: 'gdoi-sa' }>['kek']>,
  s: number,
  e: number,
): Field[] {
  const num = (type: number): number | undefined => {
    const a = k.attributes.find((x) => x.type === type);
    return a ? attrNumber(a) : undefined;
  };
  const alg = num(KEK_ATTR.ALGORITHM);
  return [
    field('gdoi.sak.spi', 'SA KEK SPI', toHex(k.spi), s, e),
    field('gdoi.sak.selector', 'SA KEK rekey flow', selector(k.protocol, k.source, k.destination), s, e),
    field(
      'gdoi.sak.algorithm',
      'KEK algorithm',
      `${KEK_ALGORITHMS.get(alg ?? 0) ?? alg ?? '?'}, ${num(KEK_ATTR.KEY_LENGTH) ?? '?'} bits`,
      s,
      e,
    ),
    field('gdoi.sak.lifetime', 'KEK lifetime', `${num(KEK_ATTR.KEY_LIFETIME) ?? '?'} s`, s, e),
    field(
      'gdoi.sak.sig_key_length',
      'Signature key length',
      `${num(KEK_ATTR.SIG_KEY_LENGTH) ?? '?'} bits`,
      s,
      e,
    ),
  ];
}

function tekTransform(transformId: number, attrs: readonly Attribute[]): string {
  const num = (type: number): number | undefined => {
    const a = attrs.find((x) => x.type === type);
    return a ? attrNumber(a) : undefined;
  };
  const bits = num(TEK_ATTR.KEY_LENGTH);
  const auth = num(TEK_ATTR.AUTH_ALGORITHM);
  return [
    `${ESP_TRANSFORMS.get(transformId) ?? `transform ${transformId}`}${bits ? ` ${bits}` : ''}`,
    auth !== undefined ? (AUTH_ALGORITHMS.get(auth) ?? `auth ${auth}`) : undefined,
    num(TEK_ATTR.LIFE_DURATION) !== undefined ? `lifetime ${num(TEK_ATTR.LIFE_DURATION)} s` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(', ');
}

/** `gre 10.0.0.0/8 → any`-style text of an ID pair (ID_IPV4_ADDR 1, ID_IPV4_ADDR_SUBNET 4). */
function selector(protocol: number, src: IdData, dst: IdData): string {
  return `protocol ${protocol}: ${idText(src)} → ${idText(dst)}`;
}

function idText(id: IdData): string {
  const d = id.data;
  const addr = (o: number): string =>
    formatIpv4(
      ((d[o] ?? 0) * 2 ** 24 + (d[o + 1] ?? 0) * 65536 + (d[o + 2] ?? 0) * 256 + (d[o + 3] ?? 0)) >>> 0,
    );
  const port = id.port ? `:${id.port}` : '';
  if (id.idType === 4 && d.length >= 8) return `${addr(0)}/${addr(4)}${port}`;
  if (d.length >= 4) return `${addr(0)}${port}`;
  return `type ${id.idType}`;
}

function keyPacketFields(
  kdType: number,
  spi: Uint8Array,
  attrs: readonly Attribute[],
  raw: RawPayload,
  start: number,
  end: number,
  reveal: boolean,
): Field[] {
  const kind = kdType === KD_TYPE.TEK ? 'TEK' : kdType === KD_TYPE.KEK ? 'KEK' : `type ${kdType}`;
  const out = [field('gdoi.kd.spi', `Key packet (${kind}) SPI`, toHex(spi), start, end)];
  let from = start + 4;
  for (const a of attrs) {
    if (!('bytes' in a)) continue;
    const at = within(raw.body, a.bytes, from, start, end);
    from = at.end;
    const name = keyAttrName(kdType, a.type);
    out.push(
      field(
        `gdoi.kd.${kind.toLowerCase()}.${a.type}`,
        name,
        keyValue(a.bytes, name, reveal),
        at.start,
        at.end,
      ),
    );
  }
  return out;
}

/** RFC 6407 §5.6.1 (TEK: 1 algorithm key, 2 integrity key) and §5.6.2 (KEK: 1 algorithm key, 2 SIG key). */
function keyAttrName(kdType: number, type: number): string {
  if (kdType === KD_TYPE.TEK)
    return type === 1 ? 'TEK encryption key' : type === 2 ? 'TEK integrity key' : `TEK attribute ${type}`;
  return type === 1
    ? 'KEK IV and key'
    : type === 2
      ? 'Key server public key (SPKI)'
      : `KEK attribute ${type}`;
}

/** The KS's public key is public: always shown. Secret keys are masked unless the user asked for them. */
function keyValue(bytes: Uint8Array, name: string, reveal: boolean): string {
  if (reveal || name.startsWith('Key server public key')) return `${toHex(bytes)} (${bytes.length} bytes)`;
  return `${'•'.repeat(8)} (${bytes.length} bytes, hidden: "Show keys" reveals them)`;
}

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

/** Where `needle` sits in the payload body (searching from frame offset `from`), else the whole payload. */
function within(
  body: Uint8Array,
  needle: Uint8Array,
  from: number,
  start: number,
  end: number,
): { start: number; end: number } {
  const bodyStart = start + 4;
  outer: for (let i = Math.max(0, from - bodyStart); i + needle.length <= body.length; i++) {
    for (let j = 0; j < needle.length; j++) if (body[i + j] !== needle[j]) continue outer;
    return { start: bodyStart + i, end: bodyStart + i + needle.length };
  }
  return { start, end };
}
