import { useEffect, useState } from 'react';
import type { GdoiMemberView, GdoiView, RouterViewInfo } from '../worker/protocol';
import { useSim } from './store';

/** The core's live tab: the routing table. Protocol tabs come from the lab view (`LabView.routerViews`). */
export const ROUTES_VIEW: RouterViewInfo = {
  id: 'routes',
  label: 'Routes',
  commands: ['show ip route'],
  hasState: false,
};

/** Wall-clock period of the refresh check; a refresh runs only when the simulated clock has moved. */
const REFRESH_MS = 1000;

interface Snapshot {
  readonly outputs: readonly string[];
  readonly gdoi?: GdoiView;
  readonly at: number;
}

/**
 * Live state of one router: the tab's show commands (as a student would type them), refreshed when the simulated
 * clock has moved; GDOI's tab also draws the member's and key server's keys from its typed view.
 */
export function LiveState({ device, view }: { device: string; view: RouterViewInfo }) {
  const tab = view.id;
  const commands = view.commands;
  const withKeys = tab === 'gdoi' && view.hasState;
  const show = useSim((s) => s.show);
  const gdoiView = useSim((s) => s.gdoiView);
  const [snap, setSnap] = useState<Snapshot | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    let busy = false;
    let lastAt = -1;
    const refresh = async (): Promise<void> => {
      const at = useSim.getState().now;
      if (busy || at === lastAt) return;
      busy = true;
      try {
        const outputs = await Promise.all(commands.map((c) => show(device, c)));
        const gdoi = withKeys ? await gdoiView(device) : undefined;
        if (!cancelled) setSnap({ outputs, at, ...(gdoi ? { gdoi } : {}) });
      } catch (e) {
        if (!cancelled) setSnap({ outputs: [`% ${e instanceof Error ? e.message : String(e)}`], at });
      } finally {
        lastAt = at;
        busy = false;
      }
    };
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [device, commands, withKeys, show, gdoiView]);

  return (
    <div className="live-state" data-testid={`live-${tab}`} aria-busy={snap === undefined}>
      {snap?.gdoi && <GdoiKeys view={snap.gdoi} />}
      {commands.map((command, i) => (
        <section key={command} className="live-block" aria-label={`${device}# ${command}`}>
          <h3 className="live-command">
            {device}# {command}
          </h3>
          <pre className="live-output">{snap ? (snap.outputs[i] ?? '') : 'Reading…'}</pre>
        </section>
      ))}
    </div>
  );
}

/** A member's key state at a glance: current and previous TEK, KEK, last sequence number, expiries. */
function GdoiKeys({ view }: { view: GdoiView }) {
  if (view.members.length === 0 && view.keyServers.length === 0) {
    return <p className="muted small-text">No GDOI group on {view.device}.</p>;
  }
  return (
    <div className="gdoi-keys">
      {view.members.map((m) => (
        <MemberKeys key={m.group} m={m} />
      ))}
      {view.keyServers.map((k) => (
        <table key={k.group} className="kv-table" aria-label={`Key server ${k.group}`}>
          <caption>
            Key server {k.group} ({k.rekeyTransport} rekey
            {k.rekeyDestination ? ` to ${k.rekeyDestination}` : ''})
          </caption>
          <tbody>
            <Row name="TEK SPI" value={k.tekSpi} extra={seconds(k.tekSecondsToExpiry)} />
            <Row name="KEK SPI" value={k.kekSpi} extra={seconds(k.kekSecondsToExpiry)} />
            <Row name="Last sequence number" value={String(k.seq)} />
            <Row name="Rekeys sent" value={`${k.rekeysSent} (${k.rekeysRetransmitted} retransmitted)`} />
            <Row name="Members" value={String(k.members.length)} />
          </tbody>
        </table>
      ))}
    </div>
  );
}

function MemberKeys({ m }: { m: GdoiMemberView }) {
  return (
    <table className="kv-table" aria-label={`Group member keys ${m.group}`} data-testid="gdoi-member">
      <caption>
        Group {m.group}: {m.status} with {m.keyServer}
        {m.rekeyTransport ? `, ${m.rekeyTransport} rekey` : ''}
      </caption>
      <tbody>
        <Row name="Current TEK SPI" value={m.currentTekSpi} extra={seconds(m.tekSecondsToExpiry)} />
        <Row name="Previous TEK SPI" value={m.previousTekSpi} />
        <Row name="KEK SPI" value={m.kekSpi} extra={seconds(m.kekSecondsToExpiry)} />
        <Row name="Last sequence number" value={String(m.lastSeq)} />
        <Row
          name="Rekeys received"
          value={`${m.rekeysReceived}${m.rekeysRejected > 0 ? ` (${m.rekeysRejected} rejected)` : ''}`}
          extra={m.secondsSinceLastRekey !== undefined ? `${m.secondsSinceLastRekey} s ago` : 'never'}
        />
        {m.reregisterInSeconds !== undefined && (
          <Row name="Re-registers in" value={`${m.reregisterInSeconds} s`} />
        )}
      </tbody>
    </table>
  );
}

function seconds(s: number | undefined): string | undefined {
  return s === undefined ? undefined : `expires in ${s} s`;
}

function Row({ name, value, extra }: { name: string; value?: string; extra?: string }) {
  return (
    <tr>
      <th scope="row">{name}</th>
      <td>
        <code>{value ?? '—'}</code>
        {extra ? <span className="muted"> · {extra}</span> : null}
      </td>
    </tr>
  );
}
