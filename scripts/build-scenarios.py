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

# The article's lessons as format-2 data (docs/DESIGN.md §10): the texts of src/ui/lessons.ts, its buttons as
# actions and its checks as declarative checks. `npm run sim -- <this file> --check` runs the steps in order (each
# step's buttons, then its checks), so a fault a step applies is put back by a later step or by the step's
# `leave`: the RPF failure and the nbma-mode fault each get a step of their own for that.
def button(label, action, breaks=None):
    b = {'label': label, 'action': action}
    if breaks:
        b['breaks'] = breaks
    return b

def step(title, paragraphs, actions, checks, leave=None):
    s = {'title': title, 'text': '\n\n'.join(paragraphs), 'actions': actions, 'checks': checks}
    if leave:
        s['leave'] = leave
    return s

def show(label, device, command, pattern):
    c = {'label': label} if label else {}
    return {**c, 'kind': 'show-matches', 'device': device, 'command': command, 'pattern': pattern}

def fault(kind, device, on):
    return {'kind': 'fault', 'fault': kind, 'device': device, 'on': on}

RPF_GM2 = {'kind': 'rpf', 'device': 'GM-2', 'source': '1.1.1.1', 'interface': 'Tunnel10'}
MROUTE_BACK = button('Put it back', fault('mroute', 'GM-2', False))
NBMA_BACK = button('Put nbma-mode back', fault('nbma-mode', 'Central', False))

ARTICLE_LESSON = {
    'id': 'article',
    'title': 'GET VPN rekey using multicast over DMVPN',
    'steps': [
        step('Three considerations', [
            'GET VPN rekeys can travel as multicast over the DMVPN tunnel, so the provider network needs no multicast. The article lists three conditions:',
            '\n'.join([
                '1. The tunnel interfaces must support multicast (PIM on Tunnel10, NHRP multicast mappings).',
                '2. The tunnels must join the rekey group: ip igmp join-group 239.10.10.1 under Tunnel10.',
                '3. On every spoke the KS (1.1.1.1) must be reachable through the tunnel for the RPF check: ip mroute 1.1.1.1 255.255.255.255 192.168.100.1.',
            ]),
            'Run the lab for a minute and watch the three checks turn green on GM-2.',
        ], [button('Run to 60 s', {'kind': 'run-to', 'seconds': 60})], [
            {'label': 'GM-2 has Central as PIM neighbour on Tunnel10', 'kind': 'adjacency', 'device': 'GM-2',
             'protocol': 'pim', 'neighbor': '192.168.100.1', 'interface': 'Tunnel10'},
            # The (S,G) entry once traffic flowed, else the (*,G): either is the join's state.
            show('GM-2 has joined 239.10.10.1', 'GM-2', 'show ip mroute 239.10.10.1', r'^\(.*, 239\.10\.10\.1\)'),
            {'label': 'GM-2 reaches the KS through Tunnel10 for RPF', **RPF_GM2},
        ]),
        step('The RPF failure', [
            'Without ip mroute 1.1.1.1 255.255.255.255 192.168.100.1, GM-2 reaches 1.1.1.1 through its physical interface, so every multicast packet from the KS arriving on Tunnel10 fails the RPF check and is dropped.',
            'Remove the line on GM-2 (debug ip pim is switched on too, and off again when you leave this lesson), then run to the next rekey: the rekey is dropped at GM-2 with its reason, and a red RPF-drop marker appears on the timeline.',
        ], [
            button('Remove ip mroute on GM-2',
                   {'kind': 'all', 'actions': [{'kind': 'cli', 'device': 'GM-2', 'lines': ['debug ip pim']},
                                               fault('mroute', 'GM-2', True)]},
                   {'fault': 'mroute:GM-2', 'undo': MROUTE_BACK}),
            button('Run to the next rekey', {'kind': 'next-rekey', 'ks': 'KS'}),
        ], [
            {'label': 'GM-2 dropped a packet from the KS on RPF (timeline)', 'kind': 'event-since-step',
             'device': 'GM-2', 'event': 'rpf-drop'},
            {'label': 'GM-2 no longer reaches the KS through Tunnel10 for RPF', 'kind': 'not', 'check': RPF_GM2},
        ], {'kind': 'cli', 'device': 'GM-2', 'lines': ['undebug ip pim']}),
        step('Putting the mroute back', [
            'Meanwhile GM-2 keeps its keys only by re-registering (unicast) each time its KEK runs out without the rekey (Cisco, "GETVPN KEK Rekey Behavior Change"). Put the line back and run on: the next multicast rekey reaches GM-2 again.',
        ], [
            MROUTE_BACK,
            button('Run until GM-2 gets a rekey', {'kind': 'until-rekey', 'member': 'GM-2', 'maxSeconds': 700}),
        ], [
            {'label': 'GM-2 reaches the KS through Tunnel10 for RPF (ip mroute in place)', **RPF_GM2},
            {'label': 'GM-2 received a multicast rekey since its last configuration change',
             'kind': 'rekey-since-change', 'member': 'GM-2'},
            {'label': 'GM-2 holds the group\'s current TEK', 'kind': 'gm-current-tek', 'device': 'GM-2'},
        ]),
        step('DR priority and nbma-mode', [
            'ip pim dr-priority 100 on the hub tunnel makes Central the designated router of the mGRE "network", so it sends the Joins and Prunes towards the RP.',
            'ip pim nbma-mode makes Central treat each spoke as a point-to-point neighbour: a Prune from one spoke no longer stops the group for every spoke behind Tunnel10.',
        ], [
            button("Show GM-2's PIM neighbours", {'kind': 'cli', 'device': 'GM-2', 'lines': ['show ip pim neighbor']}),
        ], [
            show('Central is the DR on Tunnel10 (priority 100)', 'GM-2', 'show ip pim neighbor',
                 r'^192\.168\.100\.1 +Tunnel10 .* 100/ DR'),
            show('Central runs Tunnel10 in nbma-mode', 'Central', 'show ip pim interface Tunnel10 detail',
                 'PIM NBMA mode: enabled'),
        ]),
        step('Without nbma-mode', [
            'Remove ip pim nbma-mode on Central: Tunnel10 is one multi-access link again, so a Prune from one spoke stops the group for every spoke behind it. Leaving this step puts the line back.',
        ], [
            button('Remove nbma-mode on Central', fault('nbma-mode', 'Central', True),
                   {'fault': 'nbma-mode:Central', 'undo': NBMA_BACK}),
        ], [
            {'label': 'Central no longer runs Tunnel10 in nbma-mode', 'kind': 'not',
             'check': show('', 'Central', 'show ip pim interface Tunnel10 detail', 'PIM NBMA mode: enabled')},
        ], fault('nbma-mode', 'Central', False)),
        step('Where the mapping agent must sit', [
            'Auto-RP: the KS announces itself as candidate RP (RP-Announce, 224.0.1.39) and, as mapping agent, sends the Group-to-RP mappings (RP-Discovery, 224.0.1.40) to every PIM router.',
            'The mapping agent must sit at the hub site: behind a spoke, its RP-Discovery messages would not be sent on to the other spokes.',
            'Every spoke should learn "RP 1.1.1.1" for 239.0.0.0/8. (If GM-2 stays red, put its ip mroute back: lesson 2.)',
        ], [
            button('Run a minute, then show ip pim rp mapping', {'kind': 'all', 'actions': [
                {'kind': 'run-for', 'seconds': 65},
                {'kind': 'cli', 'device': 'KS', 'lines': ['show ip pim rp mapping']},
            ]}),
        ], [
            show('The KS is the RP-mapping agent', 'KS', 'show ip pim rp mapping', 'This system is an RP-mapping agent'),
            show('GM-1 learnt RP 1.1.1.1', 'GM-1', 'show ip pim rp mapping', r'RP 1\.1\.1\.1'),
            show('GM-2 learnt RP 1.1.1.1', 'GM-2', 'show ip pim rp mapping', r'RP 1\.1\.1\.1'),
        ]),
        step('Multicast versus unicast rekey', [
            'With unicast rekeys the KS sends one copy per group member (and waits for each acknowledgement); with multicast it sends one packet to 239.10.10.1 and the hub replicates it on the tunnel to each spoke that joined.',
            'Run to the next rekey: one GDOI packet leaves the KS, and ESP ⊃ GRE ⊃ GDOI copies fan out at Central.',
        ], [button('Run to the next rekey', {'kind': 'next-rekey', 'ks': 'KS'})], [
            show("GM-2's KEK says multicast rekey", 'GM-2', 'show crypto gdoi', 'Rekey Transport Type +: Multicast'),
            {'label': 'GM-1 received a rekey', 'kind': 'event-since-step', 'device': 'GM-1', 'event': 'rekey-received'},
            {'label': 'GM-2 received a rekey', 'kind': 'event-since-step', 'device': 'GM-2', 'event': 'rekey-received'},
        ]),
    ],
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
# Format 2 for the reference lab alone: the variants built from `full` above stay format 1 without lessons.
full_v2 = {**full, 'format': 'getlab-scenario/2', 'lessons': [ARTICLE_LESSON]}
(out / 'getvpn-multicast-rekey.json').write_text(json.dumps(full_v2, indent=2, ensure_ascii=False) + '\n')
(out / 'getvpn-as-printed.json').write_text(json.dumps(as_printed, indent=2) + '\n')
(out / 'getvpn-bsr.json').write_text(json.dumps(bsr, indent=2) + '\n')
(out / 'index.json').write_text(json.dumps([
    {'file': 'getvpn-multicast-rekey.json', 'title': 'Reference lab (completed)'},
    {'file': 'getvpn-as-printed.json', 'title': 'Article as printed'},
    {'file': 'getvpn-bsr.json', 'title': 'Reference lab with BSR instead of Auto-RP'},
], indent=2) + '\n')
print('wrote', out)
