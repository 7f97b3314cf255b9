import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, lessonFromHash, sharedFromHash, withConfigs } from './share';

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
