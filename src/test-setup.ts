// Vitest setup for every unit test. The kernel's watchdog abandons an event whose handler throws and logs it, so
// the lab goes on (issue 13); in a test that would turn a protocol bug into a quiet log line. Here any handler
// exception fails the test that caused it, unless the test says it expects one (`expectWatchdogExceptions`).
import { afterEach, beforeEach, expect } from 'vitest';
import { Watchdog } from './sim/kernel/watchdog';

const caught: string[] = [];
let expected = false;

const report = Watchdog.prototype.report;
Watchdog.prototype.report = function (this: Watchdog, ...args: Parameters<Watchdog['report']>): void {
  const [owner, problem, detail] = args;
  if (problem === 'exception') caught.push(`${owner ?? 'lab'}: ${detail}`);
  report.apply(this, args);
};

/** For tests that make handlers throw on purpose (the watchdog's own tests). */
export function expectWatchdogExceptions(): void {
  expected = true;
}

beforeEach(() => {
  caught.length = 0;
  expected = false;
});

afterEach(() => {
  if (!expected) expect(caught, 'event handlers threw (the kernel watchdog caught them)').toEqual([]);
});
