/** GDOI's part of the typed config (`RouterConfig.crypto`: groups, key server, its SAs, the RSA key store). */
import type { Ipv4 } from '../../net/ipv4-address';

export interface GdoiServerSa {
  number: number;
  profile?: string;
  matchAddress?: string;
  replay?: { kind: 'time'; windowSize: number } | { kind: 'counter'; windowSize: number };
}

export interface GdoiLocalServer {
  rekeyAddress?: string;
  rekeyLifetime?: number;
  rekeyRetransmit?: { interval: number; count: number };
  rekeyAuthentication?: { keyLabel: string };
  rekeyAlgorithm?: string;
  /** `rekey transport unicast`: one rekey per member, acknowledged; IOS's default is multicast. */
  rekeyTransportUnicast?: boolean;
  sas: GdoiServerSa[];
  address?: Ipv4;
}

export interface GdoiGroup {
  name: string;
  identity?: number;
  /** Key-server side (`server local`). */
  server?: GdoiLocalServer;
  /** Member side (`server address ipv4 …`), in order. */
  serverAddresses: Ipv4[];
}

export interface RsaKeyRequest {
  /** `crypto key generate rsa general-keys label L modulus N [exportable]`: an action, kept as the key store. */
  label: string;
  modulus: number;
  exportable: boolean;
}
