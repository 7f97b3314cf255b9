/**
 * The only error a wire decoder throws: truncated or inconsistent input. `offset` is the byte offset, within the
 * buffer handed to the decoder, where decoding failed, so the inspector can point at the bad bytes.
 */
export class DecodeError extends Error {
  readonly protocol: string;
  readonly offset: number;
  readonly reason: string;

  constructor(protocol: string, offset: number, reason: string) {
    super(`${protocol}: ${reason} (offset ${offset})`);
    this.name = 'DecodeError';
    this.protocol = protocol;
    this.offset = offset;
    this.reason = reason;
  }
}
