import { useState } from 'react';
import type { FrameView, PacketRecord, RekeyView } from '../worker/protocol';
import { formatSeconds } from './format';
import { encapsulationLabel, layersOf } from './hops';
import { useSim } from './store';

interface Range {
  readonly start: number;
  readonly end: number;
  readonly key: string;
}

export function Inspector() {
  const selectedSeq = useSim((s) => s.selectedSeq);
  // The store calls selectors at every update (every frame while playing): no search without a selection.
  const entry = useSim((s) =>
    s.selectedSeq === undefined ? undefined : s.trace.find((e) => e.seq === s.selectedSeq),
  );
  const frame = useSim((s) => s.frame);
  const loading = useSim((s) => s.frameLoading);
  const wire = useSim((s) => s.wire);

  if (selectedSeq === undefined || !entry) {
    return (
      <p className="muted pad">
        Select an event in the list to see its packet layer by layer, decoded from the bytes on the wire.
      </p>
    );
  }
  const r = entry.record;
  if (r.kind !== 'packet') {
    return (
      <div className="inspector pad">
        <p>
          <strong>{r.device}</strong> at {formatSeconds(r.t)} s
        </p>
        <pre className="problem-message">
          {r.kind === 'log' ? r.text : r.kind === 'problem' ? r.message : `${r.what}: ${r.detail}`}
        </pre>
      </div>
    );
  }
  return (
    <div className="inspector" data-testid="inspector">
      <p className="inspector-head">
        <strong>{r.device}</strong> {r.event} {r.iface ?? ''} at {formatSeconds(r.t)} s —{' '}
        {encapsulationLabel(layersOf(r), wire)}
        {r.reason ? <span className="reason"> — {r.reason}</span> : null}
      </p>
      {frame ? (
        <FrameDetails key={frame.id} frame={frame} />
      ) : loading ? (
        <p className="muted pad">Decoding…</p>
      ) : (
        <NoBytes record={r} />
      )}
    </div>
  );
}

/**
 * Records without a frame of their own: the inner packet of a tunnel (entering it, or decapsulated from it)
 * travels inside a GRE/ESP frame recorded by the same device at the same instant.
 */
function NoBytes({ record }: { record: PacketRecord }) {
  const outer = useSim((s) =>
    s.trace.find(
      (e) =>
        e.record.kind === 'packet' &&
        e.record.t === record.t &&
        e.record.device === record.device &&
        e.record.frameId > 0 &&
        (record.overlayPeer !== undefined ? e.record.event === 'sent' : e.record.event === 'received'),
    ),
  );
  const inspect = useSim((s) => s.inspect);
  if (record.frameId > 0) return <p className="muted pad">The bytes of this frame are no longer kept.</p>;
  return (
    <p className="muted pad">
      {record.overlayPeer !== undefined
        ? `The inner packet entering ${record.iface ?? 'the tunnel'} towards NBMA ${record.overlayPeer}: its bytes travel inside the frame sent on the physical link.`
        : `The inner packet of a tunnel frame ${record.device} received: its bytes arrived inside that frame.`}{' '}
      {outer && (
        <button type="button" className="button small" onClick={() => void inspect(outer.seq)}>
          Open the outer frame
        </button>
      )}
    </p>
  );
}

function FrameDetails({ frame }: { frame: FrameView }) {
  return (
    <>
      <PacketView
        caption={`Frame ${frame.id}: ${frame.bytes.length} bytes on ${frame.link}`}
        label="Packet layers"
        bytes={frame.bytes}
        layers={frame.layers}
      />
      {frame.decrypted ? (
        <PacketView
          caption={`Decrypted ESP (SPI ${frame.decrypted.spi}) with the group TEK held by ${frame.decrypted.heldBy}: ${frame.decrypted.bytes.length} bytes`}
          label="Decrypted inner packet layers"
          bytes={frame.decrypted.bytes}
          layers={frame.decrypted.layers}
        />
      ) : null}
      {frame.rekey ? <RekeyDetails rekey={frame.rekey} /> : null}
    </>
  );
}

/**
 * A GDOI rekey opened with the KEK a group member holds (RFC 6407 §4): its payloads, the signature check, and
 * the key material masked until asked for.
 */
function RekeyDetails({ rekey }: { rekey: RekeyView }) {
  const revealKeys = useSim((s) => s.revealKeys);
  const check = rekey.signature.verified ? 'signature OK' : 'signature FAILED';
  return (
    <>
      <div className="rekey-bar">
        <span className={rekey.signature.verified ? 'sig-ok' : 'sig-bad'} data-testid="rekey-signature">
          {check}: {rekey.signature.detail}
        </span>
        <button
          type="button"
          className="button small"
          aria-pressed={rekey.keysShown}
          onClick={() => void revealKeys(!rekey.keysShown)}
        >
          {rekey.keysShown ? 'Hide keys' : 'Show keys'}
        </button>
      </div>
      <PacketView
        caption={`GDOI rekey (GROUPKEY-PUSH) decrypted with the KEK held by ${rekey.heldBy} (KEK SPI ${rekey.kekSpi}): ${rekey.bytes.length} bytes`}
        label="Decrypted rekey payloads"
        bytes={rekey.bytes}
        layers={rekey.layers}
      />
    </>
  );
}

/** One packet's layer tree beside its hex view; selecting a layer or field highlights its bytes. */
function PacketView(props: {
  caption: string;
  label: string;
  bytes: Uint8Array;
  layers: FrameView['layers'];
}) {
  const [range, setRange] = useState<Range | undefined>(undefined);
  const wire = useSim((s) => s.wire);
  return (
    <div className="frame-details">
      <div className="layer-tree" role="tree" aria-label={props.label}>
        <p className="muted small-text">{props.caption}</p>
        {props.layers.map((l, li) => (
          <details key={li} open role="treeitem" aria-expanded="true" className="layer">
            <summary
              className={range?.key === `L${li}` ? 'layer-title active' : 'layer-title'}
              onClick={() => setRange({ start: l.start, end: l.end, key: `L${li}` })}
            >
              <span className="swatch" style={{ background: wire.color(l.protocol) }} aria-hidden="true" />
              {l.title}
              {l.error ? <span className="reason"> — {l.error}</span> : null}
            </summary>
            <ul role="group">
              {l.fields.map((f, fi) => {
                const key = `L${li}F${fi}`;
                return (
                  <li key={fi} role="treeitem" aria-selected={range?.key === key}>
                    <button
                      type="button"
                      className={range?.key === key ? 'layer-field active' : 'layer-field'}
                      onClick={() => setRange({ start: f.start, end: f.end, key })}
                      title={`${f.name} (bytes ${f.start}–${f.end - 1})`}
                    >
                      <span className="field-label">{f.label}:</span> {f.value}
                    </button>
                  </li>
                );
              })}
              {l.warnings?.map((w, wi) => (
                <li key={`w${wi}`} className="reason">
                  {w}
                </li>
              ))}
            </ul>
          </details>
        ))}
      </div>
      <HexView bytes={props.bytes} range={range} />
    </div>
  );
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Offsets, 16 bytes per row and ASCII, with the selected field's bytes highlighted. */
function HexView({ bytes, range }: { bytes: Uint8Array; range: Range | undefined }) {
  const rows: number[] = [];
  for (let i = 0; i < bytes.length; i += 16) rows.push(i);
  const on = (i: number): boolean => range !== undefined && i >= range.start && i < range.end;
  return (
    <div className="hex-view" data-testid="hex-view" aria-label="Frame bytes in hexadecimal">
      {rows.map((off) => {
        const row = [...bytes.subarray(off, off + 16)];
        return (
          <div key={off} className="hex-row">
            <span className="hex-offset">{off.toString(16).padStart(4, '0')}</span>
            <span className="hex-bytes">
              {row.map((b, i) => (
                <span key={i} className={on(off + i) ? 'hl' : undefined}>
                  {hex2(b)}
                </span>
              ))}
            </span>
            <span className="hex-ascii">
              {row.map((b, i) => (
                <span key={i} className={on(off + i) ? 'hl' : undefined}>
                  {b >= 32 && b < 127 ? String.fromCharCode(b) : '.'}
                </span>
              ))}
            </span>
          </div>
        );
      })}
    </div>
  );
}
