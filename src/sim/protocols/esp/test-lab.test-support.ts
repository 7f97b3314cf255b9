/**
 * Test helpers for the ESP module: a small GET VPN lab (GM1 — SP — GM2, crypto map GETVPN on each member's
 * WAN interface, SP without crypto) and group policies built by hand, standing in for what GDOI downloads.
 * The members have no `server address`, so GDOI stays idle and only the policies installed here apply.
 */
import type { ExtendedAce } from '../../config/model';
import { Prng } from '../../kernel/prng';
import { seconds } from '../../kernel/time';
import type { Lab } from '../../scenario/lab';
import { loadTestLab, router } from '../../scenario/test-lab.test-support';
import type { EspTransform, GroupPolicy, GroupTek, ReplayPolicy } from './group-policy';
import { transformKeyLengths } from './transform';

function member(name: string, lo: string, wan: string, gw: string): string {
  return [
    `hostname ${name}`,
    'interface Loopback0',
    ` ip address ${lo} 255.255.255.255`,
    'interface Serial1/0',
    ` ip address ${wan} 255.255.255.0`,
    ' crypto map GETVPN',
    'crypto gdoi group GDOI_GM',
    ' identity number 123',
    'crypto map GETVPN local-address Loopback0',
    'crypto map GETVPN 10 gdoi',
    ' set group GDOI_GM',
    `ip route 0.0.0.0 0.0.0.0 ${gw}`,
    'end',
  ].join('\n');
}

const SP = [
  'hostname SP',
  'interface Serial1/0',
  ' ip address 10.0.1.2 255.255.255.0',
  'interface Serial1/1',
  ' ip address 10.0.2.2 255.255.255.0',
  'ip route 1.1.1.1 255.255.255.255 10.0.1.1',
  'ip route 2.2.2.2 255.255.255.255 10.0.2.1',
  'end',
].join('\n');

/** GM1 (Lo0 1.1.1.1, Se1/0 10.0.1.1) — SP — GM2 (Lo0 2.2.2.2, Se1/0 10.0.2.1), 1 ms links. */
export function getVpnLab(seed = 1): Lab {
  const scenario = {
    format: 'getlab-scenario/1',
    title: 'esp test',
    description: '',
    seed,
    devices: [
      { name: 'GM1', role: 'router', config: member('GM1', '1.1.1.1', '10.0.1.1', '10.0.1.2') },
      { name: 'SP', role: 'provider', config: SP },
      { name: 'GM2', role: 'router', config: member('GM2', '2.2.2.2', '10.0.2.1', '10.0.2.2') },
    ],
    links: [
      { a: 'GM1 Serial1/0', b: 'SP Serial1/0', delayMs: 1 },
      { a: 'SP Serial1/1', b: 'GM2 Serial1/0', delayMs: 1 },
    ],
  };
  return loadTestLab(scenario);
}

export { router as routerOf };

const ANY = { address: 0, wildcard: 0xffffffff };

/** `permit <protocol> any any` */
export function permitAny(protocol: string): ExtendedAce {
  return { kind: 'extended', action: 'permit', protocol, source: ANY, destination: ANY };
}

/** A TEK with fresh keys of the right lengths for the transform. */
export function makeTek(
  spi: number,
  transform: EspTransform,
  opts: { seed?: number; lifetime?: number; replay?: ReplayPolicy; installedAt?: number } = {},
): GroupTek {
  const prng = new Prng(opts.seed ?? spi);
  const lengths = transformKeyLengths(transform);
  const installedAt = opts.installedAt ?? 0;
  return {
    spi,
    transform,
    encryptionKey: prng.bytes(lengths.encryption),
    integrityKey: prng.bytes(lengths.integrity),
    installedAt,
    expiresAt: installedAt + seconds(opts.lifetime ?? 3600),
    replay: opts.replay,
  };
}

export const ESP_3DES_MD5: EspTransform = { encryption: 'esp-3des', keyBits: 192, integrity: 'esp-md5-hmac' };

export function policy(acl: ExtendedAce[], teks: GroupTek[], group = 'GDOI_GM'): GroupPolicy {
  return { group, acl, teks };
}
