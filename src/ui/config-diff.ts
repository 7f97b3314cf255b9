// The router panel's config editor: turns an edited running-config into the configuration-mode lines IOS
// accepts (removed lines as `no …`, added lines inside their parent section), and maps the CLI's answers back
// to editor lines. Pure: no DOM, no worker.

/** One line of a config with the lines indented under it (IOS indents each sub-mode by one space). */
export interface ConfigNode {
  /** The command as IOS reads it: indentation dropped, runs of spaces collapsed. */
  readonly text: string;
  /** 0-based line in the text it was parsed from. */
  readonly line: number;
  /** Leading spaces on that line (columns of a diagnostic are shifted by it). */
  readonly indent: number;
  readonly children: readonly ConfigNode[];
}

/** Lines of `show running-config` that are not commands: the banner, `!` separators, `end`. */
function isCommand(trimmed: string): boolean {
  if (trimmed === '' || trimmed.startsWith('!') || trimmed === 'end') return false;
  if (trimmed === 'Building configuration...') return false;
  return !/^Current configuration\s*:/.test(trimmed);
}

interface Building {
  text: string;
  line: number;
  indent: number;
  children: Building[];
}

/** Parses config text into its section tree by indentation, as IOS nests sub-modes. */
export function parseConfigTree(text: string): ConfigNode[] {
  const roots: Building[] = [];
  const stack: Building[] = [];
  text.split('\n').forEach((raw, line) => {
    const trimmed = raw.replace(/\s+$/, '').trim();
    if (!isCommand(trimmed)) return;
    const indent = raw.length - raw.trimStart().length;
    const node: Building = { text: trimmed.replace(/\s+/g, ' '), line, indent, children: [] };
    while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  });
  return roots;
}

/** One line to send in configuration mode, with where it came from in the editor. */
export interface ConfigStep {
  /** The section lines to be in first (outermost first), e.g. `['interface Tunnel10']`. */
  readonly path: readonly string[];
  /** Editor lines of the path's sections (undefined where the section exists only in the old config). */
  readonly pathLines: readonly (number | undefined)[];
  readonly command: string;
  /** Editor line the command stands for; undefined for a removal (the line is gone from the editor). */
  readonly line?: number;
  /** Indent of that editor line. */
  readonly indent: number;
  readonly removal: boolean;
}

/** IOS's negation of a config line: `no x` for `x`, and `x` for a line that is itself `no x`. */
export function negate(text: string): string {
  return text.startsWith('no ') ? text.slice(3) : `no ${text}`;
}

function byText(nodes: readonly ConfigNode[]): Map<string, ConfigNode> {
  const m = new Map<string, ConfigNode>();
  for (const n of nodes) if (!m.has(n.text)) m.set(n.text, n);
  return m;
}

/** The added line and everything under it, parents first (entering each sub-mode before its lines). */
function additions(
  node: ConfigNode,
  path: readonly string[],
  pathLines: readonly (number | undefined)[],
): ConfigStep[] {
  const steps: ConfigStep[] = [
    { path, pathLines, command: node.text, line: node.line, indent: node.indent, removal: false },
  ];
  for (const c of node.children) steps.push(...additions(c, [...path, node.text], [...pathLines, node.line]));
  return steps;
}

/**
 * The configuration-mode lines that turn `before` into `after`, section by section: removals first (a line
 * whose value changed is removed, then entered anew, as `no ip address …` then `ip address …`), then
 * additions. A removed section is removed whole (`no interface Tunnel20`), as IOS does.
 */
export function diffConfig(before: string, after: string): ConfigStep[] {
  return diffNodes(parseConfigTree(before), parseConfigTree(after), [], []);
}

function diffNodes(
  before: readonly ConfigNode[],
  after: readonly ConfigNode[],
  path: readonly string[],
  pathLines: readonly (number | undefined)[],
): ConfigStep[] {
  const oldByText = byText(before);
  const newByText = byText(after);
  const steps: ConfigStep[] = [];
  for (const n of before) {
    if (newByText.has(n.text)) continue;
    steps.push({ path, pathLines, command: negate(n.text), indent: n.indent, removal: true });
  }
  for (const n of after) {
    const old = oldByText.get(n.text);
    if (!old) {
      steps.push(...additions(n, path, pathLines));
      continue;
    }
    steps.push(...diffNodes(old.children, n.children, [...path, n.text], [...pathLines, n.line]));
  }
  return steps;
}

/** A diagnostic the CLI printed for a line: the message and, for `% Invalid input`, the column of the `^`. */
export interface CliDiagnostic {
  readonly message: string;
  /** 0-based column in the command as sent. */
  readonly column?: number;
}

/**
 * Reads what the console printed after a configuration line: undefined when it was accepted. IOS draws the
 * `^` under the typed line, so its column counts the prompt: `promptLength` is subtracted.
 */
export function cliDiagnostic(output: string, promptLength: number): CliDiagnostic | undefined {
  const lines = output.split('\n');
  const error = lines.find((l) => l.startsWith('%'));
  if (!error) return undefined;
  const caret = lines.find((l) => /^\s*\^\s*$/.test(l));
  if (caret === undefined) return { message: error.trim() };
  return { message: error.trim(), column: Math.max(0, caret.indexOf('^') - promptLength) };
}

/** An editor line's diagnostic, positioned for drawing under the line. */
export interface LineDiagnostic {
  readonly line: number;
  /** 0-based column in the editor line (indentation included). */
  readonly column?: number;
  readonly message: string;
  readonly command: string;
}

/** The configuration-mode depth a prompt shows: `R(config)#` is 0, any `R(config-…)#` is at least 1. */
export function promptDepth(prompt: string): number | undefined {
  if (/\(config\)#$/.test(prompt)) return 0;
  if (/\(config-[^)]*\)#$/.test(prompt)) return 1;
  return undefined;
}

/** What running one console line answered. */
export interface LineAnswer {
  readonly output: string;
  readonly prompt: string;
}

/** Runs one console line on the device being edited. */
export type RunLine = (line: string) => Promise<LineAnswer>;

export interface ApplyResult {
  /** The lines sent, `configure terminal` and `end` included. */
  readonly sent: readonly string[];
  /** Diagnostics of lines the editor shows. */
  readonly diagnostics: readonly LineDiagnostic[];
  /** Diagnostics of removed lines (no editor line to show them at). */
  readonly removals: readonly LineDiagnostic[];
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Applies an edited config through the console: `configure terminal`, each step in its section, `end`. The
 * prompt after each line tells where IOS is: back at `(config)#` after a global command, one sub-mode deeper
 * after a section line.
 */
export async function applyConfigEdit(
  before: string,
  after: string,
  run: RunLine,
  startPrompt: string,
): Promise<ApplyResult> {
  const steps = diffConfig(before, after);
  const sent: string[] = [];
  const diagnostics: LineDiagnostic[] = [];
  const removals: LineDiagnostic[] = [];
  if (steps.length === 0) return { sent, diagnostics, removals };
  let prompt = startPrompt;
  let current: string[] = [];
  const send = async (command: string): Promise<CliDiagnostic | undefined> => {
    sent.push(command);
    const promptLength = prompt.length;
    const answer = await run(command);
    prompt = answer.prompt;
    if (promptDepth(prompt) === 0) current = [];
    return cliDiagnostic(answer.output, promptLength);
  };
  const note = (d: CliDiagnostic, command: string, line: number | undefined, indent: number): void => {
    const column = d.column !== undefined ? d.column + indent : undefined;
    const entry = { message: d.message, command, ...(column !== undefined ? { column } : {}) };
    if (line === undefined) removals.push({ line: -1, ...entry });
    else diagnostics.push({ line, ...entry });
  };

  await send('configure terminal');
  for (const step of steps) {
    const keep = commonPrefix(current, step.path);
    for (let i = current.length; i > keep; i--) await send('exit');
    current = current.slice(0, keep);
    for (let i = keep; i < step.path.length; i++) {
      const section = step.path[i] ?? '';
      const d = await send(section);
      if (d) note(d, section, step.pathLines[i], 0);
      else current = [...step.path.slice(0, i + 1)];
    }
    const before = prompt;
    const d = await send(step.command);
    if (d) note(d, step.command, step.line, step.indent);
    else if (prompt !== before && (promptDepth(prompt) ?? 0) > 0) current = [...step.path, step.command];
  }
  await send('end');
  return { sent, diagnostics, removals };
}
