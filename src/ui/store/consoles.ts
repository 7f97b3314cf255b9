// Consoles: one IOS terminal per device, keyed by device name in a Map (a device may be named `constructor` or
// `__proto__`; a plain object would hand back its prototype's members).
import type { LabView, TraceRecord } from '../../worker/protocol';
import { type LineAnswer, applyConfigEdit } from '../config-diff';
import { appendTranscript, withNewline } from '../format';
import { errorText } from './constants';
import type { ConsoleState, ConsolesSlice, GetState, SetState } from './state';

/** Lines of history a console keeps (Up/Down). */
const MAX_HISTORY = 100;

function freshConsole(device: string): ConsoleState {
  return { transcript: '', prompt: `${device}#`, history: [] };
}

/** `consoles` with `device`'s console replaced by `update(console)` (a fresh one when the device has none). */
function withConsole(
  consoles: ReadonlyMap<string, ConsoleState>,
  device: string,
  update: (c: ConsoleState) => ConsoleState,
): ReadonlyMap<string, ConsoleState> {
  const next = new Map(consoles);
  next.set(device, update(consoles.get(device) ?? freshConsole(device)));
  return next;
}

export function createConsolesSlice(set: SetState, get: GetState): ConsolesSlice {
  function promptOf(device: string): string {
    return get().consoles.get(device)?.prompt ?? `${device}#`;
  }

  function appendConsole(device: string, text: string, prompt?: string): void {
    set((s) => ({
      consoles: withConsole(s.consoles, device, (c) => ({
        ...c,
        transcript: appendTranscript(c.transcript, text),
        prompt: prompt ?? c.prompt,
      })),
    }));
  }

  function remember(device: string, line: string): void {
    set((s) => {
      const c = s.consoles.get(device);
      if (!c || line.trim() === '' || c.history[c.history.length - 1] === line) return s;
      const history = [...c.history, line].slice(-MAX_HISTORY);
      return { consoles: withConsole(s.consoles, device, () => ({ ...c, history })) };
    });
  }

  return {
    consoles: new Map(),

    async exec(device, line) {
      // Back re-simulates to a step's end: a line typed since then would be replayed out of place.
      get().forgetSteps();
      remember(device, line);
      const answer = await get().call(async (api): Promise<LineAnswer | undefined> => {
        appendConsole(device, `${promptOf(device)}${line}\n`);
        try {
          const r = await api.exec(device, line);
          appendConsole(device, withNewline(r.output), r.prompt);
          get().ingest({ records: r.records, now: r.now, markers: r.markers ?? [] });
          return { output: r.output, prompt: r.prompt };
        } catch (e) {
          appendConsole(device, `% GETLab could not run the command: ${errorText(e)}\n`);
          return undefined;
        }
      });
      await get().refreshLab();
      return answer;
    },

    async help(device, partial) {
      await get().call(async (api) => {
        appendConsole(device, `${promptOf(device)}${partial}?\n`);
        try {
          appendConsole(device, withNewline(await api.help(device, partial)));
        } catch (e) {
          appendConsole(device, `% GETLab could not list the help: ${errorText(e)}\n`);
        }
      });
    },

    async complete(device, partial) {
      try {
        return await get().call((api) => api.complete(device, partial));
      } catch {
        return partial;
      }
    },

    async applyConfig(device, before, after) {
      const prompt = promptOf(device);
      // The editor's lines go through the console like typed ones: they are in the transcript and the history
      // a rewind replays. A session left in configuration mode is brought back to EXEC first.
      if (prompt.includes('(config')) await get().exec(device, 'end');
      return applyConfigEdit(
        before,
        after,
        async (line) => (await get().exec(device, line)) ?? { output: '% Not sent', prompt },
        promptOf(device),
      );
    },

    async openConsoles(lab: LabView) {
      const prompts = await Promise.all(
        lab.devices.map((d) =>
          get()
            .call((api) => api.prompt(d.name))
            .catch(() => `${d.name}#`),
        ),
      );
      const consoles = new Map<string, ConsoleState>();
      lab.devices.forEach((d, i) => {
        consoles.set(d.name, { ...freshConsole(d.name), prompt: prompts[i] ?? `${d.name}#` });
      });
      return consoles;
    },

    logToConsoles(records: readonly TraceRecord[]) {
      const byDevice = new Map<string, string[]>();
      for (const r of records) {
        if (r.kind !== 'log') continue;
        const lines = byDevice.get(r.device) ?? [];
        lines.push(r.text);
        byDevice.set(r.device, lines);
      }
      if (byDevice.size === 0) return;
      set((s) => {
        const consoles = new Map(s.consoles);
        for (const [device, lines] of byDevice) {
          const c = consoles.get(device);
          if (!c) continue;
          consoles.set(device, { ...c, transcript: appendTranscript(c.transcript, `${lines.join('\n')}\n`) });
        }
        return { consoles };
      });
    },
  };
}
