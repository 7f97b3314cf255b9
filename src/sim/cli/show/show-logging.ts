import { LOG_BUFFER_BYTES } from '../../device/logging-buffer';
import type { Router } from '../../device/router';
import { iosTimestamp } from '../ios-time';

/**
 * `show logging` in IOS 15's layout, line for line as genieparser's golden IOS output prints it with console
 * logging on (CiscoTestAutomation/genieparser, src/genie/libs/parser/ios/tests/ShowLogging/cli/equal/
 * golden_output_5_output.txt): "Syslog logging: enabled (… messages dropped …)", the two Message
 * Discriminator lines and their blank lines, the console, monitor and buffer lines with their levels and
 * counts, "Exception Logging: size (4096 bytes)", "Trap logging: level informational, … message lines
 * logged", "Logging Source-Interface:       VRF Name:", then "Log Buffer (N bytes):", a blank line and the
 * buffered lines (golden_output_6_output.txt prints "Log Buffer (8192 bytes):"). Defaults as IOS has them:
 * console and buffer at level debugging, so debug lines are buffered too; the buffer keeps the newest 8192
 * bytes.
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
