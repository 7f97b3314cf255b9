import { LOG_BUFFER_BYTES } from '../../device/logging-buffer';
import type { Router } from '../../device/router';
import { iosTimestamp } from '../ios-time';

/**
 * `show logging` in IOS 15's layout (Cisco IOS Configuration Fundamentals / Network Management Command
 * Reference, "show logging", sample output: "Syslog logging: enabled (… messages dropped …)", the console,
 * monitor and buffer lines with their levels and counts, "Trap logging: level informational, … message
 * lines logged", then "Log Buffer (8192 bytes):" and the buffered lines). Defaults as IOS has them: console
 * and buffer at level debugging, so debug lines are buffered too; the buffer keeps the newest 8192 bytes.
 */
export function showLogging(router: Router, epochMs: number): string {
  const buffer = router.loggingBuffer;
  const n = buffer.logged;
  const lines = [
    'Syslog logging: enabled (0 messages dropped, 0 messages rate-limited, 0 flushes, 0 overruns, xml disabled, filtering disabled)',
    '',
    'No Active Message Discriminator.',
    '',
    '',
    '',
    'No Inactive Message Discriminator.',
    '',
    '',
    `    Console logging: level debugging, ${n} messages logged, xml disabled,`,
    '                     filtering disabled',
    '    Monitor logging: level debugging, 0 messages logged, xml disabled,',
    '                     filtering disabled',
    `    Buffer logging:  level debugging, ${n} messages logged, xml disabled,`,
    '                    filtering disabled',
    '    Exception Logging: size (4096 bytes)',
    '    Count and timestamp logging messages: disabled',
    '    Persistent logging: disabled',
    '',
    'No active filter modules.',
    '',
    `    Trap logging: level informational, ${buffer.loggedSyslog} message lines logged`,
    '        Logging Source-Interface:       VRF Name:',
    '',
    `Log Buffer (${LOG_BUFFER_BYTES} bytes):`,
    '',
  ];
  for (const l of buffer.contents()) lines.push(`${iosTimestamp(epochMs, l.t)}: ${l.text}`);
  return lines.join('\n');
}
