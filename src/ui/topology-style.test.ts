// A big lab's labels (issue 18): left out where they would be too small to read; the page shows it in
// e2e/page-scale.spec.ts.
import { describe, expect, it } from 'vitest';
import { BIG_LAB_DEVICES } from './topology-sync';
import {
  FULL_DETAIL,
  MAX_INTERFACE_LABEL_SCALE,
  detailAt,
  sameDetail,
  topologyStyle,
} from './topology-style';

describe('detailAt', () => {
  it('draws every label in a lab up to the big-lab size, whatever the zoom', () => {
    expect(detailAt(BIG_LAB_DEVICES, 0.01, BIG_LAB_DEVICES)).toEqual(FULL_DETAIL);
  });

  it('leaves out, in a big lab, labels under 7 px on screen, and draws tunnels straight while zoomed out', () => {
    const fitted = detailAt(5003, 0.003, BIG_LAB_DEVICES);
    expect(fitted).toEqual({ interfaceLabels: false, deviceLabels: false, curvedTunnels: false });
    // 16-unit names reach 7 px at zoom 0.4375, 13-unit interface labels at 0.538.
    expect(detailAt(5003, 0.45, BIG_LAB_DEVICES)).toMatchObject({
      interfaceLabels: false,
      deviceLabels: true,
    });
    expect(detailAt(5003, 0.54, BIG_LAB_DEVICES)).toMatchObject({
      interfaceLabels: true,
      deviceLabels: true,
    });
    expect(sameDetail(fitted, detailAt(1003, 0.01, BIG_LAB_DEVICES))).toBe(true);
    // A tunnel's 40-unit bow reaches 2 px at zoom 0.05: curved again from there.
    expect(detailAt(5003, 0.049, BIG_LAB_DEVICES).curvedTunnels).toBe(false);
    expect(detailAt(5003, 0.05, BIG_LAB_DEVICES).curvedTunnels).toBe(true);
  });

  it('styles edges without end labels and nodes without names when left out', () => {
    const block = (sheet: ReturnType<typeof topologyStyle>, selector: string): Record<string, unknown> => {
      const found = sheet.find((s) => s.selector === selector);
      return (found && 'style' in found ? found.style : {}) as Record<string, unknown>;
    };
    const style = topologyStyle(1, { interfaceLabels: false, deviceLabels: false, curvedTunnels: false });
    const of = (selector: string): Record<string, unknown> => block(style, selector);
    expect(of('edge')['source-label']).toBe('');
    expect(of('edge')['target-label']).toBe('');
    expect(of('node').label).toBe('');
    expect(of('edge.overlay')['curve-style']).toBe('straight');
    expect(block(topologyStyle(1), 'edge')['source-label']).toBe('data(sourceLabel)');
  });
});

describe('interface labels and the text scale', () => {
  it('leaves them out once text is scaled past what longer links make room for (a phone), keeps device names', () => {
    const block = (sheet: ReturnType<typeof topologyStyle>, selector: string): Record<string, unknown> => {
      const found = sheet.find((s) => s.selector === selector);
      return (found && 'style' in found ? found.style : {}) as Record<string, unknown>;
    };
    for (const k of [1, 2.35, MAX_INTERFACE_LABEL_SCALE])
      expect(block(topologyStyle(k), 'edge')['source-label']).toBe('data(sourceLabel)');
    const phone = topologyStyle(3.65);
    expect(block(phone, 'edge')['source-label']).toBe('');
    expect(block(phone, 'edge')['target-label']).toBe('');
    expect(block(phone, 'node').label).not.toBe('');
  });
});
