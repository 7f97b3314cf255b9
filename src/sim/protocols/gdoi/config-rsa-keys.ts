/**
 * `crypto key generate rsa … label L modulus N` and `crypto key zeroize rsa`: the key pair a GDOI key server
 * signs its rekeys with (`rekey authentication mypubkey rsa L`). Key generation is an action whose result IOS
 * keeps in NVRAM (the private config), not in the running-config ("crypto key generate rsa": Cisco IOS Security
 * Command Reference), so `show running-config` never lists it; a scenario file has no NVRAM and carries the
 * generation line instead (`scenario` below).
 */
import type { ConfigCommand } from '../../config/context';
import { intParam, optStrParam, removeWhere, strParam } from '../../config/context';
import type { RouterConfig } from '../../config/model';
import type { RsaKeyRequest } from './config-model';

const KEY_HELP = { crypto: 'Encryption module', key: 'Long term key operations' };

export const globalRsaKeyCommands: readonly ConfigCommand[] = [
  {
    syntax:
      'crypto key generate rsa [general-keys] label <label:word> modulus <bits:int:360-4096> [exportable]',
    noForm: false,
    help: {
      ...KEY_HELP,
      generate: 'Generate new keys',
      rsa: 'Generate RSA keys',
      'general-keys': 'Generate a general purpose RSA key pair for signing and encryption',
      label: 'Provide a label',
      modulus: 'Provide number of modulus bits on the command line',
      exportable: 'Allow the key to be exported',
    },
    run: (ctx, m) => {
      const label = strParam(m, 'label');
      const modulus = intParam(m, 'bits');
      const exportable = m.has('exportable');
      const keys = ctx.model.crypto.rsaKeys;
      if (keys.some((k) => k.label === label)) {
        ctx.print(`% You already have RSA keys defined named ${label}.`);
        ctx.print('% They will be replaced.');
        removeWhere(keys, (k) => k.label === label);
      }
      keys.push({ label, modulus, exportable });
      ctx.print(`The name for the keys will be: ${label}`);
      ctx.print('');
      ctx.print(`% The key modulus size is ${modulus} bits`);
      ctx.print(
        `% Generating ${modulus} bit RSA keys, keys will be ${exportable ? '' : 'non-'}exportable...`,
      );
      ctx.print('[OK] (elapsed time was 0 seconds)');
      ctx.changed('crypto', label);
    },
  },
  {
    // The way IOS removes generated keys (there is no `no crypto key generate`).
    syntax: 'crypto key zeroize rsa [<label:word>]',
    noForm: false,
    help: {
      ...KEY_HELP,
      zeroize: 'Remove keys',
      rsa: 'Remove RSA keys',
      label: 'RSA key pair label',
    },
    run: (ctx, m) => {
      const label = optStrParam(m, 'label');
      removeWhere(ctx.model.crypto.rsaKeys, (k) => label === undefined || k.label === label);
      ctx.changed('crypto', label);
    },
  },
];

function renderKeyGeneration(k: RsaKeyRequest): string {
  return `crypto key generate rsa general-keys label ${k.label} modulus ${k.modulus}${k.exportable ? ' exportable' : ''}`;
}

/** The generation lines a scenario needs to recreate the key store. */
export function renderRsaKeyGeneration(model: RouterConfig): string[] {
  return model.crypto.rsaKeys.map(renderKeyGeneration);
}
