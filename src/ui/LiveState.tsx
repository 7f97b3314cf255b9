import { useEffect, useState } from 'react';
import type { GdoiMemberView, GdoiView } from '../worker/protocol';
import { useSim } from './store';

export type LiveTab = 'routes' | 'nhrp' | 'pim' | 'gdoi';

/** The `show` commands each tab runs, as a student would type them. */
export const LIVE_COMMANDS: Readonly<Record<LiveTab, readonly string[]>> = {
  routes: ['show ip route'],
  nhrp: ['show ip nhrp', 'show dmvpn'],
  pim: ['show ip pim neighbor', 'show ip mroute'],
  gdoi: ['show crypto gdoi'],
};

/** Wall-clock period of the refresh check; a refresh runs only when the simulated clock has moved. */
const REFRESH_MS = 1000;

interface Snapshot {
  readonly outputs: readonly string[];
  readonly gdoi?: GdoiView;
  readonly at: number;
}

/** Live state of one router: the tab's show commands, refreshed when the simulated clock has moved. */
export function LiveState({ device, tab }: { device: string; tab: LiveTab }) {
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
        const outputs = await Promise.all(LIVE_COMMANDS[tab].map((c) => show(device, c)));
        const gdoi = tab === 'gdoi' ? await gdoiView(device) : undefined;
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
  }, [device, tab, show, gdoiView]);

  return (
    <div className="live-state" data-testid={`live-${tab}`} aria-busy={snap === undefined}>
      {snap?.gdoi && <GdoiKeys view={snap.gdoi} />}
      {LIVE_COMMANDS[tab].map((command, i) => (
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
