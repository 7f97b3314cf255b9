/**
 * `crypto ipsec profile` and its `(ipsec-profile)` sub-mode, and the lines they print in the running-config.
 * On a GDOI key server the profile's SA lifetime is the TEK lifetime it gives its group (default 3600 s, not
 * printed).
 */
import type { ConfigCommand, ConfigContext } from '../../config/context';
import { frameAs, intParam, selectOrRemove, strParam } from '../../config/context';
import { type Editor, negatableParameter } from '../../config/negatable';
import type { GlobalRunningConfig } from '../descriptor';
import type { IpsecProfile } from './config-model';

declare module '../../config/context' {
  interface ConfigModeFrames {
    'ipsec-profile': { readonly profile: string };
  }
}

export const globalIpsecProfileCommands: readonly ConfigCommand[] = [
  {
    syntax: 'crypto ipsec profile <name:word>',
    help: {
      crypto: 'Encryption module',
      ipsec: 'Configure IPSEC policy',
      profile: 'Configure an ipsec policy profile',
      name: 'Profile name',
    },
    run: (ctx, m) => {
      const name = strParam(m, 'name');
      const profiles = ctx.model.crypto.ipsecProfiles;
      if (
        selectOrRemove(
          profiles,
          (p) => p.name === name,
          () => ({ name }),
          m.negated,
        )
      )
        ctx.enter({ mode: 'ipsec-profile', profile: name });
      ctx.changed('crypto', name);
    },
  },
];

/** The profile the `(ipsec-profile)` frame edits. */
const editProfile: Editor<IpsecProfile> = (ctx: ConfigContext, change) => {
  const name = frameAs(ctx, 'ipsec-profile').profile;
  const profile = ctx.model.crypto.ipsecProfiles.find((p) => p.name === name);
  if (!profile) throw new Error(`ipsec profile ${name} vanished`);
  change(profile);
  ctx.changed('crypto', name);
};

export const ipsecProfileCommands: readonly ConfigCommand[] = [
  negatableParameter({
    syntax: 'set transform-set <name:word>',
    help: {
      set: 'Specify profile configuration parameters',
      'transform-set': 'Specify list of transform sets in priority order',
      name: 'Transform set name',
    },
    edit: editProfile,
    key: 'transformSet',
    value: (m) => strParam(m, 'name'),
  }),
  negatableParameter({
    // IOS range 120-2592000 s; the default 3600 s is not printed.
    syntax: 'set security-association lifetime seconds <secs:int:120-2592000>',
    help: {
      set: 'Specify profile configuration parameters',
      'security-association': 'Security association parameters',
      lifetime: 'security association lifetime',
      seconds: 'Time-based key duration in seconds',
      secs: '<120-2592000>',
    },
    edit: editProfile,
    key: 'lifetimeSeconds',
    value: (m) => intParam(m, 'secs'),
  }),
];

function renderProfile(p: IpsecProfile): string[] {
  return [
    `crypto ipsec profile ${p.name}`,
    ...(p.lifetimeSeconds !== undefined
      ? [` set security-association lifetime seconds ${p.lifetimeSeconds}`]
      : []),
    ...(p.transformSet ? [` set transform-set ${p.transformSet}`] : []),
  ];
}

/** One block per profile, after the transform sets. */
export const IPSEC_PROFILE_RUNNING_CONFIG: GlobalRunningConfig = {
  anchor: 'crypto-ipsec',
  render: (model) => model.crypto.ipsecProfiles.map(renderProfile),
};
