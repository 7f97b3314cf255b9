// Records a lab's run through the worker API as a trace recording (src/ui/store/replay-worker.ts) that the page
// can play without a simulator: `npx tsx scripts/record-trace.ts <scenario.json> <seconds> <out.json>`.
// The browser test e2e/replay.spec.ts plays e2e/fixtures/reference-trace.json, made with:
//   npx tsx scripts/record-trace.ts public/scenarios/getvpn-multicast-rekey.json 15 e2e/fixtures/reference-trace.json
import { readFileSync, writeFileSync } from 'node:fs';
import { recordTrace } from '../src/ui/store/record-trace.test-support';
import { createSimApi } from '../src/worker/api';

const [scenarioPath, seconds, out] = process.argv.slice(2);
if (!scenarioPath || !seconds || !out) {
  console.error('usage: record-trace <scenario.json> <seconds> <out.json>');
  process.exit(2);
}
const recording = await recordTrace(
  createSimApi(),
  readFileSync(scenarioPath, 'utf8'),
  Number(seconds) * 1_000_000,
  [
    ['GM-2', 'show ip pim rp mapping'],
    ['KS', 'show crypto gdoi ks members'],
  ],
);
writeFileSync(out, `${JSON.stringify(recording)}\n`);
const records = recording.events.reduce((n, e) => n + e.records.length, 0);
console.log(`${out}: ${recording.events.length} events, ${records} records`);
