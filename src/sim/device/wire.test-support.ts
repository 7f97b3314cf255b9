import type { NetworkPort } from './router';

/**
 * The wire of a lone router in a test: every frame it sends is listed as `device iface`. A class, so a checkpoint
 * copies it (its methods are on the prototype).
 */
export class Wire implements NetworkPort {
  readonly frames: string[] = [];
  peerEnabled(): boolean {
    return true;
  }
  transmit(device: string, iface: string): void {
    this.frames.push(`${device} ${iface}`);
  }
}
