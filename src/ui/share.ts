// Saving and sharing a lab: the scenario with every device's running-config, compressed into a URL hash or
// kept in localStorage. Browser APIs only (CompressionStream); no protocol logic.

/** localStorage key of the lab the user edited (restored on the next visit). */
export const SAVED_KEY = 'getlab:lab';
/** URL hash parameter holding a shared lab. */
export const SHARE_PARAM = 'lab';

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

async function pipe(
  bytes: Uint8Array<ArrayBuffer>,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** Scenario JSON -> the URL-safe text of a share link. */
export async function encodeShare(json: string): Promise<string> {
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'));
  return toBase64Url(packed);
}

/** The inverse of encodeShare; throws on a damaged link. */
export async function decodeShare(text: string): Promise<string> {
  const bytes = await pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'));
  return new TextDecoder().decode(bytes);
}

/** URL hash parameter holding the lesson step a shared link opens at (1-based, as the panel numbers it). */
export const LESSON_PARAM = 'lesson';

/** The lesson step (0-based) a URL hash names (`#…&lesson=3`), if any. */
export function lessonFromHash(hash: string): number | undefined {
  const text = new URLSearchParams(hash.replace(/^#/, '')).get(LESSON_PARAM);
  const n = text === null ? NaN : Number(text);
  return Number.isInteger(n) && n >= 1 ? n - 1 : undefined;
}

/** Display preferences kept across visits (not part of a lab). */
export interface Prefs {
  readonly theme: 'light' | 'dark';
  readonly projector: boolean;
}

const PREFS_KEY = 'getlab:prefs';

/** The saved preferences; the system's dark-mode setting when none are saved. */
export function prefsFromStorage(): Prefs {
  const fallback: Prefs = {
    theme: globalThis.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light',
    projector: false,
  };
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(PREFS_KEY) ?? 'null') as Partial<Prefs> | null;
    if (!saved) return fallback;
    return {
      theme: saved.theme === 'dark' || saved.theme === 'light' ? saved.theme : fallback.theme,
      projector: saved.projector === true,
    };
  } catch {
    return fallback;
  }
}

export function savePrefs(prefs: Prefs): void {
  try {
    globalThis.localStorage?.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch {
    // Storage disabled: the preference lasts for this visit only.
  }
}

/** The shared lab in a URL hash (`#lab=…`), if any. */
export function sharedFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_PARAM) ?? undefined;
}

/**
 * A scenario with each device's config replaced by its running-config: what the user built, in the public
 * scenario format (links, positions, seed and clock kept).
 */
export function withConfigs(scenarioText: string, configs: Readonly<Record<string, string>>): string {
  const scenario = JSON.parse(scenarioText) as { devices?: { name?: string; config?: string }[] };
  for (const d of scenario.devices ?? []) {
    const config = d.name !== undefined ? configs[d.name] : undefined;
    if (config !== undefined) d.config = config;
  }
  return `${JSON.stringify(scenario, null, 2)}\n`;
}
