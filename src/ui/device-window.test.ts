import { describe, expect, it } from 'vitest';
import { filterDevices, rowWindow, scrollToShow } from './device-window';

describe('rowWindow', () => {
  it('renders the rows in view and a few beyond, never past the list', () => {
    // 28 px rows, a 280 px box scrolled to row 100: rows 90-120 (10 in view, 10 each side).
    expect(rowWindow(2800, 280, 28, 5001, 10)).toEqual({ first: 90, last: 120 });
    expect(rowWindow(0, 280, 28, 5001, 10)).toEqual({ first: 0, last: 20 });
    // The last rows of a 5,001-device list (GM-5000 is the last).
    expect(rowWindow(5001 * 28 - 280, 280, 28, 5001, 10)).toEqual({ first: 4981, last: 5001 });
  });

  it('stays within the list for odd input (empty list, box not laid out yet, scrolled past the end)', () => {
    expect(rowWindow(0, 280, 28, 0)).toEqual({ first: 0, last: 0 });
    expect(rowWindow(0, 0, 28, 50, 10)).toEqual({ first: 0, last: 10 });
    expect(rowWindow(1e9, 280, 28, 50, 10)).toEqual({ first: 50, last: 50 });
    expect(rowWindow(-40, 280, 28, 50, 0)).toEqual({ first: 0, last: 10 });
  });
});

describe('scrollToShow', () => {
  it('keeps the scroll when the row is in view, else brings it to the nearest edge', () => {
    expect(scrollToShow(12, 280, 280, 28)).toBe(280);
    expect(scrollToShow(2, 280, 280, 28)).toBe(56);
    expect(scrollToShow(30, 280, 280, 28)).toBe(31 * 28 - 280);
  });
});

describe('filterDevices', () => {
  const devices = ['Central', 'GM-5', 'GM-50', 'GM-500', 'GM-5000', 'ISP', 'KS'].map((name) => ({ name }));

  it('finds a device by part of its name, the exact name first, ignoring case', () => {
    expect(filterDevices(devices, 'gm-5000').map((d) => d.name)).toEqual(['GM-5000']);
    expect(filterDevices(devices, 'GM-5').map((d) => d.name)).toEqual(['GM-5', 'GM-50', 'GM-500', 'GM-5000']);
    expect(filterDevices(devices, ' ks ').map((d) => d.name)).toEqual(['KS']);
  });

  it('keeps every device for an empty query and none for a name no device has', () => {
    expect(filterDevices(devices, '')).toHaveLength(devices.length);
    expect(filterDevices(devices, '__proto__')).toEqual([]);
  });
});
