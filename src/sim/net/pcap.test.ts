import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from './bytes';
import { encodeIcmp, icmpOriginal } from './icmp';
import { encodeIpv4, IP_PROTO, ipv4Header } from './ipv4';
import { ip } from './codec-fixtures.test-support';
import { LINKTYPE_RAW, PCAP_MAX_SECONDS, writePcap } from './pcap';
import { encodeUdp } from './udp';

describe('writePcap', () => {
  const frame = fromHex('4500 001c 0000 0000 ff01 0000 0b0b0b0b 01010101 0800 f7ff 0000 0000');

  it('writes the libpcap global header and record header byte for byte', () => {
    const pcap = writePcap([{ timeUs: 1_500_002, bytes: frame }], 1_700_000_000);
    // magic (LE, microseconds) | v2.4 | thiszone 0 | sigfigs 0 | snaplen 65535 | linktype 101 (RAW)
    expect(toHex(pcap.subarray(0, 24), ' ')).toBe(
      'd4 c3 b2 a1 02 00 04 00 00 00 00 00 00 00 00 00 ff ff 00 00 65 00 00 00',
    );
    // ts_sec = 1700000001 (0x6553f101) | ts_usec = 500002 (0x0007a122) | incl_len 28 | orig_len 28
    expect(toHex(pcap.subarray(24, 40), ' ')).toBe('01 f1 53 65 22 a1 07 00 1c 00 00 00 1c 00 00 00');
    expect(pcap.subarray(40)).toEqual(frame);
    expect(pcap.length).toBe(24 + 16 + 28);
  });

  it('lays records back to back and truncates to the snap length', () => {
    const pcap = writePcap(
      [
        { timeUs: 0, bytes: frame },
        { timeUs: 2_000_000, bytes: frame },
      ],
      10,
      { snapLength: 20, linkType: 228 },
    );
    expect(toHex(pcap.subarray(16, 24))).toBe('14000000e4000000');
    const second = 24 + 16 + 20;
    expect(toHex(pcap.subarray(second, second + 16))).toBe('0c00000000000000140000001c000000');
    expect(pcap.length).toBe(second + 16 + 20);
    expect(LINKTYPE_RAW).toBe(101);
  });

  it('rejects a negative or fractional time', () => {
    expect(() => writePcap([{ timeUs: -1, bytes: frame }], 0)).toThrow(RangeError);
    expect(() => writePcap([{ timeUs: 0.5, bytes: frame }], 0)).toThrow(RangeError);
  });

  // Issue 13 item 9: ts_sec is an unsigned 32-bit count of seconds since 1970 (libpcap File Format); DataView
  // wrapped larger values into a wrong date (2^32 + 5 s was written as 5 s: 1 January 1970).
  it('writes the last second the format holds and refuses a later one instead of wrapping', () => {
    const last = writePcap([{ timeUs: 1_000_000, bytes: frame }], PCAP_MAX_SECONDS - 1);
    expect(toHex(last.subarray(24, 28))).toBe('ffffffff');
    expect(() => writePcap([{ timeUs: 6_000_000, bytes: frame }], PCAP_MAX_SECONDS)).toThrow(
      /pcap timestamp out of range: 4294967301 s since 1970/,
    );
    expect(() => writePcap([{ timeUs: 0, bytes: frame }], -1)).toThrow(/out of range/);
  });
});

// --- tshark as an oracle -------------------------------------------------------------------------------------
// Test-only Node APIs. The specifier is a variable on purpose: tsconfig.worker.json (which also covers tests)
// has `types: []`, and the sim lint rule bans static `node:*` imports; src files never do this.
interface NodeFs {
  existsSync(path: string): boolean;
  mkdtempSync(prefix: string): string;
  writeFileSync(path: string, data: Uint8Array): void;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
}
interface NodeChildProcess {
  execFileSync(file: string, args: readonly string[], options: { encoding: 'utf8' }): string;
}
const nodeModule = (name: string): Promise<unknown> => import(/* @vite-ignore */ name);
const fs = (await nodeModule('node:fs')) as NodeFs;
const os = (await nodeModule('node:os')) as { tmpdir(): string };
const childProcess = (await nodeModule('node:child_process')) as NodeChildProcess;
const env = ((await nodeModule('node:process')) as { env: Record<string, string | undefined> }).env;

const TSHARK = '/usr/bin/tshark';
const hasTshark = fs.existsSync(TSHARK);
const runTshark = hasTshark || env.GETLAB_REQUIRE_TSHARK === '1';
if (!runTshark) console.warn(`pcap.test.ts: ${TSHARK} not found, the tshark oracle test does not run`);

function samplePackets(): Uint8Array[] {
  const echo = encodeIpv4({
    header: ipv4Header({ protocol: IP_PROTO.ICMP, source: ip('11.11.11.11'), destination: ip('1.1.1.1') }),
    payload: encodeIcmp({
      kind: 'echo-request',
      identifier: 1,
      sequence: 0,
      data: fromHex('abcdabcdabcdabcd'),
    }),
  });
  const udpHeader = ipv4Header({
    protocol: IP_PROTO.UDP,
    source: ip('10.1.1.1'),
    destination: ip('10.1.1.2'),
    options: [{ kind: 'router-alert', value: 0 }],
  });
  const udp = encodeIpv4({
    header: udpHeader,
    payload: encodeUdp(
      { sourcePort: 5000, destinationPort: 33434, payload: fromHex('68656c6c6f') },
      ip('10.1.1.1'),
      ip('10.1.1.2'),
    ),
  });
  const timeExceeded = encodeIpv4({
    header: ipv4Header({ protocol: IP_PROTO.ICMP, source: ip('10.1.1.3'), destination: ip('10.1.1.1') }),
    payload: encodeIcmp({ kind: 'time-exceeded', code: 0, original: icmpOriginal(udp) }),
  });
  return [echo, udp, timeExceeded];
}

describe('pcap decoded by tshark', () => {
  it.runIf(runTshark)('decodes every field with no malformed or checksum expert info', () => {
    const dir = fs.mkdtempSync(`${os.tmpdir()}/getlab-pcap-`);
    try {
      const file = `${dir}/sample.pcap`;
      const frames = samplePackets().map((bytes, i) => ({ timeUs: i * 1000, bytes }));
      fs.writeFileSync(file, writePcap(frames, 1_700_000_000));
      const fields = ['ip.src', 'ip.dst', 'icmp.type', 'udp.dstport', 'ip.opt.ra', '_ws.expert'];
      const args = [
        '-r',
        file,
        '-o',
        'ip.check_checksum:TRUE',
        '-o',
        'udp.check_checksum:TRUE',
        '-T',
        'fields',
      ];
      const output = childProcess.execFileSync(TSHARK, [...args, ...fields.flatMap((f) => ['-e', f])], {
        encoding: 'utf8',
      });
      const rows = output
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => line.split('\t'));
      expect(rows).toEqual([
        ['11.11.11.11', '1.1.1.1', '8', '', '', ''],
        ['10.1.1.1', '10.1.1.2', '', '33434', '0', ''],
        // The time-exceeded quotes the UDP datagram: tshark lists outer then quoted values.
        ['10.1.1.3,10.1.1.1', '10.1.1.1,10.1.1.2', '11', '33434', '0', ''],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
