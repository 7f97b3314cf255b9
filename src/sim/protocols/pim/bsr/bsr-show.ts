/**
 * `show ip pim bsr-router`, laid out as IOS prints it (NetworkLessons, "Multicast PIM Bootstrap (BSR)", and
 * published IOS 15 lab output):
 *
 *   PIMv2 Bootstrap information
 *   This system is the Bootstrap Router (BSR)        (elected; else the learned BSR with `Expires:`)
 *     BSR address: 2.2.2.2 (?)
 *     Uptime:      00:02:09, BSR Priority: 0, Hash mask length: 0
 *     Next bootstrap message in 00:00:51
 *   This system is a candidate BSR                   (a C-BSR that is not elected)
 *     Candidate BSR address: 3.3.3.3, priority: 20, hash mask length: 0
 *     Candidate RP: 1.1.1.1(Loopback0)
 *       Holdtime 150 seconds
 *       Advertisement interval 60 seconds
 *       Next advertisement in 00:00:48
 *       Candidate RP priority : 10                   (only when not 0)
 */
import { iosDuration } from '../../../cli/ios-time';
import type { SimTime } from '../../../kernel/time';
import { formatIpv4, type Ipv4, maskFromLength } from '../../../net/ipv4-address';
import { candidateRpHoldtime } from './bsr-config';
import { rpHashValue } from './rp-hash';
import type { BsrService } from './bsr-service';

function left(now: SimTime, at: SimTime | undefined): string {
  return iosDuration(at === undefined ? 0 : Math.max(0, at - now));
}

function bsrLines(b: BsrService, now: SimTime): string[] {
  const bsr = b.bsr;
  if (!bsr) return [];
  const lines = b.isElected ? ['This system is the Bootstrap Router (BSR)'] : [];
  lines.push(
    `  BSR address: ${formatIpv4(bsr.address)} (?)`,
    `  Uptime:      ${iosDuration(now - bsr.since)}, BSR Priority: ${bsr.priority}, Hash mask length: ${bsr.hashMaskLength}`,
    b.isElected
      ? `  Next bootstrap message in ${left(now, b.bootstrapDue)}`
      : `  Expires:     ${left(now, b.bootstrapDue)}`,
  );
  return lines;
}

function candidateBsrLines(b: BsrService): string[] {
  const cfg = b.config.candidateBsr;
  const address = b.candidateBsrAddress();
  if (!cfg || address === undefined || b.isElected) return [];
  return [
    'This system is a candidate BSR',
    `  Candidate BSR address: ${formatIpv4(address)}, priority: ${cfg.priority}, hash mask length: ${cfg.hashMaskLength}`,
  ];
}

function candidateRpLines(b: BsrService, now: SimTime): string[] {
  const cfg = b.config.candidateRp;
  const address = b.candidateRpAddress();
  if (!cfg || address === undefined) return [];
  const lines = [
    `  Candidate RP: ${formatIpv4(address)}(${cfg.interface})`,
    `    Holdtime ${candidateRpHoldtime(cfg.interval)} seconds`,
    `    Advertisement interval ${cfg.interval} seconds`,
    `    Next advertisement in ${left(now, b.advertisementDue)}`,
  ];
  if (cfg.priority !== 0) lines.push(`    Candidate RP priority : ${cfg.priority}`);
  return lines;
}

export function showIpPimBsrRouter(b: BsrService): string {
  const now = b.router.kernel.now;
  return [
    'PIMv2 Bootstrap information',
    ...bsrLines(b, now),
    ...candidateBsrLines(b),
    ...candidateRpLines(b, now),
  ].join('\n');
}

/**
 * `show ip pim rp-hash <group>`: the chosen RP's mapping, then every RP-set entry covering the group with its
 * hash value (NetworkLessons, "Multicast PIM Bootstrap (BSR)": `PIMv2 Hash Value (mask 0.0.0.0)` /
 * `RP 4.4.4.4, via bootstrap, priority 0, hash value 1642267698`).
 */
export function showIpPimRpHash(b: BsrService, group: Ipv4): string {
  const { chosen, hashMaskLength, candidates } = b.rpHash(group);
  if (!chosen) return '';
  const now = b.router.kernel.now;
  return [
    `  RP ${formatIpv4(chosen.rp)} (?), v2`,
    `    Info source: ${formatIpv4(chosen.infoSource ?? chosen.rp)} (?), via bootstrap, priority ${chosen.priority ?? 0}, holdtime ${chosen.holdtime ?? 0}`,
    `         Uptime: ${iosDuration(now - chosen.since)}, expires: ${left(now, chosen.expires)}`,
    `  PIMv2 Hash Value (mask ${formatIpv4(maskFromLength(hashMaskLength))})`,
    ...candidates
      .sort((x, y) => y.rp - x.rp)
      .map(
        (m) =>
          `    RP ${formatIpv4(m.rp)}, via bootstrap, priority ${m.priority ?? 0}, hash value ${rpHashValue(group, hashMaskLength, m.rp)}`,
      ),
  ].join('\n');
}
