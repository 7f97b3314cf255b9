// The lab for real routers (issue 17, "A bridge to real routers"): a Cisco Modeling Labs 2.x topology file, and
// the configurations as one text file per device in one .zip. The worker builds both from the lab as it is now
// (console edits included), as the runner's `--export-cml` and `--export-configs` do.
import { strToU8, zipSync } from 'fflate';
import { useState } from 'react';
import { download } from './download';
import { useSim } from './store';

/** A file name from the lab's title: `GET VPN rekey …` → `get-vpn-rekey-…`. */
export function fileStem(title: string | undefined): string {
  const stem = (title ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return stem === '' ? 'getlab-lab' : stem;
}

/** One `<device>.txt` per device, zipped (fflate); the texts are the configurations exactly. */
export function configsZip(files: readonly { device: string; config: string }[]): Uint8Array<ArrayBuffer> {
  // Keys end in `.txt`, so no device name makes one `__proto__`; fromEntries defines own properties anyway.
  const entries = Object.fromEntries(files.map((f) => [`${f.device}.txt`, strToU8(f.config)]));
  // A copy over a plain ArrayBuffer: a Blob takes no view of a SharedArrayBuffer.
  return new Uint8Array(zipSync(entries, { level: 6 }));
}

type ExportKind = 'cml' | 'configs';

/** The section's buttons, in order. */
const EXPORTS: readonly { kind: ExportKind; label: string; title: string }[] = [
  {
    kind: 'cml',
    label: 'Export to CML (YAML)',
    title: 'A Cisco Modeling Labs 2.x topology file: IOSv nodes with their configurations, links, positions',
  },
  { kind: 'configs', label: 'Export configs (.zip)', title: 'One text file per device, in one .zip' },
];

/** Builds one export on the worker and saves it; returns why it could not be saved, if it could not. */
async function exportLab(kind: ExportKind, stem: string): Promise<string | undefined> {
  const s = useSim.getState();
  const scenario = await s.currentScenario();
  if (kind === 'cml') {
    const cml = await s.call((api) => api.exportCml(scenario));
    if (cml.yaml === undefined) return `This lab cannot be exported to CML: ${cml.problems.join(' ')}`;
    download(cml.yaml, 'application/yaml', `${stem}.cml.yaml`);
    s.notify(`Saved ${stem}.cml.yaml: a CML 2.x topology with IOSv nodes.`);
    return undefined;
  }
  const { files, problems } = await s.call((api) => api.exportConfigs(scenario));
  if (files.length === 0) return `No configuration could be exported: ${problems.join(' ')}`;
  download(configsZip(files), 'application/zip', `${stem}-configs.zip`);
  s.notify(`Saved ${stem}-configs.zip: ${files.length} configuration files.`);
  return problems.length > 0 ? `Some devices were left out: ${problems.join(' ')}` : undefined;
}

/**
 * The Share… popover's "For real routers" section: the lab as a CML topology, or its configurations; a refused
 * export says why. (In the popover, beside "Export scenario file": a header button of its own would wrap the
 * header on a classroom screen and shrink the topology.)
 */
export function ExportActions() {
  const title = useSim((s) => s.lab?.title);
  const [busy, setBusy] = useState<ExportKind | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  async function run(kind: ExportKind): Promise<void> {
    setBusy(kind);
    setProblem(undefined);
    try {
      setProblem(await exportLab(kind, fileStem(title)));
    } catch (e) {
      setProblem(`The export failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(undefined);
    }
  }

  return (
    <section className="export-actions" aria-label="For real routers">
      <p className="export-note">For real routers: the lab as it is now, your console changes included.</p>
      <div className="share-actions">
        {EXPORTS.map((x) => (
          <button
            key={x.kind}
            type="button"
            className="button small"
            disabled={busy !== undefined}
            aria-busy={busy === x.kind}
            title={x.title}
            onClick={() => void run(x.kind)}
          >
            {x.label}
          </button>
        ))}
      </div>
      {problem !== undefined && (
        <p role="alert" className="export-problem">
          {problem}
        </p>
      )}
    </section>
  );
}
