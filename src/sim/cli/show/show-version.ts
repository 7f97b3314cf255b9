import { interfaceKind } from '../../device/interface-state';
import type { Router } from '../../device/router';

/**
 * `show version` of the platform the lab's interface names imply: a Cisco 7206VXR (NPE400) with the
 * C7200-IO-FE I/O controller (FastEthernet0/0) and serial port adapters (Serial1/0, Serial2/0), running
 * IOS 15.2(4)M11, the last 7200 release. Sources, line by line:
 * - a captured 7206VXR (NPE400) `show version` under the 7200 emulator (pop3165/apic, netsim/c/c0/
 *   show_version.sh, IOS 12.4(7h)): the banner lines, `ROM: ROMMON Emulation Microcode`, `BOOTLDR: 7200
 *   Software (…)`, `System returned to ROM by unknown reload cause - suspect boot_data[BOOT_COUNT] 0x0,
 *   BOOT_COUNT 0, BOOTDATA 19`, `System image file is "tftp://255.255.255.255/unknown"`, the crypto notice,
 *   the processor, `R7000 CPU at 150MHz, Implementation 39, Rev 2.1, 256KB L2 Cache` and `6 slot VXR
 *   midplane, Version 2.1` lines, `Last reset from power-on`, `N FastEthernet interfaces`, `125K bytes of
 *   NVRAM.`, `65536K bytes of ATA PCMCIA card at slot 0 (Sector size 512 bytes).`, `8192K bytes of Flash
 *   internal SIMM (Sector size 256K).` and `Configuration register is 0x2102`;
 * - a RANCID capture of a 7206VXR NPE400 on 15.2(4)S7 (`!Memory: main 491520K/32768K`, `!Processor ID:
 *   4279256517`, `!Memory: nvram 125K`): the memory sizes and board ID;
 * - genieparser's IOS 15 golden output (CiscoTestAutomation/genieparser, src/genie/libs/parser/ios/tests/
 *   ShowVersion/cli/equal/golden_output_iosv_output.txt): `Last reload reason: Unknown reason` after the image.
 * [M] The 15.2(4)M11 `Compiled …` line and `(fc2)`; the PCI bus bandwidth-point lines the capture prints
 * after `Last reset from power-on` are left out (they depend on the port adapters fitted).
 */
export const IOS_VERSION = '15.2(4)M11';
const IMAGE = 'C7200-ADVENTERPRISEK9-M';

export function showVersion(router: Router): string {
  return [
    `Cisco IOS Software, 7200 Software (${IMAGE}), Version ${IOS_VERSION}, RELEASE SOFTWARE (fc2)`,
    'Technical Support: http://www.cisco.com/techsupport',
    'Copyright (c) 1986-2016 by Cisco Systems, Inc.',
    'Compiled Fri 16-Sep-16 06:49 by prod_rel_team',
    '',
    'ROM: ROMMON Emulation Microcode',
    `BOOTLDR: 7200 Software (${IMAGE}), Version ${IOS_VERSION}, RELEASE SOFTWARE (fc2)`,
    '',
    `${router.hostname} uptime is ${iosUptime(router.kernel.now)}`,
    'System returned to ROM by unknown reload cause - suspect boot_data[BOOT_COUNT] 0x0, BOOT_COUNT 0, BOOTDATA 19',
    'System image file is "tftp://255.255.255.255/unknown"',
    'Last reload reason: Unknown reason',
    '',
    ...CRYPTO_NOTICE,
    '',
    'Cisco 7206VXR (NPE400) processor (revision A) with 491520K/32768K bytes of memory.',
    'Processor board ID 4279256517',
    'R7000 CPU at 150MHz, Implementation 39, Rev 2.1, 256KB L2 Cache',
    '6 slot VXR midplane, Version 2.1',
    '',
    'Last reset from power-on',
    '',
    ...interfaceCounts(router),
    '125K bytes of NVRAM.',
    '',
    '65536K bytes of ATA PCMCIA card at slot 0 (Sector size 512 bytes).',
    '8192K bytes of Flash internal SIMM (Sector size 256K).',
    'Configuration register is 0x2102',
  ].join('\n');
}

const CRYPTO_NOTICE = [
  'This product contains cryptographic features and is subject to United',
  'States and local country laws governing import, export, transfer and',
  'use. Delivery of Cisco cryptographic products does not imply',
  'third-party authority to import, export, distribute or use encryption.',
  'Importers, exporters, distributors and users are responsible for',
  'compliance with U.S. and local country laws. By using this product you',
  'agree to comply with applicable laws and regulations. If you are unable',
  'to comply with U.S. and local laws, return this product immediately.',
  '',
  'A summary of U.S. laws governing Cisco cryptographic products may be found at:',
  'http://www.cisco.com/wwl/export/crypto/tool/stqrg.html',
  '',
  'If you require further assistance please contact us by sending email to',
  'export@cisco.com.',
];

/** `1 FastEthernet interface`, `2 Serial interfaces`: the router's physical interfaces by type. */
function interfaceCounts(router: Router): string[] {
  const byType = new Map<string, number>();
  for (const i of router.config.interfaces) {
    if (interfaceKind(i.name) !== 'physical') continue;
    const type = /^[A-Za-z-]+/.exec(i.name)![0];
    byType.set(type, (byType.get(type) ?? 0) + 1);
  }
  const order = ['Ethernet', 'FastEthernet', 'GigabitEthernet', 'Serial'];
  return [...byType]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
    .map(([type, n]) => `${n} ${type} interface${n === 1 ? '' : 's'}`);
}

/** IOS uptime: "1 week, 2 days, 3 hours, 4 minutes", largest units first, "0 minutes" at boot. */
export function iosUptime(us: number): string {
  let minutes = Math.floor(us / 60_000_000);
  const parts: string[] = [];
  const units: [string, number][] = [
    ['year', 525_600],
    ['week', 10_080],
    ['day', 1_440],
    ['hour', 60],
  ];
  for (const [name, size] of units) {
    const n = Math.floor(minutes / size);
    minutes -= n * size;
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  }
  parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  return parts.join(', ');
}
