import type { InterfaceConfig } from '../../config/model';
import { effectiveBandwidthDelay } from '../../device/interface-state';
import type { EigrpMetric } from '../../net/eigrp';

/**
 * The classic EIGRP metric (RFC 7868 §5.6.1). Vectors are kept in the wire's scaled units (codec `EigrpMetric`):
 * delay = 256 × Σ delay in tens of µs, bandwidth = 256 × 10^7 / minimum bandwidth in kbit/s. Keeping the wire
 * units avoids rounding on every hop; the composite is computed from them the way IOS does.
 */

/** A composite metric at or above this is unreachable (RFC 7868 §5.6.1: all ones). */
export const INFINITE_DISTANCE = 0xffffffff;
/** Delay field value that marks a route unreachable (RFC 7868 §6.9.1). */
export const UNREACHABLE_DELAY = 0xffffffff;

/** Default IOS MTU for the vector when the interface has no `ip mtu` (tunnels: 1476 on 12.4/15 GRE). */
const DEFAULT_MTU = 1500;
const TUNNEL_MTU = 1476;

/** IOS default K values: K1 = K3 = 1, the others 0. */
export const DEFAULT_K = { k1: 1, k2: 0, k3: 1, k4: 0, k5: 0, k6: 0 } as const;

export function scaledBandwidth(kbps: number): number {
  return Math.floor((256 * 10_000_000) / Math.max(1, kbps));
}

export function scaledDelay(usec: number): number {
  return Math.floor(usec / 10) * 256;
}

/** The vector an interface contributes: its bandwidth and delay (`bandwidth`/`delay` commands or hardware defaults). */
export function interfaceMetric(cfg: InterfaceConfig): EigrpMetric {
  const { bandwidth, delayUsec } = effectiveBandwidthDelay(cfg);
  const mtu = cfg.ipMtu ?? (cfg.name.startsWith('Tunnel') ? TUNNEL_MTU : DEFAULT_MTU);
  return {
    delay: scaledDelay(delayUsec),
    bandwidth: scaledBandwidth(bandwidth),
    mtu,
    hopCount: 0,
    reliability: 255,
    load: 1,
    tag: 0,
    flags: 0,
  };
}

export function isUnreachable(m: EigrpMetric): boolean {
  return m.delay === UNREACHABLE_DELAY;
}

/** The vector a route has once it is learned over an interface: delays add, bandwidth is the minimum (RFC 7868 §5.6.1). */
export function addInterface(reported: EigrpMetric, iface: EigrpMetric): EigrpMetric {
  if (isUnreachable(reported)) return { ...reported };
  return {
    delay: Math.min(UNREACHABLE_DELAY, reported.delay + iface.delay),
    bandwidth: Math.max(reported.bandwidth, iface.bandwidth),
    mtu: Math.min(reported.mtu, iface.mtu),
    hopCount: Math.min(255, reported.hopCount + 1),
    reliability: Math.min(reported.reliability, iface.reliability),
    load: Math.max(reported.load, iface.load),
    tag: reported.tag,
    flags: reported.flags,
  };
}

/**
 * Composite metric with K1 = K3 = 1: 256 × (10^7 / BWmin + Σdelay / 10). IOS truncates 10^7 / BW before scaling,
 * which floor(scaledBW / 256) reproduces exactly (Serial T1: 256 × (6476 + 2000) = 2169856).
 */
export function compositeMetric(m: EigrpMetric): number {
  if (isUnreachable(m)) return INFINITE_DISTANCE;
  const value = 256 * Math.floor(m.bandwidth / 256) + m.delay;
  return Math.min(INFINITE_DISTANCE, value);
}

/** The vector advertised for an unreachable destination (a poisoned route, a withdrawal, an infinite reply). */
export function unreachableMetric(from?: EigrpMetric): EigrpMetric {
  return {
    delay: UNREACHABLE_DELAY,
    bandwidth: from?.bandwidth ?? 0,
    mtu: from?.mtu ?? DEFAULT_MTU,
    hopCount: from?.hopCount ?? 0,
    reliability: from?.reliability ?? 255,
    load: from?.load ?? 1,
    tag: 0,
    flags: 0,
  };
}

export function sameMetric(a: EigrpMetric, b: EigrpMetric): boolean {
  return (
    a.delay === b.delay &&
    a.bandwidth === b.bandwidth &&
    a.mtu === b.mtu &&
    a.hopCount === b.hopCount &&
    a.reliability === b.reliability &&
    a.load === b.load
  );
}
