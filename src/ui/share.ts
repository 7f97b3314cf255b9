// Saving and sharing a lab: the scenario with every device's running-config, compressed into a URL hash or
// kept in localStorage. Browser APIs only (CompressionStream); no protocol logic.

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

/**
 * Largest scenario the page opens, from a link or a file: a 2,000-spoke generated lab is about 5 MB. Bigger
 * input is refused with a message, so a crafted link (136 KB inflating to 100 MB, issue 13 item 7) cannot
 * exhaust the tab.
 */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

/** Input refused for its size; `message` is what the page shows. */
export class TooLargeError extends Error {
  constructor(what: string, limit: number) {
    super(
      `${what} is larger than ${formatMegabytes(limit)} once unpacked: GETLab opens labs up to that size, so it was not opened.`,
    );
    this.name = 'TooLargeError';
  }
}

function formatMegabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * The inverse of encodeShare; throws on a damaged link. The inflate is streamed and stops as soon as the output
 * passes `limit` bytes: a decompression bomb costs at most `limit` bytes and is refused with TooLargeError.
 */
export async function decodeShare(text: string, limit = MAX_SCENARIO_BYTES): Promise<string> {
  let packed: Uint8Array<ArrayBuffer>;
  try {
    packed = fromBase64Url(text);
  } catch {
    throw new Error('The link is damaged (its lab is not valid base64url text).');
  }
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return decodeCapped(stream, limit, 'The lab in this link');
}

/** Reads a byte stream as UTF-8 text, cancelling it (and throwing TooLargeError) once it passes `limit`. */
async function decodeCapped(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  what: string,
): Promise<string> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new TooLargeError(what, limit);
    }
    chunks.push(value);
  }
  const decoder = new TextDecoder();
  return chunks.map((c, i) => decoder.decode(c, { stream: i < chunks.length - 1 })).join('');
}

/** A file's text, refused with TooLargeError above `limit` bytes before any of it is read. */
export async function readScenarioFile(
  file: Blob & { name?: string },
  limit = MAX_SCENARIO_BYTES,
): Promise<string> {
  const what = `The file${file.name ? ` "${file.name}"` : ''}`;
  if (file.size > limit) throw new TooLargeError(what, limit);
  return decodeCapped(file.stream(), limit, what);
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
export function withConfigs(
  scenarioText: string,
  configs: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string {
  const scenario = JSON.parse(scenarioText) as { devices?: { name?: string; config?: string }[] };
  // A Map: a device named `__proto__` or `constructor` keeps its config (issue 13, item 5).
  const byName = configs instanceof Map ? configs : new Map(Object.entries(configs));
  for (const d of scenario.devices ?? []) {
    const config = typeof d.name === 'string' ? byName.get(d.name) : undefined;
    if (config !== undefined) d.config = config;
  }
  return `${JSON.stringify(scenario, null, 2)}\n`;
}
