/**
 * The topology editor's edits (issue 17): plain data the page sends to the worker, which applies them to the
 * scenario text (apply-edit.ts). An edit is a pure function of the text, so undo is keeping the previous text.
 */

/** The palette's roles: each starts from a working template config in the article's style (templates.ts). */
export type EditRole = 'key-server' | 'hub' | 'spoke' | 'provider' | 'router';

export interface EditRoleInfo {
  readonly role: EditRole;
  readonly label: string;
  readonly description: string;
}

export const EDIT_ROLES: readonly EditRoleInfo[] = [
  {
    role: 'key-server',
    label: 'Key server',
    description:
      "A GET VPN key server: a second KS for the lab's GDOI group, with its own loopback, an RSA key and a multicast rekey.",
  },
  {
    role: 'hub',
    label: 'DMVPN hub',
    description:
      'A DMVPN hub (NHS): mGRE tunnel with dynamic NHRP multicast mappings, EIGRP and PIM NBMA mode over the tunnel.',
  },
  {
    role: 'spoke',
    label: 'Spoke / group member',
    description:
      'A DMVPN spoke and GET VPN group member: joins the DMVPN with the hub as NHS, EIGRP, PIM and the GDOI group, with the static mroute toward the key server over the tunnel.',
  },
  {
    role: 'provider',
    label: 'Provider cloud',
    description:
      "The service provider: routes between the sites' public addresses and loopbacks with static routes.",
  },
  {
    role: 'router',
    label: 'Plain router',
    description: 'A router with a hostname and a loopback, nothing else configured.',
  },
];

export interface InterfaceRef {
  readonly device: string;
  readonly interface: string;
}

export type EditOp =
  | {
      readonly kind: 'add-router';
      readonly role: EditRole;
      readonly x: number;
      readonly y: number;
      readonly name?: string;
    }
  | {
      readonly kind: 'add-link';
      readonly a: InterfaceRef;
      readonly b: InterfaceRef;
      readonly autoAddress: boolean;
    }
  | { readonly kind: 'delete-device'; readonly device: string }
  /** The link that has this end. */
  | { readonly kind: 'delete-link'; readonly end: InterfaceRef }
  /** The hostname line follows, and so do links, descriptions naming it, and lessons' device fields. */
  | { readonly kind: 'rename'; readonly device: string; readonly to: string }
  | { readonly kind: 'move'; readonly device: string; readonly x: number; readonly y: number };

export interface EditResult {
  /** The new scenario file text (always format getlab-scenario/2), absent when the edit is refused. */
  readonly text?: string;
  /** Why the edit was refused, in plain language ("GM-3 has no interface Serial9/0"). */
  readonly error?: string;
  /** add-router: the new device's name (GM-3, KS-2, ...). */
  readonly device?: string;
}
