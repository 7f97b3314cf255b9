/**
 * ESP dissector (IP protocol 50). Without the SA an observer sees only the SPI and sequence number, as
 * Wireshark does without its esp_sa table; the rest is shown as encrypted data (IV, ciphertext and ICV are
 * indistinguishable without knowing the transform). Field names follow Wireshark's esp.*.
 */
import { dataLayer, field, type Dissector, registerIpProtocolDissector } from './dissect';
import { hex } from './dissect-helpers';
import { ESP_HEADER_LENGTH, peekEsp } from './esp';
import { IP_PROTO } from './ipv4';

const dissectEsp: Dissector = (ctx) => {
  const { spi, sequence } = peekEsp(ctx.bytes);
  const s = ctx.start;
  const bodyStart = s + ESP_HEADER_LENGTH;
  const spiText = hex(spi, 8);
  const layer = {
    protocol: 'esp',
    title: `Encapsulating Security Payload (SPI ${spiText}, seq ${sequence})`,
    start: s,
    end: bodyStart,
    fields: [
      field('esp.spi', 'ESP SPI', `${spiText} (${spi})`, s, s + 4),
      field('esp.sequence', 'ESP Sequence', sequence, s + 4, s + 8),
    ],
    info: { name: 'ESP', detail: `SPI=${spiText} seq=${sequence} len=${ctx.end - bodyStart}` },
  };
  if (bodyStart >= ctx.end) return [layer];
  return [layer, dataLayer(ctx.frame, bodyStart, ctx.end, 'Encrypted Data (IV, ciphertext, ICV)')];
};

registerIpProtocolDissector(IP_PROTO.ESP, dissectEsp);
