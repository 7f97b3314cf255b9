import { it } from 'vitest';
import { seconds } from '../../kernel/time';
import { decodeEigrp } from '../../net/eigrp';
import { decodeIpv4 } from '../../net/ipv4';
import { formatIpv4 } from '../../net/ipv4-address';
import { formatPrefix, makePrefix } from '../../net/prefix';
import { buildLab, router } from './test-lab';
import { CliSession } from '../../cli/cli-session';
import { readFileSync } from 'node:fs';

it('scratch', async () => {
  const src = readFileSync('src/sim/protocols/eigrp/eigrp-process.test.ts', 'utf8');
  void src;
  const { triangleForScratch } = await import('./scratch-lab');
  const lab = triangleForScratch(buildLab);
  await lab.kernel.runUntil(seconds(20));
  const from = lab.kernel.trace.allFrames().length;
  const s = new CliSession(router(lab, 'R1'), { epochMs: lab.epochMs });
  for (const l of ['configure terminal', 'interface FastEthernet0/0', 'shutdown', 'end']) await s.execute(l);
  await lab.kernel.runUntil(lab.kernel.now + seconds(2));
  for (const f of lab.kernel.trace.allFrames().slice(from)) {
    const d = decodeIpv4(f.bytes);
    if (d.header.protocol !== 88) continue;
    const p = decodeEigrp(d.payload);
    if (p.opcode === 5 && p.tlvs.length > 0) continue;
    console.log(f.t, f.from, '->', formatIpv4(d.header.destination), p.opcode, p.sequence, p.ack, p.tlvs.map((t) => t.kind === 'ipv4-internal' ? `${formatPrefix(makePrefix(t.destination, t.prefixLength))}:${t.metric.delay === 0xffffffff ? 'INF' : t.metric.delay}` : t.kind).join(' '));
  }
});
