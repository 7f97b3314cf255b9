/** `(config-if)` GRE tunnel and NHRP (DMVPN) commands. */
import type { ConfigCommand } from '../context';
import { intParam, ipParam, optIpParam, optStrParam, strParam } from '../context';
import { editInterface } from './interface';

const TUNNEL_HELP = { tunnel: 'protocol-over-protocol tunneling' };
const NHRP_HELP = { ip: 'Interface Internet Protocol config commands', nhrp: 'NHRP interface subcommands' };

/** IOS default NHRP holdtime (RFC 2332 recommends 7200 s); not printed. */
const DEFAULT_NHRP_HOLDTIME = 7200;

export const tunnelNhrpCommands: readonly ConfigCommand[] = [
  {
    syntax: 'tunnel source (<iface:interface> | <address:ipv4>)',
    noSyntax: 'tunnel source [(<iface:interface> | <address:ipv4>)]',
    help: { ...TUNNEL_HELP, source: 'source of tunnel packets', address: 'ip address' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) {
          delete i.tunnel.source;
          return;
        }
        const iface = optStrParam(m, 'iface');
        if (iface !== undefined) {
          i.tunnel.source = { kind: 'interface', name: iface };
          ctx.referenceInterface(iface, m.columns.iface ?? 0);
        } else i.tunnel.source = { kind: 'address', address: ipParam(m, 'address') };
      }),
  },
  {
    syntax: 'tunnel destination <address:ipv4>',
    noSyntax: 'tunnel destination [<address:ipv4>]',
    help: { ...TUNNEL_HELP, destination: 'destination of tunnel', address: 'ip address or host name' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.tunnel.destination;
        else i.tunnel.destination = ipParam(m, 'address');
      }),
  },
  {
    syntax: 'tunnel mode gre (multipoint | ip)',
    noSyntax: 'tunnel mode [gre [(multipoint | ip)]]',
    help: {
      ...TUNNEL_HELP,
      mode: 'tunnel encapsulation method',
      gre: 'generic route encapsulation protocol',
      multipoint: 'over IP (multipoint)',
      ip: 'over IP',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        i.tunnel.mode = !m.negated && m.has('multipoint') ? 'gre-multipoint' : 'gre-ip';
      }),
  },
  {
    syntax: 'tunnel key <key:int:0-4294967295>',
    noSyntax: 'tunnel key [<key:int:0-4294967295>]',
    help: { ...TUNNEL_HELP, key: 'security or selector key' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.tunnel.key;
        else i.tunnel.key = intParam(m, 'key');
      }),
  },
  {
    syntax: 'ip nhrp network-id <id:int:1-4294967295>',
    noSyntax: 'ip nhrp network-id [<id:int:1-4294967295>]',
    help: { ...NHRP_HELP, 'network-id': 'NBMA network identifier', id: 'network identifier' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.nhrp.networkId;
        else i.nhrp.networkId = intParam(m, 'id');
      }),
  },
  {
    syntax: 'ip nhrp authentication <string:word>',
    noSyntax: 'ip nhrp authentication [<string:word>]',
    help: {
      ...NHRP_HELP,
      authentication: 'Authentication string',
      string: 'Authentication string (8 characters)',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.nhrp.authentication;
        else i.nhrp.authentication = strParam(m, 'string');
      }),
  },
  {
    syntax: 'ip nhrp holdtime <seconds:int:1-65535>',
    noSyntax: 'ip nhrp holdtime [<seconds:int:1-65535>]',
    help: { ...NHRP_HELP, holdtime: 'Advertised holdtime', seconds: 'number of seconds' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const s = m.negated ? undefined : intParam(m, 'seconds');
        if (s === undefined || s === DEFAULT_NHRP_HOLDTIME) delete i.nhrp.holdtime;
        else i.nhrp.holdtime = s;
      }),
  },
  {
    syntax: 'ip nhrp registration timeout <seconds:int:1-65535>',
    noSyntax: 'ip nhrp registration timeout [<seconds:int:1-65535>]',
    help: {
      ...NHRP_HELP,
      registration: 'Settings for registration packets',
      timeout: 'Interval in seconds between periodic registrations',
      seconds: 'number of seconds',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        if (m.negated) delete i.nhrp.registrationTimeout;
        else i.nhrp.registrationTimeout = intParam(m, 'seconds');
      }),
  },
  {
    syntax: 'ip nhrp nhs <server:ipv4>',
    noSyntax: 'ip nhrp nhs [<server:ipv4>]',
    help: { ...NHRP_HELP, nhs: 'Specify a next hop server', server: 'Next hop server address' },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const server = optIpParam(m, 'server');
        if (m.negated) i.nhrp.nhs = server === undefined ? [] : i.nhrp.nhs.filter((a) => a !== server);
        else if (server !== undefined && !i.nhrp.nhs.includes(server)) i.nhrp.nhs.push(server);
      }),
  },
  {
    syntax: 'ip nhrp map <protocol:ipv4> <nbma:ipv4>',
    help: {
      ...NHRP_HELP,
      map: 'Map dest IP addresses to NBMA addresses',
      protocol: 'IP address of destination',
      nbma: 'IP NBMA address',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const protocol = ipParam(m, 'protocol');
        const nbma = ipParam(m, 'nbma');
        i.nhrp.maps = i.nhrp.maps.filter((x) => x.protocol !== protocol);
        if (!m.negated) i.nhrp.maps.push({ protocol, nbma });
      }),
  },
  {
    syntax: 'ip nhrp map multicast (dynamic | <nbma:ipv4>)',
    help: {
      ...NHRP_HELP,
      multicast: 'NBMA address for multicasts',
      dynamic: 'Learn mappings from registration requests',
      nbma: 'IP NBMA address',
    },
    run: (ctx, m) =>
      editInterface(ctx, (i) => {
        const entry = m.has('dynamic') ? 'dynamic' : ipParam(m, 'nbma');
        i.nhrp.multicastMaps = i.nhrp.multicastMaps.filter((x) => x !== entry);
        if (!m.negated) i.nhrp.multicastMaps.push(entry);
      }),
  },
];
