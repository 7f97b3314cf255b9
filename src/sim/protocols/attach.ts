import type { Router } from '../device/router';
import { EigrpService } from './eigrp/eigrp-service';
import { EspService } from './esp/esp-service';
import { IcmpService } from './icmp/icmp-service';
import { IgmpService } from './igmp/igmp-service';
import { GdoiService } from './gdoi/gdoi-service';
import { IkeService } from './ike/ike-service';
import { NhrpService } from './nhrp/nhrp-service';
import { PimService } from './pim/pim-service';
import { GreTunnels } from './tunnel/gre-tunnel';

/** Services every router runs, by protocol. Each later protocol adds itself here. */
export interface RouterServices {
  readonly icmp: IcmpService;
  readonly eigrp: EigrpService;
  readonly esp: EspService;
  readonly tunnels: GreTunnels;
  readonly nhrp: NhrpService;
  readonly ike: IkeService;
  readonly gdoi: GdoiService;
  readonly igmp: IgmpService;
  readonly pim: PimService;
}

const services = new WeakMap<Router, RouterServices>();

/** Attaches every protocol module to a freshly built router. */
export function attachProtocols(router: Router): RouterServices {
  // Construction order is reconcile order: the tunnel layer (GRE, NHRP) reads its config before any
  // protocol that sends through it.
  const tunnels = new GreTunnels(router);
  const nhrp = new NhrpService(router, tunnels);
  const igmp = new IgmpService(router);
  const esp = new EspService(router);
  const ike = new IkeService(router);
  const s: RouterServices = {
    icmp: new IcmpService(router),
    tunnels,
    nhrp,
    eigrp: new EigrpService(router),
    esp,
    ike,
    gdoi: new GdoiService(router, ike, esp),
    igmp,
    pim: new PimService(router, igmp),
  };
  services.set(router, s);
  return s;
}

export function servicesOf(router: Router): RouterServices {
  const s = services.get(router);
  if (!s) throw new Error(`protocols not attached to ${router.name}`);
  return s;
}
