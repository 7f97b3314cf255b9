import { describe, expect, it } from 'vitest';
import {
  TooLargeError,
  decodeShare,
  encodeShare,
  lessonFromHash,
  readScenarioFile,
  sharedFromHash,
  withConfigs,
} from './share';

describe('saving and sharing a lab', () => {
  it('round-trips a scenario through a URL-safe share text', async () => {
    const json = JSON.stringify({
      format: 'getlab-scenario/1',
      devices: [{ name: 'A', config: 'hostname A\n' }],
    });
    const text = await encodeShare(json);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeShare(text)).toBe(json);
    expect(sharedFromHash(`#lab=${text}`)).toBe(text);
    expect(sharedFromHash('#other=1')).toBeUndefined();
  });

  it("replaces each device's config with its running-config and keeps the rest", () => {
    const json = JSON.stringify({
      seed: 7,
      devices: [
        { name: 'A', config: 'old', x: 1 },
        { name: 'B', config: 'b' },
      ],
    });
    const out = JSON.parse(
      withConfigs(json, { A: 'hostname A\nip mroute 1.1.1.1 255.255.255.255 10.0.0.1\n' }),
    );
    expect(out.seed).toBe(7);
    expect(out.devices[0]).toEqual({
      name: 'A',
      config: 'hostname A\nip mroute 1.1.1.1 255.255.255.255 10.0.0.1\n',
      x: 1,
    });
    expect(out.devices[1].config).toBe('b');
  });

  it('reads the lesson step a share link names (1-based in the URL)', () => {
    expect(lessonFromHash('#lab=abc&lesson=3')).toBe(2);
    expect(lessonFromHash('#lab=abc')).toBeUndefined();
    expect(lessonFromHash('#lesson=0')).toBeUndefined();
    expect(lessonFromHash('#lesson=x')).toBeUndefined();
  });
});

describe('bounded input (issue 13, item 7)', () => {
  /** A share text whose deflate stream inflates to `megabytes` MB of zero bytes. */
  async function bomb(megabytes: number): Promise<string> {
    let sent = 0;
    const zeros = new ReadableStream<Uint8Array<ArrayBuffer>>({
      pull(c) {
        if (sent++ < megabytes) c.enqueue(new Uint8Array(1024 * 1024));
        else c.close();
      },
    });
    const packed = new Uint8Array(
      await new Response(zeros.pipeThrough(new CompressionStream('deflate-raw'))).arrayBuffer(),
    );
    let s = '';
    for (const b of packed) s += String.fromCharCode(b);
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  it('refuses a link that inflates past the limit, having inflated no more than the limit', async () => {
    const text = await bomb(100);
    // About 100 KB of link: the size of the reported crafted link.
    expect(text.length).toBeGreaterThan(100_000);
    expect(text.length).toBeLessThan(200_000);
    await expect(decodeShare(text)).rejects.toThrow(
      /^The lab in this link is larger than 16 MB once unpacked: GETLab opens labs up to that size/,
    );
    await expect(decodeShare(text)).rejects.toBeInstanceOf(TooLargeError);
  });

  it('opens a link just under the limit and refuses one just over it', async () => {
    const json = JSON.stringify({ pad: 'x'.repeat(1000) });
    const text = await encodeShare(json);
    expect(await decodeShare(text, json.length)).toBe(json);
    await expect(decodeShare(text, json.length - 1)).rejects.toBeInstanceOf(TooLargeError);
  });

  it('decodes UTF-8 split across inflate chunks', async () => {
    const json = JSON.stringify({ description: 'é—✓'.repeat(100_000) });
    expect(await decodeShare(await encodeShare(json))).toBe(json);
  });

  it('says a damaged link is damaged', async () => {
    await expect(decodeShare('%%%')).rejects.toThrow(/damaged/);
  });

  it('refuses an opened file above the limit before reading it', async () => {
    const big = new Blob([new Uint8Array(2048)]);
    await expect(readScenarioFile(Object.assign(big, { name: 'lab.json' }), 1024)).rejects.toThrow(
      'The file "lab.json" is larger than 1 KB once unpacked',
    );
    expect(await readScenarioFile(new Blob(['{"a":1}']))).toBe('{"a":1}');
  });

  it('keeps the config of a device named __proto__ (issue 13, item 5)', () => {
    const json = JSON.stringify({ devices: [{ name: '__proto__', config: 'old' }] });
    const out = JSON.parse(withConfigs(json, new Map([['__proto__', 'hostname X\n']])));
    expect(out.devices[0].config).toBe('hostname X\n');
  });
});
