/** Simulated time: an integer count of microseconds since the lab booted. Nothing in src/sim reads a wall clock. */
export type SimTime = number;

export const MICROS_PER_MS = 1_000;
export const MICROS_PER_SECOND = 1_000_000;

export function seconds(s: number): SimTime {
  return Math.round(s * MICROS_PER_SECOND);
}

export function millis(ms: number): SimTime {
  return Math.round(ms * MICROS_PER_MS);
}

export function toSeconds(t: SimTime): number {
  return t / MICROS_PER_SECOND;
}
