import type { SimTime } from '../kernel/time';

export interface LinkEnd {
  readonly device: string;
  readonly iface: string;
}

/** A point-to-point link between two interfaces (serial line, or an Ethernet cable between two ports). */
export interface Link {
  readonly id: string;
  readonly a: LinkEnd;
  readonly b: LinkEnd;
  readonly delay: SimTime;
  /** Fraction of frames lost in each direction (0 by default), drawn from the seeded PRNG. */
  loss: number;
}

export function linkId(a: LinkEnd, b: LinkEnd): string {
  return `${a.device} ${a.iface}--${b.device} ${b.iface}`;
}

export function otherEnd(link: Link, device: string, iface: string): LinkEnd {
  return link.a.device === device && link.a.iface === iface ? link.b : link.a;
}
