// The lab: loading a scenario (shipped, a file, generated, saved or shared text) into the worker, the page's view
// of it, and the worker's read-only views (show, GDOI, PIM, multicast, configs, exports).
import type { LabView, LoadResult, MomentOpenResult, ScenarioProblem } from '../../worker/protocol';
import { wireStyles } from '../hops';
import { readScenarioFile, withConfigs } from '../share';
import { SHIPPED_SCENARIOS, WEBGL_THRESHOLD, errorText, generatedLabel, generatedSource } from './constants';
import type { StoreEnv } from './env';
import type { GetState, LabSlice, SetState, SimState } from './state';

/** Why a load failed, as the problems panel lists it. */
function failure(source: string, e: unknown): Pick<SimState, 'loadFailure'> {
  return { loadFailure: { source, problems: [{ severity: 'error', message: errorText(e) }] } };
}

export function createLabSlice(set: SetState, get: GetState, env: StoreEnv): LabSlice {
  async function loadResult(text: string): Promise<LoadResult> {
    try {
      return await get().call((api) => api.load(text));
    } catch (e) {
      return {
        ok: false,
        problems: [{ severity: 'error', message: `The simulator failed: ${errorText(e)}` }],
      };
    }
  }

  /** The state of a page that has just loaded `lab` (panels reset, the stream restarts at the lab's time). */
  function loaded(s: SimState, lab: LabView, result: LoadResult, consoles: SimState['consoles']) {
    const selected = s.selected;
    return {
      lab,
      wire: wireStyles(lab.wireStyles),
      labSerial: s.labSerial + 1,
      loadProblems: result.problems,
      loadFailure: undefined,
      simError: undefined,
      loading: false,
      consoles,
      selected: selected !== undefined && consoles.has(selected) ? selected : lab.devices[0]?.name,
      now: lab.now,
      clock: lab.clock,
      trace: [],
      traceTotal: 0,
      markers: [],
      configVersion: s.configVersion + 1,
      maxTime: lab.now,
      selectedSeq: undefined,
      frame: undefined,
      eventTime: undefined,
      stepSeqs: [],
      stepNote: undefined,
      multicast: undefined,
      // The new lab's own rekey source and group are asked for (multicast slice).
      multicastSource: '',
      multicastGroup: '',
      knownMroutes: new Map<string, readonly string[]>(),
      faults: [],
      webgl: lab.devices.length > WEBGL_THRESHOLD ? true : s.webgl,
      bottomTab:
        result.problems.length > 0 || lab.problems.length > 0
          ? ('problems' as const)
          : s.bottomTab === 'problems'
            ? ('inspector' as const)
            : s.bottomTab,
    };
  }

  return {
    labSerial: 0,
    wire: wireStyles(),
    loadProblems: [],
    loading: false,

    async loadText(text, source, label) {
      // Loading pauses the clock: a frame running against the new lab before the page shows it would be lost.
      get().pause();
      set({ loading: true });
      const result = await loadResult(text);
      const lab = result.lab;
      if (!result.ok || !lab) {
        const problems: readonly ScenarioProblem[] =
          result.problems.length > 0
            ? result.problems
            : [{ severity: 'error', message: 'The scenario could not be loaded.' }];
        set({ loading: false, loadFailure: { source: label, problems }, bottomTab: 'problems' });
        return;
      }
      const consoles = await get().openConsoles(lab);
      get().forgetSteps();
      get().resetTrace();
      set((s) => ({
        ...loaded(s, lab, result, consoles),
        scenarioText: text,
        source,
        sourceLabel: label,
      }));
      get().ingest({ records: [], now: lab.now });
      void get().refreshMulticast();
      void get().refreshLessons();
    },

    async openMoment(file) {
      get().pause();
      set({ loading: true });
      let opened: MomentOpenResult;
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        opened = await get().call((api) => api.openMoment(bytes));
      } catch (e) {
        set({ loading: false, ...failure(file.name, e), bottomTab: 'problems' });
        return;
      }
      if (!opened.ok) {
        const problems = [{ severity: 'error' as const, message: opened.problem }];
        set({ loading: false, loadFailure: { source: file.name, problems }, bottomTab: 'problems' });
        return;
      }
      const { lab } = opened.result;
      const consoles = await get().openConsoles(lab);
      get().forgetSteps();
      get().resetTrace();
      set((s) => ({
        ...loaded(s, lab, { ok: true, lab, problems: [] }, consoles),
        scenarioText: opened.scenario,
        source: `moment:${file.name}`,
        sourceLabel: `Saved moment: ${file.name}`,
      }));
      // The trace goes on from the moment: its records are numbered after the ones before it.
      get().applyRewind(opened.result);
      void get().refreshMulticast();
      void get().refreshLessons();
    },

    async loadShipped(file) {
      const label = SHIPPED_SCENARIOS.find((s) => s.file === file)?.label ?? file;
      let text: string;
      try {
        text = await env.fetchText(`${env.baseUrl}scenarios/${file}`);
      } catch (e) {
        set(failure(label, e));
        return;
      }
      // Saved edits of this lab are replaced only when the user says so (issue 13, item 10).
      if (!(await get().confirmReplace(`shipped:${file}`, label))) return;
      await get().loadText(text, `shipped:${file}`, label);
    },

    async loadFile(file) {
      let text: string;
      try {
        // Refused above MAX_SCENARIO_BYTES with a message, before any of it is read (issue 13, item 7).
        text = await readScenarioFile(file);
      } catch (e) {
        set(failure(file.name, e));
        return;
      }
      await get().loadText(text, `file:${file.name}`, file.name);
    },

    async loadGenerated(spokes, hubs = 1) {
      const label = `Generated: ${generatedLabel(spokes, hubs).toLowerCase()}`;
      let text: string;
      try {
        text = await get().call((api) => api.generate(spokes, hubs));
      } catch (e) {
        set(failure(label, e));
        return;
      }
      // As for a shipped lab: saved edits of this generated lab are replaced only when the user says so.
      if (!(await get().confirmReplace(generatedSource(spokes, hubs), label))) return;
      await get().loadText(text, generatedSource(spokes, hubs), label);
    },

    select(device) {
      if (get().selected !== device) set({ selected: device });
    },

    dismissFailure() {
      set({ loadFailure: undefined, simError: undefined });
    },

    reportSimError(e) {
      set({ simError: errorText(e), bottomTab: 'problems' });
    },

    async refreshLab(playing = false) {
      try {
        // While playing, the worker sends the view only when it changed (a big lab's view is megabytes).
        const held = get().lab?.serial;
        const lab = await get().call((api) => (playing ? api.labIfChanged(held) : api.lab()));
        if (lab && 'unchanged' in lab) set({ clock: lab.clock, now: lab.now });
        else if (lab) set({ lab, clock: lab.clock, now: lab.now });
        // The multicast view costs the worker a pass over every router: only when something shows it.
        const s = get();
        if (s.bottomTab === 'multicast' || s.showRpf || s.showTree) await s.refreshMulticast();
      } catch (e) {
        get().reportSimError(e);
      }
    },

    show(device, line) {
      return get().call((api) => api.show(device, line));
    },

    gdoiView(device) {
      return get().call((api) => api.gdoiView(device));
    },

    pimView(device) {
      return get().call((api) => api.pimView(device));
    },

    multicastView(source, group) {
      return get().call((api) => api.multicastView(source, group));
    },

    runningConfig(device) {
      return get().call((api) => api.runningConfig(device));
    },

    async currentScenario() {
      const { lab, scenarioText } = get();
      if (!lab || scenarioText === undefined) throw new Error('No lab is loaded.');
      // A Map: a device named `__proto__` keeps its config (issue 13, item 5).
      const configs = new Map<string, string>();
      for (const d of lab.devices) configs.set(d.name, await get().call((api) => api.scenarioConfig(d.name)));
      return withConfigs(scenarioText, configs);
    },

    async exportPcap() {
      const pcap = await get().call((api) => api.exportPcap());
      get().noteExport(pcap);
      return pcap;
    },

    async exportKeylog() {
      const keylog = await get().call((api) => api.exportKeylog());
      get().noteKeylog(keylog);
      return keylog;
    },
  };
}
