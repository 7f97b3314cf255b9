// Tests: typed access to every built-in service at once (issue 16). Product code uses the per-protocol
// accessors (`gdoiOf(router)`), which return undefined where the config does not run the protocol; this
// facade throws there, which fails the test that asked.
import type { Router } from '../device/router';
import type { EigrpService } from './eigrp/eigrp-service';
import type { EspService } from './esp/esp-service';
import type { GdoiService } from './gdoi/gdoi-service';
import type { IcmpService } from './icmp/icmp-service';
import type { IgmpService } from './igmp/igmp-service';
import type { IkeService } from './ike/ike-service';
import type { NhrpService } from './nhrp/nhrp-service';
import type { PimService } from './pim/pim-service';
import { serviceOf } from './services';
import type { GreTunnels } from './tunnel/gre-tunnel';

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

function must<S extends object>(router: Router, id: string): S {
  const s = serviceOf<S>(router, id);
  if (!s) throw new Error(`${id} is not attached to ${router.name}`);
  return s;
}

export function servicesOf(router: Router): RouterServices {
  return {
    get icmp() {
      return must<IcmpService>(router, 'icmp');
    },
    get eigrp() {
      return must<EigrpService>(router, 'eigrp');
    },
    get esp() {
      return must<EspService>(router, 'esp');
    },
    get tunnels() {
      return must<GreTunnels>(router, 'tunnel');
    },
    get nhrp() {
      return must<NhrpService>(router, 'nhrp');
    },
    get ike() {
      return must<IkeService>(router, 'ike');
    },
    get gdoi() {
      return must<GdoiService>(router, 'gdoi');
    },
    get igmp() {
      return must<IgmpService>(router, 'igmp');
    },
    get pim() {
      return must<PimService>(router, 'pim');
    },
  };
}
