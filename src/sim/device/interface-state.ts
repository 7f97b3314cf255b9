import type { InterfaceConfig } from '../config/model';

/** IOS interface states as `show ip interface brief` prints them. */
export type InterfaceStatus = 'up' | 'down' | 'administratively down';

export interface InterfaceState {
  readonly status: InterfaceStatus;
  readonly protocol: 'up' | 'down';
  /** Why the line protocol is down, for `show interfaces` and for students. */
  readonly reason?: string;
}

export type InterfaceKind = 'loopback' | 'tunnel' | 'physical';

export function interfaceKind(name: string): InterfaceKind {
  if (name.startsWith('Loopback')) return 'loopback';
  if (name.startsWith('Tunnel')) return 'tunnel';
  return 'physical';
}

export const ADMIN_DOWN: InterfaceState = {
  status: 'administratively down',
  protocol: 'down',
  reason: 'the interface is shut down',
};
export const UP: InterfaceState = { status: 'up', protocol: 'up' };

/** Hardware defaults IOS uses for the metric and `show interfaces`: bandwidth in kbit/s, delay in usec. */
export function defaultBandwidthDelay(cfg: InterfaceConfig): { bandwidth: number; delayUsec: number } {
  const kind = interfaceKind(cfg.name);
  if (kind === 'loopback') return { bandwidth: 8_000_000, delayUsec: 5000 };
  if (kind === 'tunnel') return { bandwidth: 100, delayUsec: 50_000 };
  if (cfg.name.startsWith('Serial')) return { bandwidth: 1544, delayUsec: 20_000 };
  if (cfg.name.startsWith('GigabitEthernet')) return { bandwidth: 1_000_000, delayUsec: 10 };
  if (cfg.name.startsWith('FastEthernet')) return { bandwidth: 100_000, delayUsec: 100 };
  return { bandwidth: 10_000, delayUsec: 1000 };
}

export function effectiveBandwidthDelay(cfg: InterfaceConfig): { bandwidth: number; delayUsec: number } {
  const d = defaultBandwidthDelay(cfg);
  return {
    bandwidth: cfg.bandwidth ?? d.bandwidth,
    delayUsec: cfg.delay !== undefined ? cfg.delay * 10 : d.delayUsec,
  };
}
