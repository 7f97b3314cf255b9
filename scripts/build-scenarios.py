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

# The article's lessons as format-2 data (docs/DESIGN.md §10): step texts, buttons as actions and declarative
# checks; the page's lessons panel and the runner's --check read them from the scenario file. `npm run sim -- <this file> --check` runs the steps in order (each
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
DR_BACK = button('Put ip pim dr-priority 100 back', fault('dr-priority', 'Central', False))
NEXT_REKEY_KS = button('Run to the next rekey', {'kind': 'next-rekey', 'ks': 'KS'})
PIM_DETAIL = 'show ip pim interface Tunnel10 detail'


def pim_dr(label, device, address):
    return {'label': label, 'kind': 'pim-dr', 'device': device, 'interface': 'Tunnel10', 'address': address}


def got_rekey(label, device):
    c = {'label': label} if label else {}
    return {**c, 'kind': 'event-since-step', 'device': device, 'event': 'rekey-received'}

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
        # The hub's DR priority (issue 17: a break a student meets in practice). RFC 7761 §4.3.2 elects the DR;
        # Cisco technote 119383: join-group state is made "only if the router ... is the PIM DR on that interface".
        step("Without the hub's DR priority", [
            'The article: on the mGRE tunnel "it is important that the Central router is elected as the DR for the network". Every PIM hello carries a DR Priority; when every router on a link advertises one, the highest priority wins and a tie goes to the highest address (RFC 7761 §4.3.2). Without `ip pim dr-priority 100` every router advertises the default, 1.',
            'Remove the line on Central. Central hears every spoke, so it elects the highest address, GM-2 (192.168.100.3); each spoke hears only the hub, so each elects itself. They no longer agree, and Central, no longer the DR, stops taking the spokes\' membership of 239.10.10.1 on Tunnel10 into its outgoing list: only the DR joins for the members on a link (Cisco technote 119383: `ip igmp join-group` makes PIM join "only if the router with this command is the PIM Designated Router (DR) on that interface"). The spokes send no join of their own: their member is on Tunnel10, the interface towards the RP.',
            'Run to the next rekey: Central receives it (it is a group member too), but nothing leaves Tunnel10 and neither spoke gets it. `show ip pim interface Tunnel10 detail` on Central and on GM-2 shows who each thinks is the DR.',
        ], [
            button('Remove ip pim dr-priority 100 on Central', fault('dr-priority', 'Central', True),
                   {'fault': 'dr-priority:Central', 'undo': DR_BACK}),
            NEXT_REKEY_KS,
        ], [
            pim_dr('Central elects GM-2 (192.168.100.3) DR on Tunnel10', 'Central', '192.168.100.3'),
            pim_dr('GM-2 elects itself DR on its Tunnel10', 'GM-2', '192.168.100.3'),
            show('show ip pim interface says so on GM-2', 'GM-2', PIM_DETAIL,
                 r'PIM DR: 192\.168\.100\.3 \(this system\)'),
            got_rekey('Central received the rekey', 'Central'),
            {'label': 'GM-1 received no rekey', 'kind': 'not', 'check': got_rekey(None, 'GM-1')},
            {'label': 'GM-2 received no rekey', 'kind': 'not', 'check': got_rekey(None, 'GM-2')},
        ]),
        step('Putting the DR priority back', [
            'Put the line back. Central\'s hellos carry priority 100 again, every router on Tunnel10 elects Central, and as the DR it forwards the rekey group onto the tunnel for the spokes that joined it. Run to the next rekey: both spokes get it.',
        ], [DR_BACK, NEXT_REKEY_KS], [
            pim_dr('Central elects itself DR on Tunnel10 again', 'Central', '192.168.100.1'),
            show('GM-2 sees Central as the DR again (priority 100)', 'GM-2', 'show ip pim neighbor',
                 r'^192\.168\.100\.1 +Tunnel10 .* 100/ DR'),
            got_rekey('GM-2 received the rekey', 'GM-2'),
            got_rekey('GM-1 received the rekey', 'GM-1'),
            {'label': 'GM-2 holds the group\'s current TEK', 'kind': 'gm-current-tek', 'device': 'GM-2'},
        ]),
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

# ---- Auto-RP in sparse mode (issue 17, "More than one story") -------------------------------------------------
# A line of four: a source host on RP's LAN, RP (candidate RP and mapping agent for 239.0.0.0/8), Transit, and
# Edge, whose Loopback1 joins 239.1.1.1 and 238.1.1.1. Every PIM interface is `ip pim sparse-mode`; nobody has
# `ip pim autorp listener`. The configs are in scenarios/source/autorp/, as a student would type them.
AUTORP_SOURCE = source / 'autorp'
AUTORP_POS = {'Source': (-420, 0), 'RP': (-180, 0), 'Transit': (60, 0), 'Edge': (300, 0)}


def autorp_dev(name):
    x, y = AUTORP_POS[name]
    return {'name': name, 'role': 'router', 'x': x, 'y': y, 'config': (AUTORP_SOURCE / f'{name}.txt').read_text()}


def config_lines(device, lines):
    return {'kind': 'cli', 'device': device, 'lines': ['configure terminal', *lines, 'end']}


def rp_mapping(label, device, group, rp=None, origin=None):
    c = {'label': label} if label else {}
    c = {**c, 'kind': 'rp-mapping', 'device': device, 'group': group}
    if rp:
        c['rp'] = rp
    if origin:
        c['origin'] = origin
    return c


def mroute(label, device, group, mode=None, source_address=None):
    c = {'label': label} if label else {}
    c = {**c, 'kind': 'mroute', 'device': device, 'group': group}
    if source_address:
        c['source'] = source_address
    if mode:
        c['mode'] = mode
    return c


def no_rp(label, device, group):
    return {'label': label, 'kind': 'not', 'check': rp_mapping(None, device, group)}


PING_GROUP = button('Ping 239.1.1.1 from Source', {'kind': 'cli', 'device': 'Source',
                                                   'lines': ['ping 239.1.1.1 repeat 3 source FastEthernet0/0']})
EDGE_AUTORP = rp_mapping('Edge learnt RP 1.1.1.1 for 239.1.1.1 through Auto-RP', 'Edge', '239.1.1.1', '1.1.1.1', 'auto-rp')

AUTORP_LESSON = {
    'id': 'autorp-sparse-mode',
    'title': 'Auto-RP in sparse mode',
    'steps': [
        step('Auto-RP over sparse-mode interfaces', [
            'RP is candidate RP for 239.0.0.0/8 (`ip pim send-rp-announce Loopback0 scope 16 group-list 1`) and mapping agent (`ip pim send-rp-discovery Loopback0 scope 16`). Candidate RPs announce themselves to **224.0.1.39**; the mapping agent elects one RP per range and sends the Group-to-RP mappings to **224.0.1.40**, which every Cisco PIM router joins (Cisco technote 118405, "PIM Auto-RP Behavior with Other RP Distribution Techniques").',
            'The two Auto-RP groups have no RP themselves, so they cannot use a shared tree: they are forwarded in **dense mode**, flood and prune. Every interface here is `ip pim sparse-mode` and nobody has `ip pim autorp listener`. In GETLab, as in the IOS releases of the reference article, dense-mode fallback (`ip pim dm-fallback`, on by default) still floods the Auto-RP groups out of sparse-mode interfaces. Cisco\'s current documents say a sparse-mode interface does not send RP-Discovery messages by default (technote 118405): that is what the next steps show with `no ip pim dm-fallback`.',
            'Run the lab to 90 s (the first discovery leaves RP about a minute after its first announcement), then look at `show ip pim rp mapping` and `show ip mroute` on Edge. 224.0.1.40 shows `RP 0.0.0.0, flags: D…` (D is Dense), and so does 238.1.1.1, which Edge joined but no RP serves: with dense-mode fallback, a group without an RP is a dense group.',
        ], [
            button('Run to 90 s', {'kind': 'run-to', 'seconds': 90}),
            button('Show Edge\'s RP mapping and mroutes', {'kind': 'cli', 'device': 'Edge', 'lines': ['show ip pim rp mapping', 'show ip mroute']}),
        ], [
            EDGE_AUTORP,
            mroute('Transit forwards 224.0.1.40 (Auto-RP discovery) in dense mode', 'Transit', '224.0.1.40', 'dense'),
            mroute('Edge\'s (*, 239.1.1.1) is sparse, rooted at the RP', 'Edge', '239.1.1.1', 'sparse'),
            mroute('Edge\'s (*, 238.1.1.1) has no RP and fell back to dense mode', 'Edge', '238.1.1.1', 'dense'),
        ]),
        step('Traffic on the shared tree', [
            'The host on RP\'s LAN sends to 239.1.1.1. RP is the first-hop router and the RP itself; Edge joined the shared tree towards 1.1.1.1 through Transit, so the packets reach Edge\'s Loopback1 and Edge answers the ping (`Reply to request 0 from 10.1.23.3`). Edge then holds (10.0.0.10, 239.1.1.1) state, flags `LJT`: with the default SPT threshold it joined the source tree at the first packet.',
        ], [
            PING_GROUP,
        ], [
            mroute('Edge holds (10.0.0.10, 239.1.1.1): the traffic reached it', 'Edge', '239.1.1.1', None, '10.0.0.10'),
            mroute('RP holds (10.0.0.10, 239.1.1.1)', 'RP', '239.1.1.1', None, '10.0.0.10'),
        ]),
        step('Turn dense-mode fallback off on Transit', [
            '`no ip pim dm-fallback` keeps every group in sparse mode when the RP information is lost (Cisco, "PIM Dense Mode Fallback Prevention in a Network Following RP Information Loss", IOS 12.3(4)T). On Transit it also stops the Auto-RP flood: Transit\'s interfaces are sparse-mode only, so the discoveries Transit receives from RP are no longer sent on to Edge.',
            'Transit itself still learns the RP: the mapping agent sends its discoveries out of every PIM interface, so its neighbours always hear them. Edge keeps its mapping until the holdtime of the last discovery it heard runs out (181 s). Run on 200 s: `show ip pim rp mapping` on Edge is empty, and because Edge still has dense-mode fallback, its (*, 239.1.1.1) turns into a **dense** entry (flags `D`).',
        ], [
            button('no ip pim dm-fallback on Transit, run 200 s', {'kind': 'all', 'actions': [
                config_lines('Transit', ['no ip pim dm-fallback']),
                {'kind': 'run-for', 'seconds': 200},
            ]}),
        ], [
            rp_mapping('Transit still learns RP 1.1.1.1 (one hop from the mapping agent)', 'Transit', '239.1.1.1', '1.1.1.1', 'auto-rp'),
            no_rp('Edge has no RP for 239.1.1.1 any more', 'Edge', '239.1.1.1'),
            mroute('Edge\'s (*, 239.1.1.1) fell back to dense mode', 'Edge', '239.1.1.1', 'dense'),
        ]),
        step('No fallback on Edge either', [
            'Now `no ip pim dm-fallback` on Edge too. Its groups stay sparse, with no RP: (*, 239.1.1.1) shows `RP 0.0.0.0` and flag `S`. Nothing floods; a sparse group without an RP simply has no shared tree.',
            'Ping 239.1.1.1 from Source again: no reply comes back. Edge sends no join without an RP, so the traffic stops at the RP, and Edge holds no (10.0.0.10, 239.1.1.1) state.',
        ], [
            button('no ip pim dm-fallback on Edge', config_lines('Edge', ['no ip pim dm-fallback'])),
            PING_GROUP,
        ], [
            no_rp('Edge has no RP for 239.1.1.1', 'Edge', '239.1.1.1'),
            mroute('Edge\'s (*, 239.1.1.1) is sparse without an RP', 'Edge', '239.1.1.1', 'sparse'),
            {'label': 'The source\'s traffic no longer reaches Edge', 'kind': 'not',
             'check': mroute(None, 'Edge', '239.1.1.1', None, '10.0.0.10')},
        ]),
        step('ip pim autorp listener', [
            '`ip pim autorp listener` causes "IP multicast traffic for the two Auto-RP groups 224.0.1.39 and 224.0.1.40 to be PIM dense mode flooded across interfaces operating in PIM sparse mode" (Cisco IP Multicast Command Reference). Everything else stays sparse.',
            'Configure it on Transit and Edge (Transit is the one that must forward the flood; Edge needs the line as soon as a router sits behind it) and run on 70 s: Transit floods the next discovery to Edge, which learns RP 1.1.1.1 again, and (*, 239.1.1.1) is sparse with RP 1.1.1.1. Ping the group once more: Edge joined the tree again and answers. `show ip pim autorp` on Transit now says "AutoRP groups over sparse mode interface is enabled".',
        ], [
            button('ip pim autorp listener on Transit and Edge, run 70 s', {'kind': 'all', 'actions': [
                config_lines('Transit', ['ip pim autorp listener']),
                config_lines('Edge', ['ip pim autorp listener']),
                {'kind': 'run-for', 'seconds': 70},
            ]}),
            PING_GROUP,
        ], [
            EDGE_AUTORP,
            mroute('The source\'s traffic reaches Edge again', 'Edge', '239.1.1.1', None, '10.0.0.10'),
            mroute('Edge\'s (*, 239.1.1.1) is sparse with RP 1.1.1.1 again', 'Edge', '239.1.1.1', 'sparse'),
            show('Transit floods the Auto-RP groups over its sparse-mode interfaces', 'Transit', 'show ip pim autorp',
                 'AutoRP groups over sparse mode interface is enabled'),
        ]),
        step('A static RP, on one router', [
            'Auto-RP serves only 239.0.0.0/8 here, so 238.1.1.1 has no RP. A static RP needs no Auto-RP at all: on Edge, `ip pim rp-address 1.1.1.1 10` with `access-list 10 permit 238.0.0.0 0.255.255.255`. Edge maps 238.1.1.1 to 1.1.1.1 (`Static` in `show ip pim rp mapping`) and its (*, 238.1.1.1) becomes sparse, joined towards the RP.',
            'But a static RP is known only where it is typed. Transit has no RP for 238.1.1.1, so it cannot send Edge\'s join on, and RP never hears of the group.',
        ], [
            button('Static RP for 238.0.0.0/8 on Edge', config_lines('Edge', [
                'access-list 10 permit 238.0.0.0 0.255.255.255', 'ip pim rp-address 1.1.1.1 10'])),
            button('Run 5 s', {'kind': 'run-for', 'seconds': 5}),
        ], [
            rp_mapping('Edge maps 238.1.1.1 to the static RP 1.1.1.1', 'Edge', '238.1.1.1', '1.1.1.1', 'static'),
            mroute('Edge\'s (*, 238.1.1.1) is sparse now', 'Edge', '238.1.1.1', 'sparse'),
            no_rp('Transit has no RP for 238.1.1.1', 'Transit', '238.1.1.1'),
            {'label': 'RP has no (*, 238.1.1.1): the join stopped at Transit', 'kind': 'not',
             'check': mroute(None, 'RP', '238.1.1.1')},
        ]),
        step('A static RP, everywhere', [
            'Type the same two lines on Transit and on RP itself (RP must know it is the RP for 238.0.0.0/8). Transit now sends Edge\'s join on, and RP holds (*, 238.1.1.1). Every router needs the line, and every router must be changed again if the RP moves: that is the work Auto-RP saves.',
        ], [
            button('Static RP for 238.0.0.0/8 on Transit and RP, run 65 s', {'kind': 'all', 'actions': [
                config_lines('Transit', ['access-list 10 permit 238.0.0.0 0.255.255.255', 'ip pim rp-address 1.1.1.1 10']),
                config_lines('RP', ['access-list 10 permit 238.0.0.0 0.255.255.255', 'ip pim rp-address 1.1.1.1 10']),
                {'kind': 'run-for', 'seconds': 65},
            ]}),
        ], [
            rp_mapping('Transit maps 238.1.1.1 to the static RP 1.1.1.1', 'Transit', '238.1.1.1', '1.1.1.1', 'static'),
            mroute('RP holds (*, 238.1.1.1): Edge\'s join arrived', 'RP', '238.1.1.1', 'sparse'),
        ]),
        step('Static against Auto-RP', [
            'When a static RP and an Auto-RP mapping both cover a group, the Auto-RP mapping wins, unless the static line has `override` (Cisco IP Multicast Command Reference, `ip pim rp-address … override`: "Overrides dynamically learnt RP mappings"; Cisco technote 118405 uses it as the workaround).',
            'On Edge, `ip pim rp-address 1.1.1.1 20` with `access-list 20 permit 239.0.0.0 0.255.255.255`: 239.1.1.1 still shows `elected via Auto-RP`. Add `override` to the line and Edge uses the static mapping (`Static-Override`).',
        ], [
            button('Static RP for 239.0.0.0/8 on Edge', config_lines('Edge', [
                'access-list 20 permit 239.0.0.0 0.255.255.255', 'ip pim rp-address 1.1.1.1 20'])),
        ], [
            rp_mapping('Without override, Edge keeps the Auto-RP mapping for 239.1.1.1', 'Edge', '239.1.1.1', '1.1.1.1', 'auto-rp'),
        ]),
        step('override', [
            'Replace the line with `ip pim rp-address 1.1.1.1 20 override`: now the static mapping beats the one Auto-RP taught Edge.',
        ], [
            button('Add override on Edge', config_lines('Edge', ['no ip pim rp-address 1.1.1.1 20', 'ip pim rp-address 1.1.1.1 20 override'])),
        ], [
            rp_mapping('With override, Edge uses the static RP for 239.1.1.1', 'Edge', '239.1.1.1', '1.1.1.1', 'static'),
            show('show ip pim rp mapping says Static-Override', 'Edge', 'show ip pim rp mapping', 'Static-Override'),
        ]),
    ],
}

AUTORP_DESC = '''Auto-RP in a PIM sparse-mode network of four routers in a line: a source host on RP's LAN, RP (candidate RP
for 239.0.0.0/8 and mapping agent, Loopback0 1.1.1.1), Transit, and Edge, whose Loopback1 joins 239.1.1.1 and
238.1.1.1. Every PIM interface is `ip pim sparse-mode`, routing is EIGRP 10, and nobody has `ip pim autorp
listener`. The lesson shows how the Auto-RP groups 224.0.1.39 and 224.0.1.40 are flooded in dense mode, what
`no ip pim dm-fallback` changes, what `ip pim autorp listener` restores, and a static RP (`ip pim rp-address`,
with and without `override`) compared.'''

autorp = {
    'format': 'getlab-scenario/2',
    'title': 'Auto-RP in sparse mode',
    'description': AUTORP_DESC,
    'seed': 1,
    'clock': '2026-07-07T22:55:00.000Z',
    'devices': [autorp_dev(n) for n in ('Source', 'RP', 'Transit', 'Edge')],
    'links': [
        {'a': 'Source Fa0/0', 'b': 'RP Fa0/0', 'delayMs': 1},
        {'a': 'RP Se1/0', 'b': 'Transit Se1/0', 'delayMs': 5},
        {'a': 'Transit Se1/1', 'b': 'Edge Se1/0', 'delayMs': 5},
    ],
    'lessons': [AUTORP_LESSON],
}

# ---- DMVPN phase 2 (issue 17, "More than one story") -----------------------------------------------------------
# A hub and three spokes on one mGRE tunnel (Tunnel10, 192.168.100.0/24) over a provider that knows only the WAN
# addresses; EIGRP 10 over the tunnel, each site's LAN a loopback. The hub starts with split horizon and
# next-hop-self on (the IOS defaults); the lesson turns them off and follows a spoke-to-spoke NHRP resolution.
# The configs are in scenarios/source/dmvpn-phase2/, as a student would type them.
DMVPN2_SOURCE = source / 'dmvpn-phase2'
DMVPN2_POS = {'Hub': (-200, 0), 'SP': (60, 0), 'Spoke-1': (330, -180), 'Spoke-2': (330, 0), 'Spoke-3': (330, 180)}


def dmvpn2_dev(name):
    x, y = DMVPN2_POS[name]
    role = 'provider' if name == 'SP' else 'router'
    return {'name': name, 'role': role, 'x': x, 'y': y, 'config': (DMVPN2_SOURCE / f'{name}.txt').read_text()}


def route(label, device, prefix, protocol=None, next_hop=None, interface=None):
    c = {'label': label} if label else {}
    c = {**c, 'kind': 'route', 'device': device, 'prefix': prefix}
    if protocol:
        c['protocol'] = protocol
    if next_hop:
        c['nextHop'] = next_hop
    if interface:
        c['interface'] = interface
    return c


def nhrp_entry(label, device, address, nbma=None, entry_type=None):
    c = {'label': label} if label else {}
    c = {**c, 'kind': 'nhrp-entry', 'device': device, 'address': address}
    if nbma:
        c['nbma'] = nbma
    if entry_type:
        c['type'] = entry_type
    return c


def hub_tunnel(lines):
    return config_lines('Hub', ['interface Tunnel10', *lines])


SPOKE2_LAN = '192.168.12.0/24'
PING_SPOKE2 = 'ping 192.168.12.1 source Loopback1'
TRACE_SPOKE2 = 'traceroute 192.168.12.1 source Loopback1'
NO_SPOKE2_LAN = {'label': 'Spoke-1 has no route to Spoke-2\'s LAN 192.168.12.0/24', 'kind': 'not',
                 'check': route(None, 'Spoke-1', SPOKE2_LAN)}
NO_SPOKE2_MAPPING = {'label': 'Spoke-1 has no NHRP mapping for Spoke-2 (192.168.100.3)', 'kind': 'not',
                     'check': nhrp_entry(None, 'Spoke-1', '192.168.100.3')}
SPLIT_HORIZON_OFF = hub_tunnel(['no ip split-horizon eigrp 10'])

DMVPN2_LESSON = {
    'id': 'dmvpn-phase2',
    'title': 'DMVPN phase 2: spoke to spoke through NHRP',
    'steps': [
        step('Every spoke registers with the hub', [
            'Hub, Spoke-1, Spoke-2 and Spoke-3 share one multipoint GRE tunnel, Tunnel10 (192.168.100.0/24), across the provider SP. A spoke knows only the hub: `ip nhrp map 192.168.100.1 172.17.1.1` maps the hub\'s tunnel address to its NBMA (WAN) address, and `ip nhrp nhs 192.168.100.1` makes the hub its Next Hop Server.',
            'As its tunnel comes up, each spoke sends the hub an NHRP **Registration Request** with its own tunnel and NBMA addresses; the hub keeps them as a dynamic entry and answers with a Registration Reply (RFC 2332 §5.2.3). Cisco: "Each spoke registers its real address when it boots and queries the NHRP database for real addresses of the destination spokes to build direct tunnels" ("Configuring NHRP"). `ip nhrp map multicast dynamic` adds each registered spoke to the hub\'s multicast list, so EIGRP\'s hellos reach it.',
            'Run to 30 s. `show dmvpn` on the hub lists three peers with attribute **D** (dynamic); on Spoke-1 it lists one, the hub, with **S** (static). EIGRP 10 forms one adjacency per spoke, with the hub only: a spoke\'s multicast goes to the hub alone, so the spokes never hear each other\'s hellos.',
        ], [
            button('Run to 30 s', {'kind': 'run-to', 'seconds': 30}),
            button('show dmvpn on the hub and on Spoke-1', {'kind': 'all', 'actions': [
                {'kind': 'cli', 'device': 'Hub', 'lines': ['show dmvpn']},
                {'kind': 'cli', 'device': 'Spoke-1', 'lines': ['show dmvpn']},
            ]}),
        ], [
            {'label': 'Spoke-1\'s registration with its NHS is answered (show dmvpn: UP)', 'kind': 'adjacency',
             'device': 'Spoke-1', 'protocol': 'nhrp', 'neighbor': '192.168.100.1', 'interface': 'Tunnel10'},
            nhrp_entry('The hub learnt Spoke-2 (192.168.100.3 at 172.37.1.1) from its registration', 'Hub',
                       '192.168.100.3', '172.37.1.1', 'dynamic'),
            {'label': 'The hub has Spoke-1 as EIGRP neighbour on Tunnel10', 'kind': 'adjacency', 'device': 'Hub',
             'protocol': 'eigrp', 'neighbor': '192.168.100.2', 'interface': 'Tunnel10'},
            {'label': 'Spoke-1 has no EIGRP adjacency with Spoke-2', 'kind': 'adjacency', 'device': 'Spoke-1',
             'protocol': 'eigrp', 'neighbor': '192.168.100.3', 'up': False},
            route('Spoke-1 learnt the hub\'s LAN 192.168.1.0/24 via 192.168.100.1', 'Spoke-1', '192.168.1.0/24',
                  'eigrp', '192.168.100.1', 'Tunnel10'),
        ]),
        step('Split horizon hides the other spokes', [
            'EIGRP split horizon is on by default, on tunnel interfaces too: a router does not advertise a route out of the interface it uses to reach it. The hub reaches Spoke-2\'s LAN 192.168.12.0/24 through Tunnel10, so it never sends that route back out of Tunnel10, to Spoke-1 or Spoke-3. `show ip eigrp interfaces Tunnel10 detail` on the hub says `Split-horizon is enabled`.',
            'Spoke-1\'s routing table has the hub\'s LAN but no other spoke\'s. Traffic to 192.168.12.1 follows Spoke-1\'s default route to the provider, unencrypted and outside the tunnel, and SP has no route for it (it knows only the WAN addresses): the ping from Spoke-1\'s LAN fails, `.....`.',
        ], [
            button('Spoke-1: show ip route eigrp, then ping Spoke-2\'s LAN', {'kind': 'cli', 'device': 'Spoke-1',
                   'lines': ['show ip route eigrp', PING_SPOKE2]}),
            button('Hub: show ip eigrp interfaces Tunnel10 detail', {'kind': 'cli', 'device': 'Hub',
                   'lines': ['show ip eigrp interfaces Tunnel10 detail']}),
        ], [
            NO_SPOKE2_LAN,
            route('The hub has Spoke-2\'s LAN, from Spoke-2', 'Hub', SPOKE2_LAN, 'eigrp', '192.168.100.3', 'Tunnel10'),
            show('Split horizon is on on the hub\'s Tunnel10', 'Hub', 'show ip eigrp interfaces Tunnel10 detail',
                 'Split-horizon is enabled'),
        ]),
        step('no ip split-horizon eigrp 10', [
            'On the hub, under `interface Tunnel10`, type `no ip split-horizon eigrp 10` and run 10 s. IOS resynchronises the neighbours on the interface (`%DUAL-5-NBRCHANGE: … is resync: split horizon changed`) and now advertises every spoke\'s LAN to every other spoke.',
            'But the hub still names itself as the next hop (next-hop-self, the default): its updates carry next hop 0.0.0.0, and "if the value is zero (0), the IPv4 address from the received IPv4 header is used as the next hop for the route" (RFC 7868 §6.9.3.8.1). Spoke-1 learns 192.168.12.0/24 **via 192.168.100.1**. The ping works now, but through the hub: `traceroute 192.168.12.1 source Loopback1` shows 192.168.100.1 as its first hop, and Spoke-1 never needs Spoke-2\'s NBMA address. Its NHRP cache still holds only the hub.',
        ], [
            button('no ip split-horizon eigrp 10 on the hub, run 10 s', {'kind': 'all', 'actions': [
                SPLIT_HORIZON_OFF, {'kind': 'run-for', 'seconds': 10}]}),
            button('Spoke-1: traceroute Spoke-2\'s LAN, show ip nhrp', {'kind': 'cli', 'device': 'Spoke-1',
                   'lines': [TRACE_SPOKE2, 'show ip nhrp']}),
        ], [
            route('Spoke-1 learnt Spoke-2\'s LAN via the hub (192.168.100.1)', 'Spoke-1', SPOKE2_LAN, 'eigrp',
                  '192.168.100.1', 'Tunnel10'),
            NO_SPOKE2_MAPPING,
        ]),
        step('no ip next-hop-self eigrp 10', [
            'Now `no ip next-hop-self eigrp 10` under the hub\'s Tunnel10, and run 10 s. For a route it learnt on Tunnel10 and advertises back out of Tunnel10, the hub now writes the next hop it learnt, Spoke-2\'s tunnel address, into the update, and Spoke-1 uses it ("Otherwise, the specified IPv4 address will be used", RFC 7868 §6.9.3.8.1). IOS has had this since 12.3 for DMVPN, where the default "prevents site-to-site shortcuts" (Ivan Pepelnjak, "EIGRP Third-Party Next Hops").',
            '`show ip route eigrp` on Spoke-1: 192.168.12.0/24 is **via 192.168.100.3**, an address on its own Tunnel10 for which it has no NBMA address yet. Nothing is resolved before traffic needs it: NHRP "brings up the spoke-to-spoke tunnel only when there is data traffic to use it" (Cisco, "Configuring NHRP", DMVPN phase 2).',
        ], [
            button('no ip next-hop-self eigrp 10 on the hub, run 10 s', {'kind': 'all', 'actions': [
                hub_tunnel(['no ip next-hop-self eigrp 10']), {'kind': 'run-for', 'seconds': 10}]}),
            button('Spoke-1: show ip route eigrp', {'kind': 'cli', 'device': 'Spoke-1', 'lines': ['show ip route eigrp']}),
        ], [
            route('Spoke-1 learnt Spoke-2\'s LAN with Spoke-2 (192.168.100.3) as next hop', 'Spoke-1', SPOKE2_LAN,
                  'eigrp', '192.168.100.3', 'Tunnel10'),
            NO_SPOKE2_MAPPING,
        ]),
        step('Resolution: the spoke-to-spoke tunnel', [
            'Ping Spoke-2\'s LAN from Spoke-1\'s, with `debug nhrp` on. The next hop 192.168.100.3 has no NHRP entry, so Spoke-1 sends a **Resolution Request** for it to its NHS and, meanwhile, sends the first packets to the hub, which routes them on. The hub holds Spoke-2\'s registration and forwards the request to Spoke-2, which owns the address and answers Spoke-1 **directly** with a **Resolution Reply** carrying its NBMA address 172.37.1.1 (RFC 2332 §5.2.1, §5.2.2; Cisco: "NHRP resolution request and reply packets that are sent via the spoke-hub-spoke path"). Spoke-2 learnt Spoke-1 from the request, so its answers go direct as well.',
            'From then on Spoke-1 sends GRE to 172.37.1.1 itself: `show ip nhrp` lists 192.168.100.3 as **dynamic** with NBMA address 172.37.1.1, `show dmvpn` shows a second peer with attribute D, and `traceroute 192.168.12.1 source Loopback1` has a single hop. Spoke-3 is untouched: no tunnel to it until traffic asks for one.',
        ], [
            button('Spoke-1: debug nhrp, ping Spoke-2\'s LAN', {'kind': 'cli', 'device': 'Spoke-1',
                   'lines': ['debug nhrp', PING_SPOKE2]}),
            button('Spoke-1: show ip nhrp, show dmvpn, traceroute', {'kind': 'cli', 'device': 'Spoke-1',
                   'lines': ['show ip nhrp', 'show dmvpn', TRACE_SPOKE2]}),
        ], [
            nhrp_entry('Spoke-1 resolved Spoke-2: 192.168.100.3 at NBMA 172.37.1.1, dynamic', 'Spoke-1',
                       '192.168.100.3', '172.37.1.1', 'dynamic'),
            nhrp_entry('Spoke-2 learnt Spoke-1 from the request: 192.168.100.2 at 172.27.1.1', 'Spoke-2',
                       '192.168.100.2', '172.27.1.1', 'dynamic'),
            show('Spoke-1 received one Resolution Reply (show ip nhrp traffic)', 'Spoke-1', 'show ip nhrp traffic',
                 r'^ +0 Resolution Request +1 Resolution Reply'),
            {'label': 'Spoke-1 has no tunnel to Spoke-3: nothing asked for one', 'kind': 'not',
             'check': nhrp_entry(None, 'Spoke-1', '192.168.100.4')},
        ], {'kind': 'cli', 'device': 'Spoke-1', 'lines': ['undebug nhrp']}),
        step('Split horizon back on', [
            'Put split horizon back on the hub\'s Tunnel10 and run 10 s: the hub stops advertising the spokes\' LANs to each other and Spoke-1 loses 192.168.12.0/24. Its NHRP mapping for Spoke-2 stays until its holdtime runs out, but it is no use: Cisco notes that the spoke "will not be able to use the tunnel because its routing table no longer has a route to the destination network" ("Configuring NHRP"). Traffic to 192.168.12.1 goes to the provider again.',
        ], [
            button('ip split-horizon eigrp 10 on the hub, run 10 s', {'kind': 'all', 'actions': [
                hub_tunnel(['ip split-horizon eigrp 10']), {'kind': 'run-for', 'seconds': 10}]},
                {'fault': 'split-horizon:Hub', 'undo': button('Turn split horizon off again', SPLIT_HORIZON_OFF)}),
        ], [
            NO_SPOKE2_LAN,
            nhrp_entry('Spoke-1 still maps 192.168.100.3 to 172.37.1.1', 'Spoke-1', '192.168.100.3', '172.37.1.1'),
        ]),
    ],
}

DMVPN2_DESC = '''DMVPN phase 2 with EIGRP: a hub and three spokes on one multipoint GRE tunnel (Tunnel10, 192.168.100.0/24)
across a provider that routes only the WAN addresses. The spokes register with the hub through NHRP and run EIGRP 10
with it over the tunnel; each site's LAN is a loopback (192.168.1.0/24 at the hub, 192.168.11-13.0/24 at the spokes).
The hub starts with the IOS defaults, split horizon and next-hop-self on. The lesson shows what each one does to a
spoke's routes, then follows a spoke-to-spoke NHRP resolution (Resolution Request through the hub, Reply direct)
and the dynamic tunnel it builds.'''

dmvpn2 = {
    'format': 'getlab-scenario/2',
    'title': 'DMVPN phase 2: spoke to spoke through NHRP',
    'description': DMVPN2_DESC,
    'seed': 1,
    'clock': '2026-07-07T22:55:00.000Z',
    'devices': [dmvpn2_dev(n) for n in ('Hub', 'SP', 'Spoke-1', 'Spoke-2', 'Spoke-3')],
    'links': [
        {'a': 'Hub Se1/0', 'b': 'SP Se1/0', 'delayMs': 5},
        {'a': 'Spoke-1 Se1/0', 'b': 'SP Se1/1', 'delayMs': 5},
        {'a': 'Spoke-2 Se1/0', 'b': 'SP Se1/2', 'delayMs': 5},
        {'a': 'Spoke-3 Se1/0', 'b': 'SP Se1/3', 'delayMs': 5},
    ],
    'lessons': [DMVPN2_LESSON],
}

# ---- GET VPN unicast rekey against multicast rekey (issue 17, "More than one story") ---------------------------
# The reference lab as it is (multicast rekey over the DMVPN); the lesson switches the KS to `rekey transport
# unicast` and compares what each transport needs from the network and what the KS knows of its members.
# Rekeys leave the KS every 300 s (its KEK lifetime); each step runs to the next rekey and then past its
# retransmissions (`rekey retransmit 60 number 2`: 120 s), so the next step's `next-rekey` finds a new rekey.
def rekey_count(label, count, transport=None, retransmission=None, destination=None):
    c = {'label': label} if label else {}
    c = {**c, 'kind': 'rekey-count', 'device': 'KS', 'count': count}
    if transport:
        c['transport'] = transport
    if retransmission is not None:
        c['retransmission'] = retransmission
    if destination:
        c['destination'] = destination
    return c


def event(label, device, kind):
    return {'label': label, 'kind': 'event-since-step', 'device': device, 'event': kind}


NEXT_REKEY = button('Run to the next rekey', {'kind': 'next-rekey', 'ks': 'KS'})
RETRANSMISSIONS = button('Run 2 minutes (the retransmissions)', {'kind': 'run-for', 'seconds': 125})
KS_SERVER = ['crypto gdoi group GDOI_GROUP', 'server local']
UNICAST_ON = config_lines('KS', [*KS_SERVER, 'rekey transport unicast'])
SP_ROUTE_GM2 = 'ip route 12.12.12.12 255.255.255.255 172.37.1.1'
SP_ROUTE_BACK = button('Put the route back on SP', config_lines('SP', [SP_ROUTE_GM2]))
KS_MEMBERS = 'show crypto gdoi ks members'
PIM_BACK = button('Put PIM back on Central\'s Tunnel10',
                  config_lines('Central', ['interface Tunnel10', 'ip pim sparse-mode']))
GM2_LISTED = show('', 'KS', KS_MEMBERS, r'^Group Member ID +: 12\.12\.12\.12 ')

UNICAST_LESSON = {
    'id': 'unicast-rekey',
    'title': 'Unicast rekey against multicast rekey',
    'steps': [
        step('One multicast rekey for the whole group', [
            'This is the article\'s lab. The KS sends each rekey (a GROUPKEY-PUSH message, RFC 6407 §4) once, to the group address 239.10.10.1 that `rekey address ipv4 MULTICAST_REKEY` names: multicast is the default rekey transport (Cisco GET VPN Configuration Guide: without `rekey transport unicast` the KS sends multicast rekeys).',
            'Run to the first rekey and two minutes more. One message leaves the KS for all three members (Central, GM-1 and GM-2). No member acknowledges a multicast rekey, so the KS cannot know who got it: it simply sends the message again as `rekey retransmit 60 number 2` says, 60 s and 120 s later.',
            '`show crypto gdoi` on the KS says `Group Name : GDOI_GROUP (Multicast)`; `show crypto gdoi ks members` counts `Rekeys sent` and `Rekeys retries` for each member, and no acknowledgements.',
        ], [NEXT_REKEY, RETRANSMISSIONS], [
            rekey_count('The KS sent one multicast rekey for the whole group', 1, 'multicast', False),
            rekey_count('It retransmitted it twice, to the group: nobody acknowledges a multicast rekey', 2,
                        'multicast', True),
            event('GM-1 received the rekey', 'GM-1', 'rekey-received'),
            event('GM-2 received the rekey', 'GM-2', 'rekey-received'),
            show('The KS runs a multicast group', 'KS', 'show crypto gdoi', r'Group Name +: GDOI.GROUP \(Multicast\)'),
        ]),
        step('What a multicast rekey needs from the core', [
            'The provider here runs no multicast, so the rekey rides the DMVPN tunnel: PIM sparse mode on Tunnel10, the hub replicating the packet to every spoke that joined 239.10.10.1, and on each spoke `ip mroute 1.1.1.1 255.255.255.255 192.168.100.1` so that the RPF check towards the KS points at the tunnel (RFC 7761 §4.2). Every member needs all of it.',
            'Remove the mroute on GM-2 and run to the next rekey: GM-2 drops it on RPF. The KS sent it as before and still counts GM-2 as a member: without acknowledgements it cannot tell. GM-2 keeps its keys only by registering again when its KEK runs out (Cisco, "GETVPN KEK Rekey Behavior Change").',
            'Leave the mroute out: the next steps show that a unicast rekey does not need it.',
        ], [
            button('Remove ip mroute on GM-2', fault('mroute', 'GM-2', True),
                   {'fault': 'mroute:GM-2', 'undo': MROUTE_BACK}),
            NEXT_REKEY, RETRANSMISSIONS,
        ], [
            event('GM-2 drops multicast from the KS on RPF (timeline)', 'GM-2', 'rpf-drop'),
            {'label': 'GM-2 received no rekey', 'kind': 'not',
             'check': {'kind': 'event-since-step', 'device': 'GM-2', 'event': 'rekey-received'}},
            event('GM-1, with its mroute, received the rekey', 'GM-1', 'rekey-received'),
            rekey_count('The KS sent one multicast rekey, as before', 1, 'multicast', False),
        ]),
        step('Switch to unicast rekey', [
            '`rekey transport unicast` under `server local` makes the KS send each rekey to every registered member\'s own address, one GROUPKEY-PUSH per member, and each member answers with an acknowledgement (Cisco GET VPN Configuration Guide, "Unicast Rekeying"; the ACK is RFC 8263\'s GROUPKEY-PUSH ACK). Here `rekey address ipv4 MULTICAST_REKEY` stays in the configuration; the unicast transport takes over from it.',
            'The KS logs `%GDOI-5-POLICY_CHANGE` and applies the change with the next rekey. Run to it: three messages leave the KS, to 2.2.2.2, 11.11.11.11 and 12.12.12.12. They travel as plain unicast through the provider, as the registrations do: no tunnel, no PIM, no mroute. GM-2 gets its rekey although its mroute is still missing.',
            'Every member acknowledges, so the KS retransmits nothing: a unicast rekey is sent again only to the members that have not acknowledged it. `show crypto gdoi` on the KS now says `(Unicast)`, and `show crypto gdoi ks members` counts `Rekey Acks Rcvd` per member.',
        ], [
            button('rekey transport unicast on the KS', UNICAST_ON),
            NEXT_REKEY, RETRANSMISSIONS,
        ], [
            show('The KS runs a unicast group', 'KS', 'show crypto gdoi', r'Group Name +: GDOI.GROUP \(Unicast\)'),
            rekey_count('The KS sent one unicast rekey per member', 3, 'unicast', False),
            rekey_count('It retransmitted none: every member acknowledged', 0, None, True),
            event('GM-2 received its rekey without the mroute', 'GM-2', 'rekey-received'),
            {'label': 'GM-2 still fails the RPF check on Tunnel10: the mroute is still missing', 'kind': 'not',
             'check': RPF_GM2},
        ]),
        step('A core with no multicast at all', [
            'A unicast rekey needs nothing from the network but a unicast route to each member\'s registration address. Take multicast out of the DMVPN: `no ip pim sparse-mode` on the hub\'s Tunnel10. The spokes lose their PIM neighbour on the tunnel, and a multicast rekey could no longer reach any spoke.',
            'Run to the next rekey: every member still gets its own copy, and every member holds the group\'s current TEK.',
        ], [
            button('no ip pim sparse-mode on Central\'s Tunnel10',
                   config_lines('Central', ['interface Tunnel10', 'no ip pim sparse-mode']),
                   {'fault': 'pim:Central', 'undo': PIM_BACK}),
            NEXT_REKEY, RETRANSMISSIONS,
        ], [
            {'label': 'GM-2 has no PIM neighbour on Tunnel10 any more', 'kind': 'adjacency', 'device': 'GM-2',
             'protocol': 'pim', 'neighbor': '192.168.100.1', 'interface': 'Tunnel10', 'up': False},
            rekey_count('The KS sent one unicast rekey per member', 3, 'unicast', False),
            event('GM-1 received its rekey', 'GM-1', 'rekey-received'),
            event('GM-2 received its rekey', 'GM-2', 'rekey-received'),
            {'label': 'GM-1 holds the group\'s current TEK', 'kind': 'gm-current-tek', 'device': 'GM-1'},
            {'label': 'GM-2 holds the group\'s current TEK', 'kind': 'gm-current-tek', 'device': 'GM-2'},
        ]),
        step('A member that stops answering', [
            'With acknowledgements the KS knows who holds the new keys. Cut GM-2 off from unicast: remove the provider\'s route to 12.12.12.12, the loopback GM-2 registered from. Its rekeys, and so its ACKs, are lost.',
            'Run to the next rekey: the KS sends to all three members, then retransmits twice to 12.12.12.12 alone. When the retransmissions are over, `show crypto gdoi ks members` counts one missed ACK for GM-2.',
        ], [
            button('Remove the route to 12.12.12.12 on SP', config_lines('SP', [f'no {SP_ROUTE_GM2}']),
                   {'fault': 'route:SP', 'undo': SP_ROUTE_BACK}),
            NEXT_REKEY, button('Run 3 minutes (the retransmissions)', {'kind': 'run-for', 'seconds': 185}),
        ], [
            rekey_count('The KS sent one unicast rekey per member', 3, 'unicast', False),
            rekey_count('It retransmitted twice to 12.12.12.12', 2, None, True, '12.12.12.12'),
            rekey_count('…and to no one else', 2, None, True),
            show('The KS counts a missed ACK for GM-2', 'KS', KS_MEMBERS, r'^ Rekey Acks missed : 1$'),
        ]),
        step('Three missed rekeys: out of the group', [
            'Cisco: in a unicast group the KS "removes the group member from its active list and stops sending the rekey messages to that particular group member if the key server does not receive an ACK message for three consecutive rekeys"; it never does so in multicast mode, where members cannot acknowledge (GET VPN Configuration Guide, "Unicast Rekeying").',
            'Run ten minutes: two more rekeys go unanswered and the KS removes 12.12.12.12. `show crypto gdoi` counts two members; GM-2 is no longer listed in `show crypto gdoi ks members`.',
        ], [button('Run 10 minutes', {'kind': 'run-for', 'seconds': 600})], [
            {'label': 'The KS removed 12.12.12.12 from the group', 'kind': 'not', 'check': GM2_LISTED},
            show('The KS has two members left', 'KS', 'show crypto gdoi', r'Group Members +: 2$'),
        ]),
        step('Rekeys for the members left', [
            'Run to the next rekey: the KS sends two messages, to 2.2.2.2 and 11.11.11.11. A removed member "has to fully re-register with the key server after its current SA expires" to get rekeys again (GET VPN Configuration Guide, "Unicast Rekeying").',
        ], [NEXT_REKEY], [
            rekey_count('The KS sent two unicast rekeys: GM-2 gets none', 2, 'unicast', False),
            rekey_count('None to 12.12.12.12', 0, None, None, '12.12.12.12'),
        ]),
    ],
}

UNICAST_DESC = '''The reference lab (the article *GET VPN: Rekey using Multicast*), to compare the two ways a GET VPN key
server delivers its rekeys. It starts as the article has it: one multicast rekey to 239.10.10.1, carried over the
DMVPN tunnel with PIM sparse mode and a static `ip mroute` on each spoke. The lesson breaks that path, then switches
the KS to `rekey transport unicast`: one rekey per member, acknowledged, delivered over plain unicast routing through
a core that carries no multicast at all, with retransmissions only to the members that did not acknowledge and a
member removed after three missed rekeys.'''

unicast_rekey = {
    **full,
    'format': 'getlab-scenario/2',
    'title': 'GET VPN unicast rekey against multicast rekey',
    'description': UNICAST_DESC,
    'lessons': [UNICAST_LESSON],
}

out = root / 'public' / 'scenarios'
out.mkdir(parents=True, exist_ok=True)
# Format 2 for the reference lab alone: the variants built from `full` above stay format 1 without lessons.
full_v2 = {**full, 'format': 'getlab-scenario/2', 'lessons': [ARTICLE_LESSON]}
(out / 'getvpn-multicast-rekey.json').write_text(json.dumps(full_v2, indent=2, ensure_ascii=False) + '\n')
(out / 'getvpn-as-printed.json').write_text(json.dumps(as_printed, indent=2) + '\n')
(out / 'getvpn-bsr.json').write_text(json.dumps(bsr, indent=2) + '\n')
(out / 'autorp-sparse-mode.json').write_text(json.dumps(autorp, indent=2, ensure_ascii=False) + '\n')
(out / 'dmvpn-phase2.json').write_text(json.dumps(dmvpn2, indent=2, ensure_ascii=False) + '\n')
(out / 'getvpn-unicast-rekey.json').write_text(json.dumps(unicast_rekey, indent=2, ensure_ascii=False) + '\n')
(out / 'index.json').write_text(json.dumps([
    {'file': 'getvpn-multicast-rekey.json', 'title': 'Reference lab (completed)'},
    {'file': 'getvpn-as-printed.json', 'title': 'Article as printed'},
    {'file': 'getvpn-bsr.json', 'title': 'Reference lab with BSR instead of Auto-RP'},
    {'file': 'autorp-sparse-mode.json', 'title': 'Auto-RP in sparse mode'},
    {'file': 'dmvpn-phase2.json', 'title': 'DMVPN phase 2: spoke to spoke through NHRP'},
    {'file': 'getvpn-unicast-rekey.json', 'title': 'GET VPN unicast rekey against multicast rekey'},
], indent=2) + '\n')
print('wrote', out)
