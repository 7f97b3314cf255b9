// The reference lab's scenario file, as the worker API's tests load it, and one simulated second in the
// kernel's microseconds.
import { readFileSync } from 'node:fs';

export const REFERENCE = readFileSync(
  new URL('../../public/scenarios/getvpn-multicast-rekey.json', import.meta.url),
  'utf8',
);

export const SECOND = 1_000_000;
