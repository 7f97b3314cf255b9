import type { Router } from '../device/router';
import { EigrpService } from './eigrp/eigrp-service';
import { IcmpService } from './icmp/icmp-service';

/** Services every router runs, by protocol. Each later protocol adds itself here. */
export interface RouterServices {
  readonly icmp: IcmpService;
  readonly eigrp: EigrpService;
}

const services = new WeakMap<Router, RouterServices>();

/** Attaches every protocol module to a freshly built router. */
export function attachProtocols(router: Router): RouterServices {
  const s: RouterServices = { icmp: new IcmpService(router), eigrp: new EigrpService(router) };
  services.set(router, s);
  return s;
}

export function servicesOf(router: Router): RouterServices {
  const s = services.get(router);
  if (!s) throw new Error(`protocols not attached to ${router.name}`);
  return s;
}
