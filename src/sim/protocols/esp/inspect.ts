import type { Router } from '../../device/router';
import { openEsp, peekEsp } from '../../net/esp';
import { IP_PROTO } from '../../net/ipv4';
import { espOf, spiText } from './esp-service';
import { saKeysOf } from './transform';

/** An ESP packet opened for the inspector with a group TEK a router holds. */
export interface DecryptedEsp {
  /** SPI in IOS's hex form, e.g. `0x33C8A7B7`. */
  readonly spi: string;
  /** The router whose TEK opened it. */
  readonly heldBy: string;
  /** The inner packet (with address preservation, the original GRE packet). */
  readonly bytes: Uint8Array;
}

/**
 * Decrypts the ESP in a wire frame for display, with the TEK of the first router (in `routers` order) that
 * holds its SPI — as Wireshark does with a keylog, but from the lab's own key state. Keys stay in the worker;
 * only the opened packet leaves. Returns undefined for non-ESP frames or unknown SPIs.
 */
export async function decryptForInspection(
  frame: Uint8Array,
  routers: readonly Router[],
): Promise<DecryptedEsp | undefined> {
  if (frame.length < 20 || frame[9] !== IP_PROTO.ESP) return undefined;
  const esp = frame.subarray(((frame[0] ?? 0) & 0x0f) * 4);
  let spi: number;
  try {
    spi = peekEsp(esp).spi;
  } catch {
    return undefined;
  }
  for (const router of routers) {
    const tek = espOf(router)
      ?.knownTeks()
      .find((t) => t.spi === spi);
    if (!tek) continue;
    const opened = await openEsp(saKeysOf(tek), esp);
    if (opened.ok) return { spi: spiText(spi), heldBy: router.name, bytes: opened.payload.slice() };
  }
  return undefined;
}
