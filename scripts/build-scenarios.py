#!/usr/bin/env python3
"""Builds public/scenarios/*.json from the article's four router configs, kept exactly as printed in
scenarios/source/, plus the additions each scenario marks (`! added:`, `! fixed:`, `! changed:`).

Run once when the reference configs change; the JSON files are the shipped artefacts."""
import json, re, sys, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
source = root / 'scenarios' / 'source'

# The configs of the article "GET VPN: Rekey using Multicast", one file per router, as printed (see
# scenarios/source/README.md).
AS_PRINTED = {name: (source / f'{name}.txt').read_text() for name in ('KS', 'Central', 'GM-1', 'GM-2')}

def move_inline_comments(text):
    out = []
    for line in text.split('\n'):
        m = re.match(r'^(\s*\S.*?)\s+(!\s.*)$', line)
        if m and not line.lstrip().startswith('!'):
            indent = re.match(r'^(\s*)', line).group(1)
            out.append(f'{indent}{m.group(2)}')
            out.append(m.group(1))
        else:
            out.append(line)
    return '\n'.join(out)

def fixed(name, text, head_additions, tail_additions, replacements=()):
    t = move_inline_comments(text)
    for old, new in replacements:
        assert old in t, (name, old)
        t = t.replace(old, new, 1)
    header = f'hostname {name}\n! added: the article omits the hostname\n!\n'
    return header + head_additions + t.rstrip('\n') + '\n' + tail_additions

KS = fixed('KS', AS_PRINTED['KS'], '', '''! added: the KS reaches Central's LAN address and, through it, every GM
ip route 0.0.0.0 0.0.0.0 10.1.1.1
!
end
''')

CENTRAL = fixed('Central', AS_PRINTED['Central'], '''! added: Central's LAN interface towards the KS (10.1.1.0/24)
interface FastEthernet0/0
 description Connection to KS
 ip address 10.1.1.1 255.255.255.0
 ip pim sparse-mode
!
! added: stands in for the hub site's LAN 192.168.1.0/24 named by "network 192.168.1.0" under EIGRP
interface Loopback1
 description Hub site LAN
 ip address 192.168.1.1 255.255.255.0
!
''', '''! added: the KS's loopback is behind the LAN; everything else through the SP
ip route 1.1.1.1 255.255.255.255 10.1.1.2
ip route 0.0.0.0 0.0.0.0 172.17.1.2
!
end
''')

def gm(name, lan_net, sp_addr, text, replacements=()):
    return fixed(name, text, f'''! added: stands in for the site LAN {lan_net}.0/24 named by "network {lan_net}.0" under EIGRP
interface Loopback1
 description Site LAN
 ip address {lan_net}.1 255.255.255.0
!
''', f'''! added: default route to the service provider
ip route 0.0.0.0 0.0.0.0 {sp_addr}
!
end
''', replacements)

GM1 = gm('GM-1', '192.168.11', '172.27.1.2', AS_PRINTED['GM-1'], [(
    ' tunnel source serial 0/0\n',
    ' ! fixed: the article prints "tunnel source serial 0/0"; GM-1\'s WAN interface is Serial1/0\n tunnel source serial 1/0\n')])
GM2 = gm('GM-2', '192.168.12', '172.37.1.2', AS_PRINTED['GM-2'])

SP = '''hostname SP
! added: the service provider. It routes between the customer WAN addresses and loopbacks with
! static routes; it runs no multicast and no crypto.
!
interface Serial1/0
 description Central
 ip address 172.17.1.2 255.255.255.0
!
interface Serial1/1
 description GM-1
 ip address 172.27.1.2 255.255.255.0
!
interface Serial1/2
 description GM-2
 ip address 172.37.1.2 255.255.255.0
!
ip route 1.1.1.1 255.255.255.255 172.17.1.1
ip route 2.2.2.2 255.255.255.255 172.17.1.1
ip route 10.1.1.0 255.255.255.0 172.17.1.1
ip route 11.11.11.11 255.255.255.255 172.27.1.1
ip route 12.12.12.12 255.255.255.255 172.37.1.1
!
end
'''

POS = {'KS': (-430, 0), 'Central': (-200, 0), 'SP': (60, 0), 'GM-1': (330, -140), 'GM-2': (330, 140)}

def dev(name, config, role='router'):
    x, y = POS[name]
    return {'name': name, 'role': role, 'x': x, 'y': y, 'config': config}

LINKS_FULL = [
    {'a': 'KS Fa1/0', 'b': 'Central Fa0/0', 'delayMs': 1},
    {'a': 'Central Se2/0', 'b': 'SP Se1/0', 'delayMs': 5},
    {'a': 'GM-1 Se1/0', 'b': 'SP Se1/1', 'delayMs': 5},
    {'a': 'GM-2 Se1/0', 'b': 'SP Se1/2', 'delayMs': 5},
]

DESC = '''The reference lab of the article *GET VPN: Rekey using Multicast*: a key server (KS) behind the DMVPN hub
(Central) pushes GDOI rekeys to group members as multicast to 239.10.10.1, carried over the mGRE tunnel.
PIM sparse mode with Auto-RP (the KS is candidate RP and mapping agent) and a static `ip mroute` on each
spoke make the spokes' RPF check for 1.1.1.1 point at Tunnel10.

What GETLab added to make it a working network is marked `! added:` in each config: hostnames, an SP router
routing the WAN and loopback addresses, Central's LAN towards the KS, loopbacks standing in for the site
LANs, and default routes. GM-1's `tunnel source serial 0/0` typo is corrected (`! fixed:`). The article's
inline `!` remarks are moved onto their own lines, since IOS does not accept comments after a command.'''

full = {
    'format': 'getlab-scenario/1',
    'title': 'GET VPN rekey using multicast over DMVPN',
    'description': DESC,
    'seed': 1,
    'clock': '2026-07-07T22:55:00.000Z',
    'devices': [dev('KS', KS), dev('Central', CENTRAL), dev('SP', SP, 'provider'), dev('GM-1', GM1), dev('GM-2', GM2)],
    'links': LINKS_FULL,
}

# The same lab with Auto-RP swapped for BSR (RFC 5059): the KS is candidate BSR and candidate RP.
AUTORP_KS = '''! Advertise this router as Candidate-RP for the range defined in ACL 1
ip pim send-rp-announce Loopback 0 scope 10 group-list 1
! Indicates this router is the RP Mapping Agent
ip pim send-rp-discovery Loopback 0 scope 10
'''
BSR_KS = KS.replace(AUTORP_KS, '''! changed: BSR (RFC 5059) instead of Auto-RP. The KS is candidate BSR and candidate RP for the
! groups of ACL 1; its bootstraps are flooded hop by hop to 224.0.0.13 and carry the RP-set
ip pim bsr-candidate Loopback0
ip pim rp-candidate Loopback0 group-list 1
''')
assert BSR_KS != KS

BSR_DESC = '''The reference lab with Auto-RP swapped for the standard Bootstrap Router mechanism (RFC 5059): the key
server is candidate BSR and candidate RP on Loopback0 (`ip pim bsr-candidate`, `ip pim rp-candidate`). Its
bootstraps go hop by hop to ALL-PIM-ROUTERS (224.0.0.13); Central floods them to the spokes over the mGRE
tunnel, and each router accepts one only from its RPF neighbour towards the BSR address, 1.1.1.1. The
spokes' static `ip mroute 1.1.1.1 255.255.255.255 192.168.100.1` makes that check pass on Tunnel10, as it
does for Auto-RP's discoveries: remove it on GM-2 and its bootstraps fail the RPF check, so GM-2 never
learns the RP. Everything else is the reference lab.'''

bsr = {
    **full,
    'title': 'GET VPN rekey using multicast over DMVPN, RP from BSR',
    'description': BSR_DESC,
    'devices': [dev('KS', BSR_KS), dev('Central', CENTRAL), dev('SP', SP, 'provider'), dev('GM-1', GM1), dev('GM-2', GM2)],
}

AS_DESC = '''The article's four configurations exactly as printed, to see what a router makes of them. The console
and the problems panel show the diagnostics: IOS does not accept the inline `!` remarks after commands
(so those commands are lost), and GM-1's `tunnel source serial 0/0` names an interface GM-1 does not have,
so its Tunnel10 stays down. The article gives Central no interface towards the KS, so the KS is not
connected. Only the SP router (not part of the article) is added, to carry the WAN.'''

as_printed = {
    'format': 'getlab-scenario/1',
    'title': 'GET VPN rekey using multicast over DMVPN (article as printed)',
    'description': AS_DESC,
    'seed': 1,
    'clock': '2026-07-07T22:55:00.000Z',
    'devices': [dev('KS', AS_PRINTED['KS']), dev('Central', AS_PRINTED['Central']), dev('SP', SP, 'provider'),
                dev('GM-1', AS_PRINTED['GM-1']), dev('GM-2', AS_PRINTED['GM-2'])],
    'links': LINKS_FULL[1:],
}

out = root / 'public' / 'scenarios'
out.mkdir(parents=True, exist_ok=True)
(out / 'getvpn-multicast-rekey.json').write_text(json.dumps(full, indent=2) + '\n')
(out / 'getvpn-as-printed.json').write_text(json.dumps(as_printed, indent=2) + '\n')
(out / 'getvpn-bsr.json').write_text(json.dumps(bsr, indent=2) + '\n')
(out / 'index.json').write_text(json.dumps([
    {'file': 'getvpn-multicast-rekey.json', 'title': 'Reference lab (completed)'},
    {'file': 'getvpn-as-printed.json', 'title': 'Article as printed'},
    {'file': 'getvpn-bsr.json', 'title': 'Reference lab with BSR instead of Auto-RP'},
], indent=2) + '\n')
print('wrote', out)
