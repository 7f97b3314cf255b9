import { renderRunningConfig } from '../../config/render';
import type { Router } from '../../device/router';

/** `show running-config`: IOS's header lines, then the rendered model. */
export function showRunningConfig(router: Router, _epochMs: number): string {
  const body = renderRunningConfig(router.config);
  return ['Building configuration...', '', `Current configuration : ${body.length} bytes`, body].join('\n');
}
