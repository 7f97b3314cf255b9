/**
 * The configuration modes: their commands, IOS prompt suffix and parent (for the parent-mode fallback). The core
 * modes (global, interface, the named-ACL sub-modes) hold the core IOS commands; every protocol descriptor adds
 * its commands to them and declares its own sub-modes (`config` in `protocols/descriptor.ts`).
 */
import { PROTOCOLS } from '../protocols/registry';
import { extendedNaclCommands, globalAclCommands, standardNaclCommands } from './commands/acl';
import { commonCommands } from './commands/common';
import { globalCommands } from './commands/global';
import { interfaceCommands } from './commands/interface';
import { routingCommands } from './commands/routing';
import type { ConfigCommand, ConfigContext, ConfigModeName } from './context';
import { CommandTree } from './grammar';

export interface ModeDefinition {
  /** IOS prompt suffix, e.g. `(config-if)`. */
  readonly prompt: string;
  readonly commands: readonly ConfigCommand[];
}

const CORE_MODES: ReadonlyMap<string, ModeDefinition> = new Map([
  ['global', { prompt: '(config)', commands: [...globalCommands, ...routingCommands, ...globalAclCommands] }],
  ['interface', { prompt: '(config-if)', commands: interfaceCommands }],
  ['std-nacl', { prompt: '(config-std-nacl)', commands: standardNaclCommands }],
  ['ext-nacl', { prompt: '(config-ext-nacl)', commands: extendedNaclCommands }],
]);

/** Core modes, then each descriptor's sub-modes, each with the commands every descriptor adds to it. */
function buildModes(): ReadonlyMap<string, ModeDefinition> {
  const prompts = new Map<string, string>([...CORE_MODES].map(([mode, d]) => [mode, d.prompt]));
  const commands = new Map<string, ConfigCommand[]>(
    [...CORE_MODES].map(([mode, d]) => [mode, [...d.commands]]),
  );
  for (const p of PROTOCOLS) {
    for (const sub of p.config?.subModes ?? []) {
      if (prompts.has(sub.mode)) throw new Error(`${p.id}: config mode ${sub.mode} declared twice`);
      prompts.set(sub.mode, sub.prompt);
      commands.set(sub.mode, []);
    }
  }
  for (const p of PROTOCOLS) {
    for (const c of p.config?.commands ?? []) {
      const list = commands.get(c.mode);
      if (!list) throw new Error(`${p.id}: commands for undeclared config mode ${c.mode}`);
      list.push(...c.commands);
    }
  }
  return new Map(
    [...prompts].map(([mode, prompt]) => [mode, { prompt, commands: commands.get(mode) ?? [] }]),
  );
}

const MODES = buildModes();

/** A declared mode's definition (a mode frame names a mode some descriptor declared). */
export function modeDefinition(mode: ConfigModeName): ModeDefinition {
  const d = MODES.get(mode);
  if (!d) throw new Error(`config mode ${mode} is not declared by any protocol`);
  return d;
}

const trees = new Map<ConfigModeName, CommandTree<ConfigContext>>();

/** Trees are immutable and built once per mode, shared by every session. */
export function modeTree(mode: ConfigModeName): CommandTree<ConfigContext> {
  let tree = trees.get(mode);
  if (!tree) {
    tree = new CommandTree([...modeDefinition(mode).commands, ...commonCommands], { noFormDefault: true });
    trees.set(mode, tree);
  }
  return tree;
}
