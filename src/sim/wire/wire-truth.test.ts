/**
 * Wire truth (issue 7): Wireshark's tshark is the independent judge of every byte the reference lab puts on
 * the wire. The lab runs 700 simulated seconds (DMVPN, EIGRP, PIM-SM, Auto-RP, IGMP, PIMv1 RP-Reachable, IKE,
 * GDOI registration and multicast rekeys, GET VPN ESP); the runner's `--pcap`, `--keylog` and
 * `--gdoi-plaintext` outputs go to tshark, which must find no malformed frame and no expert error, decrypt
 * and authenticate every ESP frame, and print, field for field, what GETLab's own codecs decode from the
 * same frames (frame N of the pcap is the Nth frame of the lab's trace).
 *
 * Which tshark run checks what:
 * - with the keylog (decrypted): no malformed/error (inner packets included), every ESP frame has a good ICV
 *   and GRE inside, every frame's fields equal our decode with the SAs, each protocol is present;
 * - without the keylog (opaque): ESP frames show only ESP (SPI and sequence as we read them), no malformed;
 * - the GDOI plaintext capture: every push decodes as GROUPKEY-PUSH with its SEQ, SA and KD, none malformed.
 *
 * Runs when /usr/bin/tshark exists; GETLAB_REQUIRE_TSHARK=1 (set by .ci/run) makes it run, and fail, without.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gdoiPlaintextPcap } from '../../runner/run';
import { seconds } from '../kernel/time';
import type { EspSaKeys } from '../net/esp';
import { espOf } from '../protocols/esp/esp-service';
import { gdoiOf } from '../protocols/gdoi/gdoi-service';
import { espKeylog } from '../protocols/esp/keylog';
import { saKeysOf } from '../protocols/esp/transform';
import { type Lab, labPcap, loadLab } from '../scenario/lab';
import { COMPARED_FIELDS, type ComparedField, ownFields } from './tshark-fields.test-support';

const TSHARK = '/usr/bin/tshark';
const required = process.env.GETLAB_REQUIRE_TSHARK === '1';
const runTshark = existsSync(TSHARK) || required;
if (!runTshark)
  console.warn(
    `wire-truth.test.ts: ${TSHARK} not found and GETLAB_REQUIRE_TSHARK is not 1: the wire-truth suite does not run`,
  );

const SCENARIO = 'public/scenarios/getvpn-multicast-rekey.json';
const UNTIL_SECONDS = 700;
/** tshark -T fields separates fields with a tab (its default). */
const FIELD_SEPARATOR = '\t';

/** tshark options every run shares: GDOI on UDP 848, checksums verified, ESP decrypted when keys exist. */
const COMMON = [
  '-d',
  'udp.port==848,isakmp',
  '-o',
  'ip.check_checksum:TRUE',
  '-o',
  'udp.check_checksum:TRUE',
  '-o',
  'esp.enable_encryption_decode:TRUE',
  '-o',
  'esp.enable_authentication_check:TRUE',
];
const PROBLEMS = '_ws.malformed || _ws.expert.severity == "error"';

interface Capture {
  readonly dir: string;
  readonly pcap: string;
  readonly plaintext: string;
  /** WIRESHARK_CONFIG_DIR holding the runner's keylog as `esp_sa`. */
  readonly withKeys: string;
  /** An empty WIRESHARK_CONFIG_DIR: tshark knows no SA. */
  readonly withoutKeys: string;
  readonly lab: Lab;
  readonly sas: Map<number, EspSaKeys>;
  readonly timing: Record<string, number>;
}

function tshark(config: string, file: string, args: readonly string[]): string {
  return execFileSync(TSHARK, ['-r', file, ...COMMON, ...args], {
    encoding: 'utf8',
    env: { ...process.env, WIRESHARK_CONFIG_DIR: config },
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `-T fields` rows of `fields` (every occurrence, joined by ';'), one per frame matching `filter`. */
function tsharkFields(config: string, file: string, fields: readonly string[], filter?: string): string[][] {
  const out = tshark(config, file, [
    ...(filter ? ['-Y', filter] : []),
    '-T',
    'fields',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=;',
    ...fields.flatMap((f) => ['-e', f]),
  ]);
  return out === ''
    ? []
    : out
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => l.split(FIELD_SEPARATOR));
}

/** Every frame's `-T fields` row as a record (key = field name). */
function tsharkRows(config: string, file: string): Record<ComparedField, string>[] {
  return tsharkFields(config, file, COMPARED_FIELDS).map(
    (cells) =>
      Object.fromEntries(COMPARED_FIELDS.map((f, i) => [f, cells[i] ?? ''])) as Record<ComparedField, string>,
  );
}

async function capture(): Promise<Capture> {
  const timing: Record<string, number> = {};
  const t0 = performance.now();
  const { lab } = loadLab(readFileSync(SCENARIO, 'utf8'));
  if (!lab) throw new Error(`${SCENARIO} did not load`);
  await lab.kernel.runUntil(seconds(UNTIL_SECONDS));
  timing.lab = performance.now() - t0;
  const sas = new Map<number, EspSaKeys>();
  for (const r of lab.routers) for (const tek of espOf(r)?.knownTeks() ?? []) sas.set(tek.spi, saKeysOf(tek));

  const dir = mkdtempSync(join(tmpdir(), 'getlab-wire-truth-'));
  const withKeys = join(dir, 'with-keys');
  const withoutKeys = join(dir, 'without-keys');
  mkdirSync(withKeys);
  mkdirSync(withoutKeys);
  // The runner's exports, as `npm run sim -- … --until 700 --pcap … --keylog … --gdoi-plaintext …` writes them.
  writeFileSync(join(withKeys, 'esp_sa'), espKeylog(lab.routers));
  const pcap = join(dir, 'lab.pcap');
  const plaintext = join(dir, 'gdoi-plaintext.pcap');
  writeFileSync(pcap, labPcap(lab));
  writeFileSync(plaintext, gdoiPlaintextPcap(lab));
  return { dir, pcap, plaintext, withKeys, withoutKeys, lab, sas, timing };
}

/** Counts frames whose frame.protocols contains `protocol` as a layer. */
function countLayer(rows: readonly Record<ComparedField, string>[], protocol: string): number {
  return rows.filter((r) => r['frame.protocols'].split(':').includes(protocol)).length;
}

/** Where tshark and our decode differ: the first 3 frames per field (frame number, tshark's and our value). */
function differences(
  theirs: readonly Record<ComparedField, string>[],
  ours: readonly Record<ComparedField, string>[],
): string[] {
  const out: string[] = [];
  const perField = new Map<string, number>();
  theirs.forEach((row, i) => {
    for (const f of COMPARED_FIELDS) {
      const mine = ours[i]?.[f];
      const n = perField.get(f) ?? 0;
      if (row[f] === mine || n >= 3) continue;
      perField.set(f, n + 1);
      out.push(`frame ${i + 1} ${f}: tshark "${row[f]}", GETLab "${mine}"`);
    }
  });
  return out;
}

describe('wire truth: tshark decodes the reference lab as GETLab does', () => {
  let cap: Capture | undefined;
  let decoded: Record<ComparedField, string>[] = [];
  const get = (): Capture => {
    if (!cap) throw new Error('capture failed');
    return cap;
  };

  beforeAll(async () => {
    if (!runTshark) return;
    if (!existsSync(TSHARK)) throw new Error(`GETLAB_REQUIRE_TSHARK=1 but ${TSHARK} is missing`);
    cap = await capture();
    const t0 = performance.now();
    decoded = tsharkRows(cap.withKeys, cap.pcap);
    cap.timing.tsharkDecoded = performance.now() - t0;
  }, 120_000);

  afterAll(() => {
    if (!cap) return;
    rmSync(cap.dir, { recursive: true, force: true });
    console.info(
      `wire-truth timings (ms): ${Object.entries(cap.timing)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    );
  });

  it.runIf(runTshark)('captures the whole run: frame N of the pcap is frame N of the trace', () => {
    const { lab } = get();
    const frames = lab.kernel.trace.allFrames();
    // Nothing was trimmed from the trace, and tshark read every frame.
    expect(frames[0]?.id).toBe(1);
    expect(frames.at(-1)?.id).toBe(frames.length);
    expect(lab.hasErrors).toBe(false);
    expect(decoded).toHaveLength(frames.length);
  });

  it.runIf(runTshark)('finds no malformed frame and no expert error, decrypted or not', () => {
    const { withKeys, withoutKeys, pcap, timing } = get();
    const t0 = performance.now();
    for (const config of [withKeys, withoutKeys]) {
      const bad = tsharkFields(
        config,
        pcap,
        ['frame.number', 'frame.protocols', '_ws.expert.message'],
        PROBLEMS,
      );
      expect(bad).toEqual([]);
    }
    timing.tsharkProblems = performance.now() - t0;
  });

  it.runIf(runTshark)('sees every protocol of the lab', () => {
    const counts = Object.fromEntries(
      ['gre', 'nhrp', 'eigrp', 'pim', 'auto_rp', 'igmp', 'isakmp', 'esp'].map((p) => [
        p,
        countLayer(decoded, p),
      ]),
    );
    console.info(`wire-truth frames per protocol (ESP decrypted): ${JSON.stringify(counts)}`);
    for (const [protocol, n] of Object.entries(counts)) expect(n, protocol).toBeGreaterThan(0);
    // PIMv1 RP-Reachable (IGMP type 0x14) and PIMv2 both, and both GDOI exchanges: registration and rekey.
    expect(decoded.some((r) => r['pim.code'] === '4' && r['pim.rp'] !== '')).toBe(true);
    const exchanges = new Set(
      decoded.flatMap((r) => r['isakmp.exchangetype'].split(';')).filter((t) => t !== ''),
    );
    expect(exchanges).toEqual(new Set(['2', '32', '33']));
  });

  it.runIf(runTshark)('decrypts every ESP frame with a good ICV, GRE with key 123 inside', () => {
    const esp = decoded.filter((r) => r['esp.spi'] !== '');
    console.info(`wire-truth: ${esp.length} ESP frames, all decrypted by tshark with the keylog`);
    expect(esp.length).toBeGreaterThan(100);
    for (const r of esp) {
      expect(r['esp.icv_good']).toBe('1');
      expect(r['frame.protocols']).toMatch(/^raw:ip:esp:ip:gre:/);
      expect(r['gre.key']).toBe('0x0000007b');
    }
  });

  it.runIf(runTshark)(
    "prints, for every frame, the field values GETLab's codecs decode (ESP decrypted)",
    async () => {
      const { lab, sas, timing } = get();
      const t0 = performance.now();
      const ours = await Promise.all(lab.kernel.trace.allFrames().map((f) => ownFields(f.bytes, sas)));
      timing.ownDecode = performance.now() - t0;
      expect(differences(decoded, ours)).toEqual([]);
    },
  );

  it.runIf(runTshark)(
    'without the keylog sees only ESP, with the SPI and sequence GETLab wrote',
    async () => {
      const { lab, withoutKeys, pcap, timing } = get();
      const t0 = performance.now();
      const opaque = tsharkRows(withoutKeys, pcap);
      timing.tsharkOpaque = performance.now() - t0;
      const ours = await Promise.all(lab.kernel.trace.allFrames().map((f) => ownFields(f.bytes, new Map())));
      expect(differences(opaque, ours)).toEqual([]);
      const esp = opaque.filter((r) => r['esp.spi'] !== '');
      expect(esp.length).toBe(countLayer(decoded, 'esp'));
      for (const r of esp) expect(r['frame.protocols']).toBe('raw:ip:esp');
    },
  );

  it.runIf(runTshark)('decodes the plaintext copy of every GDOI push (--gdoi-plaintext)', () => {
    const { lab, plaintext, withoutKeys } = get();
    const pushes = lab.routers.flatMap((r) =>
      [...(gdoiOf(r)?.keyServers.values() ?? [])].flatMap((k) => k.sent),
    );
    expect(pushes.length).toBeGreaterThan(0);
    expect(tsharkFields(withoutKeys, plaintext, ['frame.number'], PROBLEMS)).toEqual([]);
    const rows = tsharkFields(withoutKeys, plaintext, [
      'isakmp.exchangetype',
      'isakmp.flags',
      'isakmp.seq.seq',
      'isakmp.sat.spi',
      'isakmp.kd.payload.spi',
      'isakmp.sig',
    ]);
    // The frames are the pushes in time order; a push's SEQ is its sequence number under the KEK.
    const bySent = [...pushes].sort((a, b) => a.time - b.time);
    expect(rows.map((r) => r.slice(0, 3))).toEqual(bySent.map((p) => ['33', '0x00', String(p.seq)]));
    for (const r of rows) {
      expect(r[3], 'TEK SPI in the SA payload').not.toBe('');
      expect(r[4], 'SPIs in the KD payload').not.toBe('');
      expect(r[5], 'signature').not.toBe('');
    }
  });
});
